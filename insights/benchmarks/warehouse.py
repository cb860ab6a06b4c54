"""Reads for the competitor benchmarks (own accounts from the social marts, competitors from
raw.competitor_snapshots) and the write of marts.mart_competitor_benchmarks (DDL: insights/store.py).

Competitor snapshots are read from raw: their numbers are already parsed at ingestion by each
platform's `competitors.py` (the `metrics` column), so no platform knowledge is repeated here.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from insights.benchmarks.mart import COLUMNS, benchmark
from insights.warehouse import query_frame, replace_mart, table_exists

OBSERVATION_COLUMNS = ["platform", "account_id", "is_competitor", "observed_on", "followers"]
POST_COLUMNS = ["platform", "account_id", "is_competitor", "post_id", "published_on", "format", "likes", "comments",
                "shares"]
ACCOUNT_COLUMNS = ["platform", "account_id", "is_competitor", "account_name", "first_day", "has_posts",
                   "coverage_start", "disappeared_on", "seen"]

SNAPSHOTS = """
select platform, competitor as account_id, fetched_at, status, metrics
from raw.competitor_snapshots order by platform, competitor, fetched_at
"""
OWN_FOLLOWERS = """
select platform, account_id, false as is_competitor, metric_date as observed_on,
    followers::double precision as followers
from marts.fct_account_metrics_daily order by 1, 2, 4
"""
OWN_POSTS = """
select platform, account_id, false as is_competitor, post_id, published_at::date as published_on, format,
    likes::double precision as likes, comments::double precision as comments, shares::double precision as shares
from marts.mart_content_performance
order by post_key
"""
OWN_ACCOUNTS = "select platform, account_id, account_name from marts.dim_accounts order by 1, 2"


def read_inputs(conn) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(observations, posts, accounts) of own accounts and competitors, as mart.benchmark takes them."""
    own = _own(conn)
    rival = _competitors(conn)
    frames = []
    for index, columns in enumerate((OBSERVATION_COLUMNS, POST_COLUMNS, ACCOUNT_COLUMNS)):
        parts = [frame[index] for frame in (own, rival) if not frame[index].empty]
        frames.append(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns))
    return frames[0], frames[1], frames[2]


def _own(conn):
    with conn.cursor() as cur:
        present = all(table_exists(cur, f"marts.{t}") for t in ("dim_accounts", "mart_content_performance",
                                                                "fct_account_metrics_daily"))
    if not present:
        return (pd.DataFrame(columns=OBSERVATION_COLUMNS), pd.DataFrame(columns=POST_COLUMNS),
                pd.DataFrame(columns=ACCOUNT_COLUMNS))
    observed = query_frame(conn, OWN_FOLLOWERS)
    posts = query_frame(conn, OWN_POSTS)
    accounts = query_frame(conn, OWN_ACCOUNTS).assign(is_competitor=False, has_posts=True, coverage_start=pd.NaT,
                                                      disappeared_on=pd.NaT, seen=True)
    firsts = pd.concat([observed.groupby(["platform", "account_id"]).observed_on.min(),
                        posts.groupby(["platform", "account_id"]).published_on.min()], axis=1).min(axis=1)
    accounts["first_day"] = [firsts.get((p, a)) for p, a in zip(accounts.platform, accounts.account_id, strict=True)]
    accounts = accounts[accounts.first_day.notna()]
    return observed[OBSERVATION_COLUMNS], posts[POST_COLUMNS], accounts[ACCOUNT_COLUMNS]


def _competitors(conn):
    with conn.cursor() as cur:
        present = table_exists(cur, "raw.competitor_snapshots")
    snaps = query_frame(conn, SNAPSHOTS) if present else pd.DataFrame()
    if snaps.empty:
        return (pd.DataFrame(columns=OBSERVATION_COLUMNS), pd.DataFrame(columns=POST_COLUMNS),
                pd.DataFrame(columns=ACCOUNT_COLUMNS))
    snaps["observed_on"] = pd.to_datetime(snaps.fetched_at, utc=True).dt.date
    found = snaps[snaps.status == "ok"]
    observed = pd.DataFrame({"platform": found.platform, "account_id": found.account_id, "is_competitor": True,
                             "observed_on": found.observed_on,
                             "followers": [_number(m.get("followers")) for m in found.metrics]})
    post_rows = {}
    for snap in found.itertuples():  # oldest first: a later snapshot's counters replace an earlier one's
        for post in snap.metrics.get("posts") or []:
            post_rows[(snap.platform, snap.account_id, post["post_id"])] = {
                "platform": snap.platform, "account_id": snap.account_id, "is_competitor": True,
                "post_id": post["post_id"], "published_on": pd.Timestamp(post["published_at"]).tz_convert("UTC").date(),
                "format": post.get("format"), **{p: _number(post.get(p)) for p in ("likes", "comments", "shares")}}
    posts = pd.DataFrame(list(post_rows.values()), columns=POST_COLUMNS)
    accounts = [_account(key, group, posts) for key, group in snaps.groupby(["platform", "account_id"], sort=True)]
    return observed[OBSERVATION_COLUMNS], posts, pd.DataFrame(accounts, columns=ACCOUNT_COLUMNS)


def _account(key, snaps: pd.DataFrame, posts: pd.DataFrame) -> dict:
    platform, handle = key
    found = snaps[snaps.status == "ok"]
    last_seen = found.fetched_at.max() if not found.empty else None
    missing = snaps[(snaps.status == "not_found") & ((last_seen is None) | (snaps.fetched_at > last_seen))]
    own = posts[(posts.platform == platform) & (posts.account_id == handle)]
    listed = any(m.get("posts") is not None for m in found.metrics)
    coverage = own.published_on.min() if not own.empty else None
    first_day = min(d for d in (snaps.observed_on.min(), coverage) if d is not None)
    return {"platform": platform, "account_id": handle, "is_competitor": True,
            "account_name": found.metrics.iloc[-1].get("name") if not found.empty else None, "first_day": first_day,
            "has_posts": listed, "coverage_start": coverage if coverage is not None else pd.NaT,
            "disappeared_on": missing.observed_on.min() if not missing.empty else pd.NaT, "seen": not found.empty}


def _number(value) -> float:
    return float("nan") if value is None else float(value)


def write_benchmarks(conn, frame: pd.DataFrame, now) -> int:
    """Make marts.mart_competitor_benchmarks hold exactly `frame` (one transaction), in a stable order."""
    frame = frame.sort_values(["grain", "period_start", "platform", "is_competitor", "account_id"])
    return replace_mart(conn, "marts.mart_competitor_benchmarks", frame, COLUMNS, ("generated_at", now))


def build_benchmarks(conn, made_on: date, now) -> pd.DataFrame:
    frame = benchmark(*read_inputs(conn), made_on)
    write_benchmarks(conn, frame, now)
    return frame
