"""The `marts/mart_insights` asset against a real Postgres through Dagster, on small hand-made marts
(dim_posts, mart_content_performance, mart_audience_demographics, mart_anomalies, mart_forecasts: no
ingestion, no dbt, so it takes seconds). The truth is planted: the kitchen account's Tuesday–Thursday
evening posts earn ×1.8 and its Shorts ×1.6, so both are found with high confidence and intervals
holding the truth; a thin account (8 posts) only gets the default at low confidence. The mart equals
`recommend()` on the very frames planted here (not read back through the asset's SQL), a rerun is
byte-identical, and the performance report's section returns the mart's rows for its scope."""

import json
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import numpy as np
import pandas as pd
import psycopg2
import pytest
from psycopg2.extras import execute_values

from tests.helpers import db_rows, materialize_assets, module_database

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)  # tests.conftest.SIM_NOW
TODAY = date(2026, 11, 20)                    # the same instant in Europe/Madrid
PRIME, SHORTS = 1.8, 1.6                      # the planted ratios of engagement rate
BEST = "Tuesday–Thursday 17–21 h"
KITCHEN, TRAILS = ("youtube", "UC1", "Kitchen"), ("instagram", "IG1", "Trails")


def planted_posts(platform: str, account: str, days: int, per_day: float, seed: int) -> list[dict]:
    """Posts over the `days` before TODAY: log rate = N(log 4 %, 0.25²) + log PRIME on Tue–Thu 17–20 h
    + log SHORTS for a Short; #recipe on half the posts of the last 4 weeks, never before."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(int(days * per_day)):
        day = TODAY - timedelta(days=int(rng.integers(1, days + 1)))
        hour = int(rng.choice([9, 13, 18, 19, 22])) if rng.random() < 0.7 else int(rng.integers(0, 24))
        short = rng.random() < 0.3
        prime = 2 <= day.isoweekday() <= 4 and 17 <= hour <= 20
        rate = float(np.exp(np.log(0.04) + prime * np.log(PRIME) + short * np.log(SHORTS) + rng.normal(0, 0.25)))
        recent = (TODAY - day).days <= 28
        out.append({"platform": platform, "account_id": account, "post_key": f"{platform}:{account}-{i:05d}",
                    "published_date_local": day, "weekday": day.isoweekday(), "hour": hour,
                    "format": "short" if short else "video", "hashtags": "recipe,food" if recent and i % 2 else "food",
                    "duration_s": float(rng.integers(15, 60) if short else rng.integers(240, 1500)),
                    "engagement_rate": rate, "engagements": float(round(rate * rng.integers(500, 5000)))})
    return out


def planted(accounts: list[tuple], days: int = 182, per_day: float = 1.0) -> dict[str, pd.DataFrame]:
    """The frames of a world: the first account gets the audience shift, an anomaly and a forecast;
    the last is thin (8 posts in the last 10 weeks) when there is more than one."""
    posts = []
    for n, (platform, account, _name) in enumerate(accounts):
        thin = n == len(accounts) - 1 and len(accounts) > 1
        posts += planted_posts(platform, account, 70 if thin else days, 8 / 70 if thin else per_day, seed=n)
    platform, account, _ = accounts[0]
    demographics = [{"platform": platform, "account_id": account, "snapshot_date": day, "audience": "followers",
                     "dimension": "age", "dimension_value": band, "value": 5000 * share / 100, "value_kind": "count",
                     "share_pct": share}
                    for day, shares in ((TODAY - timedelta(days=36), {"18-24": 40.0, "25-34": 30.0, "35-44": 30.0}),
                                        (TODAY - timedelta(days=1), {"18-24": 36.0, "25-34": 38.0, "35-44": 26.0}))
                    for band, share in shares.items()]
    spike = posts[0]["post_key"].split(":", 1)[1]
    anomalies = [{"anomaly_id": "a1", "platform": platform, "account_id": account, "post_id": spike, "metric": "views",
                  "observed_on": TODAY - timedelta(days=3), "value": 5000.0, "expected": 800.0, "ratio": 6.25,
                  "score": 6.0, "severity": 6.0, "direction": "spike", "reason": "5,000 views vs 800 expected",
                  "post_title": f"Title {spike}"}]
    forecasts = [{"domain": "social", "platform": platform, "account_id": account, "metric": "followers",
                  "made_on": TODAY, "target_date": TODAY + timedelta(days=d), "point": 9500.0 + 20 * d,
                  "lower_80": 9500.0 + 20 * d - 3 * d, "upper_80": 9500.0 + 20 * d + 3 * d, "model": "AutoETS"}
                 for d in range(1, 91)]
    return {"posts": pd.DataFrame(posts), "demographics": pd.DataFrame(demographics),
            "anomalies": pd.DataFrame(anomalies), "forecasts": pd.DataFrame(forecasts)}


def make_marts(cur, accounts: list[tuple], frames: dict[str, pd.DataFrame]) -> None:
    """The marts the asset reads (and the report's account scope), with a few rows it must ignore."""
    cur.execute("create schema marts")
    cur.execute("""create table marts.dim_accounts (account_key text, platform text, account_id text, account_name text,
                   timezone text, is_simulated boolean, workspace_id text default 'testws')""")
    cur.execute("create table marts.mart_data_coverage (account_key text, complete_through date, activity_from date, "
                "followers_from date)")
    execute_values(cur, "insert into marts.dim_accounts values %s",
                   [(f"{p}:{a}", p, a, name, "Europe/Madrid", True) for p, a, name in accounts])
    cur.execute("""create table marts.dim_posts (post_key text primary key, platform text, account_id text, post_id text,
                   title text, format text, published_date_local date, published_weekday_local int,
                   published_hour_local int, hashtags text, duration_s numeric, workspace_id text default 'testws')""")
    cur.execute("create table marts.mart_content_performance (post_key text, engagement_rate numeric, "
                "engagements numeric)")
    posts = frames["posts"]
    execute_values(cur, "insert into marts.dim_posts values %s", [
        (r.post_key, r.platform, r.account_id, r.post_key.split(":", 1)[1], f"Title {r.post_key.split(':', 1)[1]}",
         r.format, r.published_date_local, r.weekday, r.hour, r.hashtags, r.duration_s) for r in posts.itertuples()])
    execute_values(cur, "insert into marts.mart_content_performance values %s",
                   list(posts[["post_key", "engagement_rate", "engagements"]].itertuples(index=False)))
    old = TODAY - timedelta(days=400)  # outside every window: must not count
    cur.execute("insert into marts.dim_posts values ('youtube:old', 'youtube', 'UC1', 'old', 'Old', 'video', %s, 3, 18, "
                "null, 300)", (old,))
    cur.execute("insert into marts.mart_content_performance values ('youtube:old', 0.9, 900)")
    cur.execute("""create table marts.mart_audience_demographics (platform text, account_id text, snapshot_date date,
                   audience text, dimension text, dimension_value text, value numeric, value_kind text,
                   share_pct numeric)""")
    demo = frames["demographics"]
    execute_values(cur, "insert into marts.mart_audience_demographics values %s",
                   list(demo.itertuples(index=False)))
    cur.execute("""create table marts.mart_anomalies (anomaly_id text, level text, domain text, platform text,
                   account_id text, post_id text, metric text, observed_on date, value double precision,
                   expected double precision, ratio double precision, score double precision,
                   severity double precision, direction text, reason text)""")
    columns = ["anomaly_id", "platform", "account_id", "post_id", "metric", "observed_on", "value", "expected",
               "ratio", "score", "severity", "direction", "reason"]
    execute_values(cur, f"insert into marts.mart_anomalies ({', '.join(columns)}, level, domain) values %s",
                   [(*r, "post", "social") for r in frames["anomalies"][columns].itertuples(index=False)]
                   + [("acct", "youtube", "UC1", None, "views", TODAY - timedelta(days=2), 1.0, 9.0, 0.1, -5.0, 5.0,
                       "drop", "an account day: not a post", "account", "social")])
    cur.execute("""create table marts.mart_forecasts (domain text, platform text, account_id text, metric text,
                   made_on date, target_date date, point double precision, lower_80 double precision,
                   upper_80 double precision, model text)""")
    fc = frames["forecasts"]
    execute_values(cur, "insert into marts.mart_forecasts values %s",
                   list(fc.itertuples(index=False)) + list(fc.assign(metric="views").itertuples(index=False)))


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    from tests.conftest import FIXTURES, SIM_NOW

    assert datetime.fromisoformat(SIM_NOW) == NOW
    tmp = tmp_path_factory.mktemp("recommend")
    env = {"TIDEMARK_HOME": str(tmp / "home"), "TIDEMARK_CONFIG": str(FIXTURES / "tidemark.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW}
    frames = planted([KITCHEN, TRAILS])
    with module_database(pg_server_url, env) as url:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            make_marts(cur, [KITCHEN, TRAILS], frames)
        yield {"url": url, "frames": frames}


def materialize():
    from orchestration.insights.recommendations import RECOMMENDATION_ASSETS

    return materialize_assets(RECOMMENDATION_ASSETS)


def _rows(world, sql: str, params=()) -> list[tuple]:
    return db_rows(world["url"], sql, params)


def _mart(world) -> dict[str, dict]:
    with psycopg2.connect(world["url"]) as conn, conn.cursor() as cur:
        cur.execute("select * from marts.mart_insights")
        names = [c.name for c in cur.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


@pytest.fixture(scope="module")
def first_run(world):
    result = materialize()
    assert result.success
    return _mart(world)


def test_the_planted_block_and_format_are_found_with_high_confidence(first_run):
    kitchen = {(r["insight_type"], r["insight_data"].get("format")): r for r in first_run.values()
               if r["account"] == "UC1"}
    best = kitchen[("best_posting_time", None)]
    assert best["insight_data"]["block"] == BEST and best["insight_data"]["scope"] == "account"
    assert best["confidence_label"] == "high"
    shorts = kitchen[("content_format", "short")]
    assert shorts["confidence_label"] == "high"
    assert shorts["insight_data"]["ratio_low_95"] < SHORTS < shorts["insight_data"]["ratio_high_95"]
    assert kitchen[("audience_shift", None)]["insight_data"]["value"] == "25-34"
    assert kitchen[("growth_milestone", None)]["insight_data"]["milestone"] == 10000
    assert kitchen[("over_under_performer", None)]["insight_data"]["anomaly_id"] == "a1"  # not the account day


def test_a_thin_account_gets_the_default_at_low_confidence(first_run):
    trails = [r for r in first_run.values() if r["account"] == "IG1"]
    [best] = [r for r in trails if r["insight_type"] == "best_posting_time"]
    assert best["method"] == "prior" and best["insight_data"]["account_posts"] == 8
    assert {r["confidence_label"] for r in trails} == {"low"}


def test_the_mart_equals_recommend_on_the_planted_frames(world, first_run):
    from insights.recommend import recommend

    f = world["frames"]
    want = recommend(f["posts"], f["demographics"], f["anomalies"], f["forecasts"], TODAY, NOW)
    assert set(first_run) == set(want["insight_id"])
    for row in want.to_dict("records"):
        got = first_run[row["insight_id"]]
        for column in ("insight_type", "platform", "account", "method", "text", "confidence_label",
                       "generated_at", "valid_until"):
            assert got[column] == row[column], (row["insight_id"], column)
        assert got["confidence_score"] == pytest.approx(row["confidence_score"], abs=1e-12)
        assert got["insight_data"] == json.loads(json.dumps(row["insight_data"], default=str)), row["insight_id"]


def test_a_rerun_is_byte_identical(world, first_run):
    query = "select md5(string_agg(t::text, '|' order by insight_id)) from marts.mart_insights t"
    before = _rows(world, query)
    assert materialize().success
    assert _rows(world, query) == before


def test_the_report_section_and_its_pdf_part(world, first_run, tmp_path):
    from reportlab.platypus import SimpleDocTemplate

    from reporting.collect import Scope
    from reporting.config import Branding
    from reporting.pdf_layout import styles
    from reporting.pdf_recommendations import PDF_ROWS, recommendations_part
    from reporting.periods import Period
    from reporting.sections import recommendations
    from reporting.sections.common import Ctx

    period = Period(date(2026, 11, 1), date(2026, 11, 19))
    with psycopg2.connect(world["url"]) as conn, conn.cursor() as cur:
        ctx = Ctx(cur, Scope(platforms=["youtube"]).params(period), {}, [])
        rows = recommendations.build(ctx)["recommendations"]
    youtube = sorted((r for r in first_run.values() if r["platform"] == "youtube"),
                     key=lambda r: (-r["confidence_score"], r["insight_type"], r["account"], r["insight_id"]))
    assert [r["insight_id"] for r in rows] == [r["insight_id"] for r in youtube]  # instagram is out of scope
    assert [r["text"] for r in rows] == [r["text"] for r in youtube]
    best = next(r for r in rows if r["insight_type"] == "best_posting_time")
    data = first_run[best["insight_id"]]["insight_data"]
    assert best["confidence"] == f"high ({data['p_claimed_direction']:.2f})"
    assert best["evidence"].startswith(f"{data['n']} posts vs {data['n_baseline']}: {data['ratio']:.2f}×")
    assert rows[0]["account_name"] == "Kitchen" and ctx.notes["recommendations"]["status"] == "ok"
    report = SimpleNamespace(tables={"recommendations": rows}, notes=ctx.notes,
                             table_views={"recommendations": "Recommendations"})
    story = recommendations_part(report, Branding(), styles(Branding()))
    texts = [p.text for p in story if hasattr(p, "text")]
    assert "Kitchen (youtube)" in texts
    assert f"\u2026 and {len(rows) - PDF_ROWS} more in recommendations.csv." in texts
    SimpleDocTemplate(str(tmp_path / "r.pdf")).build(story)
    assert (tmp_path / "r.pdf").stat().st_size > 1000


def test_the_section_says_when_the_mart_does_not_exist(world, first_run):
    from reporting.collect import Scope
    from reporting.periods import Period
    from reporting.sections import recommendations
    from reporting.sections.common import Ctx

    with psycopg2.connect(world["url"]) as conn, conn.cursor() as cur:
        cur.execute("alter table marts.mart_insights rename to mart_insights_hidden")  # rolled back below
        ctx = Ctx(cur, Scope().params(Period(date(2026, 11, 1), date(2026, 11, 19))), {}, [])
        assert recommendations.build(ctx) == {"recommendations": []}
        conn.rollback()
    assert ctx.notes["recommendations"]["status"] == "absent"
    assert "marts.mart_insights does not exist" in ctx.notes["recommendations"]["message"]
