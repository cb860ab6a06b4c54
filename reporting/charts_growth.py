"""Growth and comparison charts (audience indexed to the period start, net followers per day, weekly
engagement rate, platforms on equal terms), and `CHARTS`: which table each chart of the PDF draws."""

from __future__ import annotations

from matplotlib.figure import Figure

from reporting import charts
from reporting.charts import ACTIVITY, figure, palette, png, unknown_bars


def audience_growth(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    """Followers per platform indexed to the period start (= 100), so 100k and 10k accounts share one scale."""
    series: dict[str, list] = {}
    for row in rows:
        if row.get("index") is not None:
            series.setdefault(row["platform"], []).append((row["metric_date"], row["index"]))
    if not series:
        return None
    bases = sorted({str(r["index_base"]) for r in rows})
    fig, ax = figure("Audience growth \u00b7 followers indexed to the period start (= 100)",
                     subtitle=f"Index base: followers at the end of {', '.join(bases)} (the day before the period, "
                              "or the first day a platform's followers are known). Platforms without known "
                              "followers in the window are not drawn.")
    for i, (platform, points) in enumerate(sorted(series.items())):
        ax.plot([p[0] for p in points], [p[1] for p in points], label=platform, color=palette(colors)[i % 8],
                linewidth=1.6)
    ax.axhline(100, color="#999999", linewidth=0.6, linestyle=":")
    ax.set_ylabel("index", fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.autofmt_xdate()
    return png(fig)


def net_followers(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    days = sorted({r["metric_date"] for r in rows if r.get("followers_net") is not None})
    if not days:
        return None
    fig, ax = figure("Audience growth \u00b7 net followers per day (gained \u2212 lost)")
    platforms = sorted({r["platform"] for r in rows if r.get("followers_net") is not None})
    width = 0.8 / len(platforms)
    for i, platform in enumerate(platforms):
        values = {r["metric_date"]: r["followers_net"] for r in rows if r["platform"] == platform}
        xs = [j + i * width for j, d in enumerate(days) if values.get(d) is not None]
        ax.bar(xs, [values[d] for d in days if values.get(d) is not None], width=width,
               color=palette(colors)[i % 8], label=platform)
    step = max(len(days) // 8, 1)
    ax.set_xticks(list(range(0, len(days), step)), [days[j].isoformat()[5:] for j in range(0, len(days), step)])
    ax.axhline(0, color="#999999", linewidth=0.6)
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return png(fig)


def rate_trend(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    series: dict[str, list] = {}
    for row in rows:
        if row.get("engagement_rate") is not None:
            series.setdefault(row["platform"], []).append((row["week_start"], row["engagement_rate"],
                                                           row["is_partial"]))
    if not series:
        return None
    fig, ax = figure(f"{ACTIVITY} \u00b7 engagement rate per week (complete days)",
                     subtitle="Hollow points: weeks with partial data (not every account-day complete).")
    for i, (platform, points) in enumerate(sorted(series.items())):
        color = palette(colors)[i % 8]
        ax.plot([p[0] for p in points], [p[1] for p in points], color=color, linewidth=1.4, label=platform)
        partial = [p for p in points if p[2]]
        ax.scatter([p[0] for p in partial], [p[1] for p in partial], facecolors="white", edgecolors=color, s=14,
                   zorder=3)
    ax.set_ylabel("engagement rate %", fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.autofmt_xdate()
    return png(fig)


def yardsticks(rows: list[dict], colors: tuple[str, str]) -> bytes | None:
    """Platforms on equal terms: three yardsticks side by side, 'unknown' where a platform has no activity."""
    if not rows:
        return None
    window = next((f"{r['window_start']} \u2013 {r['window_end']}" for r in rows if r.get("window_start")), None)
    fig = Figure(figsize=(7.2, 2.8))
    fig.suptitle(f"{ACTIVITY} \u00b7 platforms on equal terms" + (f" ({window})" if window else ""), fontsize=10.5,
                 x=0.01, ha="left")
    measures = (("engagement_rate", "engagement rate %"), ("engagements_per_1000_views", "per 1,000 views"),
                ("engagements_per_1000_followers", "per 1,000 followers"))
    names = [r["platform"] for r in rows]
    for k, (column, label) in enumerate(measures):
        ax = fig.add_subplot(1, 3, k + 1)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=7)
        ax.set_title(label, fontsize=8)
        unknown_bars(ax, list(range(len(names))), [r.get(column) for r in rows], 0, 0.7,
                             palette(colors)[k], label)
        ax.set_xticks(list(range(len(names))), names, rotation=45, ha="right")
    fig.tight_layout()
    return png(fig)


# table → chart; "posting_times" draws its grid table (posting_grid)
CHARTS = {
    "daily_trend": charts.engagement_trend,
    "platforms": charts.platform_comparison,
    "platform_comparison": yardsticks,
    "top_posts": charts.top_content,
    "audience_growth": audience_growth,
    "engagement_trend": rate_trend,
    "posting_times": charts.posting_times,
    "formats": charts.format_performance,
    "posting_velocity": charts.posting_velocity,
}
EXTRA_CHARTS = {"audience_growth": net_followers}


def render_all(tables: dict, colors: tuple[str, str], budget=None) -> dict[str, list[bytes]]:
    """table name → its PNG charts, for every table that has a chart and data to draw."""
    out: dict[str, list[bytes]] = {}
    for name, draw in CHARTS.items():
        source = "posting_grid" if name == "posting_times" else name
        if name not in tables or source not in tables:
            continue
        if budget:
            budget.check_time(f"drawing the {name} chart")
        images = [draw(tables[source], colors)]
        if name in EXTRA_CHARTS:
            images.append(EXTRA_CHARTS[name](tables[source], colors))
        if any(images):
            out[name] = [image for image in images if image]
    return out

