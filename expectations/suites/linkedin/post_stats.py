"""raw.linkedin_post_stats — lifetime totalShareStatistics per post (feeds every post mart)."""

from expectations.rules import TableSuite, counter, known_keys, matches, not_null, required_keys

COUNTERS = ("impressionCount", "uniqueImpressionsCount", "clickCount", "likeCount", "commentCount", "shareCount")


def build() -> TableSuite:
    stats = "payload -> 'totalShareStatistics'"
    return TableSuite(
        platform="linkedin",
        table="linkedin_post_stats",
        select=", ".join(["payload ->> 'post_urn' as post_urn", f"{stats} ->> 'engagement' as engagement",
                          *(f"{stats} ->> '{name}' as {name.lower()}" for name in COUNTERS)]),
        rules=(
            required_keys(["post_urn", "organizationalEntity", "totalShareStatistics"]),
            known_keys(["post_urn", "organizationalEntity", "share", "ugcPost", "totalShareStatistics"]),
            not_null("post_urn"),
            matches("post_urn", "^urn:li:(share|ugcPost):[0-9]+$", "post URN is well-formed"),
            *(counter(name.lower()) for name in COUNTERS),
            matches("engagement", "^[0-9]+([.][0-9]+)?([eE]-?[0-9]+)?$", "engagement is a non-negative number"),
        ),
    )
