"""Tables the insights layer writes (Python, not dbt): the DDL lives here, once.

dbt owns the rest of `marts`; these are declared as dbt sources (models/marts/insights/
_insights__sources.yml) so the dbt docs describe them. Each write replaces a table's rows in one
transaction, so a crash leaves the previous forecasts, never half of the new ones. Every row carries its
workspace_id (stamp_workspaces), and each table is secured for the per-workspace BI logins like a
dbt mart (core/warehouse/row_security.py: the rule on workspace_id).
"""

from __future__ import annotations

from psycopg2 import sql

from core.warehouse.registry import stamp_from_registry
from core.warehouse.row_security import secure_mart

FORECASTS_DDL = """
create table if not exists marts.mart_forecasts (
    domain          text    not null,   -- social | community
    platform        text    not null,   -- youtube … | community
    account_id      text    not null,   -- the account (social) or the community id
    metric          text    not null,   -- followers | views | engagements | dau | joins
    made_on         date    not null,   -- the day the forecast was made (the run's date)
    history_start   date    not null,
    history_end     date    not null,   -- last observed day the model saw
    history_days    integer not null,   -- days with a value in [history_start, history_end]
    target_date     date    not null,
    horizon_days    integer not null,   -- target_date - history_end, 1..90
    point           double precision not null,
    lower_80        double precision not null,
    upper_80        double precision not null,
    lower_95        double precision not null,
    upper_95        double precision not null,
    model           text    not null,   -- chosen by the backtest (or the short-history baseline)
    backtest_horizon_days integer,      -- NULL when the history is too short to backtest
    backtest_windows integer,
    backtest_smape  double precision,   -- of the chosen model, percent
    backtest_mase   double precision,
    baseline_smape  double precision,   -- seasonal naive on the same windows
    baseline_mase   double precision,
    note            text,               -- e.g. short history, widened intervals
    primary key (domain, platform, account_id, metric, target_date)
)"""

ANOMALIES_DDL = """
create table if not exists marts.mart_anomalies (
    anomaly_id      text    primary key, -- md5 of level, platform, account, post, metric, day
    level           text    not null check (level in ('account', 'post', 'community')),
    domain          text    not null,
    platform        text    not null,
    account_id      text    not null,
    post_id         text,                -- NULL unless level = 'post'
    metric          text    not null,
    observed_on     date    not null,
    value           double precision,
    expected        double precision,
    lower_bound     double precision,
    upper_bound     double precision,
    ratio           double precision,    -- value / expected
    score           double precision not null, -- signed robust z of the residual
    severity        double precision not null, -- |score|, the ranking key
    direction       text    not null check (direction in ('spike', 'drop')),
    likely_cause    text,                -- drops: 'broken connection' or 'real decline'
    reason          text    not null,    -- in words: "views 4.8× the expected 1,200 for a Tuesday"
    method          text    not null,
    detected_at     timestamptz not null default now()
)"""

AB_TESTS_DDL = """
create table if not exists marts.mart_ab_tests (
    test_name       text    not null,   -- abtests.yaml tests[].name
    variant         text    not null,
    is_control      boolean not null,   -- the variant lifts are measured against
    hypothesis      text    not null,
    metric          text    not null,   -- '<successes> / <trials>', e.g. 'engaged_views / views'
    posts           integer not null,   -- posts in the variant
    trials          double precision not null,  -- summed over the variant's known post-days
    successes       double precision not null,
    rate            double precision,   -- successes / trials; NULL without trials
    excluded_post_days integer not null, -- post-days with a NULL count (or successes > trials)
    p_value         double precision,   -- scipy.stats.chi2_contingency on variant x (success, failure)
    statistic       double precision,
    dof             integer not null,
    correction      boolean not null,   -- Yates' continuity correction applied (2x2 only)
    alpha           double precision not null,
    min_sample      integer not null,   -- trials per variant before a verdict
    lift_vs_control double precision,   -- (rate - control rate) / control rate; NULL for the control
    lift_ci_low     double precision,   -- (1 - alpha) interval, delta method on log(rate ratio)
    lift_ci_high    double precision,
    status          text    not null check (status in ('running', 'winner', 'inconclusive', 'insufficient')),
    winner          text,               -- the variant with the highest rate when status = 'winner'
    sample_needed   double precision,   -- more trials this variant needs (power 0.8); NULL unknown
    start_date      date    not null,   -- declared window
    end_date        date    not null,
    data_start      date    not null,   -- days counted so far
    data_end        date,               -- NULL before the first complete day
    note            text,
    evaluated_at    timestamptz not null,
    primary key (test_name, variant)
)"""

ROI_DDL = """
create table if not exists marts.mart_roi (
    row_key         text    primary key, -- 'account/youtube/UC1/2026-10/EUR', 'platform/…', 'campaign/…'
    row_type        text    not null check (row_type in ('account', 'platform', 'campaign')),
    month           date    not null,   -- first day of the month
    platform        text,               -- NULL for a campaign on several platforms
    account_id      text,               -- account rows only
    campaign        text,               -- campaign rows only
    currency        text,               -- ISO 4217; NULL where no cost is declared (never mixed)
    fixed_cost      double precision,   -- NULL = not declared (never 0)
    per_post_cost   double precision,
    posts_published integer not null,   -- published that month (UTC date, dim_posts)
    production_cost double precision,   -- per_post_cost x posts_published
    ad_spend        double precision,
    total_cost      double precision,   -- sum of the declared parts; NULL when none is declared
    views           double precision,   -- sums over the complete days; NULL when unknown on any
    engagements     double precision,
    followers_gained double precision,  -- sum of followers_net; NULL for campaigns
    cost_per_1000_views double precision, -- NULL when the cost or the denominator is unknown or <= 0
    cost_per_engagement double precision,
    cost_per_follower   double precision,
    days            integer not null,   -- days of the month (account-days on platform rows)
    complete_days   integer not null,
    is_month_complete boolean not null,
    accounts_with_cost    integer,      -- platform rows only
    accounts_without_cost integer,      -- platform rows only
    note            text,
    computed_at     timestamptz not null
)"""

INSIGHTS_DDL = """
create table if not exists marts.mart_insights (
    insight_id      text    primary key, -- md5 of type, platform, account, key (block, hashtag, post …)
    insight_type    text    not null,   -- best_posting_time | trending_hashtag | audience_shift | content_format …
    platform        text    not null,
    account         text,               -- the account id; NULL for a platform-level insight
    insight_data    jsonb   not null,   -- the evidence: sample sizes, effect, interval, baseline, method's numbers
    confidence_score double precision not null check (confidence_score between 0 and 1),
    confidence_label text   not null check (confidence_label in ('low', 'medium', 'high')),
    method          text    not null,
    text            text    not null,   -- one sentence a creator understands
    generated_at    timestamptz not null, -- the run's clock
    valid_until     timestamptz not null
)"""

RECYCLING_DDL = """
create table if not exists marts.mart_recycling_candidates (
    run_date        date    not null,   -- the run's date (workspace time zone): ages count to it
    platform        text    not null,
    account_id      text    not null,
    post_key        text    primary key, -- '<platform>:<post_id>'
    post_id         text    not null,
    title           text,
    format          text,
    published_at    timestamptz,
    age_days        integer not null,   -- run_date - local publish date (>= min_age_days)
    rank_in_account integer not null,   -- 1 = the best candidate of the account
    score           double precision not null, -- weighted mean of the known parts, 0..1
    engagement_part double precision,   -- engagement-rate percentile within the account; NULL unknown
    still_arriving_part double precision, -- min(1, views last 30 days / first 30 days); NULL unknown
    timeless_part   double precision not null, -- 1 without dated words, else 0
    last_ran_part   double precision not null, -- min(1, days since it last ran / saturation_days)
    parts_missing   text,               -- the parts left out of the score (unknown), e.g. 'still_arriving'
    engagement_rate double precision,   -- lifetime, percent (marts.mart_content_performance)
    views_first_30d double precision,   -- NULL when those days are unknown
    views_last_30d  double precision,
    dated_words     text,               -- the dated words found, e.g. '2025, christmas'
    last_ran_date   date    not null,   -- the latest day it, a copy, or a listed recycling ran
    last_ran_source text    not null check (last_ran_source in ('published', 'copy', 'recycled_list')),
    days_since_last_ran integer not null,
    reason          text    not null,   -- the score in one sentence
    generated_at    timestamptz not null
)"""

BENCHMARKS_DDL = """
create table if not exists marts.mart_competitor_benchmarks (
    grain           text    not null check (grain in ('week', 'month')),  -- ISO week (Monday) or month
    period_start    date    not null,
    period_end      date    not null,
    platform        text    not null,
    account_id      text    not null,   -- own account id, or the competitor handle from tidemark.yaml
    account_name    text,
    is_competitor   boolean not null,
    status          text    not null check (status in ('ok', 'disappeared', 'not_found')),
    followers       bigint,             -- last observation in the period; NULL without one
    followers_start bigint,             -- the observation growth is measured from
    follower_growth bigint,             -- NULL until two observations (public APIs give current counts only)
    follower_growth_pct double precision,
    posts           integer,            -- published in the period; NULL before post coverage starts
    posts_per_week  double precision,   -- posts / (days of the period so far / 7)
    engagements     bigint,             -- public counts of those posts (engagement_base), latest known
    engagement_per_post double precision,
    engagement_rate double precision,   -- engagement_per_post / followers
    engagement_base text    not null,   -- which public counters the platform's engagement adds up
    format_mix      jsonb,              -- {format: share of the period's posts}
    observations    integer not null,   -- follower observations in the period (snapshots or days)
    disappeared_on  date,               -- first day the API answered "not found" after the last find
    generated_at    timestamptz not null,
    primary key (grain, period_start, platform, account_id, is_competitor)
)"""

DDL = (FORECASTS_DDL, ANOMALIES_DDL, AB_TESTS_DDL, ROI_DDL, INSIGHTS_DDL, RECYCLING_DDL, BENCHMARKS_DDL)


TABLES = ("mart_forecasts", "mart_anomalies", "mart_ab_tests", "mart_roi", "mart_insights",
          "mart_recycling_candidates", "mart_competitor_benchmarks")
# The column naming a row's account in each table (none: the rows are not one account's).
ACCOUNT_COLUMN = {"mart_insights": "account", "mart_ab_tests": None}


def ensure_tables(cur) -> None:
    """Create the missing tables, give each its workspace_id and secure it (a no-op when done already)."""
    for statement in DDL:
        cur.execute(statement)
    for table in TABLES:  # every mart row carries its workspace (docs/workspaces.md): the BI logins' filter
        cur.execute(f"alter table marts.{table} add column if not exists workspace_id text")
        secure_mart(cur, f"marts.{table}")  # after the column: the BI logins' policies are on workspace_id


def stamp_workspaces(cur, table: str, rest: str | None = None) -> None:
    """Fill `workspace_id` of `marts.<table>` from the account registry (an account is in exactly one
    workspace), the community's rows from its workspace, the rows of no account with `rest` (or NULL:
    only the admin sees rows that belong to no single workspace)."""
    account = ACCOUNT_COLUMN.get(table, "account_id")
    cur.execute("select to_regclass('ops.workspace_accounts') is not null and to_regclass('ops.workspace_domains') "
                "is not null")
    if account and cur.fetchone()[0]:  # no registry (a warehouse never run): nothing to stamp from
        stamp_from_registry(cur, sql.Identifier("marts", table), account)
        cur.execute(f"update marts.{table} as t set workspace_id = d.workspace_id from ops.workspace_domains as d "
                    "where t.workspace_id is null and t.platform = d.domain")
    if rest is not None:
        cur.execute(f"update marts.{table} set workspace_id = %s where workspace_id is null", (rest,))
