"""Checks of the post-level marts: b. lifetimes, c. baselines and no first-sync lump, d. estimated days.

b1-b4: mart_content_performance holds every post, each lifetime exactly what the platform showed
at a sync, and current by the connector's refresh cadence (YouTube shares: Σ Analytics days).
c1-c3: dim_posts baselines — Σ daily + baseline = lifetime; no D0 row for posts older than
tracking; no day above LUMP_SHARE of a lifetime after the launch days.
d1-d3: fct_post_metrics_daily — the tracked window's sum exact, each estimated day within
POST_DAY_*, is_estimated on the days spread between readings.
Tolerances and their reasons: world.py.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, timedelta

from tests.ground_truth.reference import reference_readings
from tests.ground_truth.world import (
    D0,
    FIRST_SYNC,
    LAST_DAY,
    LAST_SYNC,
    LUMP_MIN_LIFETIME_VIEWS,
    LUMP_SHARE,
    METRICS,
    POST_DAY_FLOOR,
    POST_DAY_LATER_SHARE,
    POST_DAY_LAUNCH_DAYS,
    POST_DAY_LAUNCH_SHARE,
    SNAPSHOT_PLATFORMS,
    STORY_HOURS,
    SYNCS,
    Marts,
    TruthSide,
    magnitude,
    pct,
)
from tests.truth_harness import Checks, expect, expect_none


# --- b. lifetimes ---------------------------------------------------------------------------------------
def _lifetime_metrics(platform: str) -> tuple[str, ...]:
    # YouTube shares come from the Analytics days (check b4); views/likes/comments from the Data API.
    return ("views", "likes", "comments") if platform == "youtube" else METRICS


def matching_syncs(world: TruthSide, marts: Marts) -> dict[tuple, list[int]]:
    """Per mart post: the syncs at which the platform showed exactly the mart's lifetime counters."""
    out = {}
    for key, row in marts.by_post("lifetimes").items():
        account = next((a for a in world.accounts if a.key == key[:2]), None)
        if account is None:
            continue
        metrics = _lifetime_metrics(account.platform)
        out[key] = [k for k, life in enumerate(world.lifetimes[account.key])
                    if key[2] in life and all(row[m] == life[key[2]][m] for m in metrics)]
    return out


def check_lifetimes(checks: Checks, marts: Marts, world: TruthSide) -> None:
    with checks.check("b1. the marts hold every post the platforms serve, and only those"):
        mart = set(marts.by_post("lifetimes"))
        bad = []
        for account in world.accounts:
            for pid, post in world.posts[account.key].items():
                expired = post.format == "story" and post.published_at < FIRST_SYNC - timedelta(hours=STORY_HOURS)
                if (*account.key, pid) not in mart and not expired:
                    bad.append({"missing": f"{account.platform} {pid}", "published": post.published_at})
        known = {(*a.key, pid) for a in world.accounts for pid in world.posts[a.key]}
        bad += [{"unknown": f"{k[0]} {k[2]}"} for k in sorted(mart - known)]
        expect_none(bad, "posts missing or unknown")

    matches = matching_syncs(world, marts)
    with checks.check("b2. every lifetime is exactly what the platform showed at one of the syncs"):
        bad = []
        for key, found in matches.items():
            if not found:
                account = next(a for a in world.accounts if a.key == key[:2])
                mart, truth = marts.by_post("lifetimes")[key], world.lifetimes[account.key][-1].get(key[2], {})
                diff = {m: f"{mart[m]}≠{truth.get(m)}" for m in _lifetime_metrics(account.platform)
                        if mart[m] != truth.get(m)}
                bad.append({"post": f"{key[0]} {key[2]}", "vs last sync": diff})
        expect_none(bad, "posts whose lifetime matches no sync", total=len(matches))

    with checks.check("b3. lifetimes are current: the last sync (X/Facebook/Instagram posts past 28-30 days: the weekly refresh; "
                      "stories: their last day)"):
        bad, lifetimes = [], marts.by_post("lifetimes")
        for key, found in matches.items():
            account = next(a for a in world.accounts if a.key == key[:2])
            post = world.posts[account.key].get(key[2])
            if post is None:
                continue
            lo, hi = world.refresh_window(account, post)
            if found and lo <= max(found) <= hi:
                continue
            truth = world.lifetimes[account.key][hi][key[2]]
            views = lifetimes[key]["views"] if truth["views"] is not None else lifetimes[key]["impressions"]
            want = truth["views"] if truth["views"] is not None else truth["impressions"]
            bad.append({"post": f"{key[0]} {key[2]}", "age_days": (LAST_SYNC - post.published_at).days,
                        "as_of": SYNCS[max(found)] if found else None, "views": views, "truth": want,
                        "behind_pct": pct(views, want)})
        expect_none(bad, "posts with a stale or wrong lifetime", key=lambda b: magnitude(b["behind_pct"]),
                    total=len(matches))

    with checks.check("b4. YouTube lifetime shares = Σ Analytics days: between Σ final days and Σ reported days"):
        bad = []
        for account in (a for a in world.accounts if a.platform == "youtube"):
            final = world.truth.final_through("youtube", LAST_SYNC)
            reported = world.truth.reported_through("youtube", LAST_SYNC)
            days = world.truth.all_post_days("youtube", account.account_id, None, LAST_DAY)
            for (platform, account_id, pid), row in marts.by_post("lifetimes").items():
                if (platform, account_id) != account.key:
                    continue
                low = sum(r["shares"] for r in days.get(pid, []) if r["date"] <= final)
                high = sum(r["shares"] for r in days.get(pid, []) if r["date"] <= reported)
                if row["shares"] is None or not low <= row["shares"] <= high:
                    bad.append({"post": f"youtube {pid}", "mart": row["shares"], "final": low, "reported": high})
        expect_none(bad, "YouTube videos with shares outside [Σ final days, Σ reported days]")


# --- c. baseline and no first-sync lump ------------------------------------------------------------------
def _post_day_sums(marts: Marts) -> dict[tuple, dict[str, int]]:
    sums: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in marts["post_days"]:
        key = (r["platform"], r["account_id"], r["post_id"])
        for m in METRICS:
            if r[m] is not None:
                sums[key][m] += r[m]
    return sums


def check_baselines_and_lumps(checks: Checks, marts: Marts, world: TruthSide) -> None:
    with checks.check("c1. snapshot platforms: Σ daily + baseline = lifetime, per post and counter"):
        baselines, lifetimes, sums = marts.by_post("baselines"), marts.by_post("lifetimes"), _post_day_sums(marts)
        bad = []
        for key, life in lifetimes.items():
            if key[0] not in SNAPSHOT_PLATFORMS:
                continue
            for m in ("views", "likes", "comments", "shares", "saves"):
                if life[m] is None:
                    continue
                got = sums[key][m] + (baselines[key][f"baseline_{m}"] or 0)
                if got != life[m]:
                    bad.append({"post": f"{key[0]} {key[2]}", "metric": m, "daily+baseline": got,
                                "lifetime": life[m]})
        expect_none(bad, "post counters where the days and the baseline do not add up to the lifetime",
                    key=lambda b: abs(b["daily+baseline"] - b["lifetime"]))

    with checks.check("c2. no first-sync lump: no D0 row for snapshot posts published before tracking"):
        published = {k: r["published_at"] for k, r in marts.by_post("posts").items()}
        bad = [{"post": f"{r['platform']} {r['post_id']}", "published": published.get(k), "views": r["views"],
                "impressions": r["impressions"]}
               for r in marts["post_days"]
               if r["platform"] in SNAPSHOT_PLATFORMS and r["metric_date"] == D0
               and (k := (r["platform"], r["account_id"], r["post_id"])) in published and published[k] < FIRST_SYNC]
        per_platform = defaultdict(lambda: [0, 0])
        for b in bad:
            size = b["views"] if b["views"] is not None else (b["impressions"] or 0)
            platform = b["post"].split()[0]
            per_platform[platform][0] += 1
            per_platform[platform][1] = max(per_platform[platform][1], size)
        summary = "; ".join(f"{p}: {n} posts, largest {v:,}" for p, (n, v) in sorted(per_platform.items()))
        expect_none(bad, f"D0 rows of posts older than tracking ({summary})",
                    key=lambda b: b["views"] if b["views"] is not None else (b["impressions"] or 0))

    with checks.check(f"c3. no post day above {LUMP_SHARE:.0%} of the lifetime views after the launch days"):
        lifetimes, published = marts.by_post("lifetimes"), {k: r["published_at"] for k, r in marts.by_post("posts").items()}
        bad = []
        for r in marts["post_days"]:
            key = (r["platform"], r["account_id"], r["post_id"])
            life = lifetimes.get(key)
            if life is None or key not in published:
                continue
            day_views = r["views"] if life["views"] is not None else r["impressions"]
            total = life["views"] if life["views"] is not None else life["impressions"]
            if not total or total < LUMP_MIN_LIFETIME_VIEWS or day_views is None:
                continue
            if (r["metric_date"] - published[key].astimezone(UTC).date()).days > POST_DAY_LAUNCH_DAYS \
                    and day_views > LUMP_SHARE * total:
                bad.append({"post": f"{key[0]} {key[2]}", "date": r["metric_date"], "views": day_views,
                            "lifetime": total, "share_pct": round(100 * day_views / total, 1)})
        expect_none(bad, "post days holding most of a post's lifetime", key=lambda b: b["views"])


# --- d. estimated days -----------------------------------------------------------------------------------
def check_estimated_days(checks: Checks, marts: Marts, world: TruthSide) -> None:
    snapshot_accounts = [a for a in world.accounts if a.platform in SNAPSHOT_PLATFORMS]

    with checks.check("d1. tracked window exact: Σ days + baseline = the platform's lifetime at the last reading; "
                      "baseline = lifetime when tracking started"):
        baselines, sums, matches = marts.by_post("baselines"), _post_day_sums(marts), matching_syncs(world, marts)
        bad = []
        for account in snapshot_accounts:
            for pid, post in world.posts[account.key].items():
                key = (*account.key, pid)
                if key not in baselines:
                    continue
                read = max(matches.get(key) or [world.refresh_window(account, post)[1]])
                truth = world.lifetimes[account.key][read][pid]
                base = baselines[key]
                for m in ("views", "likes", "comments", "shares", "saves"):
                    if truth[m] is None:
                        continue
                    baseline = base[f"baseline_{m}"] or 0
                    if sums[key][m] + baseline != truth[m]:
                        bad.append({"post": f"{key[0]} {pid}", "metric": m, "days+baseline": sums[key][m] + baseline,
                                    "truth": truth[m]})
                    if post.published_at < FIRST_SYNC:
                        low, high = world.lifetimes[account.key][0][pid][m], world.lifetimes[account.key][1][pid][m]
                        if not low <= baseline <= high:
                            bad.append({"post": f"{key[0]} {pid}", "metric": m, "baseline": baseline,
                                        "lifetime at D0 12:00": low, "at D1 12:00": high})
                    elif baseline != 0:
                        bad.append({"post": f"{key[0]} {pid}", "metric": m, "baseline (new post)": baseline})
        expect_none(bad, "post counters whose tracked window does not add up to the truth")

    with checks.check(f"d2. estimated post days: launch days within {POST_DAY_LAUNCH_SHARE:.0%}, later days within "
                      f"{POST_DAY_LATER_SHARE:.0%} of the post's total over its tracked window"):
        by_post: dict[tuple, dict[date, dict]] = defaultdict(dict)
        for r in marts["post_days"]:
            by_post[(r["platform"], r["account_id"], r["post_id"])][r["metric_date"]] = r
        matches = matching_syncs(world, marts)
        bad, compared = [], 0
        for account in snapshot_accounts:
            # X: impressions are the views; compare them once
            metrics = [m for m in METRICS if not (account.platform == "x" and m == "impressions")]
            for pid, post in world.posts[account.key].items():
                key = (*account.key, pid)
                read = max(matches.get(key) or [world.refresh_window(account, post)[1]])
                # the tracked window: complete days after tracking started, up to the day before the last reading
                first = max(D0 + timedelta(days=1), post.published_at.date())
                window = [first + timedelta(days=i) for i in range((SYNCS[read].date() - first).days)]
                rows = by_post.get(key, {})
                truth_days = world.post_days[account.key].get(pid, {})
                for m in metrics:
                    if not window or not rows or all(r[m] is None for r in rows.values()):
                        continue  # untracked post, or a counter this post's platform does not report
                    total = sum(truth_days.get(day, {}).get(m) or 0 for day in window)
                    for day in window:
                        got = (rows.get(day) or {}).get(m) or 0  # a missing day is a 0 in every sum
                        want = truth_days.get(day, {}).get(m) or 0
                        launch = (day - post.published_at.date()).days <= POST_DAY_LAUNCH_DAYS
                        allowed = max((POST_DAY_LAUNCH_SHARE if launch else POST_DAY_LATER_SHARE) * total,
                                      POST_DAY_FLOOR)
                        compared += 1
                        if abs(got - want) > allowed:
                            bad.append({"post": f"{account.platform} {pid}", "metric": m, "date": day,
                                        "launch": launch, "mart": (rows.get(day) or {}).get(m), "truth": want,
                                        "post_total": total, "off_of_total_pct": pct(got, want, total),
                                        "excess": round(abs(got - want) - allowed)})
        expect(compared > 0, "no estimated post days to compare")
        expect_none(bad, "estimated post days out of tolerance (worst: most beyond the tolerance)",
                    key=lambda b: b["excess"], total=compared)

    with checks.check("d3. is_estimated: true on days spread between readings more than a day apart "
                      "(X/Facebook/Instagram posts past 28-30 days: weekly), false on days the platform reports"):
        flags = {(r["platform"], r["account_id"], r["post_id"], r["metric_date"]): r["is_estimated"]
                 for r in marts["post_day_flags"]}
        bad = [{"post": f"{k[0]} {k[2]}", "date": k[3], "is_estimated": v} for k, v in flags.items()
               if k[0] not in SNAPSHOT_PLATFORMS and v is not False]
        for account in snapshot_accounts:
            for pid, post in world.posts[account.key].items():
                readings = [SYNCS[k] for k in reference_readings(account, post)]
                for before, after in zip(readings, readings[1:], strict=False):
                    if after - before <= timedelta(days=1):
                        continue
                    day = before.date() + timedelta(days=1)
                    while day < after.date():
                        flag = flags.get((*account.key, pid, day))
                        if flag is not None and flag is not True:
                            bad.append({"post": f"{account.platform} {pid}", "date": day, "is_estimated": flag,
                                        "between readings": f"{before:%m-%d}..{after:%m-%d}"})
                        day += timedelta(days=1)
        expect_none(bad, "post days with the wrong is_estimated")
