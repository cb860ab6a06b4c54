"""raw.linkedin_posts — Posts API finder elements (timestamps are epoch milliseconds)."""

from expectations.rules import TableSuite, known_keys, matches, not_null, required_keys, timestamp_in_range

# Epoch ms → ISO text for the shared timestamp rule; anything not 10–15 digits passes through as-is
# (and then fails the rule) instead of breaking the query with a cast error.
PUBLISHED_ISO = (
    "case when payload ->> 'publishedAt' ~ '^[0-9]+$' and length(payload ->> 'publishedAt') between 10 and 15 "
    "then to_char(to_timestamp((payload ->> 'publishedAt')::bigint / 1000.0) at time zone 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS') else payload ->> 'publishedAt' end"
)


def build() -> TableSuite:
    return TableSuite(
        platform="linkedin",
        table="linkedin_posts",
        select=(
            "payload ->> 'id' as post_id, payload ->> 'author' as author, "
            "payload ->> 'createdAt' as created_at_ms, payload ->> 'lastModifiedAt' as last_modified_at_ms, "
            f"{PUBLISHED_ISO} as published_at"
        ),
        rules=(
            required_keys(["id", "author", "createdAt", "lastModifiedAt", "lifecycleState"]),
            known_keys(["id", "author", "commentary", "visibility", "distribution", "content", "lifecycleState",
                        "isReshareDisabledByAuthor", "createdAt", "publishedAt", "lastModifiedAt",
                        "lifecycleStateInfo", "reshareContext", "contentLandingPage", "contentCallToActionLabel",
                        "adContext", "container"]),
            not_null("post_id"),
            matches("post_id", "^urn:li:(share|ugcPost):[0-9]+$", "post id is a share or ugcPost URN"),
            matches("author", "^urn:li:(organization|organizationBrand|person):[A-Za-z0-9_-]+$",
                    "author is an organization (or member) URN"),
            matches("created_at_ms", "^[0-9]+$", "createdAt is epoch milliseconds"),
            matches("last_modified_at_ms", "^[0-9]+$", "lastModifiedAt is epoch milliseconds"),
            timestamp_in_range("published_at", "linkedin"),
        ),
    )
