"""The comparison report's sections: platforms side by side on equal terms, and each platform's
period against the previous one like for like.

Equal terms: every platform is measured over the same days — the period's days up to the earliest
complete-through date of the accounts in scope that have one — and by the same yardsticks: per
post (content published in the period), per 1,000 followers, per 1,000 views (views for every
platform) and the engagement rate on each platform's own base. New sections (benchmarks, ROI)
are functions of the same shape added to `collect.SECTIONS`; a section with no rows is not printed.
"""

from __future__ import annotations

from reporting.metrics import change_pct, per, rate
from reporting.queries import activity, content
from reporting.sections.activity import followers_by, followers_compared
from reporting.sections.common import Ctx, join_notes
from reporting.sections.content import best_formats, platform_formats


def common_window(coverage: dict, params: dict):
    """(start, end): the period's days complete for every account with account-level activity — from the
    latest start of their daily history to the earliest complete-through date — or None."""
    accounts = [a for a in coverage["accounts"].values() if a["complete_through"] and a["activity_from"]]
    if not accounts:
        return None
    start = max(params["start"], *(a["activity_from"] for a in accounts))
    end = min(params["end"], *(a["complete_through"] for a in accounts))
    return (start, end) if end >= start else None


def platform_comparison(ctx: Ctx, coverage: dict) -> list[dict]:
    window = common_window(coverage, ctx.params)
    params = ctx.params | ({"start": window[0], "end": window[1]} if window else {})
    acts = ctx.keyed(activity.by_group("platform", ctx.by_posts), params) if window else {}
    ends = ctx.rows(activity.FOLLOWERS, params)
    fols = followers_by(ends, key=lambda r: r["platform"])
    per_follower = _per_follower(ctx.keyed(activity.by_group("account", ctx.by_posts), params) if window else {},
                                 ends)
    pubs = ctx.keyed(content.by_group("platform"))
    best = best_formats(platform_formats(ctx))
    platforms = [r["platform"] for r in coverage["rows"] if r["level"] == "platform"]
    out = []
    for platform in platforms:
        act, fol, pub = acts.get(platform), fols.get(platform, {}), pubs.get(platform)
        known = bool(act and act["known_days"])
        views, engagements = (act["views"], act["engagements"]) if known else (None, None)
        followers = fol.get("followers")
        partial = act is not None and act["known_days"] < act["account_days"]
        out.append({
            "platform": platform, "window_start": window[0] if window else None,
            "window_end": window[1] if window else None,
            "views": views, "engagements": engagements,
            "engagement_rate": rate(engagements, act["rate_base"]) if known else None,
            "engagements_per_1000_views": per(engagements, views),
            "followers": followers, "engagements_per_1000_followers": per_follower.get(platform),
            "posts_published": pub["posts"] if pub else 0,
            "engagements_per_post": per(pub["engagements"], pub["posts"], 1, 2) if pub else None,
            "views_per_post": per(pub["rate_base"], pub["posts"], 1, 2) if pub else None,
            "content_engagement_rate": rate(pub["engagements"], pub["rate_base"]) if pub else None,
            "best_format": best.get(platform),
            "complete_days": act["known_days"] if act else 0, "days": act["account_days"] if act else 0,
            "note": join_notes(
                None if window else "no day of the period is complete for every platform yet",
                "activity unknown in the window (see Data coverage)" if window and not known else None,
                f"partial: activity known on {act['known_days']} of {act['account_days']} account-days"
                if known and partial else None,
                fol.get("followers_note") if known else None),
        })
    return out


def _per_follower(accounts: dict, ends: list[dict]) -> dict[str, float]:
    """platform → engagements per 1,000 followers over the accounts whose activity and followers are both known."""
    sums: dict[str, list] = {}
    for row in ends:
        act = accounts.get(row["account_key"])
        if act and act["known_days"] and act["engagements"] is not None and row["end_followers"]:
            pair = sums.setdefault(row["platform"], [0, 0])
            pair[0] += act["engagements"]
            pair[1] += row["end_followers"]
    return {platform: per(e, f) for platform, (e, f) in sums.items()}


def period_comparison(ctx: Ctx) -> list[dict]:
    """Per platform: this period vs the previous one over the account-days known in both."""
    pairs = ctx.keyed(activity.compared("platform", ctx.by_posts))
    acts = ctx.keyed(activity.by_group("platform", ctx.by_posts))
    now, before = ctx.rows(activity.FOLLOWERS), ctx.rows(activity.FOLLOWERS, ctx.previous)
    posts_now = ctx.keyed(content.by_group("platform"))
    posts_before = ctx.keyed(content.by_group("platform"), ctx.previous)
    out = []
    for platform, act in acts.items():
        pair = pairs.get(platform)
        cur_rate = rate(pair["cur_engagements"], pair["cur_rate_base"]) if pair else None
        prev_rate = rate(pair["prev_engagements"], pair["prev_rate_base"]) if pair else None
        members = [r for r in now if r["platform"] == platform]
        f_now, f_before, with_followers = followers_compared("followers", members, before)
        p_now = posts_now[platform]["posts"] if platform in posts_now else 0
        p_before = posts_before[platform]["posts"] if platform in posts_before else 0
        compared = pair["compared_days"] if pair else 0
        out.append({
            "platform": platform,
            "views": pair["cur_views"] if pair else None, "previous_views": pair["prev_views"] if pair else None,
            "views_change_pct": change_pct(pair["cur_views"], pair["prev_views"]) if pair else None,
            "engagements": pair["cur_engagements"] if pair else None,
            "previous_engagements": pair["prev_engagements"] if pair else None,
            "engagements_change_pct": change_pct(pair["cur_engagements"], pair["prev_engagements"]) if pair
            else None,
            "engagement_rate": cur_rate, "previous_engagement_rate": prev_rate,
            "engagement_rate_change_pt": round(cur_rate - prev_rate, 4) if cur_rate is not None
            and prev_rate is not None else None,
            "posts_published": p_now, "previous_posts_published": p_before,
            "followers": f_now, "previous_followers": f_before,
            "compared_days": compared, "days": act["account_days"],
            "is_comparable": compared == act["account_days"],
            "note": join_notes(
                None if compared == act["account_days"] else
                f"like for like on {compared} of {act['account_days']} account-days (days unknown in either "
                "period are left out of both)" if compared else "no account-day known in both periods",
                f"followers: {with_followers} of {len(members)} account(s) known at both period ends"
                if with_followers < len(members) else None),
        })
    return out
