"""raw.tiktok_users — Display API user snapshots (follower history of the account marts)."""

from expectations.rules import TableSuite, counter, known_keys, matches, not_null, required_keys

COUNTERS = ("follower_count", "following_count", "likes_count", "video_count")


def build() -> TableSuite:
    return TableSuite(
        platform="tiktok",
        table="tiktok_users",
        select="payload ->> 'open_id' as open_id, " + ", ".join(f"payload ->> '{c}' as {c}" for c in COUNTERS),
        rules=(
            required_keys(["open_id"]),
            known_keys(["open_id", "union_id", "avatar_url", "avatar_url_100", "avatar_large_url", "display_name",
                        "bio_description", "profile_deep_link", "is_verified", "username", *COUNTERS]),
            not_null("open_id"),
            matches("open_id", "^[A-Za-z0-9_.-]+$", "open_id is well-formed"),
            *(counter(c) for c in COUNTERS),
        ),
    )
