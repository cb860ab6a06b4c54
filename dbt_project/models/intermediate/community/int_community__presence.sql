-- Presence (seed 004: a member is online while a heartbeat or any community activity was seen within
-- the last 300 s): online at instant t iff a community_activity of theirs has t - 300 s < event_at <= t.
-- Sampled on the UTC 5-minute grid, so each event is seen at exactly one sample point: its time rounded
-- up to the grid. One row per member online in a community at a sample point; every presence number
-- (daily, hourly, per member) is a count of these rows.
with

activity as (
    select
        community_id,
        user_id,
        event_at
    from {{ ref('stg_community__events') }}
    where
        is_known_event
        and event_name = 'community_activity'
        and community_id is not null
        and user_id is not null
),

final as (
    select distinct
        community_id,
        user_id,
        to_timestamp(ceil(extract(epoch from event_at) / 300) * 300) as sample_at
    from activity
)

select * from final
