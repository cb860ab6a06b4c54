"""raw.instagram_users — account snapshots (the only source of Instagram follower history)."""

from expectations.rules import TableSuite, counter, known_keys, matches, not_null, required_keys

COUNTERS = ("followers_count", "follows_count", "media_count")


def build() -> TableSuite:
    return TableSuite(
        platform="instagram",
        table="instagram_users",
        select="payload ->> 'id' as user_id, " + ", ".join(f"payload ->> '{c}' as {c}" for c in COUNTERS),
        rules=(
            required_keys(["id", "username"]),
            known_keys(["id", "ig_id", "name", "username", "biography", "website", "profile_picture_url",
                        "user_id", "account_type", *COUNTERS]),
            not_null("user_id"),
            matches("user_id", "^[0-9]+$", "user id is numeric"),
            *(counter(c) for c in COUNTERS),
        ),
    )
