-- All platforms' int_<platform>__posts models, same canonical columns.
{{ union_platforms('posts') }}
