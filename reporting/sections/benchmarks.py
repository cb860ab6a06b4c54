"""The benchmarking section of the comparison report: own accounts vs competitors
(`marts.mart_competitor_benchmarks`, written by the insights layer) for the ISO week and the month
that contain the period's last day, on the platforms in scope that have competitors.

Public APIs give competitors' current counts only: growth is empty until two snapshots, engagement
is on the counters each platform makes public (engagement_base), and a competitor that disappeared
is listed with its status (docs/insights-benchmarks.md).
"""

from __future__ import annotations

from reporting.sections.common import Ctx

TABLE = "marts.mart_competitor_benchmarks"
QUERY = f"""
    select grain, period_start, period_end, platform, account_id, account_name, is_competitor, status,
           followers, follower_growth, follower_growth_pct, posts, posts_per_week, engagement_per_post,
           engagement_rate, engagement_base, format_mix::text as format_mix, disappeared_on
    from {TABLE}
    where %(end)s between period_start and period_end
      and (%(platforms)s::text[] is null or platform = any(%(platforms)s))
      and (is_competitor or %(accounts)s::text[] is null or account_id = any(%(accounts)s))
      and (is_competitor or %(workspace)s::text is null or workspace_id = %(workspace)s::text)
      and (not is_competitor or %(competitors)s::text[] is null or account_id = any(%(competitors)s))
      and platform in (select platform from {TABLE} where is_competitor
                       and (%(competitors)s::text[] is null or account_id = any(%(competitors)s)))
    order by grain desc, platform, is_competitor, engagement_rate desc nulls last, account_id
"""


def build(ctx: Ctx) -> dict[str, list[dict]]:
    """{'benchmarks': rows}; the status in words goes to ctx.notes['benchmarks']."""
    if not ctx.exists(TABLE):
        ctx.notes["benchmarks"] = {"status": "absent", "message": "Competitor benchmarking has not run yet "
                                                                  f"({TABLE} does not exist)."}
        return {"benchmarks": []}
    rows = ctx.rows(QUERY)
    gone = sorted({r["account_id"] for r in rows if r["status"] != "ok"})
    rivals = {r["account_id"] for r in rows if r["is_competitor"]}
    message = (f"{len(rivals)} competitor(s) benchmarked." if rivals else
               "No competitor listed in tidemark.yaml (`competitors:` per platform).")
    if gone:
        message += f" No longer found (deleted or renamed): {', '.join(gone)}."
    ctx.notes["benchmarks"] = {"status": "ok", "message": message}
    return {"benchmarks": rows}
