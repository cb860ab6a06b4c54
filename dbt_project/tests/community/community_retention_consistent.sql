-- Retention invariants: recurring ≤ rolling ≤ cohort size; everyone is active in the join week (the join
-- names the community); rolling retention never rises with the weeks.
with

cohort_weeks as (
    select
        *,
        lead(rolling_retained_members) over (
            partition by community_id, cohort_week order by weeks_since_join
        ) as next_rolling
    from {{ ref('mart_community_retention') }}
)

select
    community_id,
    cohort_week,
    weeks_since_join
from cohort_weeks
where
    retained_members > rolling_retained_members
    or rolling_retained_members > cohort_size
    or (weeks_since_join = 0 and retained_members <> cohort_size)
    or next_rolling > rolling_retained_members
