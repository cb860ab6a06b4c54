"""The report's charts, drawn with matplotlib (Agg, no display) from the collected tables.

Figures are built with the object API (no pyplot state), so several reports can render in
one process. Each function returns PNG bytes, or None when its table has nothing to draw.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

DPI = 150
SIZE = (7.2, 3.2)
WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _figure(title: str, size=SIZE):
    fig = Figure(figsize=size)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    return fig, ax


def engagement_trend(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    metric = "engagements" if rows and "engagements" in rows[0] else next(
        (k for k in (rows[0] if rows else {}) if k != "metric_date" and k != "engagement_rate"), None)
    if not rows or metric is None:
        return None
    fig, ax = _figure(f"Daily {metric.replace('_', ' ')} (last {len(rows)} days)")
    days = [r["metric_date"] for r in rows]
    ax.fill_between(days, [r[metric] or 0 for r in rows], color=colors[0], alpha=0.25)
    ax.plot(days, [r[metric] or 0 for r in rows], color=colors[0], linewidth=1.8, label=metric)
    if "engagement_rate" in rows[0]:
        rate_ax = ax.twinx()
        rate_ax.plot(days, [r["engagement_rate"] for r in rows], color=colors[1], linewidth=1.2,
                     linestyle="--", label="engagement rate %")
        rate_ax.set_ylabel("engagement rate %", fontsize=8)
        rate_ax.tick_params(labelsize=8)
    fig.autofmt_xdate()
    return _png(fig)


def platform_comparison(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    if not rows or "views" not in rows[0]:
        return None
    fig, ax = _figure("Platform comparison: views and engagements")
    names = [r["platform"] for r in rows]
    x = range(len(names))
    ax.bar([i - 0.2 for i in x], [r["views"] or 0 for r in rows], width=0.4, color=colors[0], label="views")
    ax.bar([i + 0.2 for i in x], [r.get("engagements") or 0 for r in rows], width=0.4, color=colors[1],
           label="engagements")
    ax.set_xticks(list(x), names)
    ax.set_yscale("symlog")
    ax.legend(fontsize=8, frameon=False)
    return _png(fig)


def top_content(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    if not rows:
        return None
    rows = rows[:10][::-1]
    fig, ax = _figure("Top content by engagement rate", size=(7.2, 0.35 * len(rows) + 1.2))
    labels = [((r.get("title") or r["post_key"])[:45]) for r in rows]
    ax.barh(labels, [r.get("engagement_rate") or 0 for r in rows], color=colors[0])
    ax.set_xlabel("engagement rate %", fontsize=8)
    return _png(fig)


def audience_growth(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    series: dict[str, list] = {}
    for row in rows:
        if row.get("followers") is not None:
            series.setdefault(row["platform"], []).append((row["metric_date"], row["followers"]))
    if not series:
        return None
    fig, ax = _figure("Audience growth: followers")
    palette = [colors[0], colors[1], "#E07A5F", "#3D405B", "#81B29A", "#F2CC8F"]
    for i, (platform, points) in enumerate(sorted(series.items())):
        ax.plot([p[0] for p in points], [p[1] for p in points], label=platform, color=palette[i % len(palette)])
    ax.legend(fontsize=8, frameon=False)
    fig.autofmt_xdate()
    return _png(fig)


def posting_times(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    if not rows:
        return None
    grid = [[float("nan")] * 24 for _ in range(7)]
    for row in rows:
        if row["engagement_rate"] is not None:
            grid[row["weekday"] - 1][row["hour"]] = row["engagement_rate"]
    fig, ax = _figure("Best posting times: engagement rate % by weekday × hour (last 90 days)", size=(7.2, 2.8))
    image = ax.imshow(grid, aspect="auto", cmap="YlGnBu")
    ax.set_yticks(range(7), WEEKDAY_SHORT)
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    fig.colorbar(image, ax=ax, fraction=0.03)
    return _png(fig)


def format_performance(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    rows = [r for r in rows if r.get("engagement_rate") is not None]
    if not rows:
        return None
    fig, ax = _figure("Format performance: engagement rate %")
    bars = ax.bar([r["format"] for r in rows], [r["engagement_rate"] for r in rows], color=colors[1])
    for bar, row in zip(bars, rows, strict=True):
        ax.annotate(f"{row.get('posts_published', 0)} new posts", (bar.get_x() + bar.get_width() / 2,
                    bar.get_height()), ha="center", va="bottom", fontsize=7)
    return _png(fig)


def posting_velocity(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    if not rows:
        return None
    weeks = sorted({r["week_start"] for r in rows})
    fig, ax = _figure("Posting velocity: posts published per week")
    bottom = [0] * len(weeks)
    palette = [colors[0], colors[1], "#E07A5F", "#3D405B", "#81B29A", "#F2CC8F"]
    for i, platform in enumerate(sorted({r["platform"] for r in rows})):
        counts = {r["week_start"]: r["posts_published"] for r in rows if r["platform"] == platform}
        values = [counts.get(w, 0) for w in weeks]
        ax.bar([str(w) for w in weeks], values, bottom=bottom, label=platform, color=palette[i % len(palette)])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.legend(fontsize=8, frameon=False)
    fig.autofmt_xdate()
    return _png(fig)


# section table → (chart title in the PDF, drawing function)
CHARTS = {
    "daily_trend": ("30-day engagement trend", engagement_trend),
    "platforms": ("Platform comparison", platform_comparison),
    "top_posts": ("Top content", top_content),
    "audience_growth": ("Audience growth", audience_growth),
    "posting_times": ("Best posting times", posting_times),
    "formats": ("Format performance", format_performance),
    "posting_velocity": ("Posting velocity", posting_velocity),
}


def render_all(tables: dict, colors: tuple[str, str], budget=None) -> list[tuple[str, bytes]]:
    """(title, PNG) for every section that has a chart and data to draw."""
    out = []
    for name, (title, draw) in CHARTS.items():
        if name in tables:
            if budget:
                budget.check_time(f"drawing {title}")
            png = draw(tables[name], colors)
            if png:
                out.append((title, png))
    return out
