"""reports.yaml and report requests: every documented error, before any work."""

from datetime import date

import pytest

from core.workspace import WorkspaceConfig
from reporting.config import ReportConfigError, ReportSpec, load_reports_config
from reporting.limits import Budget, ReportTimeout, ReportTooLarge
from reporting.periods import Period, month_of, relative, week_of
from reporting.validate import check_request

WORKSPACE = WorkspaceConfig.model_validate({
    "workspace": {"id": "ws", "name": "WS", "timezone": "Europe/Madrid"},
    "platforms": {"youtube": {"accounts": [{"id": "UCkitchen"}, {"id": "UCtravel"}]}},
})


def load(tmp_path, text: str):
    path = tmp_path / "reports.yaml"
    path.write_text(text)
    return load_reports_config(path)


@pytest.mark.parametrize("entry, message", [
    ("{name: r1, platforms: [myspace]}", "custom[0:r1].platforms: unknown platform(s) myspace"),
    ("{name: r1, metrics: [views, viewz]}", "custom[0:r1].metrics: unknown metric(s) viewz"),
    ("{name: r1, date_range: {start: 2026-10-31, end: 2026-10-01}}",
     "end (2026-10-01) is before start (2026-10-31)"),
    ("{name: r1, date_range: last_week_ish}", "unknown relative date range 'last_week_ish'"),
    ("{name: r1, formats: [docx]}", "custom[0:r1].formats[0]"),
    ("{name: Bad Name}", "use lower-case letters"),
    ("{name: r1, colour: red}", "custom[0:r1].colour: Extra inputs are not permitted"),
])
def test_bad_custom_reports_are_rejected_with_the_key(tmp_path, entry, message):
    with pytest.raises(ReportConfigError) as error:
        load(tmp_path, f"custom:\n  - {entry}\n")
    assert message in str(error.value)


def test_bad_delivery_branding_and_duplicates(tmp_path):
    with pytest.raises(ReportConfigError, match="slack delivery needs url_env"):
        load(tmp_path, "delivery:\n  - {name: d, kind: slack, url_env: 'https://hooks.slack.com/x'}\n")
    with pytest.raises(ReportConfigError, match="is not a colour"):
        load(tmp_path, "branding: {primary_color: blue}\n")
    with pytest.raises(ReportConfigError, match="logo.png does not exist"):
        load(tmp_path, "branding: {logo_path: logo.png}\n")
    with pytest.raises(ReportConfigError, match="unique, not start with weekly_"):
        load(tmp_path, "custom:\n  - {name: a}\n  - {name: a}\n")
    with pytest.raises(ReportConfigError, match="'abtests' \\(the alerts' and A/B summaries' delivery names\\): abtests"):
        load(tmp_path, "custom:\n  - {name: abtests}\n")


def test_the_repository_reports_yaml_is_valid():
    config = load_reports_config()
    assert config.custom and config.scheduled.weekly == ["performance", "growth", "comparison"]


def test_missing_file_named_by_env_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("TIDEMARK_REPORTS_CONFIG", str(tmp_path / "nope.yaml"))
    with pytest.raises(ReportConfigError, match="nope.yaml does not exist"):
        load_reports_config()


def test_request_checks_accounts_platforms_and_history():
    spec = ReportSpec(name="r", platforms=["youtube", "tiktok"], accounts=["UCkitchen", "UCghost"])
    with pytest.raises(ReportConfigError) as error:
        check_request(spec, Period(date(2023, 12, 1), date(2027, 1, 1)), WORKSPACE.workspace, date(2024, 1, 1),
                      date(2026, 11, 20))
    text = str(error.value)
    assert "platforms: tiktok not connected in workspace 'ws' (connected: youtube)" in text
    assert "unknown account(s) UCghost" in text and "UCkitchen" not in text.split("UCghost")[1]
    assert "starts 2023-12-01, before the retained history" in text
    assert "ends 2027-01-01, after today (2026-11-20)" in text
    check_request(ReportSpec(name="ok", accounts=["UCtravel"]), Period(date(2026, 11, 9), date(2026, 11, 15)),
                  WORKSPACE.workspace, date(2024, 1, 1), date(2026, 11, 20))


def test_periods_relative_and_partitions():
    anchor = date(2026, 11, 16)  # Monday after the week 2026-11-09..15
    assert relative("last_30_days", anchor) == Period(date(2026, 10, 17), date(2026, 11, 15))
    assert relative("previous_week", anchor) == Period(date(2026, 11, 9), date(2026, 11, 15))
    assert relative("previous_month", anchor) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert relative("month_to_date", anchor) == Period(date(2026, 11, 1), date(2026, 11, 15))
    assert week_of("2026-11-09") == Period(date(2026, 11, 9), date(2026, 11, 15))
    assert month_of("2024-02-01") == Period(date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(ValueError, match="ends .* before it starts"):
        Period(date(2026, 2, 2), date(2026, 2, 1))


def test_budget_limits():
    budget = Budget("r", max_bytes=1000, max_seconds=10, clock=iter([0.0, 5.0, 11.0]).__next__)
    budget.add_bytes(900, "a.csv")
    with pytest.raises(ReportTooLarge, match="larger than its limit of 0.001 MB .*b.csv"):
        budget.add_bytes(200, "b.csv")
    budget.check_time("querying")
    with pytest.raises(ReportTimeout, match="time limit of 10 s while drawing"):
        budget.check_time("drawing")
