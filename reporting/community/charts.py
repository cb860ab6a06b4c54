"""Charts of the community reports (matplotlib object API, Agg; the social reports' `figure`/`png`).

Each function returns PNG bytes or None when its table has nothing to draw. Unknown days are left
out of lines (a gap) and named "no data" on the axis, never drawn as 0.
"""

from __future__ import annotations

from datetime import timedelta

from matplotlib.dates import AutoDateLocator, DateFormatter

from reporting.charts import PALETTE, WEEKDAY_SHORT, figure, png
from reporting.community.definitions import effectiveness_pct

MAX_COMMUNITIES = 8


def _day_axis(ax, days: list) -> None:
    """Every day of the report on the axis (days without data stay visible as gaps)."""
    ax.set_xlim(days[0] - timedelta(hours=12), days[-1] + timedelta(hours=12))
    ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=10, interval_multiples=True))
    ax.xaxis.set_major_formatter(DateFormatter("%d %b"))


def _label(row: dict) -> str:
    return row.get("community_name") or row["community_id"]


def _by_community(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(_label(row), []).append(row)
    return dict(list(out.items())[:MAX_COMMUNITIES])


def online_members(trend: list[dict], colors) -> bytes | None:
    """Average (solid) and peak (dashed) online members per community and day."""
    if not any(r["avg_online_members"] is not None for r in trend):
        return None
    fig, ax = figure("Online members per day \u00b7 average (solid) and peak (dashed)",
                     subtitle="Online = a heartbeat or activity within the last 300 s; 5-minute samples, UTC days. "
                              "Gaps: days without data.")
    for i, (name, rows) in enumerate(_by_community(trend).items()):
        color = [colors[0], colors[1], *PALETTE[2:]][i % len(PALETTE)]
        days = [r["day"] for r in rows]
        ax.plot(days, [r["avg_online_members"] for r in rows], color=color, marker="o", markersize=2.5,
                label=name)
        ax.plot(days, [r["peak_online_members"] for r in rows], color=color, linestyle="--", linewidth=0.9)
    ax.set_ylabel("members", fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    _day_axis(ax, sorted({r["day"] for r in trend}))
    fig.autofmt_xdate()
    return png(fig)


def heatmaps(cells: list[dict]) -> list[bytes]:
    """One weekday × hour heatmap of mean online members per community."""
    images = []
    for name, rows in _by_community(cells).items():
        grid = [[float("nan")] * 24 for _ in range(7)]
        for row in rows:
            if row["online_members_avg"] is not None:
                grid[row["weekday"] - 1][row["hour_of_day"]] = row["online_members_avg"]
        fig, ax = figure(f"{name} \u00b7 online members by weekday and hour (mean per hour)", size=(7.2, 2.4),
                         subtitle="Weekday and hour in the workspace's time zone (tidemark.yaml); \u25cf peak hours; blank: no "
                                  "hour of that slot in the report's days.")
        image = ax.imshow(grid, aspect="auto", cmap="YlGnBu", vmin=0)
        for row in rows:
            if row["is_peak_hour"]:
                ax.plot(row["hour_of_day"], row["weekday"] - 1, marker="o", color="#E07A5F", markersize=3)
        ax.set_yticks(range(7), WEEKDAY_SHORT)
        ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
        fig.colorbar(image, ax=ax, fraction=0.03, label="members")
        images.append(png(fig))
    return images


def online_by_hour(rows: list[dict], colors) -> bytes | None:
    if not rows:
        return None
    fig, ax = figure(f"Online members by hour of {rows[0]['hour_start'][:10]} (UTC) \u00b7 average (solid), "
                     "peak (dashed)")
    for i, (name, mine) in enumerate(_by_community(rows).items()):
        color = [colors[0], colors[1], *PALETTE[2:]][i % len(PALETTE)]
        hours = [r["hour_utc"] for r in mine]
        ax.plot(hours, [r["online_members_avg"] for r in mine], color=color, marker="o", markersize=2, label=name)
        ax.plot(hours, [r["online_members_peak"] for r in mine], color=color, linestyle="--", linewidth=0.9)
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel("hour (UTC)", fontsize=8)
    ax.legend(fontsize=7, frameon=False, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return png(fig)


def retention(rows: list[dict]) -> bytes | None:
    """Cohorts (community · week) × weeks since joining, coloured by retention rate."""
    known = [r for r in rows if r["retention_rate"] is not None]
    if not known:
        return None
    cohorts = list(dict.fromkeys((_label(r), str(r["cohort_week"])) for r in known))
    weeks = max(r["weeks_since_join"] for r in known) + 1
    grid = [[float("nan")] * weeks for _ in cohorts]
    for r in known:
        grid[cohorts.index((_label(r), str(r["cohort_week"])))][r["weeks_since_join"]] = r["retention_rate"]
    fig, ax = figure("Retention by weekly join cohort \u00b7 % of the cohort active N weeks after joining",
                     size=(7.2, 0.28 * len(cohorts) + 1.4), subtitle="Recurring retention (rolling retention in "
                                                                       "retention.csv); blank: week not reached yet.")
    image = ax.imshow(grid, aspect="auto", cmap="Greens", vmin=0, vmax=100)
    for y, line in enumerate(grid):
        for x, value in enumerate(line):
            if value == value:  # not NaN
                ax.text(x, y, f"{value:.0f}", ha="center", va="center", fontsize=6)
    ax.set_yticks(range(len(cohorts)), [f"{name} \u00b7 {week}" for name, week in cohorts], fontsize=7)
    ax.set_xticks(range(weeks), [f"W{w}" for w in range(weeks)])
    fig.colorbar(image, ax=ax, fraction=0.03, label="%")
    return png(fig)


def geo_trend(trend: list[dict], colors) -> bytes | None:
    """All communities: allowed and blocked attempts per day (bars) and effectiveness (line)."""
    days = sorted({r["day"] for r in trend})
    per_day = {d: [r for r in trend if r["day"] == d and r["attempts"] is not None] for d in days}
    if not any(per_day.values()):
        return None
    fig, ax = figure("Geo access attempts per day \u00b7 allowed and blocked (bars), effectiveness % (line)",
                     subtitle="All communities; UTC days. No bar: no data that day.")
    known = [d for d in days if per_day[d]]
    blocked = [sum(r["blocked"] for r in per_day[d]) for d in known]
    allowed = [sum(r["allowed"] for r in per_day[d]) for d in known]
    ax.bar(known, allowed, color=colors[1], label="allowed")
    ax.bar(known, blocked, bottom=allowed, color=colors[0], label="blocked")
    rate_ax = ax.twinx()
    rates = [effectiveness_pct(b, a + b) for a, b in zip(allowed, blocked, strict=True)]
    rate_ax.plot(known, [float("nan") if r is None else r for r in rates], color="#E07A5F", marker="o",
                 markersize=2, label="effectiveness %")
    rate_ax.set_ylim(0, 100)
    rate_ax.set_ylabel("effectiveness %", fontsize=8)
    rate_ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, frameon=False, loc="upper left")
    _day_axis(ax, days)
    fig.autofmt_xdate()
    return png(fig)


def top_blocked(rows: list[dict], colors) -> bytes | None:
    rows = sorted(rows, key=lambda r: -r["blocked"])[:12][::-1]
    if not rows:
        return None
    fig, ax = figure("Most blocked locations \u00b7 blocked attempts in the report's days",
                     size=(7.2, 0.3 * len(rows) + 1.2))
    labels = [f"{_label(r)}: {r['city'] or '?'}, {r['country']}" for r in rows]
    ax.barh(labels, [r["blocked"] for r in rows], color=colors[0])
    ax.set_xlabel("blocked attempts", fontsize=8)
    return png(fig)
