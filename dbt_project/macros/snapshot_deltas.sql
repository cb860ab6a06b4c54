{#
    Daily values from successive lifetime snapshots — for platforms whose API has no per-post daily
    report. The formula, written once (docs/metrics.md "Baseline and estimated days"):
      - a day's lifetime value is the last snapshot taken that day (UTC);
      - each later snapshot day adds (its lifetime − the previous snapshot day's lifetime) to the
        days since the previous snapshot day: to that day alone when the snapshots are on
        consecutive days, else spread evenly over every day of the gap (whole numbers that add up
        exactly to the difference) and flagged `is_estimated`;
      - the first snapshot of a post published before tracking began is its *baseline* (lifetime
        before tracking): no daily row carries it (the marts keep it as the post's baseline_*);
        a post published after tracking began started at 0, so its first snapshot is spread from
        its publish date to the snapshot day like any other difference;
      - a counter that went down (platforms remove spam likes) stays a negative delta and the row
        is flagged `has_negative_delta`; it is never clamped, so Σ daily + baseline = lifetime.
    `relation`: account_id, post_id, fetched_at and the listed metrics (lifetime values).
    `posts`: account_id, post_id, published_at. Tracking of an account begins with the first
    snapshot of `relation` for that account. `decimal_metrics` are spread without rounding.
    `source_date` is the snapshot day each row comes from (incremental models re-read by it).
#}
{% macro snapshot_daily_deltas(relation, metrics, posts, decimal_metrics=[]) -%}
    with

    per_day as (
        select distinct on (account_id, post_id, fetched_at::date)
            account_id,
            post_id,
            fetched_at::date as snapshot_date,
            {% for metric in metrics %}{{ metric }}{% if not loop.last %}, {% endif %}{% endfor %}
        from {{ relation }}
        order by account_id, post_id, fetched_at::date, fetched_at desc
    ),

    tracking as (
        select
            account_id,
            min(fetched_at) as tracked_since
        from {{ relation }}
        group by 1
    ),

    steps as (
        select
            per_day.*,
            lag(per_day.snapshot_date) over by_post as previous_date,
            case
                when lag(per_day.snapshot_date) over by_post is not null then lag(per_day.snapshot_date) over by_post + 1
                when published.published_at >= tracking.tracked_since then published.published_at::date
            end as start_date,
            {% for metric in metrics %}
            case
                when lag(per_day.snapshot_date) over by_post is not null
                    then per_day.{{ metric }} - lag(per_day.{{ metric }}) over by_post
                else per_day.{{ metric }}
            end as delta_{{ metric }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from per_day
        inner join tracking on per_day.account_id = tracking.account_id
        left join {{ posts }} as published
            on per_day.account_id = published.account_id
            and per_day.post_id = published.post_id
        window by_post as (partition by per_day.account_id, per_day.post_id order by per_day.snapshot_date)
    ),

    spread as (
        select
            steps.*,
            gap_day::date as metric_date,
            steps.snapshot_date - steps.start_date + 1 as span_days,
            gap_day::date - steps.start_date + 1 as position
        from steps
        cross join lateral generate_series(
            steps.start_date::timestamp, steps.snapshot_date::timestamp, interval '1 day'
        ) as gap_day
        where steps.start_date is not null and steps.start_date <= steps.snapshot_date
    ),

    final as (
        select
            account_id,
            post_id,
            metric_date,
            {% for metric in metrics %}
            {%- set places = 4 if metric in decimal_metrics else 0 %}
            round(delta_{{ metric }}::numeric * position / span_days, {{ places }})
            - round(delta_{{ metric }}::numeric * (position - 1) / span_days, {{ places }}) as {{ metric }},
            {% endfor %}
            span_days > 1 as is_estimated,
            ({% for metric in metrics %}coalesce(delta_{{ metric }} < 0, false){% if not loop.last %}
                or {% endif %}{% endfor %}) as has_negative_delta,
            snapshot_date as source_date
        from spread
    )

    select * from final
{%- endmacro %}
