"""raw.linkedin_follower_facets — lifetime follower counts by geo, function, seniority... (audience mart)."""

from expectations.rules import Rule, TableSuite, day_in_range, known_keys, not_null, required_keys

FACETS = ["followerCountsByAssociationType", "followerCountsByFunction", "followerCountsByGeo",
          "followerCountsByGeoCountry", "followerCountsByIndustry", "followerCountsBySeniority",
          "followerCountsByStaffCountRange"]
BAD_COUNT = ("jsonb_path_exists(payload, '$.*[*].followerCounts ? "
             "(!(@.organicFollowerCount.type() == \"number\"))')")


def build() -> TableSuite:
    return TableSuite(
        platform="linkedin",
        table="linkedin_follower_facets",
        select=f"payload ->> 'snapshot_date' as snapshot_date, {BAD_COUNT} as has_bad_count",
        rules=(
            required_keys(["snapshot_date", "organizationalEntity"]),
            known_keys(["snapshot_date", "organizationalEntity", *FACETS]),
            not_null("snapshot_date"),
            day_in_range("snapshot_date", "linkedin"),
            Rule("every facet's organicFollowerCount is a number", "has_bad_count"),
        ),
    )
