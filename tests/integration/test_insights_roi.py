"""The `marts/mart_roi` asset against a real Postgres through Dagster, on small hand-made marts
(dim_posts and the two facts: no ingestion, no dbt, so it takes seconds). The truth is an independent
SQL aggregation of the same facts and the declared costs; an account without costs stays NULL; a
rerun writes the same rows; a bad declaration fails before the mart changes; the comparison
report's ROI section reads the platform rows and its PDF prints "—" with "no costs declared"."""

import textwrap
from datetime import date, timedelta
from types import SimpleNamespace

import numpy as np
import psycopg2
import pytest
from pypdf import PdfReader

from tests.helpers import db_rows, materialize_assets, module_database

pytestmark = pytest.mark.integration

UC1, UC2 = "UCtestKitchen000000000001", "UCtestTravel0000000000002"
COSTS = f"""
workspace: testws
costs:
  - {{month: '2026-10', platform: youtube, account_id: {UC1}, currency: EUR, fixed: 1500, per_post: 120}}
  - {{month: '2026-10', platform: youtube, account_id: {UC1}, currency: USD, ad_spend: 300}}
  - {{month: '2026-11', platform: youtube, account_id: {UC1}, currency: EUR, fixed: 1500}}
  - {{month: '2026-10', campaign: launch, posts: ["youtube:v1", "youtube:v2"], currency: EUR, ad_spend: 250}}
"""


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    from tests.conftest import FIXTURES, SIM_NOW

    tmp = tmp_path_factory.mktemp("roi")
    (tmp / "costs.yaml").write_text(COSTS)
    env = {"TIDEMARK_HOME": str(tmp / "home"), "TIDEMARK_CONFIG": str(FIXTURES / "tidemark.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW, "TIDEMARK_COSTS_CONFIG": str(tmp / "costs.yaml")}
    with module_database(pg_server_url, env) as url:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            _make_marts(cur)
        yield {"url": url, "tmp": tmp}


def _make_marts(cur) -> None:
    """Two accounts from 2026-09-20 to 2026-11-19; UC1 complete through 11-10, UC2 through 11-05, with one
    unknown view count on a complete October day of UC2; posts spread over the three months."""
    cur.execute("create schema marts")
    cur.execute("create table marts.dim_posts (post_key text primary key, platform text, account_id text, "
                "published_at timestamptz, hashtags text, workspace_id text default 'testws')")
    cur.execute("""create table marts.fct_account_metrics_daily (account_key text, platform text, account_id text,
                   metric_date date, is_complete boolean, views numeric, engagements numeric, followers_net numeric, workspace_id text default 'testws')""")
    cur.execute("create table marts.fct_post_metrics_daily (post_key text, account_key text, metric_date date, "
                "views numeric, engagements numeric)")
    rng = np.random.default_rng(12)
    first = date(2026, 9, 20)
    for account, through in ((UC1, date(2026, 11, 10)), (UC2, date(2026, 11, 5))):
        for i in range(61):
            day = first + timedelta(days=i)
            views = None if (account == UC2 and day == date(2026, 10, 14)) else int(rng.integers(500, 5000))
            cur.execute("insert into marts.fct_account_metrics_daily values (%s, 'youtube', %s, %s, %s, %s, %s, %s)",
                        (f"youtube:{account}", account, day, day <= through, views, int(rng.integers(20, 400)),
                         int(rng.integers(-3, 40))))
        for n in range(9):  # 23:30 UTC on the last day of a month is still that month (UTC, like posts_published)
            key = f"youtube:{'v' if account == UC1 else 'w'}{n}"
            published = f"2026-{9 + n % 3}-{30 if n % 3 == 0 else 28 - n} 23:30:00+00"
            cur.execute("insert into marts.dim_posts values (%s, 'youtube', %s, %s, '')", (key, account, published))
            for i in range(40):
                cur.execute("insert into marts.fct_post_metrics_daily values (%s, %s, %s, %s, %s)",
                            (key, f"youtube:{account}", first + timedelta(days=i + 5), int(rng.integers(10, 200)),
                             int(rng.integers(0, 20))))


def _materialize():
    from orchestration.insights.roi import ROI_ASSETS

    return materialize_assets(ROI_ASSETS)


def _rows(world, sql: str, params=()) -> list[tuple]:
    return db_rows(world["url"], sql, params)


@pytest.fixture(scope="module")
def first_run(world):
    result = _materialize()
    assert result.success
    return result


EXPECTED = """
    with months as (
        select account_id, date_trunc('month', metric_date)::date as month,
               sum(views) filter (where is_complete) as views,
               count(*) filter (where is_complete and views is null) as unknown_views,
               sum(engagements) filter (where is_complete) as engagements,
               sum(followers_net) filter (where is_complete) as followers,
               count(*) filter (where is_complete) as complete_days
        from marts.fct_account_metrics_daily group by 1, 2
    ),
    posts as (
        select account_id, date_trunc('month', published_at at time zone 'UTC')::date as month, count(*) as posts
        from marts.dim_posts group by 1, 2
    ),
    declared (account_id, month, currency, fixed, per_post, ad) as (values
        (%(uc1)s, date '2026-10-01', 'EUR', 1500.0, 120.0, null::numeric),
        (%(uc1)s, date '2026-10-01', 'USD', null, null, 300.0),
        (%(uc1)s, date '2026-11-01', 'EUR', 1500.0, null, null)
    )
    select d.account_id, d.month, d.currency,
           coalesce(d.fixed, 0) + coalesce(d.per_post * p.posts, 0) + coalesce(d.ad, 0) as cost,
           case when m.unknown_views = 0 then m.views end as views, m.engagements, m.followers, m.complete_days,
           extract(day from (d.month + interval '1 month' - interval '1 day'))::int as days
    from declared as d
    left join months as m using (account_id, month)
    left join posts as p using (account_id, month)
"""


def test_account_rows_equal_an_independent_sql_computation(world, first_run):
    expected = _rows(world, EXPECTED, {"uc1": UC1})
    assert len(expected) == 3
    for account, month, currency, cost, views, engagements, followers, complete, days in expected:
        [got] = _rows(world, """select total_cost, views, engagements, followers_gained, cost_per_1000_views,
                                       cost_per_engagement, cost_per_follower, complete_days
                                from marts.mart_roi where row_type = 'account' and account_id = %s
                                  and month = %s and currency = %s""", (account, month, currency))
        assert got[0] == pytest.approx(float(cost))
        assert got[1:4] == pytest.approx((float(views), float(engagements), float(followers)))
        covered = float(cost) * complete / days  # the month's cost prorated to its complete days
        assert got[4] == pytest.approx(covered / float(views) * 1000, abs=1e-4)
        assert got[5] == pytest.approx(covered / float(engagements), abs=1e-4)
        assert got[6] == (pytest.approx(covered / float(followers), abs=1e-4) if followers > 0 else None)
        assert got[7] == complete
    # October EUR: 1500 + 120 × the 3 posts of UC1 published in October (UTC)
    [(production, posts)] = _rows(world, "select production_cost, posts_published from marts.mart_roi "
                                         "where row_key = %s", (f"account/youtube/{UC1}/2026-10/EUR",))
    assert (production, posts) == (360.0, 3)


def test_an_account_without_costs_is_null_never_zero(world, first_run):
    rows = _rows(world, "select currency, total_cost, cost_per_1000_views, views, note from marts.mart_roi "
                        "where row_type = 'account' and account_id = %s order by month", (UC2,))
    assert len(rows) == 3  # September, October, November: months with data
    assert all(r[0] is None and r[1] is None and r[2] is None for r in rows)
    assert all(r[4].startswith("no costs declared") for r in rows)
    assert rows[1][3] is None  # October has an unknown view count on a complete day: unknown, not a smaller sum


def test_platform_rows_keep_currencies_apart_and_count_accounts_without_cost(world, first_run):
    rows = {(m.isoformat(), c): (t, w, wo) for m, c, t, w, wo in _rows(world, """
        select month, currency, total_cost, accounts_with_cost, accounts_without_cost
        from marts.mart_roi where row_type = 'platform'""")}
    assert rows[("2026-10-01", "EUR")][1:] == (1, 1) and rows[("2026-10-01", "USD")] == (300.0, 1, 1)
    assert rows[("2026-09-01", None)] == (None, 0, 2)
    [(cost,)] = _rows(world, "select total_cost from marts.mart_roi where row_type = 'campaign'")
    assert cost == 250.0 + 0  # ad spend only


def test_a_rerun_writes_identical_rows(world, first_run):
    digest = "select md5(string_agg(t::text, '|' order by t.row_key)) from marts.mart_roi as t"
    before = _rows(world, digest)
    assert _materialize().success
    assert _rows(world, digest) == before


def test_a_bad_declaration_fails_before_the_mart_changes(world, first_run):
    before = _rows(world, "select row_key, computed_at from marts.mart_roi order by 1")
    bad = world["tmp"] / "bad.yaml"
    bad.write_text(textwrap.dedent(COSTS).replace('"youtube:v2"', '"youtube:v2", "youtube:nope"'))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIDEMARK_COSTS_CONFIG", str(bad))
        result = _materialize()
    assert not result.success
    [failure] = result.get_step_failure_events()
    assert "costs[3].posts: unknown post(s) youtube:nope" in str(failure.event_specific_data.error)
    assert _rows(world, "select row_key, computed_at from marts.mart_roi order by 1") == before


def test_the_report_section_and_its_pdf_page(world, first_run):
    from reportlab.platypus import SimpleDocTemplate

    from reporting.config import Branding
    from reporting.pdf_layout import styles
    from reporting.pdf_roi import roi_part
    from reporting.sections.common import Ctx
    from reporting.sections.roi import build

    params = {"start": date(2026, 10, 26), "end": date(2026, 11, 8), "platforms": None, "accounts": None,
              "workspace": "testws"}
    with psycopg2.connect(world["url"]) as conn, conn.cursor() as cur:
        ctx = Ctx(cur, params, params, [])
        rows = build(ctx)["roi"]
        by_account = build(Ctx(cur, params | {"accounts": [UC2]}, params, []))["roi"]
    assert [(r["month"], r["currency"]) for r in rows] == [("2026-10", "EUR"), ("2026-10", "USD"),
                                                           ("2026-11", "EUR")]
    assert {r["month"] for r in by_account} == {"2026-10", "2026-11"} and all(r["total_cost"] is None
                                                                              for r in by_account)
    assert "2026-10" in ctx.notes["roi"]["message"] and "2026-11 (partial" in ctx.notes["roi"]["message"]
    data = SimpleNamespace(tables={"roi": by_account}, notes={"roi": ctx.notes["roi"]}, table_views={"roi": "ROI"})
    path = world["tmp"] / "roi.pdf"
    branding = Branding()
    SimpleDocTemplate(str(path)).build(roi_part(data, branding, styles(branding)))
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())  # cells wrap
    assert "ROI by platform" in text and "\u2014 (no costs declared)" in text
    assert f"2026-10 YouTube · {UC2}: no costs declared; views unknown on some complete day" in text
