"""The public marts (`marts.*`): the contract BI users, reports and the quality gate rely on."""

PUBLIC_MARTS = (
    "dim_accounts", "dim_posts", "fct_post_metrics_daily", "fct_account_metrics_daily",
    "mart_content_performance", "mart_content_totals", "mart_dashboard_daily", "mart_top_posts",
    "mart_posting_times", "mart_period_comparison", "mart_platform_comparison", "mart_hashtag_performance",
    "mart_format_performance", "mart_audience_demographics", "mart_metrics_long",
)
