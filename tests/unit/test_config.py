"""Configuration errors stop a run before any work, naming the key and what was expected."""

from pathlib import Path

import pytest

from core.settings import ConfigError, load_settings
from core.workspace import Account, load_workspace, resolve_credentials
from ingestion.registry import platforms
from tidemark.cli import main


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tidemark.yaml"
    path.write_text(text)
    return path


GOOD = """
workspace: {id: demo, name: Demo, timezone: Europe/Madrid, simulated: true}
platforms:
  youtube:
    accounts:
      - id: UC1
        credentials: {client_id_env: A_ID, client_secret_env: A_SECRET, refresh_token_env: A_REFRESH}
"""


LIVE = GOOD.replace("simulated: true", "simulated: false")


def test_valid_workspace_loads(tmp_path):
    workspace = load_workspace(write(tmp_path, GOOD), platforms())
    assert workspace.workspace.timezone == "Europe/Madrid"
    assert [a.id for a in workspace.accounts("youtube")] == ["UC1"]
    assert workspace.accounts("tiktok") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("Europe/Madrid", "Mars/Olympus"), "workspace.timezone"),
        (GOOD.replace("youtube:", "myspace:"), "platforms.myspace: unknown platform"),
        (GOOD.replace("client_id_env: A_ID", "client_id: abc123"), "secrets are not stored in tidemark.yaml"),
        (GOOD.replace("A_SECRET", "a-secret"), "is not an environment variable name"),
        (GOOD.replace("id: demo", "id: Demo Space"), "workspace.id"),
        (GOOD + "      - id: UC1\n", "duplicate account id(s): UC1"),
        ("workspace: [unclosed", "not valid YAML"),
        (GOOD.replace("refresh_token_env", "api_key_env"), "unknown key(s) api_key_env"),
    ],
)
def test_invalid_workspace_names_the_key(tmp_path, text, expected):
    with pytest.raises(ConfigError) as error:
        load_workspace(write(tmp_path, text), platforms())
    assert expected in str(error.value)


def test_a_secret_pasted_as_a_variable_name_is_not_echoed(tmp_path):
    pasted = "ya29.a0AfH6SMBsecretTokenValue"
    with pytest.raises(ConfigError) as error:
        load_workspace(write(tmp_path, GOOD.replace("A_REFRESH", pasted)), platforms())
    assert "refresh_token_env" in str(error.value) and "not an environment variable name" in str(error.value)
    assert pasted not in str(error.value)


def test_missing_workspace_file(tmp_path):
    with pytest.raises(ConfigError, match="TIDEMARK_CONFIG: workspace file .* does not exist"):
        load_workspace(tmp_path / "nope.yaml", platforms())


@pytest.mark.parametrize(
    ("key", "value"),
    [("TIDEMARK_SIM_SEED", "seven"), ("TIDEMARK_SIM_NOW", "yesterday"), ("TIDEMARK_HTTP_TIMEOUT_S", "-1"),
     ("TIDEMARK_SIM_HISTORY_DAYS", "3")],
)
def test_invalid_setting_names_the_key(monkeypatch, key, value):
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=key):
        load_settings()


def test_database_url_value_never_echoed(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:hunter2secret@h/db")
    monkeypatch.setenv("TIDEMARK_SIM_SEED", "x")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert "hunter2secret" not in str(error.value)


def test_credentials_resolution():
    account = Account(id="UC1", credentials={"client_id_env": "A", "client_secret_env": "B",
                                             "refresh_token_env": "C"})
    assert resolve_credentials(platforms()["youtube"], account, env={"A": "1", "B": "2", "C": "3"}) == {
        "client_id": "1", "client_secret": "2", "refresh_token": "3"}
    with pytest.raises(ConfigError, match="set C"):
        resolve_credentials(platforms()["youtube"], account, env={"A": "1", "B": "2"})


def test_a_live_account_without_its_variables_stops_at_start_up(tmp_path, monkeypatch):
    # Regression: an account whose variables were unset silently became simulated data.
    for name in ("A_ID", "A_SECRET", "A_REFRESH"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigError) as error:
        load_workspace(write(tmp_path, LIVE), platforms())
    assert "platforms.youtube.accounts.0 (UC1): set the environment variable(s) A_ID, A_SECRET, A_REFRESH" in str(
        error.value)
    for name in ("A_ID", "A_SECRET", "A_REFRESH"):
        monkeypatch.setenv(name, "value")
    assert load_workspace(write(tmp_path, LIVE), platforms()).accounts("youtube")


def test_a_half_configured_account_stops_every_run_before_any_work(tmp_path, monkeypatch, capsys):
    # Regression: `TIDEMARK_YOUTUBE_CLIENT_ID=abc tidemark run --platform x` failed the X job mid-run.
    text = LIVE + "  x:\n    accounts:\n      - id: '42'\n        simulated: true\n"
    monkeypatch.setenv("TIDEMARK_CONFIG", str(write(tmp_path, text)))
    monkeypatch.setenv("A_ID", "abc")
    monkeypatch.delenv("A_SECRET", raising=False)
    monkeypatch.delenv("A_REFRESH", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")  # reached only after validation
    assert main(["run", "--platform", "x"]) == 2
    err = capsys.readouterr().err
    assert "platforms.youtube.accounts.0 (UC1): set the environment variable(s) A_SECRET, A_REFRESH" in err
    assert "abc" not in err


@pytest.mark.parametrize("flag", ["workspace", "account"])
def test_simulation_is_explicit(tmp_path, flag):
    text = (LIVE.replace("simulated: false", "simulated: true") if flag == "workspace"
            else LIVE.replace("      - id: UC1\n", "      - id: UC1\n        simulated: true\n"))
    workspace = load_workspace(write(tmp_path, text), platforms())
    assert workspace.is_simulated(workspace.accounts("youtube")[0])


def test_cli_reports_config_error_and_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TIDEMARK_CONFIG", str(write(tmp_path, GOOD.replace("Europe/Madrid", "Nowhere/City"))))
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and "workspace.timezone" in err


def test_cli_rejects_bad_date_range(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TIDEMARK_CONFIG", str(write(tmp_path, GOOD)))
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert main(["run", "--start", "2026-11-10", "--end", "2026-11-01"]) == 2
    assert "is before --start" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", "--start", "10/11/2026"])


def test_cli_refuses_a_future_partition_range(tmp_path, monkeypatch, capsys):
    """Days that have not happened cannot be fetched: recording them as materialized would lie."""
    monkeypatch.setenv("TIDEMARK_CONFIG", str(write(tmp_path, GOOD)))
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("TIDEMARK_SIM_NOW", "2026-11-16T12:00:00+00:00")
    assert main(["run", "--start", "2026-11-10", "--end", "2026-11-30"]) == 2
    err = capsys.readouterr().err
    assert "--end 2026-11-30 is in the future (today is 2026-11-16" in err


def test_unreachable_database_url_is_one_line_without_the_password(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TIDEMARK_CONFIG", str(write(tmp_path, GOOD)))
    monkeypatch.setenv("TIDEMARK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DATABASE_URL", "postgresql://tm:hunter2secret@127.0.0.1:1/warehouse")
    assert main(["run", "--platform", "youtube"]) == 5
    err = capsys.readouterr().err
    assert "cannot reach the warehouse at 127.0.0.1:1 (database warehouse)" in err
    assert "hunter2secret" not in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_plain_home_variable_is_not_tidemark_home(monkeypatch):
    # Regression: settings once took $HOME (field name `home`) as TIDEMARK_HOME and put the
    # embedded database in ~/pg instead of the project's .tidemark/.
    from core.settings import PROJECT_ROOT

    monkeypatch.delenv("TIDEMARK_HOME", raising=False)
    monkeypatch.setenv("HOME", "/somewhere/else")
    assert load_settings().home == PROJECT_ROOT / ".tidemark"
