-- Day x level x category of logged errors (seed 004 ErrorLog): how many, how many were resolved
-- (an error_resolved for the error_id arrived, on any later day), how long resolution took, and the
-- most frequent message. The day is the error's own (UTC date of the error_log event).
-- Incremental: rebuilds the days of errors int_community__errors changed (new, or newly resolved) since
-- this mart's last build, from int_community__errors (which keeps errors after the raw cleanup).
{{ config(**community_incremental(changes='int_community__errors')) }}

with

errors as (
    select * from {{ ref('int_community__errors') }}
    where {{ community_rebuild_day_filter('day') }}
),

messages as (
    select
        day,
        level,
        category,
        error_message,
        row_number() over (
            partition by day, level, category order by count(*) desc, error_message asc nulls last
        ) as message_rank
    from errors
    group by 1, 2, 3, 4
),

counts as (
    select
        day,
        level,
        category,
        count(*) as error_count,
        count(*) filter (where is_resolved) as resolved_count,
        count(*) filter (where not is_resolved) as open_count,
        round(
            (percentile_cont(0.5) within group (order by minutes_to_resolve) filter (where is_resolved))::numeric, 2
        ) as median_minutes_to_resolve
    from errors
    group by 1, 2, 3
),

final as (
    select
        counts.day,
        counts.level,
        counts.category,
        counts.error_count,
        counts.resolved_count,
        counts.open_count,
        counts.median_minutes_to_resolve,
        messages.error_message as top_message
    from counts
    left join messages
        on counts.day = messages.day
        and counts.level = messages.level
        and counts.category = messages.category
        and messages.message_rank = 1
)

select * from final
