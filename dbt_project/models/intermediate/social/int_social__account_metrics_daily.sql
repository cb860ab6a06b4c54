-- All platforms' int_<platform>__account_metrics_daily models, same canonical columns.
{{ union_platforms('account_metrics_daily') }}
