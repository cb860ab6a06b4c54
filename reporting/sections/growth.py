"""The growth report's sections: follower growth per platform and account (net, rate, best and worst
days), audience growth indexed to the period start, the weekly engagement-rate trend and audience
quality (engagements per 100 followers, net followers per 1,000 views)."""

from __future__ import annotations

from datetime import timedelta

from reporting.metrics import change_pct, per, rate
from reporting.queries import activity
from reporting.sections.activity import followers_by
from reporting.sections.common import Ctx, join_notes


def _daily(ctx: Ctx) -> dict[str, list[dict]]:
    by_account: dict[str, list[dict]] = {}
    for row in ctx.rows(activity.FOLLOWERS_DAILY):
        by_account.setdefault(row["account_key"], []).append(row)
    return by_account


def _best_worst(days: dict) -> dict:
    known = {d: v for d, v in days.items() if v is not None}
    if not known:
        return {"best_day": None, "best_day_net": None, "worst_day": None, "worst_day_net": None}
    best = max(known, key=lambda d: (known[d], d))
    worst = min(known, key=lambda d: (known[d], d))
    return {"best_day": best, "best_day_net": known[best], "worst_day": worst, "worst_day_net": known[worst]}


def follower_growth(ctx: Ctx) -> list[dict]:
    """One row per platform, then its accounts: followers at both ends, net, rate, best and worst day."""
    start, end = ctx.params["start"], ctx.params["end"]
    ends = ctx.rows(activity.FOLLOWERS)
    daily = _daily(ctx)
    out = []
    for platform in dict.fromkeys(r["platform"] for r in ends):
        members = [r for r in ends if r["platform"] == platform]
        nets: dict = {}
        account_rows = []
        for row in members:
            net_days = {r["metric_date"]: r["followers_net"] for r in daily.get(row["account_key"], [])
                        if start <= r["metric_date"] <= end}
            account_rows.append(_growth_row("account", row, [row], net_days))
            for day, value in net_days.items():
                nets.setdefault(day, []).append(value)
        # a platform day counts when every account with followers in the period reports its net that day
        reporting = sum(1 for r in members if r["end_followers"] is not None)
        platform_days = {d: sum(v) for d, v in nets.items() if len(v) == reporting and None not in v}
        out += [_growth_row("platform", {"platform": platform, "account_id": None,
                                         "account_name": f"all {len(members)} account(s)"}, members, platform_days),
                *account_rows]
    return out


def _growth_row(level: str, label: dict, members: list[dict], net_days: dict) -> dict:
    both = [r for r in members if r["end_followers"] is not None and r["start_followers"] is not None]
    start = sum(r["start_followers"] for r in both) if both else None
    net = sum(r["end_followers"] - r["start_followers"] for r in both) if both else None
    summary = followers_by(members, key=lambda r: "all")["all"]
    return {"level": level, "platform": label["platform"], "account_id": label["account_id"],
            "account_name": label["account_name"], "followers_start": start, "followers_end": summary["followers"],
            "followers_as_of": summary["followers_as_of"], "followers_net": net,
            "growth_rate": change_pct(start + net, start) if both else None, **_best_worst(net_days),
            "days_with_net": sum(1 for v in net_days.values() if v is not None),
            "note": summary["followers_note"]}


def audience_growth(ctx: Ctx) -> list[dict]:
    """Followers per platform and day over the trend window, indexed to the period start (= 100).

    The base is the day before the period (followers at its start), or the first day on which the
    platform's followers are known; only the base's accounts are summed, so an account whose
    followers become known later never shows up as growth."""
    daily = _daily(ctx)
    base_day = ctx.params["start"] - timedelta(days=1)
    by_platform: dict[str, dict[str, dict]] = {}
    for key, rows in daily.items():
        by_platform.setdefault(rows[0]["platform"], {})[key] = {r["metric_date"]: r for r in rows}
    out = []
    for platform, accounts in sorted(by_platform.items()):
        candidates = sorted({d for days in accounts.values() for d, r in days.items()
                             if d >= base_day and r["followers"] is not None})
        if not candidates:
            continue
        known = {d: {k for k, days in accounts.items() if days.get(d, {}).get("followers") is not None}
                 for d in candidates}
        base = max(candidates, key=lambda d: (len(known[d]), -candidates.index(d)))
        members = known[base]
        base_sum = sum(accounts[k][base]["followers"] for k in members)
        window = sorted({d for k in members for d in accounts[k]})
        for day in window:
            rows = [accounts[k].get(day) for k in members]
            complete = all(r is not None and r["followers"] is not None for r in rows)
            followers = sum(r["followers"] for r in rows) if complete else None
            nets = [r["followers_net"] for r in rows if r is not None and r["followers_net"] is not None]
            out.append({"metric_date": day, "platform": platform, "accounts": len(members),
                        "followers": followers, "followers_net": sum(nets) if nets else None,
                        "index": per(followers, base_sum, 100, 3) if complete else None,
                        "index_base": base})
    return out


def engagement_trend(ctx: Ctx) -> list[dict]:
    """Engagement rate per platform and ISO week (activity, complete days only)."""
    out = []
    for row in ctx.rows(activity.weekly(ctx.by_posts)):
        known = row["known_days"]
        out.append({"week_start": row["week_start"], "platform": row["platform"],
                    "views": row["views"] if known else None, "engagements": row["engagements"] if known else None,
                    "engagement_rate": rate(row["engagements"], row["rate_base"]) if known else None,
                    "complete_days": known, "days": row["account_days"], "is_partial": known < row["account_days"]})
    return out


def audience_quality(ctx: Ctx, platform_rows: list[dict]) -> list[dict]:
    """Per platform: engagements per 100 followers, net followers per 1,000 views (same complete days)."""
    acts = ctx.keyed(activity.by_group("platform", ctx.by_posts))
    fols = followers_by(ctx.rows(activity.FOLLOWERS), key=lambda r: r["platform"])
    out = []
    for row in platform_rows:
        platform = row["platform"]
        act, fol = acts.get(platform), fols.get(platform, {})
        known = bool(act and act["known_days"])
        engagements, views = (act["engagements"], act["views"]) if known else (None, None)
        net = act["followers_net"] if known else None
        out.append({"platform": platform, "followers": fol.get("followers"), "engagements": engagements,
                    "engagements_per_100_followers": rate(engagements, fol.get("followers")),
                    "views": views, "followers_net_on_complete_days": net,
                    "net_followers_per_1000_views": per(net, views),
                    "complete_days": act["known_days"] if act else 0, "days": act["account_days"] if act else 0,
                    "note": join_notes(None if known else "activity unknown in the period (see Data coverage)",
                                       fol.get("followers_note"))})
    return out
