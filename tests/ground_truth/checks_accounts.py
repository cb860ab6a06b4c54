"""Checks of the account-level marts: a. account × day and e. coverage.

a0-a4: fct_account_metrics_daily against the truth's account days — platform-reported days exact
on complete days, followers within FOLLOWERS_RELATIVE (or exact / one rounding unit), summed-from-
posts accounts NULL before tracking and within POST_SUM_* after it.
e1-e3: mart_data_coverage — one row per account with its sources, complete_through as far as the
platform serves final, is_complete flags consistent with it.
Tolerances and their reasons: world.py.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

from tests.ground_truth.world import (
    ACCOUNT_DAY_TOLERANCE,
    D0,
    FIRST_SYNC,
    FOLLOWERS_RELATIVE,
    LAST_DAY,
    POST_SUM_DAY_SHARE_OF_MEAN,
    POST_SUM_SOURCE,
    POST_SUM_WINDOW_SHARE,
    Account,
    Marts,
    TruthSide,
    magnitude,
    pct,
)
from tests.truth_harness import Checks, expect, expect_none


# --- a. account × day ---------------------------------------------------------------------------------
def complete_day_sets(checks: Checks, marts: Marts, world: TruthSide) -> dict[tuple, set[date]]:
    """Days each account's row says are complete (`is_complete`); the expected days while the column is missing."""
    with checks.check("a0. fct_account_metrics_daily has is_complete and activity_source"):
        marts["account_day_flags"]
    out = {}
    for account in world.accounts:
        try:
            out[account.key] = {r["metric_date"] for r in marts["account_day_flags"]
                                if (r["platform"], r["account_id"]) == account.key and r["is_complete"]}
        except Exception:  # noqa: BLE001 — reported by a0; compare on the days that should be complete
            first, last = world.complete_days(account)
            out[account.key] = {first + timedelta(days=i) for i in range((last - first).days + 1)}
    return out


def check_account_days(checks: Checks, marts: Marts, world: TruthSide, complete: dict) -> None:
    platform_days = [a for a in world.accounts if a.daily_api]
    post_sum = [a for a in world.accounts if not a.daily_api]

    def rows(account: Account) -> list[dict]:
        return [r for r in marts["account_days"] if (r["platform"], r["account_id"]) == account.key]

    for column in ("views", "impressions", "engagements"):
        with checks.check(f"a1. platform account days: {column} exact on complete days"):
            bad, compared = [], 0
            for account in platform_days:
                days = world.days[account.key]
                for r in rows(account):
                    truth = days.get(r["metric_date"])
                    if r["metric_date"] not in complete[account.key] or truth is None:
                        continue
                    want = getattr(truth, column)
                    if want is None:
                        continue
                    compared += 1
                    if r[column] is None or abs(r[column] - want) > ACCOUNT_DAY_TOLERANCE:
                        bad.append({"platform": account.platform, "date": r["metric_date"], "mart": r[column],
                                    "truth": want, "off_pct": pct(r[column], want)})
            expect(compared >= 14 * len(platform_days), f"only {compared} complete account days compared")
            expect_none(_nulls_folded(bad), f"complete account days with wrong {column}",
                        key=lambda b: magnitude(b.get("off_pct")), total=compared, raw=bad)

    with checks.check("a2. followers at the end of each day (FOLLOWERS_* tolerances)"):
        bad, compared = [], 0
        for account in world.accounts:
            days = world.days[account.key]
            for r in rows(account):
                truth = days.get(r["metric_date"])
                if r["followers"] is None or truth is None or r["metric_date"] >= LAST_DAY:
                    continue
                compared += 1
                tolerance = followers_tolerance(account, truth.followers)
                if abs(r["followers"] - truth.followers) > tolerance:
                    bad.append({"platform": account.platform, "account": account.account_id[-6:],
                                "date": r["metric_date"], "mart": r["followers"], "truth": truth.followers,
                                "tolerance": tolerance, "off_pct": pct(r["followers"], truth.followers)})
        expect(compared > 0, "no followers to compare")
        expect_none(bad, "account days with followers off by more than the tolerance",
                    key=lambda b: magnitude(b["off_pct"]), total=compared)

    with checks.check("a3. summed-from-posts accounts: NULL (not 0) before the first sync"):
        bad = [{"platform": a.platform, "date": r["metric_date"], "views": r["views"], "engagements": r["engagements"]}
               for a in post_sum for r in rows(a) if r["metric_date"] < D0
               and (r["views"] is not None or r["engagements"] is not None)]
        expect_none(bad, "days before tracking with activity values (unknown must be NULL)")

    for column in ("views", "engagements"):
        with checks.check(f"a4. summed-from-posts accounts: {column} per complete day within "
                          f"{POST_SUM_DAY_SHARE_OF_MEAN:.0%} of the mean day, window within {POST_SUM_WINDOW_SHARE:.0%}"):
            bad = []
            for account in post_sum:
                days = world.days[account.key]
                got = {r["metric_date"]: r[column] for r in rows(account)
                       if r["metric_date"] in complete[account.key] and D0 < r["metric_date"] < LAST_DAY}
                expect(len(got) >= 10, f"{account.platform} {account.account_id}: {len(got)} complete days")
                want = {d: getattr(days[d], column) for d in got}
                mean = sum(want.values()) / len(want)
                for day, value in sorted(got.items()):
                    if value is None or abs(value - want[day]) > POST_SUM_DAY_SHARE_OF_MEAN * mean:
                        bad.append({"platform": account.platform, "date": day, "mart": value, "truth": want[day],
                                    "off_of_mean_pct": pct(value, want[day], mean)})
                total_got, total_want = sum(v or 0 for v in got.values()), sum(want.values())
                if abs(total_got - total_want) > POST_SUM_WINDOW_SHARE * total_want:
                    bad.append({"platform": account.platform, "window": f"{min(got)}..{max(got)}", "mart": total_got,
                                "truth": total_want, "off_of_mean_pct": pct(total_got, total_want)})
            expect_none(bad, f"summed-from-posts {column} out of tolerance", key=lambda b: magnitude(b["off_of_mean_pct"]))


def _nulls_folded(bad: list[dict]) -> list[dict]:
    """Offending days with a NULL value folded into one line per platform (with their date range)."""
    nulls: dict[str, list[date]] = defaultdict(list)
    for b in bad:
        if b["mart"] is None:
            nulls[b["platform"]].append(b["date"])
    folded = [{"platform": p, "NULL on complete days": len(d), "dates": f"{min(d)}..{max(d)}"}
              for p, d in nulls.items()]
    return folded + [b for b in bad if b["mart"] is not None]


def followers_tolerance(account: Account, followers: int) -> int:
    if account.platform == "facebook" or (account.platform == "tiktok" and account.daily_api):
        return 0
    if account.platform == "youtube":
        return 10 ** max(len(str(followers)) - 3, 0)
    return math.ceil(FOLLOWERS_RELATIVE * followers)


# --- e. coverage -----------------------------------------------------------------------------------------
def check_coverage(checks: Checks, marts: Marts, world: TruthSide) -> None:
    with checks.check("e1. mart_data_coverage: one row per account, its sources, tracked since the first sync"):
        rows = {(r["platform"], r["account_id"]): r for r in marts["coverage"]}
        bad = []
        for account in world.accounts:
            row = rows.get(account.key)
            if row is None:
                bad.append({"account": account.key, "row": "missing"})
                continue
            post_sum = row["activity_source"] == POST_SUM_SOURCE
            tracked = row["tracked_since"]
            tracked_ok = tracked == FIRST_SYNC or tracked == D0
            if post_sum == account.daily_api or row["followers_source"] is None or not tracked_ok:
                bad.append({"account": account.key, "activity_source": row["activity_source"],
                            "followers_source": row["followers_source"], "tracked_since": tracked})
        bad += [{"unknown account": key} for key in rows if key not in {a.key for a in world.accounts}]
        expect_none(bad, "coverage rows wrong")

    with checks.check("e2. complete_through = the last day the platform serves final "
                      "(report lag + late data; summed-from-posts: the day before the last sync)"):
        rows = {(r["platform"], r["account_id"]): r for r in marts["coverage"]}
        bad = []
        for account in world.accounts:
            want = world.complete_days(account)[1]
            got = rows.get(account.key, {}).get("complete_through")
            if got != want:
                bad.append({"account": f"{account.platform} {account.account_id}", "complete_through": got,
                            "expected": want})
        expect_none(bad, "accounts with the wrong complete_through")

    with checks.check("e3. fct_account_metrics_daily: is_complete up to complete_through, never beyond; complete "
                      "days' activity_source 'post_sum' exactly for the summed-from-posts accounts"):
        coverage = {(r["platform"], r["account_id"]): r for r in marts["coverage"]}
        daily_api = {a.key: a.daily_api for a in world.accounts}
        bad = []
        for r in marts["account_day_flags"]:
            key = (r["platform"], r["account_id"])
            through = coverage.get(key, {}).get("complete_through")
            if not r["is_complete"]:
                continue
            if through is None or r["metric_date"] > through:
                bad.append({"account": key, "date": r["metric_date"], "is_complete": True, "complete_through": through})
            summed = r["activity_source"] == POST_SUM_SOURCE
            if r["activity_source"] is None or summed == daily_api.get(key, summed):
                bad.append({"account": key, "date": r["metric_date"], "activity_source": r["activity_source"]})
        for account in world.accounts:
            last = world.complete_days(account)[1]
            flagged = {r["metric_date"] for r in marts["account_day_flags"]
                       if (r["platform"], r["account_id"]) == account.key and r["is_complete"]}
            if last not in flagged:
                bad.append({"account": account.key, "last final day not complete": last})
        expect_none(bad, "account days with wrong completeness flags")
