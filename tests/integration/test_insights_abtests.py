"""The `marts/mart_ab_tests` asset against a real Postgres through Dagster, on small hand-made
marts (dim_posts, fct_post_metrics_daily: no ingestion, no dbt, so it takes seconds). The truth is
known: the counts are written here, and the mart must equal an SQL aggregation of them; a finished
test reaches a local webhook once; a bad declaration fails before the mart changes."""

import textwrap
from datetime import date, timedelta

import numpy as np
import psycopg2
import pytest
from scipy import stats

from tests.helpers import db_rows, materialize_assets, module_database
from tests.integration.test_reports_receiver import Receiver

pytestmark = pytest.mark.integration

DECLARATIONS = """
tests:
  - name: shorts_oct
    hypothesis: Shorts keep more of their viewers
    metric: engaged_views / views
    min_sample: 2000
    start: 2026-10-01
    end: 2026-10-31
    variants:
      - {name: long, where: {format: long_video}}
      - {name: short, where: {format: short}}
  - name: live
    hypothesis: Evening posts earn more clicks
    metric: clicks / impressions
    min_sample: 100
    start: 2026-11-01
    end: 2026-12-31
    variants:
      - {name: morning, posts: ["linkedin:m1", "linkedin:m2"]}
      - {name: evening, posts: ["linkedin:e1"]}
"""


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    from tests.conftest import FIXTURES, SIM_NOW

    tmp = tmp_path_factory.mktemp("abtests")
    receiver = Receiver().start()
    (tmp / "reports.yaml").write_text("delivery:\n  - {name: team, kind: slack, url_env: TEST_AB_HOOK, "
                                      "reports: [abtests]}\n")
    (tmp / "abtests.yaml").write_text(DECLARATIONS)
    env = {"TIDEMARK_HOME": str(tmp / "home"), "TIDEMARK_CONFIG": str(FIXTURES / "tidemark.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW, "TIDEMARK_REPORTS_CONFIG": str(tmp / "reports.yaml"),
           "TIDEMARK_ABTESTS_CONFIG": str(tmp / "abtests.yaml"), "TEST_AB_HOOK": receiver.url("/ab")}
    with module_database(pg_server_url, env) as url:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            _make_marts(cur)
        yield {"url": url, "receiver": receiver, "tmp": tmp}
    receiver.stop()


def _make_marts(cur) -> None:
    """The columns the A/B tests read, with counts drawn at known rates (shorts 36 %, long 30 %)."""
    cur.execute("create schema marts")
    cur.execute("""create table marts.dim_posts (post_key text primary key, platform text, account_id text,
                   format text, published_hour_local int, published_weekday_local int, published_date_local date)""")
    cur.execute("""create table marts.fct_post_metrics_daily (post_key text, metric_date date, views numeric,
                   engaged_views numeric, clicks numeric, impressions numeric)""")
    rng = np.random.default_rng(4)
    for i in range(8):
        key, form = f"youtube:v{i}", ("short" if i % 2 else "long_video")
        cur.execute("insert into marts.dim_posts values (%s, 'youtube', 'UC1', %s, 10, 2, %s)",
                    (key, form, date(2026, 10, 1) + timedelta(days=i)))
        for day in range(40):  # 2026-09-25 .. 2026-11-03: days outside the test must not count
            views = int(rng.integers(100, 300))
            engaged = int(rng.binomial(views, 0.36 if form == "short" else 0.30))
            cur.execute("insert into marts.fct_post_metrics_daily values (%s, %s, %s, %s, null, null)",
                        (key, date(2026, 9, 25) + timedelta(days=day), views, None if day == 10 else engaged))
    for key in ("linkedin:m1", "linkedin:m2", "linkedin:e1"):
        cur.execute("insert into marts.dim_posts values (%s, 'linkedin', '1', 'text', 9, 1, '2026-11-02')", (key,))
        cur.execute("insert into marts.fct_post_metrics_daily values (%s, '2026-11-05', null, null, 7, 90)", (key,))


def _materialize():
    from orchestration.insights.abtests import AB_ASSETS

    return materialize_assets(AB_ASSETS)


def _rows(world, sql: str, params=()) -> list[tuple]:
    return db_rows(world["url"], sql, params)


@pytest.fixture(scope="module")
def first_run(world):
    result = _materialize()
    assert result.success
    return result


def test_mart_equals_an_sql_aggregation_of_the_facts(world, first_run):
    expected = dict(((variant, (s, n))) for variant, s, n in _rows(world, """
        select case when p.format = 'short' then 'short' else 'long' end, sum(f.engaged_views), sum(f.views)
        from marts.fct_post_metrics_daily f join marts.dim_posts p using (post_key)
        where p.platform = 'youtube' and f.metric_date between '2026-10-01' and '2026-10-31'
          and f.engaged_views is not null and f.views is not null group by 1"""))
    got = {v: (s, n, p, status, winner, excluded) for v, s, n, p, status, winner, excluded in _rows(world, """
        select variant, successes, trials, p_value, status, winner, excluded_post_days
        from marts.mart_ab_tests where test_name = 'shorts_oct'""")}
    assert {v: (s, n) for v, (s, n, *_) in got.items()} == {v: (float(s), float(n)) for v, (s, n) in expected.items()}
    table = np.array([[s, n - s] for s, n in (expected["long"], expected["short"])], dtype=float)
    assert got["short"][2] == pytest.approx(stats.chi2_contingency(table).pvalue, abs=1e-9)
    assert {g[3] for g in got.values()} == {"winner"} and {g[4] for g in got.values()} == {"short"}
    assert got["long"][5] == 4 and got["short"][5] == 4  # day 10 (2026-10-05) has NULL engaged views
    [(status, trials)] = _rows(world, "select distinct status, trials from marts.mart_ab_tests "
                                      "where test_name = 'live' and variant = 'evening'")
    assert (status, trials) == ("running", 90.0)


def test_a_finished_test_is_delivered_once(world, first_run):
    bodies = [body["text"] for path, body in world["receiver"].requests if path == "/ab"]
    assert len(bodies) == 1 and bodies[0].startswith("A/B test shorts_oct finished, winner: short")
    again = _materialize()
    assert again.success
    assert len([r for r in world["receiver"].requests if r[0] == "/ab"]) == 1


def test_a_bad_declaration_fails_before_the_mart_changes(world, first_run):
    before = _rows(world, "select test_name, variant, evaluated_at from marts.mart_ab_tests order by 1, 2")
    bad = world["tmp"] / "bad.yaml"
    bad.write_text(textwrap.dedent(DECLARATIONS).replace('"linkedin:e1"', '"linkedin:e1", "linkedin:zz"'))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIDEMARK_ABTESTS_CONFIG", str(bad))
        result = _materialize()
    assert not result.success
    [failure] = result.get_step_failure_events()
    assert "live.evening: unknown post(s) linkedin:zz" in str(failure.event_specific_data.error)
    assert _rows(world, "select test_name, variant, evaluated_at from marts.mart_ab_tests order by 1, 2") == before
