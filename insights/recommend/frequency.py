"""`posting_frequency`: does engagement per post rise or fall in weeks the account posts more?

Weekly points over the last 26 complete weeks, leaving out the 2 most recent (their posts are still
collecting engagements): x = posts published that week, y = log of the mean lifetime engagements of
those posts. The slope (× per extra post a week) comes with a bootstrap over weeks; the prior is ½ no effect,
½ N(0, 0.1²) per extra post. Weeks without a post have no engagement per post and are left out.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd

from insights.recommend.confidence import slope
from insights.recommend.posts import in_window
from insights.recommend.rows import insight, ratio_text

WEEKS = 26
GAP_DAYS = 14
MIN_WEEKS = 8
PRIOR_SD = 0.1
METHOD = ("least-squares slope of log(mean engagements per post) on posts per week, bootstrap over weeks, "
          "spike-and-slab prior (½ no effect, ½ N(0, 0.1²)); confidence = posterior P(claimed direction)")


def weekly_points(posts: pd.DataFrame) -> pd.DataFrame:
    """posts, engagements_per_post per (platform, account, week start)."""
    known = posts[pd.to_numeric(posts["engagements"], errors="coerce").notna()]
    week = pd.to_datetime(known["published_date_local"]).dt.to_period("W-SUN").dt.start_time.dt.date
    grouped = known.assign(week=week, engagements=known["engagements"].astype(float)).groupby(
        ["platform", "account_id", "week"])
    return grouped.agg(posts=("post_key", "size"), engagements_per_post=("engagements", "mean")).reset_index()


def posting_frequency(posts: pd.DataFrame, today: date, now: datetime) -> list[dict]:
    points = weekly_points(in_window(posts, today, WEEKS * 7 + GAP_DAYS, GAP_DAYS))
    out = []
    for (platform, account), own in points.groupby(["platform", "account_id"], sort=True):
        own = own[own["engagements_per_post"] > 0]
        if len(own) < MIN_WEEKS:
            continue
        effect = slope(own["posts"], np.log(own["engagements_per_post"]), PRIOR_SD)
        if effect is None:
            continue
        ev = effect.evidence()
        more = "more" if effect.direction == "up" else "less"
        text = (f"In weeks you posted more, each post earned {more} engagement: {ratio_text(effect.ratio)} per "
                f"extra post a week (95 % interval {ev['ratio_low_95']:.2f}–{ev['ratio_high_95']:.2f}×, "
                f"{len(own)} weeks with {int(own['posts'].min())}–{int(own['posts'].max())} posts).")
        data = {"weeks": len(own), "posts_per_week_min": int(own["posts"].min()),
                "posts_per_week_max": int(own["posts"].max()), "points": [
                    {"week": str(r.week), "posts": int(r.posts), "engagements_per_post": round(float(r.engagements_per_post), 2)}
                    for r in own.itertuples()], **{k: v for k, v in ev.items() if k != "n_baseline"}}
        out.append(insight("posting_frequency", platform, account, "slope", data, effect.confidence, METHOD, text, now))
    return out
