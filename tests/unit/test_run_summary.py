"""The run summary leads with what failed, and the exit code says how the run went."""

from __future__ import annotations

import pytest

from tidemark.summary import AccountOutcome, RunSummary, format_summary


def summary(statuses: dict[tuple[str, str], str], runs_ok: bool = True, failed_checks=()) -> RunSummary:
    return RunSummary(runs=[("ingest_x_job", "abcdef123456", True), ("transform_and_report", "0123456789ab", runs_ok)],
                      accounts=[AccountOutcome(p, a, s, None if s == "success" else "HTTP 500 after 5 attempts")
                                for (p, a), s in statuses.items()],
                      failed_checks=list(failed_checks))


@pytest.mark.parametrize(("statuses", "runs_ok", "checks", "code"), [
    ({("x", "1"): "success", ("x", "2"): "success"}, True, (), 0),
    ({("x", "1"): "success", ("x", "2"): "failed"}, True, (), 1),
    ({("x", "1"): "partial", ("youtube", "9"): "success"}, True, (), 1),
    ({("x", "1"): "failed", ("x", "2"): "failed", ("youtube", "9"): "success"}, True, (), 4),
    ({("x", "1"): "success"}, False, (), 4),
    ({("x", "1"): "success"}, True, ("gx_x_posts",), 4),
])
def test_exit_codes(statuses, runs_ok, checks, code):
    assert summary(statuses, runs_ok, checks).exit_code == code


def test_the_summary_leads_with_what_failed():
    text = format_summary(summary({("x", "1"): "failed", ("x", "2"): "failed", ("youtube", "9"): "partial"}),
                          "postgresql://tidemark:***@127.0.0.1:5/tidemark")
    lines = [line.strip() for line in text.strip().splitlines()]
    assert lines[2].startswith("PLATFORM FAILED: x")
    assert lines[3].startswith("ACCOUNT FAILED: x 1: HTTP 500")
    assert any(line.startswith("ACCOUNT PARTIAL: youtube 9") for line in lines[3:6])
    assert lines[-1] == "exit code 4 (failed)"
