"""What a `tidemark run` did, in the words and the exit code a person or a scheduler acts on.

Exit codes (README "Exit codes"):

    0  everything ran; every account synced, every blocking check passed
    1  partial: some accounts failed (each platform still delivered), reports were written
    2  configuration error, before any work (the message names the key)
    3  another run holds the warehouse; nothing was done
    4  failed: a whole platform failed, a job failed, or the quality gate held the reports back
    5  the warehouse could not be reached, or the connection was lost during the run
"""

from __future__ import annotations

from dataclasses import dataclass, field

OK, PARTIAL, CONFIG, BUSY, FAILED, WAREHOUSE = 0, 1, 2, 3, 4, 5


@dataclass(frozen=True)
class AccountOutcome:
    platform: str
    account_id: str
    status: str  # success | partial | failed
    message: str | None


@dataclass
class RunSummary:
    runs: list[tuple[str, str, bool]] = field(default_factory=list)  # job, run id, success
    checks: dict[str, int] = field(default_factory=lambda: {"passed": 0, "warned": 0, "failed": 0})
    failed_checks: list[str] = field(default_factory=list)
    warned_checks: list[str] = field(default_factory=list)
    reconnect: list[str] = field(default_factory=list)  # accounts whose stored token is dead
    mart_rows: dict[str, int] = field(default_factory=dict)
    report_files: list[str] = field(default_factory=list)
    accounts: list[AccountOutcome] = field(default_factory=list)
    abandoned_runs: list[str] = field(default_factory=list)  # runs left STARTED by a killed process

    @property
    def success(self) -> bool:
        return all(ok for _, _, ok in self.runs)

    @property
    def failed_platforms(self) -> list[str]:
        """Platforms none of whose accounts synced anything."""
        platforms = sorted({a.platform for a in self.accounts})
        return [p for p in platforms if all(a.status == "failed" for a in self.accounts if a.platform == p)]

    @property
    def account_failures(self) -> list[AccountOutcome]:
        return [a for a in self.accounts if a.status != "success"]

    @property
    def exit_code(self) -> int:
        if not self.success or self.failed_platforms or self.failed_checks:
            return FAILED
        return PARTIAL if self.account_failures or self.reconnect else OK


def format_summary(summary: RunSummary, warehouse: str) -> str:
    """The run summary; what failed comes first."""
    lines = ["", "Tidemark run summary", "--------------------"]
    lines += _problems(summary)
    for job, run_id, ok in summary.runs:
        lines.append(f"  {'ok    ' if ok else 'FAILED'} {job} (run {run_id[:8]})")
    marts = [f"{k}={v}" for k, v in summary.mart_rows.items()]
    lines.append("  rows per mart:")
    lines += ["    " + ", ".join(marts[i:i + 4]) for i in range(0, len(marts), 4)]
    c = summary.checks
    lines.append(f"  checks: {c['passed'] + c['warned'] + c['failed']} run, {c['passed']} passed, "
                 f"{c['warned']} warned, {c['failed']} failed")
    lines.append("  reports:" + ("" if summary.report_files else " none generated this run"))
    lines += [f"    {path}" for path in summary.report_files]
    lines.append(f"  warehouse: {warehouse}  (full URL: .venv/bin/tidemark db url)")
    lines.append("  UI: make ui  → http://127.0.0.1:3000 (runs, asset graph, schedules, backfills)")
    lines.append(f"  exit code {summary.exit_code} ({_meaning(summary.exit_code)})")
    return "\n".join(lines)


def _problems(summary: RunSummary) -> list[str]:
    lines = [f"  RECONNECT NEEDED: {line}" for line in summary.reconnect]
    lines += [f"  PLATFORM FAILED: {p} — every account failed (see below)" for p in summary.failed_platforms]
    lines += [f"  BLOCKING CHECK FAILED: {name} — reports were not generated" for name in summary.failed_checks]
    lines += [f"  ACCOUNT {a.status.upper()}: {a.platform} {a.account_id}: {a.message}" for a in summary.account_failures]
    lines += [f"  ABANDONED RUN marked failed: {run} (its process ended without finishing)"
              for run in summary.abandoned_runs]
    return lines


def _meaning(code: int) -> str:
    return {OK: "all ok", PARTIAL: "partial: some accounts failed", FAILED: "failed"}.get(code, "")
