"""The BI tool for real: Superset from `make bi-install`'s venv, started on a free loopback port over
a throwaway warehouse of hand-made marts (only the tables the dashboard's charts read, known rows),
provisioned through its REST API exactly as `make bi` does. Every dashboard chart's query is run by
Superset (/api/v1/chart/{id}/data/) and must give the numbers of the same query written by hand and
run directly on the marts, and of sums worked out here; the read-only login reads marts and nothing
else, cannot write, and its password is in no Superset log."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import psycopg2
import pytest
from psycopg2 import errors

from tests.helpers import module_database
from tidemark.bi.bundle import load_charts
from tidemark.bi.provision import provision
from tidemark.bi.superset import ADMIN, SupersetClient, SupersetHome, SupersetMissing, free_port, venv_dir

pytestmark = pytest.mark.integration

DAY0 = date(2026, 10, 1)  # 46 days of history: the 30-day trend must drop the first 16
FOLLOWERS = {"youtube": 1200, "instagram": 800, "linkedin": 300}


def _make_marts(cur) -> None:
    for schema in ("marts", "raw", "staging", "ops"):
        cur.execute(f"create schema if not exists {schema}")
    for schema in ("raw", "staging", "ops"):
        cur.execute(f"create table {schema}.secret (payload text)")
        cur.execute(f"insert into {schema}.secret values ('not for the BI role')")
    cur.execute("""create table marts.mart_platform_comparison (workspace_id text, platform text, period text,
                   followers bigint, views bigint, engagements bigint, posts bigint, engagement_rate numeric)""")
    for i, (platform, followers) in enumerate(FOLLOWERS.items()):
        for period, scale in (("week", 1), ("month", 4), ("quarter", 12)):
            cur.execute("insert into marts.mart_platform_comparison values ('default', %s, %s, %s, %s, %s, %s, %s)",
                        (platform, period, followers, 1000 * scale * (i + 1), 100 * scale * (i + 1), 3 * scale,
                         Decimal("10.0") / (i + 1)))
    cur.execute("""create table marts.fct_account_metrics_daily (account_key text, platform text,
                   metric_date date, followers bigint, engagements bigint)""")
    cur.execute("create table marts.mart_community_daily (community_id text, day date, active_users bigint)")
    for d in range(46):
        day = DAY0 + timedelta(days=d)
        for platform in FOLLOWERS:
            for account in ("1", "2"):  # two accounts a day per platform: the charts sum them
                cur.execute("insert into marts.fct_account_metrics_daily values (%s, %s, %s, %s, %s)",
                            (f"{platform}:{account}", platform, day,
                             None if d == 5 or account == "2" else FOLLOWERS[platform] + d, d + len(platform)))
        cur.execute("insert into marts.mart_community_daily values ('c1', %s, %s), ('c2', %s, %s)",
                    (day, 10 + d % 7, day, 3))
    cur.execute("""create table marts.mart_top_posts (workspace_id text, platform text, window_days int, rank int,
                   post_key text, post_platform text, format text, views bigint, engagements bigint,
                   engagement_rate numeric)""")
    for window in (7, 30, 90):
        for rank in range(1, 13):  # 12 ranked posts: the chart shows 10
            cur.execute("insert into marts.mart_top_posts values ('default', 'all', %s, %s, %s, 'youtube', 'short', "
                        "%s, %s, %s)", (window, rank, f"youtube:p{rank}", 1000 - rank, 100 - rank, 20 - rank / 2))
    cur.execute("insert into marts.mart_top_posts values ('default', 'youtube', 30, 1, 'youtube:px', 'youtube', "
                "'short', 5, 5, 99)")  # a per-platform ranking: not in the 'all' chart
    cur.execute("""create table marts.mart_posting_times (account_key text, weekday int, hour int,
                   shrunk_engagement_rate numeric)""")
    for weekday in range(1, 8):
        for hour in (9, 12, 18):
            for account, bump in (("youtube:1", 0), ("instagram:1", 2)):
                cur.execute("insert into marts.mart_posting_times values (%s, %s, %s, %s)",
                            (account, weekday, hour, Decimal(weekday + hour / 10 + bump)))
    cur.execute("""create table marts.mart_insights (insight_id text, platform text, confidence_label text,
                   confidence_score numeric, text text, insight_data jsonb)""")
    for i in range(14):
        cur.execute("insert into marts.mart_insights values (%s, 'youtube', %s, %s, %s, '{}')",
                    (f"i{i:02d}", "high" if i < 5 else "low", round(0.99 - i * 0.05, 2), f"Insight number {i}"))


def _manifest(tmp) -> str:
    """A dbt manifest with the docs of one mart: the dataset's column descriptions must come from it."""
    path = tmp / "manifest.json"
    path.write_text(json.dumps({"nodes": {"model.tidemark.mart_top_posts": {
        "resource_type": "model", "schema": "marts", "name": "mart_top_posts", "alias": "mart_top_posts",
        "description": "Top posts by engagement rate.",
        "columns": {"rank": {"description": "1 = highest engagement rate."}}}}, "sources": {}}))
    return path


@pytest.fixture(scope="module")
def bi(pg_server_url, tmp_path_factory):
    from tests.conftest import FIXTURES, SIM_NOW

    try:
        home = SupersetHome(root=tmp_path_factory.mktemp("superset"), venv=venv_dir())
        home.prepare()
    except SupersetMissing as error:
        pytest.fail(f"{error} (the BI tests need the Superset venv; `make test` installs it first)")
    tmp = tmp_path_factory.mktemp("bi")
    env = {"TIDEMARK_HOME": str(tmp / "home"), "TIDEMARK_CONFIG": str(FIXTURES / "tidemark.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW}
    with module_database(pg_server_url, env) as url:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            _make_marts(cur)
        port = free_port()
        server = home.start(port)
        try:
            client = SupersetClient(f"http://127.0.0.1:{port}", ADMIN, home.admin_password())
            role = "bi_" + url.rsplit("/", 1)[1]  # roles are server-wide: one per throwaway database
            done = provision(client, url, _manifest(tmp), role=role)
            yield {"url": url, "client": client, "done": done, "home": home}
        finally:
            server.terminate()
            server.wait(timeout=30)
            with psycopg2.connect(url) as conn, conn.cursor() as cur:
                cur.execute(f"drop owned by {role}; drop role {role}")


def _normal(value):
    """Superset's JSON next to psycopg2's values: temporal as epoch ms, numbers as rounded floats."""
    if isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
        return int(moment.replace(tzinfo=None).timestamp() * 1000) - int(datetime(1970, 1, 1).timestamp() * 1000)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return round(float(value), 6)
    return value


def _chart_rows(bi, chart_id: int) -> list[tuple]:
    result = bi["client"].get(f"/api/v1/chart/{chart_id}/data/")["result"][0]
    return [tuple(_normal(row[name]) for name in result["colnames"]) for row in result["data"]]


def _sql_rows(bi, sql: str) -> list[tuple]:
    with psycopg2.connect(bi["url"]) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return [tuple(_normal(value) for value in row) for row in cur.fetchall()]


def test_every_chart_gives_the_numbers_of_its_sql_on_the_marts(bi):
    charts = load_charts()
    assert set(bi["done"].charts) == {chart.name for chart in charts}
    by_name = {}
    for chart in charts:
        rows = _chart_rows(bi, bi["done"].charts[chart.name])
        expected = _sql_rows(bi, chart.sql)
        ordered = "order by" in chart.sql
        assert (rows if ordered else sorted(rows, key=repr)) == (expected if ordered else sorted(expected, key=repr)), \
            chart.name
        assert rows, f"{chart.name}: no rows (the hand-made marts cover every chart)"
        by_name[chart.name] = rows
    # Known truths, worked out from the rows written above.
    assert by_name["kpi_followers"] == [(float(sum(FOLLOWERS.values())),)]
    assert by_name["kpi_views_30d"] == [(4000.0 * (1 + 2 + 3),)]
    trend = by_name["engagement_trend_30d"]
    assert len({row[0] for row in trend}) == 30 and len(trend) == 30 * 3
    youtube_last = [row for row in trend if row[1] == "youtube"][-1]
    assert youtube_last[2] == 2 * (45 + len("youtube"))
    assert [row[0] for row in by_name["top_posts_30d"]] == [float(rank) for rank in range(1, 11)]
    heat = {(row[0], row[1]): row[2] for row in by_name["best_times_heatmap"]}
    assert len(heat) == 21 and heat[(18.0, 3.0)] == round(3 + 1.8 + 1, 6)
    youtube_followers = {row[0]: row[2] for row in by_name["audience_growth"] if row[1] == "youtube"}
    day5 = _normal(DAY0 + timedelta(days=5))
    assert len(youtube_followers) == 46 and youtube_followers[day5] is None  # unknown, not a 0
    assert youtube_followers[_normal(DAY0 + timedelta(days=45))] == 1200 + 45
    assert [row[3] for row in by_name["insights_top"]] == [f"Insight number {i}" for i in range(10)]


def test_datasets_carry_the_dbt_docs(bi):
    client = bi["client"]
    found = client.find("dataset", "table_name", "mart_top_posts")
    dataset = client.get(f"/api/v1/dataset/{found['id']}")["result"]
    assert dataset["description"] == "Top posts by engagement rate."
    columns = {column["column_name"]: column["description"] for column in dataset["columns"]}
    assert columns["rank"] == "1 = highest engagement rate." and columns["views"] is None
    assert bi["done"].datasets == 6


def test_the_bi_login_reads_marts_only_and_its_password_is_never_logged(bi):
    login = bi["done"].login
    with psycopg2.connect(bi["url"]) as conn, conn.cursor() as cur:  # a mart built after the grant
        cur.execute("create table marts.mart_later as select 1 as x")
    conn = psycopg2.connect(login.url)
    conn.autocommit = True
    with conn.cursor() as cur:  # no `with conn`: psycopg2 would open a transaction block
        cur.execute("select count(*) from marts.mart_top_posts")
        assert cur.fetchone()[0] == 37
        cur.execute("select x from marts.mart_later")
        assert cur.fetchone() == (1,)
        for schema in ("raw", "staging", "ops"):
            with pytest.raises(errors.InsufficientPrivilege):
                cur.execute(f"select * from {schema}.secret")
        for statement in ("create table marts.t (x int)", "create table public.t (x int)",
                          "insert into marts.mart_later values (2)", "create schema mine"):
            with pytest.raises((errors.InsufficientPrivilege, errors.ReadOnlySqlTransaction)):
                cur.execute(statement)
        with pytest.raises(errors.InsufficientPrivilege):
            cur.execute(f"set role {psycopg2.extensions.parse_dsn(bi['url'])['user']}")  # the admin
    conn.close()
    logs = "".join(path.read_text(errors="replace") for path in bi["home"].root.rglob("*.log"))
    assert logs and login.password not in logs
