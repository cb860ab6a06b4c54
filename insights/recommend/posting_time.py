"""`best_posting_time`: the weekday × hour block (account-local time) whose posts earn the most
engagement per view compared with the account's other posts, from the last 16 weeks (Sprout
Social's window, /work/shared/reference/peers.md).

Blocks are coarse on purpose — an account posts 2–4 times a week, so 16 weeks hold ~50 posts and an
hour-by-hour grid would hold one post per cell: 4 day groups (Monday, Tuesday–Thursday, Friday,
the weekend) × 4 parts of the day (07–12, 12–17, 17–21, 21–07 h) = 16 blocks. Fallbacks when the
account is thin: the platform's accounts of the workspace pooled (each post still measured against
its own account's usual post), then our generic prior (Tuesday–Thursday evening — no published
source in the reference gives one) at confidence 0.3.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import numpy as np
import pandas as pd

from insights.recommend.confidence import posterior, two_sample
from insights.recommend.rows import insight, ratio_text

WEEKS = 16
MIN_ACCOUNT_POSTS = 30   # fewer rated posts in the window → pool the platform
MIN_BLOCK_POSTS = 3      # a block with fewer posts is not a candidate
DAY_GROUPS = (("Monday", (1,)), ("Tuesday–Thursday", (2, 3, 4)), ("Friday", (5,)), ("Saturday–Sunday", (6, 7)))
DAY_PARTS = (("07–12 h", range(7, 12)), ("12–17 h", range(12, 17)), ("17–21 h", range(17, 21)),
             ("21–07 h", (*range(21, 24), *range(0, 7))))
PRIOR_BLOCK = ("Tuesday–Thursday", "17–21 h")
PRIOR_CONFIDENCE = 0.3   # a guess with no evidence of the account's own: always "low"
METHOD = ("bootstrap over posts of the block's mean log engagement rate (format-adjusted) minus the other "
          "posts', spike-and-slab prior (½ no effect, ½ N(0, τ²), τ from the spread of the account's blocks); "
          "confidence = posterior P(the block is really better)")


def block_of(weekday: pd.Series, hour: pd.Series) -> pd.Series:
    days = {d: name for name, group in DAY_GROUPS for d in group}
    parts = {h: name for name, group in DAY_PARTS for h in group}
    return weekday.astype(int).map(days) + " " + hour.astype(int).map(parts)


def best_block(rel: pd.DataFrame) -> tuple[str, object, list[dict]] | None:
    """(block, its Effect, every candidate's evidence) of the block with the highest posterior mean."""
    blocks = block_of(rel["weekday"], rel["hour"])
    candidates = []
    for name in sorted(blocks.unique()):
        inside = blocks == name
        if inside.sum() < MIN_BLOCK_POSTS:
            continue
        effect = two_sample(rel.loc[inside, "rel"], rel.loc[~inside, "rel"])
        if effect is not None:
            candidates.append((name, effect))
    if not candidates:
        return None
    candidates = reprior(candidates)
    name, effect = max(candidates, key=lambda c: (c[1].shrunk, c[0]))
    table = [{"block": n, "posts": e.n_in, "ratio": round(e.ratio, 4), "shrunk_ratio": round(float(np.exp(e.shrunk)), 4),
              "confidence": round(e.confidence, 4)} for n, e in candidates]
    return name, effect, table


def reprior(candidates: list) -> list:
    """Picking the best of 16 blocks favours luck: estimate from the account's own blocks how much
    blocks really differ (method of moments: τ² = mean(effect²) − mean(se²), at least 0.01²) and use
    that as the prior's spread. An account whose blocks differ no more than noise gets τ ≈ 0, so its
    best block is shrunk to nothing and stays low."""
    estimates = np.array([e.estimate for _, e in candidates])
    ses = np.array([e.se for _, e in candidates])
    tau = float(np.sqrt(max(np.mean(estimates**2) - np.mean(ses**2), 0.0001)))
    out = []
    for name, e in candidates:
        shrunk, confidence = posterior(e.estimate, e.se, tau)
        out.append((name, replace(e, shrunk=shrunk, confidence=confidence, prior_sd=tau)))
    return out


def best_posting_times(rated_posts: pd.DataFrame, now: datetime) -> list[dict]:
    """One insight per account present in `rated_posts` (already limited to the 16-week window)."""
    out = []
    for (platform, account), own in rated_posts.groupby(["platform", "account_id"], sort=True):
        if len(own) >= MIN_ACCOUNT_POSTS:
            scope, data = "account", own
        else:  # the platform's accounts of the same workspace: never another tenant's posts
            same = rated_posts["platform"] == platform
            if "workspace_id" in rated_posts:
                same &= rated_posts["workspace_id"] == own["workspace_id"].iloc[0]
            scope, data = "platform", rated_posts[same]
        found = best_block(data) if len(data) >= MIN_ACCOUNT_POSTS else None
        out.append(_row(platform, account, len(own), scope, found, now))
    return out


def _row(platform: str, account: str, own_posts: int, scope: str, found, now: datetime) -> dict:
    if found is None:
        day, part = PRIOR_BLOCK
        data = {"block": f"{day} {part}", "scope": "prior", "account_posts": own_posts, "weeks": WEEKS,
                "source": "Tidemark's prior (no published default in the reference material)"}
        text = (f"Too few rated posts to tell yet ({own_posts} in {WEEKS} weeks, {MIN_ACCOUNT_POSTS} needed): "
                f"start with {day} {part}, our default until your own posts say otherwise.")
        return insight("best_posting_time", platform, account, "best", data, PRIOR_CONFIDENCE, "prior", text, now)
    block, effect, table = found
    whose = "your posts" if scope == "account" else f"posts of your {platform} accounts"
    data = {"block": block, "scope": scope, "account_posts": own_posts, "weeks": WEEKS, "local_time": True,
            "measure": "engagement_rate relative to the account's median of the same format", **effect.evidence(),
            "blocks": table}
    verb = "Post on" if effect.direction == "up" else "No time stands out; the best so far is"
    text = (f"{verb} {block}: {whose} then earned {ratio_text(effect.ratio)} the usual engagement rate "
            f"(95 % interval {effect.evidence()['ratio_low_95']:.2f}–{effect.evidence()['ratio_high_95']:.2f}×, "
            f"{effect.n_in} posts vs {effect.n_out}).")
    method = METHOD if scope == "account" else METHOD + "; pooled over the platform's accounts (thin account)"
    return insight("best_posting_time", platform, account, "best", data, effect.confidence, method, text, now)
