"""Synthetic social marts (same names, columns, types and indexes as the dbt models), generated in SQL.

For the report benchmark (1,000 accounts): it must not depend on the state of the dbt project.
It builds every mart the reports read — `dim_accounts`, `dim_posts`, `fct_post_metrics_daily`,
`fct_account_metrics_daily`, `mart_data_coverage`, `mart_content_performance`,
`mart_posting_times` — with the column lists of `dbt_project/models/marts/social/*.sql` and the
indexes of their `config()`. Deterministic: numbers derive from ids with hashing, not randomness;
every table is one set-based `create table … as select` (no per-row Python).

Platforms, their formats, rate base (views / LinkedIn impressions) and settle days come from the
platform registry; `PROFILES` says what each platform's models report (which counters are NULL,
account-level report or post sums, where followers and post days come from), as in the
`int_<platform>__*` models. Shapes a real workspace has and the reports must handle:

- accounts tracked since the first day (most), tracked later (~10 %: posts published before
  tracking have baselines and no days before it), synced late (~1 %: the period's last days are
  unknown) and never synced (~0.4 %: no posts, no days, coverage dates NULL);
- activity from the account-level daily report (complete through the last reported day, at most
  the last sync's day minus the platform's settle days: the week's last days are "not yet
  reported" on YouTube/LinkedIn), or the sum of the posts' days (X, TikTok without Business API:
  complete through the day before the last sync, from the day after tracking began);
- post days from the platform's daily report (YouTube) or snapshot differences, ~4 % of the
  account-days of the latter estimated (a gap between syncs), rare negative like deltas;
- followers from daily totals, reconstruction or snapshots (known from tracking only).
"""

from __future__ import annotations

import json
from datetime import date

from ingestion.registry import platforms

POST_COUNTERS = ("views", "likes", "comments", "shares", "saves", "clicks", "reach", "impressions",
                 "watch_time_minutes", "avg_view_duration_s", "engaged_views", "completions", "swipe_aways")
ACCOUNT_COUNTERS = ("following", "profile_views", "website_clicks", "reach", "impressions", "views", "likes",
                    "comments", "shares", "saves", "watch_time_minutes", "followers_gained", "followers_lost",
                    "reported_engagements")
# fct_post_metrics_daily's running totals (its `summed` list) and the post sums of post_sum activity
CUMULATED = ("views", "likes", "comments", "shares", "saves", "clicks", "reach", "impressions", "engagements",
             "watch_time_minutes", "completions", "swipe_aways")
POST_SUMMED = ("views", "impressions", "likes", "comments", "shares", "saves", "watch_time_minutes")
VIDEO_FORMATS = ("long_video", "short", "reel", "video")

# What each platform's int_<platform>__* models report (the counters they do not select as NULL).
# activity: 'account_report' | 'post_sum' | 'mixed' (TikTok: Business API accounts report, others sum
# posts); followers: the source of the daily followers; followers_history: known before tracking
# began (daily totals / reconstruction over the report's history); history_days: how far back the
# account report reaches at the first sync; report_lag: days between a day and its report.
PROFILES = {
    "facebook": {"activity": "account_report", "post_metrics": "snapshot_diff", "followers": "daily_report",
                 "followers_history": True, "history_days": 90, "report_lag": 1,
                 "post": ["views", "likes", "comments", "shares", "clicks", "reach", "watch_time_minutes",
                          "completions"],
                 "account": ["profile_views", "reach", "views", "followers_gained", "followers_lost",
                             "reported_engagements"]},
    "instagram": {"activity": "account_report", "post_metrics": "snapshot_diff", "followers": "snapshot",
                  "followers_history": True, "history_days": 30, "report_lag": 1,
                  "post": ["views", "likes", "comments", "shares", "saves", "reach", "watch_time_minutes",
                           "avg_view_duration_s"],
                  "account": ["following", "reach", "views", "likes", "comments", "shares", "saves",
                              "followers_gained", "followers_lost"]},
    "linkedin": {"activity": "account_report", "post_metrics": "snapshot_diff", "followers": "reconstructed",
                 "followers_history": True, "history_days": 365, "report_lag": 1, "views_video_only": True,
                 "post": ["views", "likes", "comments", "shares", "clicks", "impressions", "watch_time_minutes",
                          "avg_view_duration_s"],
                 "account": ["impressions", "views", "likes", "comments", "shares", "followers_gained"]},
    "tiktok": {"activity": "mixed", "post_metrics": "snapshot_diff", "followers": "daily_report",
               "followers_history": True, "history_days": 60, "report_lag": 1,
               "post": ["views", "likes", "comments", "shares", "saves", "watch_time_minutes", "avg_view_duration_s",
                        "completions"],
               "account": ["following", "profile_views", "views", "likes", "comments", "shares", "followers_gained",
                           "followers_lost"]},
    "x": {"activity": "post_sum", "post_metrics": "snapshot_diff", "followers": "snapshot",
          "followers_history": False, "history_days": 0, "report_lag": 1, "impressions_factor": 1.0,
          "post": ["views", "likes", "comments", "shares", "saves", "impressions"],
          "account": ["following"]},
    "youtube": {"activity": "account_report", "post_metrics": "daily_report", "followers": "reconstructed",
                "followers_history": True, "history_days": 3650, "report_lag": 2,
                "post": ["views", "likes", "comments", "shares", "watch_time_minutes", "avg_view_duration_s",
                         "engaged_views", "swipe_aways"],
                "account": ["views", "likes", "comments", "shares", "watch_time_minutes", "followers_gained",
                            "followers_lost"]},
}
# a platform added to the registry without a profile here: an account report with every counter
DEFAULT_PROFILE = {"activity": "account_report", "post_metrics": "snapshot_diff", "followers": "daily_report",
                   "followers_history": True, "history_days": 90, "report_lag": 1,
                   "post": list(POST_COUNTERS),
                   "account": [c for c in ACCOUNT_COUNTERS if c not in ("website_clicks", "reported_engagements")]}
TIMEZONES = ("Europe/Madrid", "Europe/Madrid", "Europe/Madrid", "Europe/London", "America/New_York",
             "America/Los_Angeles", "America/Sao_Paulo", "Asia/Tokyo")
TABLES = ("dim_accounts", "dim_posts", "fct_post_metrics_daily", "fct_account_metrics_daily", "mart_data_coverage",
          "mart_content_performance", "mart_posting_times")
PRIOR_POSTS, MIN_POSTS, TREND_MIN_DAYS = 5, 5, 7  # dbt vars posting_times_prior_posts/_min_posts, trend_min_days


def _rate(num: str, den: str) -> str:
    """The rate_pct macro: NULL when the denominator is 0 or unknown."""
    return f"case when ({den}) is null or ({den}) = 0 then null else round((({num})::numeric / ({den})) * 100, 4) end"


def _engagements(likes: str, comments: str, shares: str) -> str:
    return (f"case when ({likes}) is null and ({comments}) is null and ({shares}) is null then null "
            f"else coalesce({likes}, 0) + coalesce({comments}, 0) + coalesce({shares}, 0) end")


def _profile_rows() -> list[dict]:
    rows = []
    for name, spec in platforms().items():
        profile = {**DEFAULT_PROFILE, **PROFILES.get(name, {})}
        rows.append({"platform": name, "rate_base": spec.rate_base, "settle_days": spec.settle_days,
                     "formats": list(spec.formats), **{k: profile.get(k) for k in (
                         "activity", "post_metrics", "followers", "followers_history", "history_days",
                         "report_lag")},
                     "views_video_only": profile.get("views_video_only", False),
                     "impressions_factor": profile.get("impressions_factor", 1.3),
                     **{f"p_{c}": c in profile["post"] for c in POST_COUNTERS},
                     **{f"a_{c}": c in profile["account"] for c in ACCOUNT_COUNTERS}})
    return rows


PROFILE_COLUMNS = ", ".join(
    ["platform text", "rate_base text", "settle_days int", "formats text[]", "activity text", "post_metrics text",
     "followers text", "followers_history boolean", "history_days int", "report_lag int", "views_video_only boolean",
     "impressions_factor float8"]
    + [f"p_{c} boolean" for c in POST_COUNTERS] + [f"a_{c} boolean" for c in ACCOUNT_COUNTERS])

SETUP = f"""
set local timezone = 'UTC';
drop table if exists {", ".join(f"marts.{t}" for t in TABLES)};
create schema if not exists marts;
create temporary table bench_profiles on commit drop as
select * from jsonb_to_recordset(%(profiles)s::jsonb) as x({PROFILE_COLUMNS});
"""

# One row per account: its platform's profile and the state of its syncs (mart_data_coverage's inputs).
ACCOUNTS = """
create temporary table bench_accounts on commit drop as
with base as (
    select n, 'acc' || lpad(n::text, 5, '0') as account_id, 'Account ' || n as account_name,
           (%(platforms)s::text[])[1 + (n - 1) %% cardinality(%(platforms)s::text[])] as platform,
           abs(hashtext('acc' || lpad(n::text, 5, '0'))) as h
    from generate_series(1, %(accounts)s) as n
),
synced as (
    select *, b.platform || ':' || b.account_id as account_key,
           (%(timezones)s::text[])[1 + b.h %% cardinality(%(timezones)s::text[])] as timezone,
           case pr.activity when 'mixed' then case when (b.h / 7) %% 3 <> 0 then 'account_report' else 'post_sum' end
                else pr.activity end as activity_source,
           case when b.h %% 250 = 0 then null  -- connected, never synced
                else %(start)s::date + interval '9 hours' + make_interval(mins => (b.h / 3) %% 240)
                     + case when (b.h / 25000) %% 10 = 3 then make_interval(days => (b.h / 97) %% (%(days)s - 3))
                            else interval '0' end
           end::timestamptz as tracked_since,
           case when b.h %% 250 = 0 then null
                when (b.h / 250) %% 100 = 1 then %(end)s::date - 2 + interval '5 hours'  -- its syncs stopped
                else %(end)s::date + 1 + interval '1 hour' + make_interval(mins => (b.h / 11) %% 180)
           end::timestamptz as last_synced_at
    from base as b
    inner join bench_profiles as pr using (platform)
),
dated as (
    select s.*, s.tracked_since::date as tracked_date, s.last_synced_at::date as sync_date,
           case when s.activity_source = 'account_report'
                then greatest(%(start)s::date, s.tracked_since::date - s.history_days) end as report_from,
           case when s.activity_source = 'account_report' then s.last_synced_at::date - s.report_lag end
               as report_through,
           case when s.activity = 'mixed' and s.activity_source = 'post_sum' then 'snapshot' else s.followers end
               as followers_source_kind,
           case when s.activity = 'mixed' and s.activity_source = 'post_sum' then false else s.followers_history end
               as followers_before_tracking
    from synced as s
)
select d.*,
       case when d.activity_source = 'account_report' then d.report_from else d.tracked_date + 1 end as activity_from,
       case when d.activity_source = 'account_report' then least(d.report_through, d.sync_date - d.settle_days)
            else d.sync_date - 1 end as complete_through,
       case when d.followers_before_tracking then least(d.report_from, d.tracked_date) else d.tracked_date end
           as followers_from,
       case when d.activity_source = 'account_report' then least(d.report_from, d.tracked_date)
            else d.tracked_date end as first_day,
       1000 + d.h %% 50000 as followers0, 1 + (d.h / 7) %% 40 as followers_per_day
from dated as d;
update bench_accounts set activity_source = null, report_from = null, report_through = null, activity_from = null,
    complete_through = null, followers_from = null, first_day = null, followers_source_kind = null
where last_synced_at is null;
"""

# Posts: `posts_per_account` per synced account, evenly over the days, at a local hour of 7–21; the
# engagement rate depends on the slot (posting times have something to find).
POSTS = f"""
create temporary table bench_posts on commit drop as
with raw as (
    select a.account_key, a.platform, a.account_id, a.account_name, a.timezone, a.h, a.tracked_since,
           a.last_synced_at, a.tracked_date, a.sync_date, a.report_through, a.post_metrics, a.rate_base,
           a.views_video_only, a.impressions_factor, a.formats, a.{", a.".join(f"p_{c}" for c in POST_COUNTERS)},
           a.account_id || '-' || k as post_id, k,
           a.formats[1 + abs(hashtext(a.account_id || k)) %% cardinality(a.formats)] as format,
           (%(start)s::date + k * %(days)s / %(posts_per_account)s)
               + make_interval(hours => 7 + abs(hashtext(a.account_id || k || 'h')) %% 15,
                               mins => abs(hashtext(a.account_id || k || 'm')) %% 60) as published_at_local
    from bench_accounts as a
    cross join generate_series(0, %(posts_per_account)s - 1) as k
    where a.last_synced_at is not null
),
timed as (
    select r.*, r.published_at_local at time zone r.timezone as published_at,
           r.format = any(%(video_formats)s::text[]) as is_video, r.format in ('short', 'reel') as is_short,
           1000 + abs(hashtext(r.post_id)) %% 5000 as first_day_views, hashtext(r.post_id) as post_hash,
           r.h as account_hash,
           0.02 + ((r.h + extract(hour from r.published_at_local)::int * 7
                    + extract(isodow from r.published_at_local)::int * 3) %% 11) / 400.0::float8 as like_rate,
           case when r.format = 'long_video' then 180 + abs(hashtext(r.post_id || 'd')) %% 1620
                when r.format in ('short', 'reel') then 15 + abs(hashtext(r.post_id || 'd')) %% 76
                when r.format = 'video' then 30 + abs(hashtext(r.post_id || 'd')) %% 571 end as duration_s
    from raw as r
)
select t.platform || ':' || t.post_id as post_key, t.*, t.published_at::date as published_date, t.published_at > t.tracked_since as is_tracked_from_publish,
       least(t.last_synced_at, greatest(t.tracked_since,
             t.published_at + make_interval(mins => 20 + abs(hashtext(t.post_id || 's')) %% 220)))
           as first_snapshot_at,
       case when t.post_metrics = 'daily_report' or t.published_at > t.tracked_since then t.published_at::date
            else t.tracked_date + 1 end as first_day,
       least(t.published_at::date + %(post_days)s - 1, %(end)s::date,
             case when t.post_metrics = 'daily_report' then t.report_through else t.sync_date - 1 end) as last_day
from timed as t
where t.published_at < t.last_synced_at;
"""

DIM_POSTS = """
create table marts.dim_posts as
select p.post_key, p.account_key, %(workspace)s::text as workspace_id, p.platform,
       p.account_id, p.post_id, p.format, p.published_at, p.published_at_local,
       p.published_at_local::date as published_date_local,
       extract(isodow from p.published_at_local)::int as published_weekday_local,
       extract(hour from p.published_at_local)::int as published_hour_local,
       case when p.is_video or p.format in ('text', 'link') then 'Post ' || p.k || ' of ' || p.account_name end
           as title,
       'Post ' || p.k || ' of ' || p.account_name || E': what we shipped this week\\n'
           || 'More on the blog. #tidemark #post' || (p.k %% 5) || ' #topic' || ((p.k * 7 + p.h) %% 12) as caption,
       'post' || (p.k %% 5) || ',tidemark,topic' || ((p.k * 7 + p.h) %% 12) as hashtags,
       p.duration_s, 'https://example.invalid/' || p.account_id || '/' || p.k as permalink,
       p.platform || ':' || p.post_id as cross_post_group, 'single'::text as cross_post_link_method,
       p.last_synced_at as last_snapshot_at, p.first_snapshot_at, p.tracked_since, p.is_tracked_from_publish,
       {baselines}
from bench_posts as p;
"""


def _baselines() -> str:
    """Lifetime before tracking: 0 for posts born tracked, NULL where the platform reports every day."""
    # Σ over the days before the first tracked day of views/(1 + age): ≈ views × (ln(n) + γ)
    views = "p.first_day_views * (ln(greatest(p.first_day - p.published_date, 1)) + 0.5772)"
    values = {"views": views, "reach": f"{views} * 0.82", "impressions": f"{views} * p.impressions_factor",
              "likes": f"{views} * p.like_rate", "comments": f"{views} * 0.006", "shares": f"{views} * 0.004",
              "saves": f"{views} * 0.005", "clicks": f"{views} * 0.012"}
    return ",\n       ".join(
        f"case when p.post_metrics = 'daily_report' or not p.p_{c} then null "
        + ("when p.views_video_only and not p.is_video then null " if c == "views" else "")
        + "when p.is_tracked_from_publish then 0 "
        f"else round({v})::bigint end as baseline_{c}" for c, v in values.items())


def _post_daily() -> str:
    """fct_post_metrics_daily: a post's days decay as 1/(1 + age) with ±20 % day noise.

    Each level is evaluated once per row (`lateral (… offset 0)`: an inlined expression would be
    re-evaluated in every column that uses it); day hashes are integer hashes (no text formatting);
    the running totals are the closed form of the noiseless decay (Σ 1/(1 + i) ≈ ln(n + 1) + γ +
    1/(2(n + 1))), so no window sort over a million rows (the reports do not read them)."""
    raw = {
        "views": "case when p.views_video_only and not p.is_video then null "
                 "when p.views_video_only then round({v} * 0.4)::bigint else ({v})::bigint end",
        "likes": "case when p.negative then -1::bigint else round({v} * p.like_rate)::bigint end",
        "comments": "round({v} * 0.006)::bigint", "shares": "round({v} * 0.004)::bigint",
        "saves": "round({v} * 0.005)::bigint", "clicks": "round({v} * 0.012)::bigint",
        "reach": "round({v} * 0.82)::bigint", "impressions": "round({v} * p.impressions_factor)::bigint",
        "watch_time_minutes": "case when p.is_video then round(({v} * p.duration_s * 0.0075)::numeric, 2) end",
        "avg_view_duration_s": "case when p.is_video then round(p.duration_s * 0.45, 2) end",
        "engaged_views": "round({v} * 0.88)::bigint",
        "completions": "case when p.is_video then round({v} * 0.3)::bigint end",
        "swipe_aways": "case when p.is_short then round({v} * 0.25)::bigint end",
    }
    day = ",\n           ".join(f"case when p.p_{c} then {e.format(v='p.v')} end as {c}" for c, e in raw.items())
    total = {c: f"case when p.p_{c} then {e.format(v='p.cv')} end" for c, e in raw.items()}
    total["likes"] = "case when p.p_likes then round(p.cv * p.like_rate)::bigint end"
    total["engagements"] = _engagements(total["likes"], total["comments"], total["shares"])
    cumulative = ",\n       ".join(f"{total[c]} as cumulative_{c}" for c in CUMULATED)
    flags = ", p.".join(f"p_{c}" for c in POST_COUNTERS)
    columns = ", ".join(f"c.{c}" for c in ("views", "likes", "comments", "shares", "saves", "clicks", "reach",
                                            "impressions"))
    return f"""
create temporary table bench_post_days_raw on commit drop as
select p.post_key, p.account_key, p.platform, p.account_id, p.post_id, p.post_metrics, p.rate_base,
       p.views_video_only, p.is_video, p.is_short, p.like_rate, p.impressions_factor, p.duration_s, p.{flags},
       p.first_day + i as metric_date,
       p.post_metrics = 'snapshot_diff' and p.first_day + i > p.tracked_date + 1
           and abs(hashint8(p.account_hash * 100000::bigint + (p.first_day + i - %(start)s::date))) %% 25 = 0
           as estimated,
       p.post_metrics = 'snapshot_diff' and n.nh %% 997 = 0 as negative,
       floor(p.first_day_views * (0.8 + (n.nh %% 41) / 100.0::float8) / (1 + age)) as v,
       p.first_day_views * (ln(age + 1) + 0.5772 + 0.5 / (age + 1) - case when p.first_day > p.published_date
           then ln(p.first_day - p.published_date) + 0.5772 + 0.5 / (p.first_day - p.published_date) else 0 end)
           as cv
from bench_post_keys as p
cross join generate_series(0, p.last_day - p.first_day) as i
cross join lateral (
    select p.first_day + i - p.published_date as age, abs(hashint8(p.post_hash * 100000::bigint + i)) as nh offset 0
) as n;

create table marts.fct_post_metrics_daily as
select p.post_key, p.account_key, p.platform, p.account_id, p.post_id, p.metric_date, {columns}, e.engagements,
       c.watch_time_minutes, c.avg_view_duration_s, c.engaged_views, c.completions, c.swipe_aways, e.rate_base,
       {_rate("e.engagements", "e.rate_base")} as engagement_rate,
       {_rate("e.engagements", "c.reach")} as engagement_rate_by_reach,
       {cumulative},
       case when p.p_views and p.cv > 0 and p.is_video then round((p.duration_s * 0.45)::numeric, 2)
       end as cumulative_avg_view_duration_s,
       p.negative as has_negative_delta, p.estimated as is_estimated, p.post_metrics as metric_source,
       case when p.post_metrics = 'daily_report' then p.metric_date
            else p.metric_date + 1 + p.estimated::int end as source_date
from bench_post_days_raw as p
cross join lateral (
    select {day}
    offset 0
) as c
cross join lateral (
    select {_engagements("c.likes", "c.comments", "c.shares")} as engagements,
           case when p.rate_base = 'impressions' then c.impressions else c.views end as rate_base
    offset 0
) as e;
"""


def _followers(a: str, day: str) -> str:
    """Followers of the account row `a` at the end of `day`: a steady trend with ±3 of day noise."""
    return (f"({a}.followers0 + {a}.followers_per_day * ({day} - %(start)s::date) "
            f"+ abs(hashtext({a}.account_id || ':' || ({day} - %(start)s::date))) %% 7 - 3)::bigint")


def _account_daily() -> str:
    """fct_account_metrics_daily: account-report days scale the tracked posts' days by 1.25 and add the older
    content's background; post-sum days are the posts' sums."""
    main = "round(coalesce(pa.rate_base, 0) * 1.25 + x.background)"
    report = {"following": "100 + a.h %% 900", "profile_views": f"round({main} * 0.02)", "website_clicks": "0",
              "reach": f"round({main} * 0.7)", "impressions": main, "views": main,
              "likes": f"round({main} * 0.035)", "comments": f"round({main} * 0.005)",
              "shares": f"round({main} * 0.0035)", "saves": f"round({main} * 0.004)",
              "watch_time_minutes": f"round({main} * 2.1, 2)", "followers_gained": "x.net + x.lost",
              "followers_lost": "x.lost", "reported_engagements": f"round({main} * 0.045)"}
    columns = []
    for c, e in report.items():
        cast = "numeric" if c == "watch_time_minutes" else "bigint"
        if c == "following":
            value = f"case when a.a_following and x.followers_known then ({e})::{cast} end"
        elif c in POST_SUMMED:
            value = (f"case when x.activity = 'account_report' and a.a_{c} then ({e})::{cast} "
                     f"when x.activity = 'post_sum' then pa.{c} end")
        else:
            value = f"case when x.activity = 'account_report' and a.a_{c} then ({e})::{cast} end"
        columns.append(f"{value} as {c}")
    select = ",\n           ".join(columns)
    growth = ",\n           ".join(
        f"case when x.followers_known and a.metric_date - {k} >= a.followers_from then "
        f"{_rate(_followers('a', 'a.metric_date') + ' - ' + _followers('a', f'a.metric_date - {k}'), _followers('a', f'a.metric_date - {k}'))} "
        f"end as followers_growth_rate_{k}d" for k in (1, 7, 30))
    engagements = f"coalesce({_engagements('c.likes', 'c.comments', 'c.shares')}, c.reported_engagements)"
    return f"""
create temporary table bench_post_days on commit drop as
select f.account_key, f.metric_date, {", ".join(f"sum(f.{c}) as {c}" for c in POST_SUMMED)},
       sum(f.rate_base) as rate_base, bool_or(f.is_estimated) as is_estimated
from marts.fct_post_metrics_daily as f
group by 1, 2;

create temporary table bench_published on commit drop as
select account_key, published_date, count(*) as posts from bench_posts group by 1, 2;

create temporary table bench_posts_before on commit drop as
select p.account_key, count(*) as posts
from bench_posts as p
inner join bench_accounts as a on a.account_key = p.account_key
where p.published_date < a.first_day
group by 1;

create table marts.fct_account_metrics_daily as
with days as (
    select a.*, g::date as metric_date, abs(hashtext(a.account_id || g::date)) as gh
    from bench_accounts as a
    cross join generate_series(a.first_day, a.sync_date - 1, interval '1 day') as g
    where a.last_synced_at is not null
),
x as (
    select d.account_key, d.metric_date,
           case when d.activity_source = 'account_report' and d.metric_date between d.report_from and d.report_through
                    then 'account_report'
                when d.activity_source = 'post_sum' and d.metric_date > d.tracked_date and pa.account_key is not null
                    then 'post_sum' end as activity,
           d.metric_date >= d.followers_from
               and (d.followers_source_kind <> 'daily_report' or d.metric_date <= d.report_through) as followers_known,
           round((300 + d.h %% 3000) * case when extract(isodow from d.metric_date) > 5 then 0.85 else 1.05 end
                 * (0.9 + ((d.gh / 25) %% 21) / 100.0)) as background,
           {_followers("d", "d.metric_date")} - {_followers("d", "d.metric_date - 1")} as net,
           6 + d.gh %% 5 as lost
    from days as d
    left join bench_post_days as pa on pa.account_key = d.account_key and pa.metric_date = d.metric_date
),
counted as (
    select a.account_key, a.platform, a.account_id, a.metric_date, a.complete_through, a.rate_base as base_kind,
           x.activity,
           case when x.followers_known then {_followers("a", "a.metric_date")} end as followers,
           case when x.followers_known then
               case when a.followers_source_kind = 'snapshot' and a.metric_date < a.tracked_date then 'reconstructed'
                    else a.followers_source_kind end end as followers_source,
           coalesce(bp.posts, 0) as posts_published,
           coalesce(pb.posts, 0) + sum(coalesce(bp.posts, 0)) over (partition by a.account_key order by a.metric_date)
               as posts_total,
           {select},
           {growth},
           coalesce(x.activity = 'post_sum' and pa.is_estimated, false) as is_estimated
    from days as a
    inner join x on x.account_key = a.account_key and x.metric_date = a.metric_date
    left join bench_post_days as pa on pa.account_key = a.account_key and pa.metric_date = a.metric_date
    left join bench_published as bp on bp.account_key = a.account_key and bp.published_date = a.metric_date
    left join bench_posts_before as pb on pb.account_key = a.account_key
),
d as (
    select c.*, {engagements} as engagements,
           case when c.base_kind = 'impressions' then c.impressions else c.views end as rate_base
    from counted as c
)
select d.account_key, %(workspace)s::text as workspace_id, d.platform, d.account_id, d.metric_date, d.followers,
       d.following, d.posts_published, d.posts_total, d.profile_views, d.website_clicks, d.reach, d.impressions,
       d.views, d.likes, d.comments, d.shares, d.saves, d.engagements, d.reported_engagements, d.rate_base,
       {_rate("d.engagements", "d.rate_base")} as engagement_rate,
       {_rate("d.engagements", "d.reach")} as engagement_rate_by_reach,
       {_rate("d.engagements", "d.followers")} as engagement_rate_by_followers,
       d.watch_time_minutes, d.followers_gained, d.followers_lost,
       case when d.followers_gained is null and d.followers_lost is null then null
            else coalesce(d.followers_gained, 0) - coalesce(d.followers_lost, 0) end as followers_net,
       d.followers_growth_rate_1d, d.followers_growth_rate_7d, d.followers_growth_rate_30d,
       d.followers_source, d.activity as activity_source, d.is_estimated,
       coalesce(d.metric_date <= d.complete_through and d.activity is not null, false) as is_complete
from d;
"""


DIM_ACCOUNTS = """
create table marts.dim_accounts as
select a.account_key, %(workspace)s::text as workspace_id, a.platform, a.account_id, 'Account ' || a.n as account_name,
       a.timezone, true as is_simulated, coalesce(c.posts, 0) as posts_count, c.first_post_at
from bench_accounts as a
left join (select account_key, count(*) as posts, min(published_at) as first_post_at from bench_posts group by 1) as c
    on c.account_key = a.account_key
order by a.n;
"""

# mart_data_coverage.sql, note included
COVERAGE = """
create table marts.mart_data_coverage as
select a.account_key, %(workspace)s::text as workspace_id, a.platform, a.account_id, 'Account ' || a.n as account_name,
       true as is_simulated, a.tracked_since, a.last_synced_at, a.complete_through, a.activity_source,
       a.activity_from, a.report_from, a.followers_source, a.followers_from,
       case when a.last_synced_at is not null then a.post_metrics end as post_metrics_source,
       case when a.last_synced_at is not null then coalesce(e.has_estimated_days, false) end as has_estimated_days,
       case
           when a.last_synced_at is null then 'not synced yet: no data'
           when a.activity_source = 'account_report'
               then 'activity from the platform''s account-level daily report'
                   || coalesce(' from ' || a.report_from, '')
                   || '; complete through ' || coalesce(a.complete_through::text, 'unknown')
           else 'no account-level daily report: activity is the sum of the posts'' daily values, known from '
               || coalesce(a.activity_from::text, 'the second sync on')
               || ' (a post published before tracking began counts only what it gained since)'
               || '; complete through ' || coalesce(a.complete_through::text, 'unknown')
       end
       || case
           when a.followers_from is null then '; followers unknown'
           else '; followers known from ' || a.followers_from || ' (earlier: unknown; latest from '
               || replace(a.followers_source, '_', ' ') || ')'
       end
       || case when e.has_estimated_days then '; some days estimated (spread over a gap between syncs)' else '' end
           as note
from (select b.*, b.followers_source_kind as followers_source from bench_accounts as b) as a
left join (select account_key, bool_or(is_estimated) as has_estimated_days
           from marts.fct_account_metrics_daily group by 1) as e on e.account_key = a.account_key
order by a.n;
"""


def _content() -> str:
    """mart_content_performance.sql over the synthetic facts (lifetime = baseline + Σ days)."""
    lifetime = ("views", "reach", "impressions", "likes", "comments", "shares", "saves", "clicks",
                "watch_time_minutes", "completions", "swipe_aways")
    baseline = {"views", "reach", "impressions", "likes", "comments", "shares", "saves", "clicks"}
    sums = ",\n           ".join(f"sum(f.{c}) as sum_{c}" for c in lifetime)
    values = ",\n           ".join(
        (f"case when dp.baseline_{c} is null and s.sum_{c} is null then null "
         f"else coalesce(dp.baseline_{c}, 0) + coalesce(s.sum_{c}, 0) end as {c}" if c in baseline
         else f"s.sum_{c} as {c}") for c in lifetime)
    half = "w.window_days - w.window_days / 2"
    return f"""
create temporary table bench_windows on commit drop as
select p.post_key, p.account_key, p.platform, p.rate_base as base_kind, p.format, p.duration_s,
       p.{", p.".join(f"p_{c}" for c in POST_COUNTERS)},
       a.complete_through as as_of_date, a.sync_date as data_as_of, tf.tracked_from,
       least(14, greatest(0, a.complete_through - greatest(tf.tracked_from, a.complete_through - 13) + 1))
           as window_days,
       tf.tracked_from <= a.complete_through - 13 or tf.tracked_from = p.published_date as has_two_weeks
from bench_posts as p
inner join bench_accounts as a on a.account_key = p.account_key
cross join lateral (
    select case when p.post_metrics = 'daily_report' or p.is_tracked_from_publish then p.published_date
                else p.first_snapshot_at::date + 1 end as tracked_from
) as tf;

create table marts.mart_content_performance as
with sums as (
    select f.post_key,
           {sums},
           sum(f.views) filter (where w.as_of_date - f.metric_date between 0 and least(6, w.window_days - 1))
               as views_last_7d,
           sum(f.views) filter (where w.as_of_date - f.metric_date between 7 and least(13, w.window_days - 1))
               as views_prev_7d,
           coalesce(sum(f.views) filter (where w.as_of_date - f.metric_date between {half} and w.window_days - 1), 0)
               as first_half_views,
           coalesce(sum(f.views) filter (where w.as_of_date - f.metric_date between 0 and {half} - 1), 0)
               as second_half_views,
           coalesce(sum(f.engagements) filter (where w.as_of_date - f.metric_date between {half}
               and w.window_days - 1), 0) as first_half_engagements,
           coalesce(sum(f.engagements) filter (where w.as_of_date - f.metric_date between 0 and {half} - 1), 0)
               as second_half_engagements,
           min(f.cumulative_views) filter (where w.as_of_date - f.metric_date between 0 and w.window_days - 1)
               as first_cumulative_views,
           max(f.cumulative_views) filter (where w.as_of_date - f.metric_date between 0 and w.window_days - 1)
               as last_cumulative_views
    from marts.fct_post_metrics_daily as f
    inner join bench_windows as w on w.post_key = f.post_key
    group by 1
),
metrics as (
    select dp.post_key, dp.account_key, dp.workspace_id, dp.platform, dp.account_id, dp.post_id, dp.format,
           dp.published_at, dp.published_date_local, dp.cross_post_group, w.as_of_date, w.data_as_of,
           w.data_as_of - dp.published_at::date as age_days,
           {values},
           case when s.sum_views > 0 and w.p_avg_view_duration_s then round(s.sum_watch_time_minutes * 60 / s.sum_views, 2)
           end as avg_view_duration_s,
           fa.followers as followers_at_publish,
           case when dp.platform = 'youtube' and dp.format = 'long_video'
                then round(20 + abs(hashtext(dp.post_id || 'r')) %% 7000 / 100.0, 2) end as retention_score,
           w.window_days, w.has_two_weeks, w.base_kind,
           case when w.has_two_weeks then coalesce(s.views_last_7d, 0) end as views_last_7d,
           case when w.has_two_weeks then coalesce(s.views_prev_7d, 0) end as views_prev_7d,
           coalesce(s.first_half_views, 0)::numeric / nullif(w.window_days / 2, 0) as first_half_mean_views,
           coalesce(s.second_half_views, 0)::numeric / nullif(w.window_days - w.window_days / 2, 0) as second_half_mean_views,
           coalesce(s.first_half_engagements, 0)::numeric / nullif(w.window_days / 2, 0) as first_half_mean_engagements,
           coalesce(s.second_half_engagements, 0)::numeric / nullif(w.window_days - w.window_days / 2, 0)
               as second_half_mean_engagements,
           s.first_cumulative_views, s.last_cumulative_views
    from marts.dim_posts as dp
    inner join bench_windows as w on w.post_key = dp.post_key
    left join sums as s on s.post_key = dp.post_key
    left join marts.fct_account_metrics_daily as fa
        on fa.account_key = dp.account_key and fa.metric_date = dp.published_at::date
),
based as (
    select m.*, {_engagements("m.likes", "m.comments", "m.shares")} as engagements,
           case when m.base_kind = 'impressions' then m.impressions else m.views end as rate_base
    from metrics as m
),
rates as (
    select b.*,
           {_rate("b.engagements", "b.rate_base")} as engagement_rate,
           {_rate("b.engagements", "b.reach")} as engagement_rate_by_reach,
           {_rate("b.engagements", "b.followers_at_publish")} as engagement_rate_by_followers,
           {_rate("b.shares", "b.rate_base")} as share_rate,
           {_rate("b.saves", "b.rate_base")} as save_rate,
           {_rate("b.completions", "b.views")} as completion_rate,
           {_rate("b.swipe_aways", "b.views")} as swipe_away_rate,
           case when b.has_two_weeks then
               case when coalesce(b.views_last_7d, 0) <= 0 then 0
                    when coalesce(b.views_prev_7d, 0) <= 0 then 10
                    else round(least(greatest((b.views_last_7d - b.views_prev_7d)::numeric / b.views_prev_7d, 0), 1)
                               * 10, 4) end
           end as view_growth_points,
           case when b.window_days >= {TREND_MIN_DAYS} then {_trend("b.first_half_mean_views", "b.second_half_mean_views")}
           end as views_trend,
           case when b.window_days >= {TREND_MIN_DAYS}
                then {_trend("b.first_half_mean_engagements", "b.second_half_mean_engagements")}
           end as engagement_trend,
           case when b.window_days >= {TREND_MIN_DAYS}
                then {_rate("b.last_cumulative_views - b.first_cumulative_views", "b.first_cumulative_views")}
           end as growth_rate,
           case when b.as_of_date is null then 'account not synced: no complete day yet'
                when b.window_days < {TREND_MIN_DAYS}
                    then 'tracked for ' || b.window_days || ' complete day(s) up to ' || b.as_of_date
                        || '; trend and growth need ' || {TREND_MIN_DAYS}
                        || case when not b.has_two_weeks then ', view growth 14' else '' end
                when not b.has_two_weeks then 'view growth needs 14 tracked days'
           end as trend_note
    from based as b
),
ranked as (
    select r.post_key, round((percent_rank() over by_account * 100)::numeric, 4) as percentile,
           count(*) over (partition by r.account_key) as peers
    from rates as r
    where r.engagement_rate is not null and r.published_at::date > r.data_as_of - 90
        and r.published_at::date <= r.data_as_of
    window by_account as (partition by r.account_key order by r.engagement_rate)
)
select r.post_key, r.account_key, r.workspace_id, r.platform, r.account_id, r.post_id, r.format, r.published_at,
       r.published_date_local, r.cross_post_group, r.as_of_date, r.data_as_of, r.age_days, r.views, r.reach,
       r.impressions, r.likes, r.comments, r.shares, r.saves, r.clicks, r.engagements, r.rate_base,
       r.watch_time_minutes, r.avg_view_duration_s, r.completions, r.swipe_aways, r.followers_at_publish,
       r.engagement_rate, r.engagement_rate_by_reach, r.engagement_rate_by_followers, r.share_rate, r.save_rate,
       r.completion_rate, r.swipe_away_rate, r.retention_score, r.views_last_7d, r.views_prev_7d,
       r.view_growth_points,
       case when r.engagement_rate is null then null
            else round(least(greatest(r.engagement_rate, 0) / 10 * 40, 40)
                       + least(greatest(coalesce(r.share_rate, 0), 0) * 30, 30)
                       + least(greatest(coalesce(r.save_rate, 0), 0) * 20, 20)
                       + coalesce(r.view_growth_points, 0), 4) end as viral_potential,
       case when k.peers >= 2 then k.percentile end as performance_score,
       r.views_trend, r.engagement_trend, r.growth_rate, r.trend_note
from rates as r
left join ranked as k on k.post_key = r.post_key;
"""


def _trend(first: str, second: str) -> str:
    """The trend_direction macro (±5 %)."""
    change = f"(({second}) - ({first}))::numeric / abs({first}) * 100"
    return (f"case when ({first}) is null or ({second}) is null then null "
            f"when ({first}) = 0 then case when ({second}) > 0 then 'increasing' when ({second}) < 0 "
            f"then 'decreasing' else 'stable' end "
            f"when {change} > 5 then 'increasing' when {change} < -5 then 'decreasing' else 'stable' end")


# mart_posting_times.sql (shrunk_mean toward the account mean, prior PRIOR_POSTS posts)
POSTING_TIMES = f"""
create table marts.mart_posting_times as
with rated as (
    select c.workspace_id, c.account_key, c.platform, p.published_weekday_local as weekday,
           p.published_hour_local as hour, c.engagement_rate
    from marts.mart_content_performance as c
    inner join marts.dim_posts as p on p.post_key = c.post_key
    where c.engagement_rate is not null
),
account_means as (
    select account_key, avg(engagement_rate) as account_mean_engagement_rate from rated group by 1
),
slots as (
    select workspace_id, account_key, platform, weekday, hour, count(*) as posts,
           avg(engagement_rate) as mean_engagement_rate,
           percentile_cont(0.5) within group (order by engagement_rate) as median_engagement_rate
    from rated
    group by 1, 2, 3, 4, 5
),
shrunk as (
    select s.*, m.account_mean_engagement_rate,
           case when m.account_mean_engagement_rate is null then s.mean_engagement_rate
                when s.mean_engagement_rate is null or coalesce(s.posts, 0) = 0
                    then round(m.account_mean_engagement_rate::numeric, 4)
                else round((s.posts * s.mean_engagement_rate::numeric
                            + {PRIOR_POSTS} * m.account_mean_engagement_rate::numeric) / (s.posts + {PRIOR_POSTS}), 4)
           end as shrunk_engagement_rate
    from slots as s
    inner join account_means as m on m.account_key = s.account_key
)
select account_key || '|' || weekday || '|' || hour as posting_time_key, workspace_id, account_key, platform,
       weekday, hour, posts, posts as sample_size, round(mean_engagement_rate, 4) as mean_engagement_rate,
       round(median_engagement_rate::numeric, 4) as median_engagement_rate,
       round(account_mean_engagement_rate, 4) as account_mean_engagement_rate, shrunk_engagement_rate,
       {_rate("shrunk_engagement_rate - account_mean_engagement_rate", "account_mean_engagement_rate")} as lift_pct,
       posts >= {MIN_POSTS} as is_confident,
       case when posts >= 2 * {MIN_POSTS} then 'high' when posts >= {MIN_POSTS} then 'medium' else 'low' end
           as confidence,
       rank() over (partition by account_key order by shrunk_engagement_rate desc, posts desc) as slot_rank
from shrunk;
"""

# the indexes of the dbt models' config(), then fresh statistics
INDEXES = """
create unique index on marts.dim_accounts (account_key);
create index on marts.dim_accounts (workspace_id, platform);
create unique index on marts.dim_posts (post_key);
create index on marts.dim_posts (platform, account_id);
create index on marts.dim_posts (published_date_local);
create index on marts.dim_posts (workspace_id, platform, format);
create index on marts.dim_posts (cross_post_group);
create unique index on marts.fct_post_metrics_daily (post_key, metric_date);
create index on marts.fct_post_metrics_daily (metric_date);
create index on marts.fct_post_metrics_daily (platform, account_id, metric_date);
create unique index on marts.fct_account_metrics_daily (account_key, metric_date);
create index on marts.fct_account_metrics_daily (metric_date);
create index on marts.fct_account_metrics_daily (workspace_id, platform, metric_date);
create unique index on marts.mart_data_coverage (account_key);
create index on marts.mart_data_coverage (workspace_id, platform);
create unique index on marts.mart_content_performance (post_key);
create index on marts.mart_content_performance (account_key, published_at);
create index on marts.mart_content_performance (workspace_id, platform, format);
create unique index on marts.mart_posting_times (posting_time_key);
create index on marts.mart_posting_times (account_key, slot_rank);
"""


def statements() -> list[str]:
    """The generation, in order (one transaction)."""
    post_keys = """
create temporary table bench_post_keys on commit drop as
select * from bench_posts where first_day <= last_day;
"""
    return [SETUP, ACCOUNTS, POSTS, DIM_POSTS.format(baselines=_baselines()), post_keys, _post_daily(),
            _account_daily(), DIM_ACCOUNTS, COVERAGE, _content(), POSTING_TIMES, INDEXES,
            "\n".join(f"analyze marts.{t};" for t in TABLES)]


def build_marts(conn, *, accounts: int, start: date, end: date, posts_per_account: int, post_days: int = 30,
                workspace: str = "bench", timings: dict | None = None) -> dict[str, int]:
    """(Re)create the social marts the reports read, with synthetic rows; returns the row count of each.
    `timings`, when given, receives the seconds of each generation step."""
    import time

    params = {"accounts": accounts, "start": start, "end": end, "days": (end - start).days + 1,
              "posts_per_account": posts_per_account, "post_days": post_days, "platforms": list(platforms()),
              "profiles": json.dumps(_profile_rows()), "timezones": list(TIMEZONES),
              "video_formats": list(VIDEO_FORMATS), "workspace": workspace}
    names = ("setup", "accounts", "posts", "dim_posts", "post_keys", "fct_post_metrics_daily",
             "fct_account_metrics_daily", "dim_accounts", "mart_data_coverage", "mart_content_performance",
             "mart_posting_times", "indexes", "analyze")
    with conn, conn.cursor() as cur:
        for name, sql in zip(names, statements(), strict=True):
            started = time.perf_counter()
            cur.execute(sql, params)
            if timings is not None:
                timings[name] = time.perf_counter() - started
        counts = {}
        for table in TABLES:
            cur.execute(f"select count(*) from marts.{table}")
            counts[table] = cur.fetchone()[0]
    return counts
