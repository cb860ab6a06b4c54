"""The recycling section of the performance report: per account in scope, the best older posts to
post again (`marts.mart_recycling_candidates`, written by the insights layer after each transform),
with each part of the evergreen score and the reason in words. The table has every candidate; the
PDF prints the first `PDF_ROWS` per account. Unknown parts stay empty (the PDF prints "—").
"""

from __future__ import annotations

from reporting.queries.scope import POST_FILTER, SCOPED
from reporting.sections.common import Ctx

TABLE = "marts.mart_recycling_candidates"
PDF_ROWS = 5
TABLES = ("recycling",)
COLUMNS = ("platform", "account_id", "account_name", "rank_in_account", "post_id", "title", "format",
           "published_at", "age_days", "score", "engagement_part", "still_arriving_part", "timeless_part",
           "last_ran_part", "parts_missing", "engagement_rate", "views_first_30d", "views_last_30d", "dated_words",
           "last_ran_date", "reason", "run_date")
CANDIDATES = f"""
    with {SCOPED}
    select s.account_name, r.*
    from marts.mart_recycling_candidates as r
    inner join scoped as s on s.platform = r.platform and s.account_id = r.account_id
    inner join marts.dim_posts as p on p.post_key = r.post_key
    where {POST_FILTER}
    order by r.platform, r.account_id, r.rank_in_account
"""
DEFINITIONS = {
    "evergreen score": "How worth recycling an older post is (0–1): the weighted mean of its known parts — "
                       "engagement percentile in the account, views still arriving, no dated words, time since it "
                       "last ran (docs/insights-recycling.md). An unknown part is left out, never counted as 0.",
    "still arriving": "Views of the last 30 complete days ÷ views of the post's first 30 days (capped at 1); "
                      "unknown where the platform has no per-post days before tracking began.",
}


def build(ctx: Ctx) -> dict[str, list[dict]]:
    """{'recycling': rows}; the status goes to ctx.notes['recycling']."""
    if not ctx.exists(TABLE):
        ctx.notes["recycling"] = {"status": "absent",
                                  "message": f"Recycling candidates have not been scored yet ({TABLE} does not exist)."}
        return {"recycling": []}
    rows = [{k: r[k] for k in COLUMNS} for r in ctx.rows(CANDIDATES)]
    accounts = len({(r["platform"], r["account_id"]) for r in rows})
    ctx.notes["recycling"] = {"status": "ok", "message": (
        f"{len(rows)} candidate(s) for {accounts} account(s), scored on {rows[0]['run_date']}." if rows
        else "No post old enough (or not resting after a recycling) to suggest.")}
    return {"recycling": rows}
