-- Every logged error is either resolved or open: resolved_count + open_count = error_count, and the
-- median time to resolve is NULL exactly when nothing was resolved.
select
    day,
    level,
    category,
    error_count,
    resolved_count,
    open_count,
    median_minutes_to_resolve
from {{ ref('mart_error_logs') }}
where
    resolved_count + open_count <> error_count
    or resolved_count < 0
    or open_count < 0
    or (resolved_count = 0) <> (median_minutes_to_resolve is null)
