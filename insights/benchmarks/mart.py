"""Competitor benchmarks: the formulas, on plain frames (no database), one place each.

Inputs (built by `warehouse.py` from the social marts and raw.competitor_snapshots):
- observations: platform, account_id, is_competitor, observed_on, followers (a day's value for own
  accounts, a snapshot for competitors);
- posts: platform, account_id, is_competitor, post_id, published_on, format, likes, comments, shares
  (lifetime counters as last seen);
- accounts: platform, account_id, is_competitor, account_name, first_day, has_posts, coverage_start
  (posts are complete from that day: a competitor's API lists only its latest posts),
  disappeared_on, seen (found at least once).

Definitions (docs/insights-benchmarks.md):
- followers: the last observation in the period; growth = it minus the last observation before the
  period (else the period's first, when it has two): NULL with a single observation, never 0.
- engagement: the sum of the public counters of the platform (`engagement_parts`), the same for own
  posts and competitors' posts; per post over the period's posts, and per follower (rate).
- posts per week: posts published in the period / (its days so far / 7).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pandas as pd

PARTS = ("likes", "comments", "shares")
GRAINS = ("week", "month")
COLUMNS = (
    "grain", "period_start", "period_end", "platform", "account_id", "account_name", "is_competitor", "status",
    "followers", "followers_start", "follower_growth", "follower_growth_pct", "posts", "posts_per_week",
    "engagements", "engagement_per_post", "engagement_rate", "engagement_base", "format_mix", "observations",
    "disappeared_on",
)
KEY = ["platform", "account_id", "is_competitor"]


def period_start(day: date, grain: str) -> date:
    return day - timedelta(days=day.weekday()) if grain == "week" else day.replace(day=1)


def period_end(start: date, grain: str) -> date:
    if grain == "week":
        return start + timedelta(days=6)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def periods(first: date, last: date, grain: str) -> list[date]:
    out, start = [], period_start(first, grain)
    while start <= last:
        out.append(start)
        start = period_end(start, grain) + timedelta(days=1)
    return out


def engagement_parts(posts: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Per platform, the counters its competitors' posts make public (YouTube and Instagram: likes and
    comments; X: also reposts + quotes). Own posts are summed on the same parts, so both sides compare
    like with like. A platform without competitor posts: all three."""
    out = {}
    for platform, group in posts.groupby("platform"):
        rival = group[group.is_competitor]
        out[platform] = PARTS if rival.empty else tuple(p for p in PARTS if rival[p].notna().any())
    return out


def post_engagements(posts: pd.DataFrame, parts: dict[str, tuple[str, ...]]) -> pd.Series:
    """Each post's engagements on its platform's parts; NaN when one of them is unknown (hidden likes)."""
    def one(row) -> float:
        values = [row[p] for p in parts.get(row["platform"], PARTS)]
        return float("nan") if any(pd.isna(v) for v in values) else float(sum(values))
    return posts.apply(one, axis=1) if not posts.empty else pd.Series(dtype=float)


def followers_in(observed: pd.DataFrame, start: date, end: date) -> tuple[float, float, int]:
    """(followers at the period's end, the value growth is measured from, observations in the period)."""
    known = observed[observed.followers.notna()]
    inside = known[(known.observed_on >= start) & (known.observed_on <= end)].sort_values("observed_on")
    if inside.empty:
        return float("nan"), float("nan"), 0
    before = known[known.observed_on < start].sort_values("observed_on")
    if not before.empty:
        base = float(before.followers.iloc[-1])
    elif len(inside) >= 2:
        base = float(inside.followers.iloc[0])
    else:
        base = float("nan")
    return float(inside.followers.iloc[-1]), base, len(inside)


def status_of(account: pd.Series, end: date) -> str:
    gone = account["disappeared_on"]
    if not account["is_competitor"] or pd.isna(gone) or end < gone:
        return "ok"
    return "disappeared" if account["seen"] else "not_found"


def format_mix(formats: pd.Series) -> str | None:
    known = formats.dropna()
    if known.empty:
        return None
    shares = known.value_counts(normalize=True).sort_index()
    return json.dumps({str(name): round(float(share), 4) for name, share in shares.items()}, sort_keys=True)


def benchmark(observations: pd.DataFrame, posts: pd.DataFrame, accounts: pd.DataFrame, made_on: date) -> pd.DataFrame:
    parts = engagement_parts(posts)
    posts = posts.assign(engagements=post_engagements(posts, parts))
    rows = []
    for _, account in accounts.sort_values(KEY).iterrows():
        key = tuple(account[k] for k in KEY)
        observed = observations[(observations[KEY] == key).all(axis=1)] if not observations.empty else observations
        own_posts = posts[(posts[KEY] == key).all(axis=1)] if not posts.empty else posts
        base = "+".join(parts.get(account["platform"], PARTS))
        for grain in GRAINS:
            for start in periods(account["first_day"], made_on, grain):
                rows.append(_row(account, observed, own_posts, grain, start, made_on, base))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _row(account, observed, posts, grain: str, start: date, made_on: date, base: str) -> dict:
    end = period_end(start, grain)
    followers, followers_start, count = followers_in(observed, start, end)
    growth = followers - followers_start
    row = {"grain": grain, "period_start": start, "period_end": end, "platform": account["platform"],
           "account_id": account["account_id"], "account_name": account["account_name"],
           "is_competitor": bool(account["is_competitor"]), "status": status_of(account, end),
           "followers": followers, "followers_start": followers_start, "follower_growth": growth,
           "follower_growth_pct": growth / followers_start if followers_start and followers_start > 0 else None,
           "engagement_base": base, "observations": count, "disappeared_on": account["disappeared_on"],
           "posts": None, "posts_per_week": None, "engagements": None, "engagement_per_post": None,
           "engagement_rate": None, "format_mix": None}
    covered = account["has_posts"] and (pd.isna(account["coverage_start"]) or start >= account["coverage_start"])
    if not covered:
        return row
    inside = posts[(posts.published_on >= start) & (posts.published_on <= end)] if not posts.empty else posts
    days = (min(end, made_on) - start).days + 1
    known = inside.engagements.dropna() if not inside.empty else pd.Series(dtype=float)
    per_post = float(known.mean()) if len(known) else None
    row.update(posts=len(inside), posts_per_week=len(inside) / days * 7,
               engagements=float(known.sum()) if len(known) else None, engagement_per_post=per_post,
               engagement_rate=per_post / followers if per_post is not None and followers > 0 else None,
               format_mix=format_mix(inside.format) if not inside.empty else None)
    return row
