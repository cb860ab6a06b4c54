-- Community x day: DAU, WAU (7 days ending that day), MAU (30 days ending that day) and Discourse's
-- stickiness DAU / MAU × 100. Active = int_community__member_days (any event naming the community).
-- One row per day from the community's first active day to the last day of data (a day without
-- activity has DAU 0). Near the start of the data the windows reach before it: mau_coverage_days says
-- how many of the 30 days are covered, is_mau_complete whether all are.
with

member_days as (
    select * from {{ ref('int_community__member_days') }}
),

extent as (
    select
        min(day) as first_day,
        max(day) as last_day
    from member_days
),

days as (
    select
        firsts.community_id,
        generate_series(firsts.first_active_day, extent.last_day, interval '1 day')::date as day,
        extent.first_day
    from (
        select
            community_id,
            min(day) as first_active_day
        from member_days
        group by 1
    ) as firsts
    cross join extent
),

windows as (
    select
        days.community_id,
        days.day,
        days.first_day,
        count(distinct member_days.user_id) filter (where member_days.day = days.day) as dau,
        count(distinct member_days.user_id) filter (where member_days.day > days.day - 7) as wau,
        count(distinct member_days.user_id) as mau
    from days
    left join member_days
        on days.community_id = member_days.community_id
        and member_days.day between days.day - 29 and days.day
    group by 1, 2, 3
),

final as (
    select
        community_id,
        day,
        dau,
        wau,
        mau,
        {{ rate_pct('dau', 'mau') }} as stickiness_pct,
        least(30, day - first_day + 1) as mau_coverage_days,
        day - first_day + 1 >= 30 as is_mau_complete
    from windows
)

select * from final
