"""The columns every platform's intermediate models share: int_social__* unions them with `select *`,
so a column added to one platform's model must be added to all six (and here, once)."""

from __future__ import annotations

CANONICAL = {
    "posts": (
        "platform", "account_id", "post_id", "format", "published_at", "title", "caption", "duration_s",
        "permalink", "lifetime_views", "lifetime_reach", "lifetime_impressions", "lifetime_likes",
        "lifetime_comments", "lifetime_shares", "lifetime_saves", "lifetime_clicks", "lifetime_watch_time_minutes",
        "lifetime_avg_view_duration_s", "lifetime_completions", "lifetime_swipe_aways", "snapshot_at",
        "first_snapshot_at",
    ),
    "post_metrics_daily": (
        "platform", "account_id", "post_id", "metric_date", "views", "likes", "comments", "shares", "saves",
        "clicks", "reach", "impressions", "watch_time_minutes", "avg_view_duration_s", "engaged_views",
        "completions", "swipe_aways", "metric_source", "has_negative_delta", "is_estimated", "source_date",
    ),
    "account_metrics_daily": (
        "platform", "account_id", "metric_date", "followers", "following", "profile_views", "website_clicks",
        "reach", "impressions", "views", "likes", "comments", "shares", "saves", "watch_time_minutes",
        "followers_gained", "followers_lost", "reported_engagements", "followers_source",
    ),
    "audience": (
        "platform", "account_id", "snapshot_date", "audience", "dimension", "dimension_value", "value", "value_kind",
    ),
}


def model_columns(runtime, relation: str) -> tuple[str, ...]:
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute("select column_name from information_schema.columns where table_schema = 'staging' "
                    "and table_name = %s order by ordinal_position", (relation,))
        return tuple(row[0] for row in cur.fetchall())


def assert_canonical_columns(runtime, platform: str) -> None:
    """Each of the platform's int_<platform>__<kind> models has exactly the canonical columns, in order."""
    for kind, expected in CANONICAL.items():
        assert model_columns(runtime, f"int_{platform}__{kind}") == expected, kind


def baseline_contract_breaks(runtime, platform: str, metric: str) -> int:
    """Posts of a snapshot platform that break the baseline contract at the intermediate layer: what a
    post had when its account was first read is its baseline (never a day), so Σ daily ≤ lifetime,
    and Σ daily = lifetime for a post published after tracking began (its days start at publication)."""
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(f"""
            with tracking as (
                select account_id, min(first_snapshot_at) as since from staging.int_{platform}__posts group by 1
            ),
            daily as (
                select account_id, post_id, sum({metric}) as total
                from staging.int_{platform}__post_metrics_daily group by 1, 2
            )
            select count(*) from staging.int_{platform}__posts as posts
            inner join tracking using (account_id)
            left join daily using (account_id, post_id)
            where coalesce(daily.total, 0) > posts.lifetime_{metric}
                or (posts.published_at >= tracking.since and coalesce(daily.total, 0) <> posts.lifetime_{metric})""")
        return cur.fetchone()[0]
