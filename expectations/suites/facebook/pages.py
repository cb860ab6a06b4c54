"""raw.facebook_pages — Page snapshots (the only source of Facebook follower/fan history)."""

from expectations.rules import TableSuite, counter, known_keys, matches, not_null, required_keys


def build() -> TableSuite:
    return TableSuite(
        platform="facebook",
        table="facebook_pages",
        select=("payload ->> 'id' as page_id, payload ->> 'fan_count' as fan_count, "
                "payload ->> 'followers_count' as followers_count"),
        rules=(
            required_keys(["id", "name"]),
            known_keys(["id", "name", "link", "category", "username", "fan_count", "followers_count", "about",
                        "picture", "verification_status", "website", "category_list"]),
            not_null("page_id"),
            matches("page_id", "^[0-9]+$", "page id is numeric"),
            counter("fan_count"),
            counter("followers_count"),
        ),
    )
