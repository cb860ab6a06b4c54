"""When each post's content last ran, and which posts rest because they were just recycled.

Content runs again in two ways: a post listed under `insights.recycling.recycled` (the day it was
posted again), or a later post of the same account with the same normalised title (a detected
copy: the copy's publish day). A post and its copies are one *content group*: every member's
`last_ran_date` is the group's latest run, and while the latest recycling is less than
`exclude_days` old every member rests (is excluded from the candidates).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pandas as pd

from core.workspace import RecyclingSettings
from insights.frames import InsightsInputError

HISTORY_COLUMNS = ("post_key", "content_group", "last_ran_date", "last_ran_source", "last_recycled_date",
                   "is_excluded")
_HASHTAG = re.compile(r"#\w+")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise_title(title: str | None) -> str | None:
    """Lowercase words of the title without hashtags or punctuation ("Pasta in 10 minutes! #food" →
    "pasta in 10 minutes"): a copy often changes its tags and punctuation. None when nothing is left."""
    if not title:
        return None
    text = _HASHTAG.sub(" ", unicodedata.normalize("NFKC", title).casefold())
    words = _NOT_WORD.sub(" ", text).split()
    return " ".join(words) or None


def check_recycled(settings: RecyclingSettings, known: set[str]) -> None:
    """Every listed post must be in marts.dim_posts; the message names each bad entry."""
    bad = [f"  insights.recycling.recycled[{i}].post: {item.post} is not a known post (marts.dim_posts)"
           for i, item in enumerate(settings.recycled) if item.post not in known]
    if bad:
        raise InsightsInputError("Invalid recycling settings (tidemark.yaml):\n" + "\n".join(bad))


def content_history(posts: pd.DataFrame, settings: RecyclingSettings, today: date) -> pd.DataFrame:
    """HISTORY_COLUMNS per post. `posts`: post_key, platform, account_id, title, published_date_local."""
    frame = posts[["post_key", "platform", "account_id", "title", "published_date_local"]].copy()
    frame["published_date_local"] = pd.to_datetime(frame["published_date_local"]).dt.date
    title = frame["title"].map(normalise_title)
    frame["content_group"] = (frame["platform"] + "/" + frame["account_id"] + "/" + title).fillna(
        "post/" + frame["post_key"])
    order = frame.sort_values(["published_date_local", "post_key"])
    is_copy = order.duplicated("content_group")  # every member after the group's first post
    runs = [order.assign(ran=order["published_date_local"], source="published", recycled=is_copy)]
    listed = pd.DataFrame([(r.post, r.recycled_on) for r in settings.recycled], columns=["post_key", "ran"])
    if not listed.empty:
        runs.append(listed.merge(frame[["post_key", "content_group"]], on="post_key")
                    .assign(source="recycled_list", recycled=True))
    runs = pd.concat(runs, ignore_index=True)
    runs.loc[runs["source"].eq("published") & runs["recycled"], "source"] = "copy"
    latest = (runs.sort_values(["ran", "source"]).groupby("content_group").tail(1)
              .set_index("content_group")[["ran", "source"]])
    recycled = runs[runs["recycled"]].groupby("content_group")["ran"].max()
    out = frame[["post_key", "content_group"]].copy()
    out["last_ran_date"] = out["content_group"].map(latest["ran"])
    out["last_ran_source"] = out["content_group"].map(latest["source"])
    out["last_recycled_date"] = out["content_group"].map(recycled)
    out["is_excluded"] = out["last_recycled_date"].map(
        lambda day: isinstance(day, date) and (today - day).days < settings.exclude_days)
    return out.loc[:, list(HISTORY_COLUMNS)].reset_index(drop=True)
