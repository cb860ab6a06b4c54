"""The report's charts, drawn with matplotlib (Agg, no display) from the collected tables.

Figures are built with the object API (no pyplot state), so several reports can render in one
process. Each function returns PNG bytes, or None when its table has nothing to draw. Every
chart's title names its view (activity in the period / content published in the period); an
unknown value is drawn as the word "unknown", never as a 0 bar, and partial days are hatched.
Growth and comparison charts are in `charts_growth.py`, with `CHARTS` (table → chart) and `render_all`.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

DPI = 150
SIZE = (7.2, 3.2)
WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PALETTE = ("#0B4F6C", "#20A39E", "#E07A5F", "#3D405B", "#81B29A", "#F2CC8F", "#B56576", "#6D597A")
ACTIVITY = "Activity in the period"
CONTENT = "Content published in the period"


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def figure(title: str, size=SIZE, subtitle: str | None = None):
    fig = Figure(figsize=size)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=10.5, loc="left")
    if subtitle:
        fig.text(0.01, -0.02, subtitle, fontsize=7, color="#555555", ha="left", va="top", wrap=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    return fig, ax


def palette(colors: tuple[str, str]) -> list[str]:
    return [colors[0], colors[1], *PALETTE[2:]]


def engagement_trend(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    metric = "engagements" if rows and "engagements" in rows[0] else next(
        (k for k in (rows[0] if rows else {}) if k in ("views", "likes", "comments", "shares")), None)
    if not rows or metric is None or all(r[metric] is None for r in rows):
        return None
    fig, ax = figure(f"{ACTIVITY} \u00b7 daily {metric.replace('_', ' ')} (last {len(rows)} days)",
                     subtitle="Hatched: partial days (some accounts not reported yet); no bar: unknown. "
                              "Complete days only.")
    days = [r["metric_date"] for r in rows]
    for partial, alpha in ((False, 0.85), (True, 0.35)):
        chosen = [(d, r[metric]) for d, r in zip(days, rows, strict=True)
                  if r[metric] is not None and bool(r.get("is_partial")) == partial]
        if chosen:
            ax.bar([d for d, _ in chosen], [v for _, v in chosen], color=colors[0], alpha=alpha,
                   hatch="///" if partial else None, edgecolor="white" if not partial else colors[0], linewidth=0.3,
                   label=f"{metric} ({'partial' if partial else 'complete'} days)")
    if "engagement_rate" in rows[0]:
        rate_ax = ax.twinx()
        rate_ax.plot(days, [r["engagement_rate"] for r in rows], color=colors[1], linewidth=1.4,
                     marker="o", markersize=2, label="engagement rate %")
        rate_ax.set_ylabel("engagement rate %", fontsize=8)
        rate_ax.tick_params(labelsize=8)
        rate_ax.spines[["top"]].set_visible(False)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    fig.autofmt_xdate()
    return png(fig)


def unknown_bars(ax, x, values, offset, width, color, label):
    ax.bar([i + offset for i, v in zip(x, values, strict=True) if v is not None],
           [v for v in values if v is not None], width=width, color=color, label=label)
    for i, v in zip(x, values, strict=True):
        if v is None:
            ax.annotate("unknown", (i + offset, 1), ha="center", va="bottom", fontsize=6, rotation=90,
                        color="#777777")


def platform_comparison(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    if not rows or "views" not in rows[0]:
        return None
    fig, ax = figure(f"{ACTIVITY} \u00b7 views and engagements by platform (complete days)",
                     subtitle="Log scale. 'unknown': no account-level activity known in the period "
                              "(see Data coverage).")
    names = [r["platform"] for r in rows]
    x = list(range(len(names)))
    unknown_bars(ax, x, [r["views"] for r in rows], -0.2, 0.4, colors[0], "views")
    unknown_bars(ax, x, [r.get("engagements") for r in rows], 0.2, 0.4, colors[1], "engagements")
    ax.set_xticks(x, names)
    ax.set_yscale("symlog")
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return png(fig)


def top_content(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    if not rows:
        return None
    rows = rows[:10][::-1]
    as_of = max(str(r.get("data_as_of")) for r in rows)
    fig, ax = figure(f"{CONTENT} \u00b7 top posts by lifetime engagement rate (as of {as_of})",
                     size=(7.2, 0.35 * len(rows) + 1.2))
    labels = [f"{r['platform']}: {(r.get('title') or r['post_key'])[:40]}" for r in rows]
    ax.barh(labels, [r.get("engagement_rate") or 0 for r in rows], color=colors[0])
    ax.set_xlabel("engagement rate %", fontsize=8)
    return png(fig)


def posting_times(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    cells = [r for r in rows if r.get("lift_pct") is not None]
    if not cells:
        return None
    grid = [[float("nan")] * 24 for _ in range(7)]
    for row in cells:
        grid[row["weekday"] - 1][row["hour"]] = row["lift_pct"]
    fig, ax = figure("Best posting times \u00b7 % above each account's mean engagement rate (its own time zone)",
                     size=(7.2, 2.8), subtitle="All tracked posts, lifetime rates; thin slots shrunk toward the "
                                               "account mean (marts.mart_posting_times), weighted by posts.")
    limit = max(abs(r["lift_pct"]) for r in cells) or 1
    image = ax.imshow(grid, aspect="auto", cmap="RdYlGn", vmin=-limit, vmax=limit)
    ax.set_yticks(range(7), WEEKDAY_SHORT)
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    fig.colorbar(image, ax=ax, fraction=0.03)
    return png(fig)


def format_performance(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    rows = [r for r in rows if r.get("engagement_rate") is not None]
    if not rows:
        return None
    fig, ax = figure(f"{CONTENT} \u00b7 lifetime engagement rate by format")
    bars = ax.bar([r["format"] for r in rows], [r["engagement_rate"] for r in rows], color=colors[1])
    for bar, row in zip(bars, rows, strict=True):
        ax.annotate(f"{row.get('posts_published', 0)} posts", (bar.get_x() + bar.get_width() / 2,
                    bar.get_height()), ha="center", va="bottom", fontsize=7)
    ax.set_ylabel("engagement rate %", fontsize=8)
    return png(fig)


def posting_velocity(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    if not rows:
        return None
    weeks = sorted({r["week_start"] for r in rows})
    fig, ax = figure("Posting velocity \u00b7 posts published per week")
    bottom = [0] * len(weeks)
    for i, platform in enumerate(sorted({r["platform"] for r in rows})):
        counts = {r["week_start"]: r["posts_published"] for r in rows if r["platform"] == platform}
        values = [counts.get(w, 0) for w in weeks]
        ax.bar([str(w) for w in weeks], values, bottom=bottom, label=platform, color=palette(colors)[i % 8])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.autofmt_xdate()
    return png(fig)
