"""raw.x_users — user snapshots (the only source of X follower history)."""

from expectations.rules import TableSuite, counter, known_keys, matches, not_null, required_keys

COUNTERS = ("followers_count", "following_count", "tweet_count", "listed_count")


def build() -> TableSuite:
    metrics = ", ".join(f"payload -> 'public_metrics' ->> '{name}' as {name}" for name in COUNTERS)
    return TableSuite(
        platform="x",
        table="x_users",
        select=f"payload ->> 'id' as user_id, {metrics}",
        rules=(
            required_keys(["id", "username", "public_metrics"]),
            known_keys(["id", "name", "username", "created_at", "description", "public_metrics", "location", "url",
                        "verified", "protected", "profile_image_url", "pinned_tweet_id"]),
            not_null("user_id"),
            matches("user_id", "^[0-9]+$", "user id is a numeric string"),
            *(counter(column) for column in COUNTERS),
        ),
    )
