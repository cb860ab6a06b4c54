"""raw.linkedin_network_sizes — follower totals (the only source of LinkedIn follower history)."""

from expectations.rules import TableSuite, counter, day_in_range, known_keys, not_null, required_keys


def build() -> TableSuite:
    return TableSuite(
        platform="linkedin",
        table="linkedin_network_sizes",
        select="payload ->> 'snapshot_date' as snapshot_date, payload ->> 'firstDegreeSize' as first_degree_size",
        rules=(
            required_keys(["snapshot_date", "firstDegreeSize"]),
            known_keys(["snapshot_date", "firstDegreeSize", "organizationalEntity"]),
            not_null("snapshot_date"),
            day_in_range("snapshot_date", "linkedin"),
            counter("first_degree_size"),
        ),
    )
