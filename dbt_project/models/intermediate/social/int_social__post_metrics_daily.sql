-- All platforms' int_<platform>__post_metrics_daily models, same canonical columns.
{{ union_platforms('post_metrics_daily') }}
