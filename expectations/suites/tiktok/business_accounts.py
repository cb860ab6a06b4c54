"""raw.tiktok_business_accounts — Business API account snapshot (followers, audience shares)."""

from expectations.rules import Rule, TableSuite, counter, known_keys, required_keys

BAD_SHARE = ("jsonb_path_exists(payload, '$.*[*] ? (exists(@.percentage) && "
             "!(@.percentage >= 0 && @.percentage <= 1))')")


def build() -> TableSuite:
    return TableSuite(
        platform="tiktok",
        table="tiktok_business_accounts",
        select=f"payload ->> 'followers_count' as followers_count, {BAD_SHARE} as has_bad_share",
        rules=(
            required_keys(["followers_count"]),
            known_keys(["followers_count", "audience_ages", "audience_genders", "audience_countries",
                        "audience_cities", "display_name", "username", "profile_image", "is_business_account",
                        "total_likes", "videos_count", "following_count", "bio_description"]),
            counter("followers_count"),
            Rule("every audience percentage is a fraction between 0 and 1", "has_bad_share"),
        ),
    )
