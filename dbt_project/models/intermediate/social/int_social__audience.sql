-- All platforms' int_<platform>__audience models, same canonical columns.
{{ union_platforms('audience') }}
