"""The comparison report's "ROI by platform": cost per 1,000 views, per engagement and per follower
gained of each platform, one row per month and currency (`marts.mart_roi`, written by the insights
layer from costs.yaml; docs/insights-roi.md).

ROI is monthly: the rows are the whole months the report period touches, not only its days, and
each says how many of its account-days are complete. A platform sums the accounts with a declared
cost; `accounts_without_cost` says how many have none. No cost declared prints as "—" with "no costs
declared", never 0. With an `accounts` filter the rows are those accounts' own rows.
"""

from __future__ import annotations

from reporting.sections.common import Ctx, title

TABLE = "marts.mart_roi"
TABLES = ("roi",)
NO_COSTS = "no costs declared"
DEFINITIONS = {
    "total_cost": "Declared costs of the month (costs.yaml): fixed + production per post × posts published + ad spend, "
                  "in the row's currency (never summed across currencies); — when no cost is declared",
    "cost_per_1000_views": "the cost of the month's complete days (total_cost × complete days ÷ days) ÷ their views "
                           "× 1,000",
    "cost_per_engagement": "the cost of the complete days ÷ their engagements (likes + comments + shares)",
    "cost_per_follower": "the cost of the complete days ÷ net followers gained over them; — when none were gained",
}
COLUMNS = ("month", "platform", "platform_title", "account_id", "currency", "total_cost", "fixed_cost",
           "production_cost", "ad_spend", "posts_published", "views", "engagements", "followers_gained",
           "cost_per_1000_views", "cost_per_engagement", "cost_per_follower", "accounts_with_cost",
           "accounts_without_cost", "complete_days", "days", "is_month_complete", "note")

ROWS = """
    select to_char(r.month, 'YYYY-MM') as month, r.platform, r.account_id, r.currency, r.total_cost, r.fixed_cost,
           r.production_cost, r.ad_spend, r.posts_published, r.views, r.engagements, r.followers_gained,
           r.cost_per_1000_views, r.cost_per_engagement, r.cost_per_follower, r.accounts_with_cost,
           r.accounts_without_cost, r.complete_days, r.days, r.is_month_complete, r.note
    from marts.mart_roi as r
    where r.month between date_trunc('month', %(start)s::date)::date and %(end)s::date
      and (%(platforms)s::text[] is null or r.platform = any(%(platforms)s::text[]))
      and (%(workspace)s::text is null or r.workspace_id = %(workspace)s::text)
      and (case when %(accounts)s::text[] is null then r.row_type = 'platform'
                else r.row_type = 'account' and r.account_id = any(%(accounts)s::text[]) end)
    order by r.month, r.platform, r.account_id nulls first, r.currency nulls last
"""


def build(ctx: Ctx) -> dict[str, list[dict]]:
    """{'roi': rows}; which months and days the rows cover goes to ctx.notes['roi']."""
    if not ctx.exists(TABLE):
        ctx.notes["roi"] = {"status": "absent", "message": f"ROI has not been computed yet ({TABLE} does not exist)."}
        return {"roi": []}
    rows = []
    for row in ctx.rows(ROWS):
        row["platform_title"] = title(row["platform"])
        if row["total_cost"] is None and not (row["note"] or "").startswith(NO_COSTS):
            row["note"] = f"{NO_COSTS}; {row['note']}" if row["note"] else NO_COSTS
        rows.append({k: row[k] for k in COLUMNS})
    ctx.notes["roi"] = {"status": "ok", "message": covered(rows, ctx.params)}
    return {"roi": rows}


def covered(rows: list[dict], params: dict) -> str:
    """'ROI is per whole month: 2026-10 (every day complete), 2026-11 (partial: …) …'"""
    period = f"{params['start']} to {params['end']}"
    if not rows:
        return f"No ROI rows for the months of {period}."
    months: dict[str, bool] = {}
    for row in rows:
        months[row["month"]] = months.get(row["month"], True) and bool(row["is_month_complete"])
    parts = [f"{month} ({'every day complete' if done else 'partial: complete_days of days per row'})"
             for month, done in months.items()]
    costed = sum(1 for r in rows if r["total_cost"] is not None)
    return (f"ROI is per whole month (complete days only), not only the period's days: the period {period} "
            f"touches {', '.join(parts)}. {costed} of {len(rows)} row(s) have declared costs; one row per "
            "currency (currencies are never added up).")
