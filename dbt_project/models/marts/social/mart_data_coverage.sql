{#
    Data coverage per account: what every number Tidemark shows for it stands on. One row per
    account of the workspace (accounts never synced have NULL dates and the note says so).
    Reports print it as their "Data coverage" section; comparisons and trends use complete days
    only (on or before complete_through). Definitions: docs/metrics.md "Completeness".
#}
{{ config(
    indexes=[
        {'columns': ['account_key'], 'unique': true},
        {'columns': ['workspace_id', 'platform']},
    ]
) }}

with

accounts as (
    select * from {{ ref('dim_accounts') }}
),

coverage as (
    select * from {{ ref('int_social__account_coverage') }}
),

final as (
    select
        accounts.account_key,
        accounts.workspace_id,
        accounts.platform,
        accounts.account_id,
        accounts.account_name,
        accounts.is_simulated,
        coverage.tracked_since,
        coverage.last_synced_at,
        coverage.complete_through,
        coverage.activity_source,
        coverage.activity_from,
        coverage.report_from,
        coverage.followers_source,
        coverage.followers_from,
        coverage.post_metrics_source,
        coverage.has_estimated_days,
        case
            when coverage.account_id is null then 'not synced yet: no data'
            when coverage.activity_source = 'account_report'
                then 'activity from the platform''s account-level daily report'
                    || coalesce(' from ' || coverage.report_from, '')
                    || '; complete through ' || coalesce(coverage.complete_through::text, 'unknown')
            else 'no account-level daily report: activity is the sum of the posts'' daily values, known from '
                || coalesce(coverage.activity_from::text, 'the second sync on')
                || ' (a post published before tracking began counts only what it gained since)'
                || '; complete through ' || coalesce(coverage.complete_through::text, 'unknown')
        end
        || case
            when coverage.followers_from is null then '; followers unknown'
            else '; followers known from ' || coverage.followers_from || ' (earlier: unknown; latest from '
                || replace(coverage.followers_source, '_', ' ') || ')'
        end
        || case
            when coverage.has_estimated_days then '; some days estimated (spread over a gap between syncs)' else ''
        end
            as note
    from accounts
    left join coverage
        on accounts.platform = coverage.platform
        and accounts.account_id = coverage.account_id
)

select * from final
