"""The recommendations section of the performance report: the latest run's insights for the accounts in
scope (`marts.mart_insights`, written by the insights layer after each transform;
docs/insights-recommendations.md), surest first. Each row says the claim in words, its confidence in
words and as a score, the evidence in short (sample sizes, effect and 95 % interval) and until when it
holds. Insights are not bound to the report period: they are the latest run's, read on their own dates.
Post filters (formats, hashtags) do not apply — an insight is about an account, not about a post set.
"""

from __future__ import annotations

import json

from reporting.insights import UNKNOWN
from reporting.queries.scope import SCOPED
from reporting.sections.common import Ctx

TABLE = "marts.mart_insights"
TABLES = ("recommendations",)
COLUMNS = ("platform", "account_id", "account_name", "insight_type", "text", "confidence", "confidence_label",
           "confidence_score", "evidence", "generated_at", "valid_until", "method", "insight_id", "insight_data")
# a platform-level row (no account) is in scope when its platform is and no account filter is set
INSIGHTS = f"""
    with {SCOPED}
    select i.platform, i.account as account_id, s.account_name, i.insight_type, i.text, i.confidence_label,
           i.confidence_score, i.generated_at, i.valid_until, i.method, i.insight_id, i.insight_data
    from marts.mart_insights as i
    left join scoped as s on s.platform = i.platform and s.account_id = i.account
    where s.account_id is not null
       or (i.account is null and %(accounts)s::text[] is null
           and (%(workspace)s::text is null or i.workspace_id = %(workspace)s::text)
           and (%(platforms)s::text[] is null or i.platform = any(%(platforms)s::text[])))
    order by i.confidence_score desc, i.insight_type, i.platform, i.account nulls first, i.insight_id
"""
DEFINITIONS = {
    "recommendation": "A claim about an account's posts a creator can act on (best posting time, trending hashtag, "
                      "audience shift, format, length, posting frequency, an over/under-performing post, a follower "
                      "milestone), from marts.mart_insights; docs/insights-recommendations.md.",
    "recommendation confidence": "The probability (0–1) that the claimed effect is real and points the claimed way "
                                 "(bootstrap over posts, shrunk by a prior in which half of all choices make no "
                                 "difference): high ≥ 0.9, medium ≥ 0.7, low below. Measured: claims at confidence c "
                                 "are right about c of the time.",
    "recommendation evidence": "The numbers behind a recommendation: posts compared (n vs baseline), the effect as a "
                               "ratio of engagement rates and its 95 % bootstrap interval (or the type's own numbers).",
    "valid_until": "The date after which a recommendation should be re-read from a newer run (7 or 28 days after it "
                   "was made, by type).",
}


def _ratio(d: dict) -> str:
    return f"{d['ratio']:.2f}× (95 % {d['ratio_low_95']:.2f}–{d['ratio_high_95']:.2f}×)"


def evidence(kind: str, d: dict) -> str:
    """The evidence of one insight in a few words: sample sizes, effect and interval."""
    if kind == "best_posting_time" and d.get("scope") == "prior":
        return f"{d['account_posts']} rated posts in {d['weeks']} weeks: too few, a default"
    if kind == "posting_frequency":
        return (f"{d['weeks']} weeks of {d['posts_per_week_min']}–{d['posts_per_week_max']} posts: {_ratio(d)} "
                "per extra post a week")
    if kind == "trending_hashtag":
        return f"{d['uses_recent']} uses vs {d['uses_previous']} before; {d['n']} posts vs {d['n_baseline']}: {_ratio(d)}"
    if "ratio_low_95" in d:
        pooled = "; platform pooled" if d.get("scope") == "platform" else ""
        return f"{d['n']} posts vs {d['n_baseline']}: {_ratio(d)}{pooled}"
    if kind == "audience_shift":
        spread = (f" ± {1.96 * d['se_points']:.1f}" if d.get("se_points") is not None else ", sample size unknown")
        return (f"{d['share_before_pct']:.1f} % → {d['share_after_pct']:.1f} % "
                f"({d['change_points']:+.1f} points{spread})")
    if kind == "over_under_performer":
        value, expected = (UNKNOWN if d[k] is None else f"{d[k]:,.0f}" for k in ("value", "expected"))
        return f"{d['metric']} {value} vs {expected} expected (robust z {d['score']:.1f})"
    if kind == "growth_milestone":
        late = d.get("latest_80") or f"after {d['horizon_end']}"
        return (f"P(reached by {d['horizon_end']}) {d['p_reach_within_horizon']:.2f}; 80 % dates "
                f"{d['earliest_80']} – {late}")
    return ""


def build(ctx: Ctx) -> dict[str, list[dict]]:
    """{'recommendations': rows}; the status goes to ctx.notes['recommendations']."""
    if not ctx.exists(TABLE):
        ctx.notes["recommendations"] = {"status": "absent", "message": (
            f"Recommendations have not been computed yet ({TABLE} does not exist).")}
        return {"recommendations": []}
    rows = []
    for row in ctx.rows(INSIGHTS):
        data = row["insight_data"]
        row |= {"confidence": f"{row['confidence_label']} ({row['confidence_score']:.2f})",
                "evidence": evidence(row["insight_type"], data),
                "insight_data": json.dumps(data, sort_keys=True)}  # one JSON text in every format
        rows.append({k: row[k] for k in COLUMNS})
    ctx.notes["recommendations"] = {"status": "ok", "message": _summary(rows)}
    return {"recommendations": rows}


def _summary(rows: list[dict]) -> str:
    if not rows:
        return "No recommendations for the accounts in scope yet."
    labels = {label: sum(1 for r in rows if r["confidence_label"] == label) for label in ("high", "medium", "low")}
    accounts = len({(r["platform"], r["account_id"]) for r in rows})
    made = min(r["generated_at"] for r in rows)
    return (f"{len(rows)} recommendation(s) for {accounts} account(s), made {made:%Y-%m-%d}: {labels['high']} high, "
            f"{labels['medium']} medium, {labels['low']} low confidence. Each holds until its valid_until date.")
