{#
    Daily values from successive lifetime snapshots — for platforms whose API has no per-post daily
    report. The formula, written once:
      - a day's lifetime value is the last snapshot taken that day (UTC);
      - daily value = that day's lifetime − the previous snapshot day's lifetime;
      - the first snapshot of a post carries everything up to it (so Σ daily = latest lifetime);
      - a counter that went down (platforms remove spam likes) stays a negative delta and the row
        is flagged `has_negative_delta`; it is never clamped.
    `relation` needs columns account_id, post_id, fetched_at and the listed metrics (lifetime values).
#}
{% macro snapshot_daily_deltas(relation, metrics) -%}
    with

    per_day as (
        select distinct on (account_id, post_id, fetched_at::date)
            account_id,
            post_id,
            fetched_at::date as metric_date,
            {% for metric in metrics %}{{ metric }}{% if not loop.last %}, {% endif %}{% endfor %}
        from {{ relation }}
        order by account_id, post_id, fetched_at::date, fetched_at desc
    ),

    deltas as (
        select
            account_id,
            post_id,
            metric_date,
            {% for metric in metrics %}
            {{ metric }} - coalesce(lag({{ metric }}) over by_post, 0) as {{ metric }},
            {{ metric }} as lifetime_{{ metric }},
            {% endfor %}
            ({% for metric in metrics %}coalesce({{ metric }} < lag({{ metric }}) over by_post, false){% if not loop.last %} or {% endif %}{% endfor %}) as has_negative_delta
        from per_day
        window by_post as (partition by account_id, post_id order by metric_date)
    )

    select * from deltas
{%- endmacro %}
