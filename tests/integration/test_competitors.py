"""Competitor benchmarking through the simulator, a real Postgres and real Dagster: the two assets
(`raw/competitor_snapshots`, `marts/mart_competitor_benchmarks`) materialized at two run clocks a
week apart, then again at the second (a rerun). No own-account ingestion, no dbt: seconds.

The truth is the simulator's own world (same seed, same clock): every stored follower count and post
counter must equal it, growth must be the difference of the two clocks' counts, and each
`gone_20261120_*` competitor (found on the 16th, gone on the 24th) must warn, keep its first
snapshot and be marked disappeared from the 24th."""

import hashlib
import os
from datetime import UTC, date, datetime

import dagster as dg
import psycopg2
import pytest

from tests.helpers import module_database

pytestmark = pytest.mark.integration

FIRST, SECOND = datetime(2026, 11, 16, 12, tzinfo=UTC), datetime(2026, 11, 24, 12, tzinfo=UTC)
RIVALS = {"youtube": "UCrivalKitchenStudio0001", "instagram": "rival_bakery", "facebook": "rivalkitchenpage",
          "x": "rival_kitchen"}
GONE = {"youtube": "UCgone_20261120_oldrival", "instagram": "@gone_20261120_pastry",
        "facebook": "gone_20261120_page", "x": "gone_20261120_chef"}


# Hand-made own marts (the columns the benchmark reads): one X account, two follower days, one post
# whose lifetime counters are 40 likes, 6 replies, 3 shares.
OWN = "1500000000000000002"
OWN_MARTS = f"""
create schema if not exists marts;
create table marts.dim_accounts as select 'x'::text as platform, '{OWN}'::text as account_id, 'Own'::text as account_name;
create table marts.fct_account_metrics_daily (platform text, account_id text, metric_date date, followers bigint);
insert into marts.fct_account_metrics_daily values ('x', '{OWN}', '2026-11-15', 500), ('x', '{OWN}', '2026-11-22', 530);
create table marts.mart_content_performance as select 'k1'::text as post_key, 'x'::text as platform,
    '{OWN}'::text as account_id, 'o1'::text as post_id, timestamptz '2026-11-17 10:00+00' as published_at,
    'video'::text as format, 40::bigint as likes, 6::bigint as comments, 3::bigint as shares;
"""


def _materialize():
    from orchestration.insights.benchmarks import BENCHMARK_ASSETS
    from tidemark.runtime import WiredRuntime

    return dg.materialize(BENCHMARK_ASSETS, resources={"tidemark": WiredRuntime()})


def _digest(cur, table: str, order: str) -> str:
    cur.execute(f"select md5(string_agg(t::text, '|' order by {order})) from {table} as t")
    return cur.fetchone()[0]


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    from tests.conftest import FIXTURES

    tmp = tmp_path_factory.mktemp("compete")
    env = {"TIDEMARK_HOME": str(tmp / "home"), "TIDEMARK_CONFIG": str(FIXTURES / "competitors.yaml"),
           "TIDEMARK_SIM_NOW": FIRST.isoformat()}
    with module_database(pg_server_url, env) as url:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute(OWN_MARTS)
        runs = {"first": _materialize()}
        os.environ["TIDEMARK_SIM_NOW"] = SECOND.isoformat()  # restored by module_database
        runs["second"] = _materialize()
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            before = {t: _digest(cur, t, o) for t, o in (("raw.competitor_snapshots", "platform, competitor, fetched_at"),
                                                         ("marts.mart_competitor_benchmarks", "grain, period_start, "
                                                          "platform, account_id"))}
        runs["rerun"] = _materialize()
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            after = {t: _digest(cur, t, o) for t, o in (("raw.competitor_snapshots", "platform, competitor, fetched_at"),
                                                        ("marts.mart_competitor_benchmarks", "grain, period_start, "
                                                         "platform, account_id"))}
        yield {"url": url, "runs": runs, "digests": (before, after)}


def sim_account(platform: str, handle: str, at: datetime):
    """The simulator's own account behind a competitor handle, at a clock."""
    from simulator.platforms import PROFILES
    from simulator.platforms.x.lookup import user_id_for
    from simulator.world import World
    from tidemark.runtime import SIM_EPOCH, load_runtime

    settings = load_runtime().settings
    world = World(settings.sim_seed, SIM_EPOCH, profiles=PROFILES, history_days=settings.sim_history_days)
    world.set_now(at)
    key = user_id_for(handle) if platform == "x" else handle.lstrip("@") if platform == "instagram" else handle
    return world.account(platform, key)


def public_followers(platform: str, followers: int) -> int:
    """YouTube shows subscriber counts to three significant figures."""
    if platform != "youtube":
        return followers
    step = 10 ** max(len(str(followers)) - 3, 0)
    return followers - followers % step


def query(url: str, sql: str, *args):
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def test_runs_succeed_and_warn_about_the_gone_competitors_only_when_they_are_gone(world):
    runs = world["runs"]
    assert all(run.success for run in runs.values())
    first, second = (next(e.materialization.metadata for e in runs[name].get_asset_materialization_events()
                          if e.asset_key == dg.AssetKey(["raw", "competitor_snapshots"])) for name in ("first", "second"))
    assert first["not_found"].value == 0 and first["competitors"].value == 8
    assert second["not_found"].value == 4 and second["errors"].value == 0
    warned = " ".join(second["warnings"].value)
    assert all(handle in warned for handle in GONE.values())


@pytest.mark.parametrize("platform", sorted(RIVALS))
def test_stored_followers_equal_the_simulator(world, platform):
    handle = RIVALS[platform]
    rows = query(world["url"], "select fetched_at, (metrics ->> 'followers')::bigint from raw.competitor_snapshots "
                               "where platform = %s and competitor = %s order by 1", platform, handle)
    assert [r[0] for r in rows] == [FIRST, SECOND]  # the rerun at SECOND added nothing
    for fetched_at, followers in rows:
        assert followers == public_followers(platform, sim_account(platform, handle, fetched_at).followers())


@pytest.mark.parametrize("platform", ["youtube", "instagram", "x"])
def test_stored_post_counters_equal_the_simulator(world, platform):
    handle = RIVALS[platform]
    (metrics,), = query(world["url"], "select metrics from raw.competitor_snapshots where platform = %s and "
                                      "competitor = %s and fetched_at = %s", platform, handle, SECOND)
    account = sim_account(platform, handle, SECOND)
    by_id = {post.id: post for post in account.posts}
    assert len(metrics["posts"]) == 25
    for stored in metrics["posts"]:
        life = account.lifetime(by_id[stored["post_id"]])
        assert (stored["likes"], stored["comments"]) == (life["likes"], life["comments"])
        if platform == "x":  # reposts + quotes
            assert stored["shares"] == life["shares"]
        else:
            assert stored["shares"] is None  # not public on YouTube / Instagram


def test_facebook_competitors_have_no_posts_read(world):
    (metrics,), = query(world["url"], "select metrics from raw.competitor_snapshots where platform = 'facebook' "
                                      "and competitor = %s and fetched_at = %s", RIVALS["facebook"], SECOND)
    assert metrics["posts"] is None
    rows = query(world["url"], "select posts, engagement_per_post from marts.mart_competitor_benchmarks "
                               "where platform = 'facebook' and account_id = %s", RIVALS["facebook"])
    assert rows and all(r == (None, None) for r in rows)


@pytest.mark.parametrize("platform", sorted(RIVALS))
def test_growth_is_the_difference_of_the_two_snapshots(world, platform):
    handle = RIVALS[platform]
    rows = dict(query(world["url"], "select period_start, follower_growth from marts.mart_competitor_benchmarks "
                                    "where grain = 'week' and platform = %s and account_id = %s", platform, handle))
    first = public_followers(platform, sim_account(platform, handle, FIRST).followers())
    second = public_followers(platform, sim_account(platform, handle, SECOND).followers())
    assert rows[date(2026, 11, 16)] is None  # one snapshot: no growth yet (never 0)
    assert rows[date(2026, 11, 23)] == second - first


def test_x_engagement_per_post_counts_the_latest_snapshot(world):
    """Week of the 16th: its posts' counters as the second snapshot saw them, per follower of the first."""
    handle = RIVALS["x"]
    account = sim_account("x", handle, SECOND)
    week = [p for p in account.posts if date(2026, 11, 16) <= p.published_at.date() <= date(2026, 11, 22)]
    engagement = [sum(account.lifetime(p)[m] for m in ("likes", "comments", "shares")) for p in week]
    (posts, per_post, rate, followers, base), = query(
        world["url"], "select posts, engagement_per_post, engagement_rate, followers, engagement_base "
                      "from marts.mart_competitor_benchmarks where grain = 'week' and platform = 'x' "
                      "and account_id = %s and period_start = '2026-11-16'", handle)
    assert week and posts == len(week)
    assert followers == sim_account("x", handle, FIRST).followers()
    assert per_post == pytest.approx(sum(engagement) / len(week))
    assert rate == pytest.approx(per_post / followers)
    assert base == "likes+comments+shares"


@pytest.mark.parametrize("platform", sorted(GONE))
def test_a_gone_competitor_keeps_its_history_and_is_marked_disappeared(world, platform):
    handle = GONE[platform]
    snaps = query(world["url"], "select fetched_at, status from raw.competitor_snapshots where platform = %s "
                                "and competitor = %s order by 1", platform, handle)
    assert snaps == [(FIRST, "ok"), (SECOND, "not_found")]
    (status, last_seen, missing_since, message), = query(
        world["url"], "select status, last_seen_at, missing_since, message from ops.competitor_status "
                      "where platform = %s and competitor = %s", platform, handle)
    assert (status, last_seen, missing_since) == ("not_found", FIRST, SECOND) and message
    weeks = dict(query(world["url"], "select period_start, (status, followers, disappeared_on) from "
                                     "marts.mart_competitor_benchmarks where grain = 'week' and platform = %s "
                                     "and account_id = %s", platform, handle))
    first_followers = public_followers(platform, sim_account(platform, handle, FIRST).followers())
    assert weeks[date(2026, 11, 16)] == f"(ok,{first_followers},2026-11-24)"
    assert weeks[date(2026, 11, 23)] == "(disappeared,,2026-11-24)"


def test_own_accounts_sit_beside_the_competitors_on_the_same_base(world):
    (followers, growth, posts, per_post, rate, base, mix), = query(
        world["url"], "select followers, follower_growth, posts, engagement_per_post, engagement_rate, "
                      "engagement_base, format_mix::text from marts.mart_competitor_benchmarks where grain = 'week' "
                      "and period_start = '2026-11-16' and account_id = %s and not is_competitor", OWN)
    assert (followers, growth, posts, per_post, base) == (530, 30, 1, 40 + 6 + 3, "likes+comments+shares")
    assert rate == pytest.approx(49 / 530) and mix == '{"video": 1.0}'


def test_a_rerun_at_the_same_clock_changes_nothing(world):
    before, after = world["digests"]
    assert before == after and all(before.values())


def test_no_secret_is_stored(world):
    from simulator.platforms.x.common import APP_BEARER

    text = " ".join(str(r) for r in query(world["url"], "select payload::text from raw.competitor_snapshots"))
    assert APP_BEARER not in text and "sim-ig:" not in text
    assert hashlib.md5(text.encode()).hexdigest()  # the table is not empty


def test_the_comparison_report_section_and_its_pdf_page(world, tmp_path):
    from types import SimpleNamespace

    from reportlab.platypus import SimpleDocTemplate

    from reporting.config import Branding
    from reporting.pdf_benchmarks import benchmarks_part
    from reporting.pdf_layout import styles
    from reporting.sections.benchmarks import build
    from reporting.sections.common import Ctx

    with psycopg2.connect(world["url"]) as conn, conn.cursor() as cur:
        ctx = Ctx(cur, {"end": date(2026, 11, 24), "platforms": ["x", "youtube"], "accounts": None, "workspace": None,
                        "competitors": None}, {}, [])
        tables = build(ctx)
    rows = tables["benchmarks"]
    assert {(r["grain"], r["period_start"]) for r in rows} == {("week", date(2026, 11, 23)), ("month", date(2026, 11, 1))}
    assert sorted({r["account_id"] for r in rows}) == sorted([OWN, RIVALS["x"], RIVALS["youtube"], GONE["x"],
                                                              GONE["youtube"]])
    assert GONE["x"] in ctx.notes["benchmarks"]["message"] and GONE["youtube"] in ctx.notes["benchmarks"]["message"]
    branding = Branding()
    story = benchmarks_part(SimpleNamespace(tables=tables, notes=ctx.notes), branding, styles(branding))
    tables_drawn = sum(type(item).__name__ == "Table" for item in story)
    assert tables_drawn == 2  # the week and the month
    path = tmp_path / "benchmarks.pdf"
    SimpleDocTemplate(str(path)).build(story)
    assert path.read_bytes().startswith(b"%PDF")
