-- Community x weekly join cohort x weeks since joining (PostHog's retention matrix, Discord's
-- new-member retention). Cohort = members whose first join of the community falls in that ISO week
-- (cohort_week = its Monday, UTC dates); active = int_community__member_days (any event naming the
-- community). Rows run from week 0 to the week holding the last day of data; later weeks are unknown
-- and have no row. Built from the member x community x day rollup only.
with

member_days as (
    select * from {{ ref('int_community__member_days') }}
),

extent as (
    select max(day) as last_day from member_days
),

cohorts as (
    select
        community_id,
        user_id,
        date_trunc('week', min(day))::date as cohort_week
    from member_days
    where joins > 0
    group by 1, 2
),

-- weeks since joining in which each cohort member was active (weeks before the join are ignored)
member_weeks as (
    select distinct
        cohorts.community_id,
        cohorts.cohort_week,
        cohorts.user_id,
        (date_trunc('week', member_days.day)::date - cohorts.cohort_week) / 7 as weeks_since_join
    from cohorts
    inner join member_days
        on cohorts.community_id = member_days.community_id and cohorts.user_id = member_days.user_id
    where member_days.day >= cohorts.cohort_week
),

last_active as (
    select
        community_id,
        cohort_week,
        user_id,
        max(weeks_since_join) as last_week
    from member_weeks
    group by 1, 2, 3
),

grid as (
    select
        cohort_sizes.community_id,
        cohort_sizes.cohort_week,
        cohort_sizes.cohort_size,
        generate_series(0, (extent.last_day - cohort_sizes.cohort_week) / 7) as weeks_since_join,
        extent.last_day
    from (
        select
            community_id,
            cohort_week,
            count(*) as cohort_size
        from cohorts
        group by 1, 2
    ) as cohort_sizes
    cross join extent
),

counted as (
    select
        grid.community_id,
        grid.cohort_week,
        grid.weeks_since_join,
        grid.cohort_week + 7 * grid.weeks_since_join as week_start,
        grid.cohort_week + 7 * grid.weeks_since_join + 6 <= grid.last_day as is_complete_week,
        grid.cohort_size,
        (
            select count(*) from member_weeks
            where
                member_weeks.community_id = grid.community_id
                and member_weeks.cohort_week = grid.cohort_week
                and member_weeks.weeks_since_join = grid.weeks_since_join
        ) as retained_members,
        (
            select count(*) from last_active
            where
                last_active.community_id = grid.community_id
                and last_active.cohort_week = grid.cohort_week
                and last_active.last_week >= grid.weeks_since_join
        ) as rolling_retained_members
    from grid
),

final as (
    select
        *,
        {{ rate_pct('retained_members', 'cohort_size') }} as retention_rate,
        {{ rate_pct('rolling_retained_members', 'cohort_size') }} as rolling_retention_rate,
        -- Discord: share of the week's joiners active the next week (NULL until that week has data)
        max({{ rate_pct('retained_members', 'cohort_size') }}) filter (where weeks_since_join = 1)
            over (partition by community_id, cohort_week) as new_member_retention_rate
    from counted
)

select * from final
