"""Activity in the period (platforms, accounts, totals, daily trend, this vs previous period), with
followers at the period end and the content published in the period beside it.

Every activity number is a sum over the complete days of `marts.fct_account_metrics_daily`; a row
whose days are not all complete is marked `is_partial` and its note names the missing days. An
unknown value is None (empty in CSV, null in JSON, "—" in the PDF) with the reason in `note`.
"""

from __future__ import annotations

from reporting.metrics import change_pct, rate
from reporting.queries import activity, content
from reporting.sections.common import Ctx, join_notes

ACTIVITY_METRICS = ("views", "likes", "comments", "shares", "saves", "clicks", "reach", "impressions",
                    "engagements", "watch_time_minutes")
CONTENT_COLUMNS = {"views": "content_views", "engagements": "content_engagements",
                   "engagement_rate": "content_engagement_rate"}


def activity_values(act: dict | None, metrics: list[str]) -> dict:
    known = bool(act and act["known_days"])
    out = {}
    for m in metrics:
        if m in ACTIVITY_METRICS:
            out[m] = act[m] if known else None
        elif m == "engagement_rate":
            out[m] = rate(act["engagements"], act["rate_base"]) if known else None
    return out


def _unreported(values: dict, act: dict | None) -> str | None:
    missing = [m for m, v in values.items() if v is None and act and act["known_days"] and m in ACTIVITY_METRICS]
    return f"not reported at account level: {', '.join(missing)}" if missing else None


def content_values(pub: dict | None, metrics: list[str]) -> dict:
    out = {}
    if "posts_published" in metrics:
        out["posts_published"] = pub["posts"] if pub else 0
    for metric, column in CONTENT_COLUMNS.items():
        if metric in metrics:
            if not pub:
                out[column] = None
            elif metric == "engagement_rate":
                out[column] = rate(pub["engagements"], pub["rate_base"])
            else:  # views of a post = its rate base (LinkedIn: impressions), as in the activity view
                out[column] = pub["rate_base" if metric == "views" else metric]
    if pub and any(c in out for c in CONTENT_COLUMNS.values()):
        out["content_as_of"] = pub["data_as_of"]
    return out


def _account_followers(row: dict) -> dict:
    tracked = f"tracked from {row['followers_from']}" if row["followers_from"] else "never reported"
    end, start = row["end_followers"], row["start_followers"]
    return {"followers": end, "followers_as_of": row["end_date"],
            "followers_net": end - start if end is not None and start is not None else None,
            "followers_note": None if end is not None else f"followers unknown at the period end ({tracked})",
            "net_note": None if end is None or start is not None else f"net followers unknown ({tracked})"}


def followers_by(rows: list[dict], key) -> dict[str, dict]:
    """Followers at the period end (Σ of the accounts' last known values) and net change, per group."""
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(key(row), []).append((row, _account_followers(row)))
    out = {}
    for name, members in groups.items():
        known = [f for _, f in members if f["followers"] is not None]
        nets = [f["followers_net"] for _, f in members if f["followers_net"] is not None]
        if len(members) == 1:
            note = join_notes(members[0][1]["followers_note"], members[0][1]["net_note"])
        else:
            note = join_notes(*(f"{r['account_name']}: {f['followers_note'] or f['net_note']}" for r, f in members
                                if f["followers_note"] or f["net_note"]))
        out[name] = {"followers": sum(f["followers"] for f in known) if known else None,
                     "followers_as_of": max((f["followers_as_of"] for f in known), default=None),
                     "followers_net": sum(nets) if nets else None, "followers_note": note}
    return out


def _row(ctx: Ctx, act, pub, fol, coverage_note) -> dict:
    values = activity_values(act, ctx.metrics)
    row = dict(values)
    if "followers" in ctx.metrics:
        row["followers"] = fol["followers"] if fol else None
        row["followers_as_of"] = fol["followers_as_of"] if fol else None
    if "followers_net" in ctx.metrics:
        row["followers_net"] = fol["followers_net"] if fol else None
    row.update(content_values(pub, ctx.metrics))
    days, known = (act["account_days"], act["known_days"]) if act else (0, 0)
    row.update({"complete_through": act["complete_through"] if act else None, "complete_days": known,
                "days": days, "is_partial": known < days})
    followers_note = fol["followers_note"] if fol and ({"followers", "followers_net"} & set(ctx.metrics)) else None
    if ctx.by_posts and days and not known:  # post filters: only post-level days count (from the second sync on)
        coverage_note = "activity unknown: no post-level daily values in the period (post filters)"
    row["note"] = join_notes(coverage_note if known < days else None, _unreported(values, act), followers_note)
    return row


def platforms(ctx: Ctx, coverage: dict) -> list[dict]:
    acts = ctx.keyed(activity.by_group("platform", ctx.by_posts))
    pubs = ctx.keyed(content.by_group("platform"))
    fols = followers_by(ctx.rows(activity.FOLLOWERS), key=lambda r: r["platform"])
    notes = {r["platform"]: r["note"] for r in coverage["rows"] if r["level"] == "platform"}
    return [{"platform": p, **_row(ctx, acts.get(p), pubs.get(p), fols.get(p), notes[p])} for p in notes]


def accounts(ctx: Ctx, coverage: dict) -> list[dict]:
    acts = ctx.keyed(activity.by_group("account", ctx.by_posts))
    pubs = ctx.keyed(content.by_group("account"))
    fols = followers_by(ctx.rows(activity.FOLLOWERS), key=lambda r: r["account_key"])
    return [{"platform": a["platform"], "account_id": a["account_id"], "account_name": a["account_name"],
             **_row(ctx, acts.get(key), pubs.get(key), fols.get(key), a["note"])}
            for key, a in coverage["accounts"].items()]


def totals(ctx: Ctx, coverage: dict) -> dict:
    act = ctx.keyed(activity.by_group("all", ctx.by_posts)).get("all")
    pub = ctx.keyed(content.by_group("all")).get("all")
    ends = ctx.rows(activity.FOLLOWERS)
    fol = followers_by(ends, key=lambda r: "all").get("all")
    unknown = sum(1 for r in ends if r["end_followers"] is None)
    if fol and unknown:
        fol["followers_note"] = f"followers unknown at the period end for {unknown} of {len(ends)} account(s) " \
                                "(see accounts and Data coverage)"
    partial = [f"{r['platform']} ({r['complete_days']} of {r['period_days']} account-days)"
               for r in coverage["rows"] if r["level"] == "platform" and r["is_partial"]]
    note = f"partial: activity over complete days only; {', '.join(partial)}" if partial else None
    return _row(ctx, act, pub, fol, note)


def daily_trend(ctx: Ctx) -> list[dict]:
    out = []
    for row in ctx.rows(activity.daily(ctx.by_posts)):
        values = activity_values(row | {"known_days": row["accounts_known"]},
                                 [m for m in ctx.metrics if m in ACTIVITY_METRICS or m == "engagement_rate"])
        partial = row["accounts_known"] < row["accounts_active"]
        out.append({"metric_date": row["metric_date"], **values, "accounts_reporting": row["accounts_known"],
                    "accounts": row["accounts_active"], "is_partial": partial,
                    "note": f"partial: {row['accounts_known']} of {row['accounts_active']} accounts reported"
                    if partial else None})
    return out


def comparison(ctx: Ctx, totals_row: dict) -> list[dict]:
    """This period vs the previous one, like for like (the same account-days known in both)."""
    params = ctx.params
    pair = ctx.keyed(activity.compared("all", ctx.by_posts)).get("all")
    act = ctx.keyed(activity.by_group("all", ctx.by_posts)).get("all") or {"account_days": 0}
    now, before = ctx.rows(activity.FOLLOWERS), ctx.rows(activity.FOLLOWERS, ctx.previous)
    pubs = [ctx.keyed(content.by_group("all"), p).get("all") for p in (params, ctx.previous)]
    basis = f"like for like: {pair['compared_days'] if pair else 0} of {act['account_days']} account-days known " \
            "in both periods"
    out = []
    for metric in ctx.metrics:
        current = totals_row.get(metric)
        if metric in ACTIVITY_METRICS or metric == "engagement_rate":
            if not pair:
                cur = prev = None
            elif metric == "engagement_rate":
                cur, prev = rate(pair["cur_engagements"], pair["cur_rate_base"]), rate(
                    pair["prev_engagements"], pair["prev_rate_base"])
            else:
                cur, prev = pair[f"cur_{metric}"], pair[f"prev_{metric}"]
            view = "activity"
        elif metric == "posts_published":
            cur, prev = (p["posts"] if p else 0 for p in pubs)
            view = "content"
        else:
            cur, prev, n = followers_compared(metric, now, before)
            view = "followers"
        why = basis if view == "activity" else "all posts published" if view == "content" else \
            f"{n} account(s) known at both period ends"
        change = None if cur is None or prev is None else round(cur - prev, 4)
        out.append({"metric": metric, "view": view, "current": current, "compared_current": cur,
                    "previous": prev, "change": change, "change_pct": change_pct(cur, prev), "basis": why})
    return out


def followers_compared(metric: str, now: list[dict], before: list[dict]):
    ends = {r["account_key"]: r for r in before}
    field = "followers" if metric == "followers" else "followers_net"
    pairs = []
    for row in now:
        a, b = _account_followers(row)[field], _account_followers(ends[row["account_key"]])[field]
        if a is not None and b is not None:
            pairs.append((a, b))
    if not pairs:
        return None, None, 0
    return sum(a for a, _ in pairs), sum(b for _, b in pairs), len(pairs)
