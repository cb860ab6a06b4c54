"""`content_format` and `content_length`: formats and duration buckets whose posts earn an engagement
rate above or below the account's other posts, as a ratio with a bootstrap interval (not a rank).

Formats compare raw engagement rates (a Short vs everything else the account posts). Lengths compare
format-adjusted rates (posts.rated: `rel`), so "3–10 min" is not credited with being a long video
rather than a Short. Both read the last 26 weeks: formats need more posts than time blocks.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from insights.recommend.confidence import two_sample
from insights.recommend.rows import insight, ratio_text

WEEKS = 26
MIN_POSTS = 5       # on each side of a comparison
LENGTHS = ((0, 60, "under 1 min"), (60, 180, "1–3 min"), (180, 600, "3–10 min"), (600, 1200, "10–20 min"),
           (1200, None, "over 20 min"))
METHOD = ("bootstrap over posts of the mean log engagement rate of the {what} minus the account's other posts', "
          "spike-and-slab prior (½ no effect, ½ N(0, 0.25²)); confidence = posterior P(real and in the claimed direction)")


def length_bucket(duration_s: pd.Series) -> pd.Series:
    seconds = pd.to_numeric(duration_s, errors="coerce")
    out = pd.Series(pd.NA, index=duration_s.index, dtype=object)
    for low, high, name in LENGTHS:
        out[(seconds >= low) & ((seconds < high) if high else True)] = name
    return out


def _compare(kind: str, rated_posts: pd.DataFrame, groups: pd.Series, value: str, what: str, now: datetime) -> list:
    out = []
    frame = rated_posts.assign(group=groups)
    for (platform, account), own in frame.groupby(["platform", "account_id"], sort=True):
        own = own[own["group"].notna()]
        for name in sorted(own["group"].unique()):
            inside = own["group"] == name
            if inside.sum() < MIN_POSTS or (~inside).sum() < MIN_POSTS:
                continue
            effect = two_sample(own.loc[inside, value], own.loc[~inside, value])
            if effect is None:
                continue
            ev = effect.evidence()
            label = name.replace("_", " ")
            word = "more" if effect.direction == "up" else "less"
            text = (f"{label.capitalize()} posts earned {ratio_text(effect.ratio)} the engagement rate of your "
                    f"other posts{' of the same format' if kind == 'content_length' else ''} (95 % interval "
                    f"{ev['ratio_low_95']:.2f}–{ev['ratio_high_95']:.2f}×, {effect.n_in} posts vs {effect.n_out}): "
                    f"post {word} of them.")
            data = {kind.removeprefix("content_"): name, "weeks": WEEKS, "measure": value, **ev}
            out.append(insight(kind, platform, account, name, data, effect.confidence, METHOD.format(what=what),
                               text, now))
    return out


def content_formats(rated_posts: pd.DataFrame, now: datetime) -> list[dict]:
    return _compare("content_format", rated_posts, rated_posts["format"], "log_rate", "format's posts", now)


def content_lengths(rated_posts: pd.DataFrame, now: datetime) -> list[dict]:
    return _compare("content_length", rated_posts, length_bucket(rated_posts["duration_s"]), "rel",
                    "duration bucket's posts (format-adjusted)", now)
