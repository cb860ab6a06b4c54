"""Titles, captions, hashtags and account names for the synthetic world.

Kept apart from the numeric model: text is built per post in Python (a few
hundred strings per account), deterministically from the post key, with a
few hashtags so that tag-performance analyses have something to group by.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

import numpy as np

from simulator import rand
from simulator.models import Post
from simulator.profiles import ADJECTIVES, FIRST_NAMES, TITLE_PATTERNS, TOPICS, PlatformProfile
from simulator.series import PostTable


class Named(Protocol):
    """What a name is drawn from; an account qualifies (text sits below accounts, so no import)."""

    key: int
    topic: str


_TOPIC_LABEL = {"cooking": "Cooks", "travel": "Travels", "tech": "Tech", "fitness": "Fitness", "diy": "DIY"}


def account_name(acct: Named) -> str:
    """A readable channel/page name, e.g. "Maya Cooking"."""
    first = FIRST_NAMES[int(rand.uniform(130, acct.key) * len(FIRST_NAMES))]
    return f"{first} {_TOPIC_LABEL.get(acct.topic, acct.topic.title())}"


def account_handle(acct: Named) -> str:
    return "@" + account_name(acct).lower().replace(" ", "") + str(acct.key % 1000)


def post_texts(table: PostTable, profile: PlatformProfile, topic: str) -> list[Post]:
    """Build the Post objects (ids, titles, captions, hashtags) for an account's post table."""
    words = TOPICS[topic]
    nouns, tags = words["nouns"], words["tags"]
    keys = table.key
    pat = np.floor(rand.uniform(140, keys) * len(TITLE_PATTERNS)).astype(int)
    adj = np.floor(rand.uniform(141, keys) * len(ADJECTIVES)).astype(int)
    noun = np.floor(rand.uniform(142, keys) * len(nouns)).astype(int)
    tag1 = np.floor(rand.uniform(143, keys) * len(tags)).astype(int)
    tag2 = np.floor(rand.uniform(144, keys) * len(tags)).astype(int)
    two_tags = rand.uniform(145, keys) < 0.5
    fmts = profile.formats
    posts = []
    for i in range(len(table)):
        fmt = fmts[int(table.fmt[i])]
        chosen = [tags[tag1[i]]]
        if two_tags[i] and tag2[i] != tag1[i]:
            chosen.append(tags[tag2[i]])
        chosen.extend(fmt.hashtags)
        title_text = TITLE_PATTERNS[pat[i]].format(adj=ADJECTIVES[adj[i]], noun=nouns[noun[i]])
        title_text = title_text[0].upper() + title_text[1:]
        key = int(keys[i])
        posts.append(Post(
            index=i,
            id=profile.post_id(key),
            key=key,
            format=fmt.name,
            published_at=datetime.fromtimestamp(int(table.published_ts[i]), UTC),
            title=f"{title_text} {' '.join(chosen)}",
            caption=(f"{title_text}. Everything I learned, step by step - new {topic} content "
                     f"every week. {' '.join(chosen)}"),
            hashtags=tuple(chosen),
            duration_s=int(table.duration_s[i]) if fmt.duration_s is not None else None,
            local_weekday=int(table.local_weekday[i]),
            local_hour=int(table.local_hour[i]),
        ))
    return posts
