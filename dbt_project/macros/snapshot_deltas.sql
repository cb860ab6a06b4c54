{#
    Daily values from successive lifetime readings — for platforms whose API has no per-post daily
    report. The formula, written once (docs/metrics.md "Baseline and estimated days"):
      - a post's lifetime between two readings grows linearly with time, so its value at each
        midnight (UTC) is interpolated from the readings around it; a day's value is the lifetime at
        its end minus the lifetime at its start (the day of the latest reading ends at that reading:
        a partial day, completed by later syncs);
      - a day whose start or end lies in a gap of more than 36 hours between readings (missed syncs)
        is an even spread over the gap: `is_estimated`;
      - a post published before tracking of its account began already had a lifetime: everything
        up to the first midnight after its first reading is its *baseline* (lifetime before
        tracking) and no day carries it (the marts keep it as baseline_*);
      - a post published after tracking began started at 0 at its publish time: its days count from
        its publication, and it has no baseline;
      - lifetimes are rounded to whole numbers before the differences are taken, so days add up
        exactly: Σ daily + baseline = latest lifetime;
      - a counter that went down (platforms remove spam likes) stays a negative value and the row is
        flagged `has_negative_delta`; it is never clamped.
    `relation`: account_id, post_id, fetched_at and the listed metrics (lifetime values).
    `posts`: account_id, post_id, published_at. Tracking of an account begins with its first reading
    in `relation`. `decimal_metrics` keep 4 decimals instead of whole numbers.
    `source_date`: the day of the reading a row's value ends on (incremental models re-read by it).
#}
{% macro snapshot_daily_deltas(relation, metrics, posts, decimal_metrics=[]) -%}
    with

    readings as (
        select distinct on (account_id, post_id, fetched_at)
            account_id,
            post_id,
            fetched_at as read_at,
            {% for metric in metrics %}{{ metric }}::numeric as {{ metric }}{% if not loop.last %}, {% endif %}{% endfor %}
        from {{ relation }}
        order by account_id, post_id, fetched_at
    ),

    tracking as (
        select
            account_id,
            min(read_at) as tracked_since
        from readings
        group by 1
    ),

    with_start as (
        -- a post published after tracking began started at 0 when it was published
        select
            readings.*,
            false as is_publication
        from readings
        union all
        select
            published.account_id,
            published.post_id,
            published.published_at as read_at,
            {% for metric in metrics %}0::numeric as {{ metric }}{% if not loop.last %}, {% endif %}{% endfor %},
            true as is_publication
        from {{ posts }} as published
        inner join tracking on published.account_id = tracking.account_id
        where published.published_at >= tracking.tracked_since
            and published.published_at < (
                select min(first_reading.read_at) from readings as first_reading
                where first_reading.account_id = published.account_id
                    and first_reading.post_id = published.post_id
            )
    ),

    intervals as (
        select
            account_id,
            post_id,
            read_at as end_at,
            lag(read_at) over by_post as start_at,
            {% for metric in metrics %}
            {{ metric }} as end_{{ metric }},
            lag({{ metric }}) over by_post as start_{{ metric }},
            {% endfor %}
            bool_or(is_publication) over by_post as started_at_zero,
            row_number() over (partition by account_id, post_id order by read_at desc) = 1 as is_latest
        from with_start
        window by_post as (partition by account_id, post_id order by read_at)
    ),

    points as (
        -- the lifetime at every midnight inside a reading interval, interpolated ...
        select
            intervals.account_id,
            intervals.post_id,
            midnight as point_at,
            ((midnight - interval '1 day') at time zone 'UTC')::date as ends_day,
            intervals.end_at - intervals.start_at > interval '36 hours' as from_gap,
            (intervals.end_at at time zone 'UTC')::date as source_date,
            intervals.started_at_zero,
            {% for metric in metrics %}
            intervals.start_{{ metric }} + (intervals.end_{{ metric }} - intervals.start_{{ metric }})
            * extract(epoch from midnight - intervals.start_at)
            / extract(epoch from intervals.end_at - intervals.start_at) as {{ metric }}{% if not loop.last %},{% endif %}
            {% endfor %}
        from intervals
        cross join lateral generate_series(
            date_trunc('day', intervals.start_at at time zone 'UTC') at time zone 'UTC' + interval '1 day',
            intervals.end_at,
            interval '1 day'
        ) as midnight
        where intervals.start_at is not null
        union all
        -- ... and the latest reading (the end of the current, partial day)
        select
            account_id,
            post_id,
            end_at,
            (end_at at time zone 'UTC')::date,
            false,
            (end_at at time zone 'UTC')::date,
            started_at_zero,
            {% for metric in metrics %}end_{{ metric }}{% if not loop.last %}, {% endif %}{% endfor %}
        from intervals
        where is_latest and end_at <> date_trunc('day', end_at at time zone 'UTC') at time zone 'UTC'
    ),

    steps as (
        select
            account_id,
            post_id,
            ends_day as metric_date,
            source_date,
            from_gap or coalesce(lag(from_gap) over by_post, false) as is_estimated,
            {% for metric in metrics %}
            {%- set places = 4 if metric in decimal_metrics else 0 %}
            round({{ metric }}, {{ places }}) - case
                when lag(point_at) over by_post is not null then round(lag({{ metric }}) over by_post, {{ places }})
                when started_at_zero then 0
            end as {{ metric }},
            {% endfor %}
            lag(point_at) over by_post is not null or started_at_zero as is_tracked_day
        from points
        window by_post as (partition by account_id, post_id order by point_at)
    ),

    final as (
        -- the first step of a post published before tracking began is its baseline, not a day
        select
            account_id,
            post_id,
            metric_date,
            {% for metric in metrics %}{{ metric }}, {% endfor %}
            is_estimated,
            ({% for metric in metrics %}coalesce({{ metric }} < 0, false){% if not loop.last %}
                or {% endif %}{% endfor %}) as has_negative_delta,
            source_date
        from steps
        where is_tracked_day
    )

    select * from final
{%- endmacro %}
