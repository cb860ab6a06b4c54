"""Alerts against a real warehouse: one YouTube ingestion (simulator) and a dbt run of the facts
for the module, then the `ops/alerts` asset through Dagster. A viral post and a broken connection
are injected into the facts (the known truth); the alerts must find exactly those, store one row
per episode across reruns, and reach a local webhook receiver once, without a secret.

Timings (ingestion end → facts built → asset done → message at the receiver) are printed with -s
and quoted in docs/insights-alerts.md."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import dagster as dg
import pytest

from tests.conftest import FIXTURES, SIM_NOW
from tests.helpers import module_database
from tests.integration.test_reports_receiver import Receiver

START, END = "2026-11-18", "2026-11-20"
SECRET = "hook-secret-7f3a9c"
REPORTS_YAML = """
delivery:
  - {name: team, kind: slack, url_env: TEST_ALERT_WEBHOOK, reports: [alerts]}
  - {name: everything, kind: slack, url_env: TEST_ALL_WEBHOOK}
  - {name: weekly_only, kind: slack, url_env: TEST_WEEKLY_WEBHOOK, reports: [weekly_performance]}
  - {name: broken, kind: slack, url_env: TEST_BROKEN_WEBHOOK, reports: [alerts]}
"""
FACTS = ("+fct_post_metrics_daily", "+fct_account_metrics_daily", "+dim_posts", "+dim_accounts")


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    from orchestration.definitions import build_definitions
    from orchestration.partitions import partition_range_tags
    from tidemark.runtime import WiredRuntime, load_runtime

    tmp = tmp_path_factory.mktemp("alerts")
    receiver = Receiver().start()
    env = {"TIDEMARK_HOME": str(tmp / "home"),
           "TIDEMARK_REPORTS_DIR": str(tmp / "reports"), "TIDEMARK_CONFIG": str(FIXTURES / "tidemark.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW, "TIDEMARK_SIM_SEED": "11", "TIDEMARK_SIM_HISTORY_DAYS": "130",
           "TIDEMARK_INITIAL_SYNC_DAYS": "130", "TIDEMARK_REPORTS_CONFIG": str(tmp / "reports.yaml"),
           "TEST_ALERT_WEBHOOK": receiver.url(f"/team/{SECRET}"), "TEST_ALL_WEBHOOK": receiver.url("/all"),
           "TEST_WEEKLY_WEBHOOK": receiver.url("/weekly"), "TEST_BROKEN_WEBHOOK": receiver.url("/fail")}
    (tmp / "reports.yaml").write_text(REPORTS_YAML)
    with module_database(pg_server_url, env):
        runtime = load_runtime()
        job = build_definitions(WiredRuntime()).resolve_job_def("ingest_youtube_job")
        ingest = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False,
                                        tags=partition_range_tags(START, END))
        assert ingest.success
        ingested_at = time.monotonic()
        build_facts(runtime, tmp)
        timings = {"facts_built_s": time.monotonic() - ingested_at}
        yield {"runtime": runtime, "receiver": receiver, "tmp": tmp, "ingested_at": ingested_at, "timings": timings}
        print("\nalert timings:", {k: round(v, 2) for k, v in timings.items()})
        for row in query({"runtime": runtime}, "select kind, status, likely_cause, message from ops.alerts"):
            print("  alert:", row)
    receiver.stop()


def build_facts(runtime, tmp: Path) -> None:
    from core.warehouse.dbt_env import dbt_env
    from orchestration.transform.project import with_vars

    project = str(runtime.settings.dbt_project_dir)
    done = subprocess.run(with_vars([str(Path(sys.executable).parent / "dbt"), "build", "--select", *FACTS,
                                     "--resource-type", "seed", "--resource-type", "model",
                                     "--project-dir", project, "--profiles-dir", project,
                                     "--target-path", str(tmp / "dbt-target"), "--quiet"]),
                          env=os.environ | dbt_env(runtime.warehouse_url), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def materialize():
    from orchestration.insights.alerts import ALERT_ASSETS, ALERT_CHECKS
    from tidemark.runtime import WiredRuntime

    return dg.materialize([*ALERT_ASSETS, *ALERT_CHECKS], resources={"tidemark": WiredRuntime()},
                          instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


def query(world, sql: str, params=()) -> list[tuple]:
    with world["runtime"].connect() as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def execute(world, sql: str, params=()) -> None:
    with world["runtime"].connect() as conn, conn, conn.cursor() as cur:
        cur.execute(sql, params)


def metadata(result) -> dict:
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey(["ops", "alerts"])]
    return {k: v.value for k, v in event.materialization.metadata.items()}


def check(result) -> dg.AssetCheckEvaluation:
    [evaluation] = result.get_asset_check_evaluations()
    return evaluation


@pytest.fixture(scope="module")
def viral(world):
    """A post of the last ten days, with enough peers at its age, made 8× bigger on its last two days."""
    [(platform, account, post, last, title)] = query(world, """
        with latest as (select max(metric_date) as day from marts.fct_post_metrics_daily),
        candidates as (
            select f.platform, f.account_id, f.post_id, p.title, p.published_at,
                   (select count(*) from marts.dim_posts q where q.account_id = p.account_id
                    and q.published_at < p.published_at) as earlier
            from marts.fct_post_metrics_daily f join marts.dim_posts p using (post_key), latest
            where f.metric_date = latest.day and p.published_at >= latest.day - 10
              and not coalesce(f.is_estimated, false))
        select platform, account_id, post_id, (select day from latest), title from candidates
        where earlier >= 10 order by published_at limit 1""")
    execute(world, """update marts.fct_post_metrics_daily set views = views * 8 + 2000, engagements = engagements * 8 + 200
                      where platform = %s and post_id = %s and metric_date > %s""",
            (platform, post, last - timedelta(days=2)))
    started = time.monotonic()
    result = materialize()
    world["timings"]["materialize_first_run_s"] = time.monotonic() - started
    if result.success:
        world["timings"]["asset_own_s"] = metadata(result)["seconds"]
    world["timings"]["ingestion_end_to_first_message_s"] = time.monotonic() - world["ingested_at"]
    return {"platform": platform, "account": account, "post": post, "last": last, "title": title, "result": result}


def alert_rows(world, kind=None) -> list[dict]:
    rows = query(world, "select alert_id, kind, post_id, account_id, episode_start, last_seen, ratio, status, "
                        "likely_cause, message, delivery, delivered_at from ops.alerts "
                        "where kind = coalesce(%s, kind) order by raised_at", (kind,))
    keys = ("alert_id", "kind", "post_id", "account_id", "episode_start", "last_seen", "ratio", "status",
            "likely_cause", "message", "delivery", "delivered_at")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def test_the_injected_viral_post_raises_an_open_alert(world, viral):
    assert viral["result"].success
    # The simulated world has no viral post of its own in the window: only the injected one alerts.
    [alert] = alert_rows(world, "viral_post")
    assert alert["post_id"] == viral["post"]
    assert alert["status"] == "open" and alert["last_seen"] == viral["last"] and alert["ratio"] >= 3
    assert alert["episode_start"] == viral["last"] - timedelta(days=1)
    assert "is taking off" in alert["message"] and viral["title"][:20] in alert["message"]
    from insights.alerts import warehouse_post_anomalies

    with world["runtime"].connect() as conn:
        anomalies = warehouse_post_anomalies(conn)
    assert set(anomalies.post_id) == {viral["post"]} and set(anomalies.observed_on) == {
        viral["last"] - timedelta(days=1), viral["last"]}
    meta = metadata(viral["result"])
    assert meta["new_alerts"] >= 1 and meta["open_alerts"] >= 1 and viral["post"] in meta["new"]


def test_delivery_reaches_the_alert_targets_only_without_the_secret(world, viral):
    paths = [path for path, _ in world["receiver"].requests]
    assert paths.count(f"/team/{SECRET}") == 1 and paths.count("/all") == 1 and "/weekly" not in paths
    [text] = {body["text"] for _, body in world["receiver"].requests}
    [alert] = [r for r in alert_rows(world, "viral_post") if r["post_id"] == viral["post"]]
    assert alert["message"] in text and text.startswith("Tidemark alerts (testws): ")
    outcomes = {o["target"]: o["status"] for o in alert["delivery"]}
    assert outcomes == {"team": "delivered", "everything": "delivered", "broken": "failed"}
    assert alert["delivered_at"] is not None
    assert SECRET not in str(alert_rows(world)) and SECRET not in text


def test_a_target_that_fails_warns_in_the_alerts_delivered_check(world, viral):
    evaluation = check(viral["result"])
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    assert "broken" in evaluation.description and SECRET not in evaluation.description


def test_a_second_materialization_stores_and_delivers_nothing_new(world, viral):
    before = alert_rows(world)
    requests = len(world["receiver"].requests)
    started = time.monotonic()
    result = materialize()
    world["timings"]["materialize_rerun_s"] = time.monotonic() - started
    assert result.success and metadata(result)["new_alerts"] == 0
    after = alert_rows(world)
    assert [r["alert_id"] for r in after] == [r["alert_id"] for r in before]
    assert len(world["receiver"].requests) == requests
    assert check(result).passed  # nothing new, nothing undelivered


def test_a_zeroed_account_with_a_failed_sync_is_a_broken_connection(world, viral):
    [(platform, account, day)] = query(world, """
        select platform, account_id, max(metric_date) from marts.fct_account_metrics_daily
        where is_complete and account_id <> %s group by 1, 2 order by 2 limit 1""", (viral["account"],))
    execute(world, "update marts.fct_account_metrics_daily set views = 0, likes = 0, comments = 0, shares = 0, "
                   "engagements = 0 where platform = %s and account_id = %s and metric_date = %s",
            (platform, account, day))
    execute(world, "insert into ops.sync_results (run_id, platform, account_id, status, error_class, message, "
                   "started_at) values ('test', %s, %s, 'failed', 'AuthError', 'token revoked', now())",
            (platform, account))
    requests = len(world["receiver"].requests)
    result = materialize()
    assert result.success
    [drop] = alert_rows(world, "account_drop")  # the untouched account does not drop
    assert drop["account_id"] == account
    assert (drop["likely_cause"], drop["episode_start"], drop["status"]) == ("broken connection", day, "open")
    assert "the latest sync failed" in drop["message"] and "exactly 0" in drop["message"]
    new_texts = [body["text"] for path, body in world["receiver"].requests[requests:] if path == "/all"]
    assert len(new_texts) == 1 and drop["message"] in new_texts[0]
