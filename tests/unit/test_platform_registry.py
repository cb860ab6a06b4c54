"""Adding a platform adds folders and edits no shared list.

A throwaway platform ("mastodon") is written to a temporary folder as a connector package and a
suites folder — nothing in the repository changes — and must be picked up by workspace
validation, the ingestion assets, jobs and schedules, the GX and freshness checks, report
configuration and the vars Tidemark passes to dbt.
"""

from __future__ import annotations

import sys

import dagster as dg
import pytest

import expectations.suites
import ingestion
from core.settings import ConfigError
from core.workspace import load_workspace
from ingestion.registry import connectors, platforms
from orchestration import social
from orchestration.transform.project import dbt_vars, with_vars
from reporting.config import ReportSpec

CONNECTOR = '''
from datetime import date

from core.platform import Credentials, Freshness, PlatformDefaults, PlatformSpec

PLATFORM = PlatformSpec(
    name="mastodon", title="Mastodon", launched=date(2016, 10, 5),
    credentials=Credentials(required=("access_token",), optional=("client_secret",)),
    streams=("mastodon_statuses",),
    defaults=PlatformDefaults(schedule="0 */3 * * *", lookback_days=2,
                              base_urls={"api": "https://mastodon.example/api/v1"}),
    freshness=Freshness(table="mastodon_statuses", day="to_char(fetched_at, 'YYYY-MM-DD')"),
    formats=("text", "image"),
)


def open_client(runtime, account, credentials, logger, sleep=None):
    return None


def sync_account(ctx, client):
    return None
'''
SUITE = '''
from expectations.rules import TableSuite, not_null, timestamp_in_range


def build() -> TableSuite:
    return TableSuite(platform="mastodon", table="mastodon_statuses",
                      select="payload ->> 'id' as status_id, payload ->> 'created_at' as created_at",
                      rules=(not_null("status_id"), timestamp_in_range("created_at", "mastodon")))
'''


@pytest.fixture
def mastodon(tmp_path, monkeypatch):
    (tmp_path / "connectors" / "mastodon").mkdir(parents=True)
    (tmp_path / "connectors" / "mastodon" / "__init__.py").write_text(CONNECTOR)
    (tmp_path / "suites" / "mastodon").mkdir(parents=True)
    (tmp_path / "suites" / "mastodon" / "__init__.py").write_text("")
    (tmp_path / "suites" / "mastodon" / "statuses.py").write_text(SUITE)
    monkeypatch.setattr(ingestion, "__path__", [*ingestion.__path__, str(tmp_path / "connectors")])
    monkeypatch.setattr(expectations.suites, "__path__", [*expectations.suites.__path__, str(tmp_path / "suites")])
    connectors.cache_clear()
    yield
    connectors.cache_clear()
    for name in [n for n in sys.modules if "mastodon" in n]:
        del sys.modules[name]


def test_a_new_platform_package_is_registered(mastodon):
    assert "mastodon" in platforms()
    assert platforms()["mastodon"].streams == ("mastodon_statuses",)


def test_workspace_validation_knows_its_credentials(mastodon, tmp_path):
    config = tmp_path / "tidemark.yaml"
    config.write_text("workspace: {id: w, name: W, simulated: true}\nplatforms:\n  mastodon:\n    accounts:\n"
                      "      - id: m1\n        credentials: {access_token_env: MASTO_TOKEN}\n")
    assert [a.id for a in load_workspace(config, platforms()).accounts("mastodon")] == ["m1"]
    config.write_text(config.read_text().replace("access_token_env", "api_key_env"))
    with pytest.raises(ConfigError, match="platforms.mastodon.accounts.0.credentials .*api_key_env"):
        load_workspace(config, platforms())


def test_assets_jobs_schedules_and_checks_pick_it_up(mastodon, monkeypatch):
    monkeypatch.setenv("TIDEMARK_MASTODON_SCHEDULE", "5 */3 * * *")
    defs = social.platform_defs()
    keys = {key for asset in defs.assets for key in asset.keys}
    assert dg.AssetKey(["raw", "mastodon_statuses"]) in keys
    assert "ingest_mastodon_job" in {job.name for job in defs.jobs}
    schedule = next(s for s in defs.schedules if s.name == "ingest_mastodon_schedule")
    assert schedule.cron_schedule == "5 */3 * * *"
    checks = {key.name for check in defs.asset_checks for key in check.check_keys}
    assert {"gx_mastodon_statuses", "freshness_mastodon"} <= checks


def test_dbt_vars_and_report_filters_pick_it_up(mastodon):
    assert "mastodon" in dbt_vars()["platforms"]
    assert '"mastodon"' in with_vars(["build", "--vars", "{lookback_days: 5}"])[-1]
    assert ReportSpec(name="m", type="performance", platforms=["mastodon"]).platforms == ["mastodon"]


def test_without_the_folder_it_is_unknown():
    assert "mastodon" not in platforms()
    with pytest.raises(ValueError, match="unknown platform"):
        ReportSpec(name="m", type="performance", platforms=["mastodon"])
