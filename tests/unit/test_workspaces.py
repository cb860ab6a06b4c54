"""Several workspaces in one tidemark.yaml: each account in exactly one, its zone and simulation from
its own workspace, the errors naming the key as written, and who gets which report."""

from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, ConfigError
from core.workspace import load_workspace
from ingestion.registry import platforms
from reporting.config import ReportConfigError, ReportSpec
from reporting.run import report_workspaces

TWO = """
workspaces:
  - id: studio
    name: Studio
    timezone: Europe/Madrid
    simulated: true
    platforms:
      youtube:
        competitors: [UCrival]
        accounts: [{id: UC1}, {id: UC2, timezone: America/New_York}]
  - id: client
    name: Client
    timezone: Asia/Tokyo
    reports: [weekly_performance]
    platforms:
      youtube:
        accounts: [{id: UC3, simulated: true}]
      linkedin:
        accounts: [{id: "42", simulated: true}]
community: {workspace: client}
"""


def load(tmp_path: Path, text: str):
    path = tmp_path / "tidemark.yaml"
    path.write_text(text)
    return load_workspace(path, platforms())


def test_each_account_takes_zone_and_simulation_from_its_own_workspace(tmp_path):
    config = load(tmp_path, TWO)
    assert config.workspace_ids() == ["studio", "client"]
    youtube = {a.id: a for a in config.accounts("youtube")}
    assert [(a, youtube[a].workspace_id, config.account_timezone(youtube[a])) for a in youtube] == [
        ("UC1", "studio", "Europe/Madrid"), ("UC2", "studio", "America/New_York"), ("UC3", "client", "Asia/Tokyo")]
    assert [a.id for a in config.tenant("client").accounts("youtube")] == ["UC3"]
    assert config.competitors("youtube") == ["UCrival"]
    assert config.community_workspace().id == "client" and config.community_simulated() is False
    assert config.is_simulated(youtube["UC1"]) and config.is_simulated(youtube["UC3"])


def test_the_short_form_is_one_workspace(tmp_path):
    config = load(tmp_path, """
workspace: {id: solo, name: Solo, timezone: Europe/Berlin, simulated: true}
platforms: {youtube: {accounts: [{id: UC1}]}}
""")
    assert config.workspace_ids() == ["solo"] and config.accounts("youtube")[0].workspace_id == "solo"


@pytest.mark.parametrize(("change", "expected"), [
    (lambda t: t.replace("{id: UC3, simulated: true}", "{id: UC1, simulated: true}"),
     "youtube account 'UC1' is listed in workspaces 'studio' and 'client': an account belongs to exactly one"),
    (lambda t: t.replace("id: client", "id: studio"), "duplicate workspace id(s): studio"),
    (lambda t: t.replace("community: {workspace: client}", "community: {workspace: nobody}"),
     "community.workspace 'nobody' is not a workspace; expected one of studio, client"),
    (lambda t: "workspace: {id: x, name: X}\n" + t, "write either `workspace:` (one workspace) or `workspaces:`"),
    (lambda t: t + "platforms: {}\n", "`platforms:` goes inside each entry of `workspaces:`"),
    (lambda t: t.replace("timezone: Asia/Tokyo", "timezone: Mars/Olympus"), "workspaces.1.timezone: "),
    (lambda t: t.replace("linkedin:", "myspace:"), "workspaces.1.platforms.myspace: unknown platform"),
])
def test_mistakes_are_named(tmp_path, change, expected):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, change(TWO))
    assert expected in str(error.value)


def test_a_live_account_is_named_by_its_workspace_key(tmp_path, monkeypatch):
    monkeypatch.delenv("TIDEMARK_LINKEDIN_TOKEN", raising=False)
    text = TWO.replace('{id: "42", simulated: true}', '{id: "42", credentials: {access_token_env: TIDEMARK_LINKEDIN_TOKEN}}')
    with pytest.raises(ConfigError, match=r"workspaces\.1\.platforms\.linkedin\.accounts\.0 \(42\): set the "
                                          r"environment variable\(s\) TIDEMARK_LINKEDIN_TOKEN"):
        load(tmp_path, text)


def test_who_gets_which_report(tmp_path, monkeypatch):
    monkeypatch.setenv("TIDEMARK_REPORTS_CONFIG", str(PROJECT_ROOT / "reports.yaml"))
    config = load(tmp_path, TWO)
    ids = lambda spec, only=None: [ws.id for ws in report_workspaces(config, spec, only)]  # noqa: E731
    assert ids(ReportSpec(name="weekly_performance")) == ["studio", "client"]
    assert ids(ReportSpec(name="weekly_growth")) == ["studio"]  # client lists its reports
    assert ids(ReportSpec(name="weekly_performance"), only="client") == ["client"]
    assert ids(ReportSpec(name="weekly_performance", accounts=["UC3"])) == ["client"]
    with pytest.raises(ReportConfigError, match="its accounts are in workspaces client, studio"):
        ids(ReportSpec(name="weekly_performance", accounts=["UC1", "UC3"]))
    with pytest.raises(ReportConfigError, match="run tag tidemark/workspace='nope': not a workspace"):
        ids(ReportSpec(name="weekly_performance"), only="nope")
    typo = load(tmp_path, TWO.replace("reports: [weekly_performance]", "reports: [weekly_perfromance]"))
    with pytest.raises(ReportConfigError, match=r"workspaces\.1\.reports: unknown report\(s\) weekly_perfromance"):
        report_workspaces(typo, ReportSpec(name="weekly_performance"))
