"""The reference pipeline: the marts a pipeline that gets every rule right would hold.

Built from the same 12:00 readings the connectors make (reference_readings: the documented
cadences) by linear interpolation of the lifetimes (tests/truth_harness.estimated_days).
test_a_reference_pipeline_passes_every_check runs every check on these marts: the tolerances
(world.py) are what such a pipeline achieves. Check d3 also uses reference_readings.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from tests.ground_truth.world import (
    D0,
    FIRST_SYNC,
    FULL_REFRESH,
    LAST_DAY,
    LAST_SYNC,
    METRICS,
    POST_SUM_SOURCE,
    STORY_HOURS,
    SYNCS,
    Account,
    TruthSide,
    is_recent,
)
from tests.truth_harness import estimated_days


def reference_readings(account: Account, post) -> list[int]:
    """Sync indexes at which a connector following the documented cadences reads the post."""
    seen = [k for k, moment in enumerate(SYNCS) if moment >= post.published_at]
    if post.format == "story":
        return [k for k in seen if SYNCS[k] < post.published_at + timedelta(hours=STORY_HOURS)]
    return [k for k in seen if is_recent(account, post, SYNCS[k]) or k % FULL_REFRESH.days == 0]


def reference_marts(world: TruthSide) -> dict[str, list[dict]]:
    """What a pipeline that gets every rule right would hold, from the same API readings."""
    out: dict[str, list[dict]] = defaultdict(list)
    for account in world.accounts:
        ids = {"platform": account.platform, "account_id": account.account_id}
        post_sums: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for pid, post in world.posts[account.key].items():
            row_ids = {**ids, "post_id": pid}
            out["posts"].append({**row_ids, "published_at": post.published_at})
            readings = reference_readings(account, post)
            if not readings:
                continue
            lives = world.lifetimes[account.key]
            if account.platform == "youtube":
                truth = dict(lives[readings[-1]][pid])
                days = world.truth.all_post_days("youtube", account.account_id, None, LAST_DAY, only=pid)[pid]
                reported = world.truth.reported_through("youtube", LAST_SYNC)
                truth["shares"] = sum(r["shares"] for r in days if r["date"] <= reported)
                out["lifetimes"].append({**row_ids, **{m: truth[m] for m in METRICS}})
                out["baselines"].append({**row_ids, "tracked_since": None,
                                         **{f"baseline_{m}": None for m in METRICS if m != "impressions"}})
                for r in days:
                    if r["date"] <= reported:
                        out["post_days"].append({**row_ids, "metric_date": r["date"], **{m: r[m] for m in METRICS}})
                        out["post_day_flags"].append({**row_ids, "metric_date": r["date"], "is_estimated": False})
                continue
            truth = lives[readings[-1]][pid]
            out["lifetimes"].append({**row_ids, **{m: truth[m] for m in METRICS}})
            first_day = D0 + timedelta(days=1) if post.published_at < FIRST_SYNC else post.published_at.date()
            baseline_row = {**row_ids, "tracked_since": SYNCS[readings[0]]}
            day_rows: dict[date, dict] = {}
            for m in METRICS:
                if truth[m] is None:
                    baseline_row[f"baseline_{m}"] = None
                    continue
                baseline, days = estimated_days(post.published_at, [(SYNCS[k], lives[k][pid][m]) for k in readings],
                                                first_day)
                if m != "impressions":
                    baseline_row[f"baseline_{m}"] = baseline
                for day, value in days.items():
                    day_rows.setdefault(day, {m2: None for m2 in METRICS})[m] = value
                    post_sums[day][m] += value
            out["baselines"].append(baseline_row)
            for day, values in day_rows.items():
                out["post_days"].append({**row_ids, "metric_date": day, **values})
                out["post_day_flags"].append({**row_ids, "metric_date": day, "is_estimated": True})
        first, last = world.complete_days(account)
        source = "platform" if account.daily_api else POST_SUM_SOURCE
        out["coverage"].append({**ids, "complete_through": last, "activity_source": source,
                                "followers_source": "platform", "tracked_since": FIRST_SYNC})
        for day in sorted(world.days[account.key]):
            truth_day = world.days[account.key][day]
            if account.daily_api:
                if day < first or day > last:
                    continue
                values = {"views": truth_day.views, "impressions": truth_day.impressions,
                          "engagements": truth_day.engagements, "followers": truth_day.followers}
            else:
                if day < D0:
                    continue
                sums = post_sums.get(day)
                sync = SYNCS[(day - D0).days]  # the day's user snapshot (12:00)
                values = {"views": sums and sums["views"], "impressions": sums and sums["impressions"],
                          "engagements": sums and sums["likes"] + sums["comments"] + sums["shares"],
                          "followers": world.truth.account(*account.key).followers(sync)}
                if account.platform != "x":
                    values["impressions"] = None
            out["account_days"].append({**ids, "metric_date": day, **values})
            out["account_day_flags"].append({**ids, "metric_date": day, "is_complete": first <= day <= last,
                                             "activity_source": source})
    return dict(out)
