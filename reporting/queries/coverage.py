"""Data coverage: what each account's numbers in the period stand on (`marts.mart_data_coverage`),
and which of the period's days are complete, not yet reported, or unknown."""

from __future__ import annotations

from reporting.queries.activity import days
from reporting.queries.scope import SCOPED

COVERAGE = f"""
    with {SCOPED}, {days('period', '%(start)s', '%(end)s')}
    select s.account_key, s.platform, s.account_id, s.account_name, s.timezone, s.is_simulated,
           c.tracked_since, c.last_synced_at, c.complete_through, c.activity_source, c.activity_from, c.report_from,
           c.followers_source, c.followers_from, c.post_metrics_source, c.has_estimated_days, c.note,
           count(d.metric_date) as period_days,
           count(d.metric_date) filter (where d.is_known) as complete_days,
           count(d.metric_date) filter (where d.is_known and d.is_estimated) as estimated_days,
           count(d.metric_date) filter (where d.is_known and d.activity_source = 'post_sum') as post_sum_days,
           array_agg(d.metric_date order by d.metric_date)
               filter (where not d.is_known and d.metric_date > c.complete_through) as not_final_days,
           array_agg(d.metric_date order by d.metric_date)
               filter (where not d.is_known and (c.complete_through is null or d.metric_date <= c.complete_through))
               as unknown_days,
           (select string_agg(distinct f.followers_source, ',' order by f.followers_source)
              from marts.fct_account_metrics_daily as f
              where f.account_key = s.account_key and f.metric_date between %(start)s and %(end)s
                and f.followers is not null) as followers_sources,
           (select count(*) from marts.fct_post_metrics_daily as x
              where x.account_key = s.account_key and x.metric_date between %(start)s and %(end)s
                and x.is_estimated) as estimated_post_days
    from scoped as s
    left join marts.mart_data_coverage as c on c.account_key = s.account_key
    left join period as d on d.account_key = s.account_key
    group by s.account_key, s.platform, s.account_id, s.account_name, s.timezone, s.is_simulated,
             c.tracked_since, c.last_synced_at, c.complete_through, c.activity_source, c.activity_from,
             c.report_from, c.followers_source, c.followers_from, c.post_metrics_source, c.has_estimated_days,
             c.note
    order by s.platform, s.account_id
"""
