"""`trending_hashtag`: hashtags an account uses more and more (last 4 weeks vs the 4 before), with
how their engagement per use moved.

Trending = at least MIN_USES posts with the hashtag in the last 4 weeks and at least GROWTH × the
previous 4 weeks' uses (a new hashtag counts its previous uses as 1). Engagement per use is the
posts' format-adjusted engagement rate; the confidence is about its direction, compared with the
hashtag's own previous uses when there were MIN_USES of them, else with all the account's posts of
the previous 4 weeks.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from insights.recommend.confidence import two_sample
from insights.recommend.rows import insight, ratio_text

DAYS = 28
MIN_USES = 3
GROWTH = 1.5
METHOD = ("uses in the last 28 days vs the 28 before (min 3 uses, ×1.5 growth); engagement per use: bootstrap "
          "over posts of the mean format-adjusted log engagement rate, spike-and-slab prior (½ no effect, ½ N(0, 0.25²))")


def _exploded(rated_posts: pd.DataFrame, today: date) -> pd.DataFrame:
    published = pd.to_datetime(rated_posts["published_date_local"]).dt.date
    recent = (published >= today - timedelta(days=DAYS)) & (published < today)
    previous = (published >= today - timedelta(days=2 * DAYS)) & (published < today - timedelta(days=DAYS))
    frame = rated_posts.assign(window=pd.Series(None, index=rated_posts.index, dtype=object))
    frame.loc[recent, "window"], frame.loc[previous, "window"] = "recent", "previous"
    frame = frame[frame["window"].notna()]
    frame = frame.assign(hashtag=frame["hashtags"].fillna("").str.split(","))
    return frame.explode("hashtag")


def trending_hashtags(rated_posts: pd.DataFrame, today: date, now: datetime) -> list[dict]:
    frame = _exploded(rated_posts, today)
    out = []
    for (platform, account), own in frame.groupby(["platform", "account_id"], sort=True):
        previous_posts = own[own["window"] == "previous"].drop_duplicates("post_key")
        tagged = own[own["hashtag"].fillna("") != ""]
        for tag, uses in tagged.groupby("hashtag", sort=True):
            recent, before = uses[uses["window"] == "recent"], uses[uses["window"] == "previous"]
            if len(recent) < MIN_USES or len(recent) < GROWTH * max(len(before), 1):
                continue
            baseline = before if len(before) >= MIN_USES else previous_posts
            effect = two_sample(recent["rel"], baseline["rel"])
            if effect is None:
                continue
            ev = effect.evidence()
            against = "its earlier uses" if baseline is before else "your posts of the 4 weeks before"
            text = (f"#{tag} is rising on your account: {len(recent)} posts in the last 4 weeks vs {len(before)} "
                    f"before; they earned {ratio_text(effect.ratio)} the engagement rate of {against} (95 % interval "
                    f"{ev['ratio_low_95']:.2f}–{ev['ratio_high_95']:.2f}×).")
            data = {"hashtag": tag, "uses_recent": len(recent), "uses_previous": len(before),
                    "use_growth": round(len(recent) / max(len(before), 1), 4),
                    "baseline": "own_previous_uses" if baseline is before else "account_previous_posts", **ev}
            out.append(insight("trending_hashtag", platform, account, tag, data, effect.confidence, METHOD, text, now))
    return out
