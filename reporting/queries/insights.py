"""Forecasts and anomalies of the accounts in scope (`marts.mart_forecasts`, `marts.mart_anomalies`).

Both tables are written by the insights layer (Python, DDL in `insights/store.py`), not by dbt, so
they may not exist yet on a fresh warehouse: the sections ask first (`Ctx.exists`) and say so
instead of failing. The history drawn under a forecast is `marts.fct_account_metrics_daily` on
complete days only, as in the activity view.
"""

from __future__ import annotations

from reporting.queries.scope import POST_FILTER, SCOPED

# Every forecast row of the latest forecast (made_on) of each account × metric in scope.
FORECASTS = f"""
    with {SCOPED},
    latest as (
        select f.platform, f.account_id, f.metric, max(f.made_on) as made_on
        from marts.mart_forecasts as f
        where f.domain = 'social' and f.metric = any(%(fc_metrics)s::text[])
        group by 1, 2, 3
    )
    select s.account_key, s.account_name, f.platform, f.account_id, f.metric, f.made_on, f.history_start,
           f.history_end, f.history_days, f.target_date, f.horizon_days, f.point, f.lower_80, f.upper_80,
           f.lower_95, f.upper_95, f.model, f.backtest_horizon_days, f.backtest_windows, f.backtest_smape,
           f.backtest_mase, f.baseline_smape, f.baseline_mase, f.note
    from scoped as s
    inner join latest as l on l.platform = s.platform and l.account_id = s.account_id
    inner join marts.mart_forecasts as f
        on f.domain = 'social' and f.platform = l.platform and f.account_id = l.account_id
        and f.metric = l.metric and f.made_on = l.made_on
    order by s.platform, s.account_id, f.metric, f.target_date
"""

FORECAST_ROWS = "select count(*) as rows from marts.mart_forecasts where domain = 'social'"

# Followers and views per account and day up to the chart's end, complete days only
# (is_complete): the days the forecaster reads (insights/warehouse.py), so the chart shows the
# history the model saw.
KNOWN = f"""
    with {SCOPED},
    known as (
        select s.account_key, f.metric_date,
               case when f.is_complete then f.views end as views,
               case when f.is_complete then f.followers end as followers
        from scoped as s
        inner join marts.fct_account_metrics_daily as f
            on f.account_key = s.account_key and f.metric_date <= %(fc_end)s
    )
"""
# the chart's window
HISTORY = KNOWN + """
    select k.account_key, k.metric_date, k.views, k.followers from known as k
    where k.metric_date >= %(fc_start)s and (k.views is not null or k.followers is not null)
    order by 1, 2
"""
# all known history (said next to a series without a forecast)
HISTORY_SPAN = KNOWN + """
    select k.account_key,
           count(k.views) as views_days, min(k.metric_date) filter (where k.views is not null) as views_from,
           max(k.metric_date) filter (where k.views is not null) as views_to,
           count(k.followers) as followers_days,
           min(k.metric_date) filter (where k.followers is not null) as followers_from,
           max(k.metric_date) filter (where k.followers is not null) as followers_to
    from known as k
    group by 1
"""

# The anomalies of the period (account and post level), in the report's scope, most severe first.
ANOMALIES = f"""
    with {SCOPED}
    select m.level, m.platform, m.account_id, s.account_name, m.post_id, p.title as post_title, m.metric,
           m.observed_on, m.direction, m.value, m.expected, m.lower_bound, m.upper_bound, m.ratio, m.score,
           m.severity, m.likely_cause, m.reason, m.method, m.detected_at, m.anomaly_id
    from marts.mart_anomalies as m
    inner join scoped as s on s.platform = m.platform and s.account_id = m.account_id
    left join marts.dim_posts as p
        on m.level = 'post' and p.platform = m.platform and p.post_id = m.post_id
    where m.domain = 'social' and m.level in ('account', 'post')
      and m.observed_on between %(start)s and %(end)s
      and (m.level = 'account' or (%(formats)s::text[] is null and %(hashtags)s::text[] is null)
           or (p.post_key is not null and {POST_FILTER}))
    order by m.severity desc, m.observed_on desc, m.anomaly_id
"""

# What the detector looks at, as far as the table tells: the levels and metrics it has judged
# (any day, any account in scope) and when it last ran.
ANOMALY_SERIES = f"""
    with {SCOPED}
    select m.level, m.metric, count(distinct m.account_id) as accounts, max(m.detected_at) as last_detected_at
    from marts.mart_anomalies as m
    inner join scoped as s on s.platform = m.platform and s.account_id = m.account_id
    where m.domain = 'social' and m.level in ('account', 'post')
    group by 1, 2 order by 1, 2
"""

