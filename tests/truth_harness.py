"""The ground-truth test's machinery: a timeline of daily syncs, one dbt build, soft checks.

Kept apart from the test so the test file reads as what is compared and how closely
(`tests/integration/test_ground_truth.py`); nothing here knows a mart column.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).parent / "fixtures" / "ground_truth.yaml"
PLATFORMS = ("youtube", "facebook", "instagram", "tiktok", "x", "linkedin")


def sync_times(first: datetime, count: int) -> list[datetime]:
    """`count` syncs, one a day at the time of day of `first` (a deployment's daily schedule)."""
    return [first + timedelta(days=i) for i in range(count)]


@dataclass
class SyncLog:
    """What the timeline did: seconds per sync and per platform, failed account syncs."""

    seconds: list[float] = field(default_factory=list)
    per_platform: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    build_seconds: float = 0.0


def run_timeline(monkeypatch, times: Iterable[datetime], platforms: Iterable[str] = PLATFORMS) -> SyncLog:
    """Move the clock to each sync time and ingest every platform, as the daily schedules would.

    Each sync gets a fresh runtime (the settings read TIDEMARK_SIM_NOW; the simulator restarts on
    a new clock) and requests the partition range of its lookback ending today, like a scheduled
    run; the first sync of an account loads its history (`TIDEMARK_INITIAL_SYNC_DAYS`).
    """
    from ingestion.registry import all_raw_tables
    from ingestion.runner import run_platform
    from ingestion.sync import Window
    from tidemark.runtime import load_runtime

    log = SyncLog()
    platforms = tuple(platforms)
    for number, moment in enumerate(times):
        started = time.perf_counter()
        monkeypatch.setenv("TIDEMARK_SIM_NOW", moment.isoformat())
        runtime = load_runtime()
        if number == 0:
            runtime.prepare_warehouse(all_raw_tables())
        today = moment.date()
        for platform in platforms:
            t0 = time.perf_counter()
            lookback = runtime.platform_settings(platform).lookback_days
            window = Window(today - timedelta(days=lookback - 1), today)
            results = run_platform(runtime, platform, window, f"truth-{number:02d}-{platform}",
                                   sleep=lambda seconds: None)
            log.failures += [f"{moment:%m-%d} {r.platform} {r.account_id}: {r.status} {r.message}"
                             for r in results if r.status != "success"]
            log.per_platform[platform] = log.per_platform.get(platform, 0.0) + time.perf_counter() - t0
        log.seconds.append(time.perf_counter() - started)
    return log


def dbt_build(runtime, tmp_path: Path) -> str:
    """Build the social marts and everything upstream (as test_marts does), models only.

    Seeds and models, not dbt's tests: a failing test or unit test would skip the models below
    it, and this test is about the numbers in the marts (the gate's tests are other tests' business).
    Returns dbt's error lines (empty when every model built)."""
    from core.warehouse.dbt_env import dbt_env
    from orchestration.transform.project import with_vars

    project = str(runtime.settings.dbt_project_dir)
    command = [str(Path(sys.executable).parent / "dbt"), "build", "--select", "+marts.social", "--full-refresh",
               "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
               "--project-dir", project, "--profiles-dir", project,
               "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    done = subprocess.run(with_vars(command), env=os.environ | dbt_env(runtime.warehouse_url),
                          capture_output=True, text=True)
    if done.returncode == 0:
        return ""
    return "\n".join(line for line in done.stdout.splitlines() if "ERROR" in line or "rror" in line)[-4000:]


def query(runtime, sql: str) -> list[dict[str, Any]]:
    """Rows as dicts; numerics as int/float (Postgres sums come back as Decimal)."""
    with runtime.connect() as conn, conn.cursor() as cur:
        cur.execute(sql)
        names = [c.name for c in cur.description]
        return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cur.fetchall()]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- soft checks ------------------------------------------------------------------------------------
class CheckFailed(AssertionError):
    pass


@dataclass
class Checks:
    """Every comparison runs and reports, even after an earlier one failed (one pipeline run, many checks)."""

    results: list[tuple[str, str, str]] = field(default_factory=list)  # (name, PASS|FAIL|ERROR, detail)

    @contextmanager
    def check(self, name: str) -> Iterator[None]:
        try:
            yield
        except CheckFailed as failure:
            self.results.append((name, "FAIL", str(failure)))
        except Exception as error:  # noqa: BLE001 — a missing column is a finding, not a crash
            detail = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
            self.results.append((name, "ERROR", detail + "\n" + "".join(traceback.format_exc(limit=2))[-600:]))
        else:
            self.results.append((name, "PASS", ""))

    def report(self) -> str:
        lines = [f"{status:5} {name}" for name, status, _ in self.results]
        details = [f"--- {status} {name}\n{detail}" for name, status, detail in self.results if status != "PASS"]
        return "\n".join(lines) + ("\n\n" + "\n\n".join(details) if details else "")

    @property
    def failed(self) -> bool:
        return any(status != "PASS" for _, status, _ in self.results)


def expect_none(offenders: list[Any], what: str, *, key: Callable[[Any], float] | None = None,
                show: int = 8, total: int | None = None, raw: list[Any] | None = None) -> None:
    """Fail with a count per platform and the worst `show` offenders (largest `key` first).

    `raw`: the unfolded offences, when some lines of `offenders` stand for several (counts come from it)."""
    if not offenders:
        return
    worst = sorted(offenders, key=key, reverse=True) if key is not None else list(offenders)
    of = f" of {total}" if total is not None else ""
    groups: dict[str, int] = {}
    for offender in offenders if raw is None else raw:
        name = _group(offender)
        groups[name] = groups.get(name, 0) + 1
    per = ", ".join(f"{name} {n}" for name, n in sorted(groups.items())) if len(groups) > 1 or "?" not in groups else ""
    lines = "\n".join(f"  {_short(o)}" for o in worst[:show])
    n = len(offenders) if raw is None else len(raw)
    raise CheckFailed(f"{n}{of} {what}" + (f" ({per})" if per else "") + f"; worst:\n{lines}")


def _group(offender: Any) -> str:
    """The platform an offender belongs to (its `platform`, or the first word of `post`/`account`)."""
    if isinstance(offender, dict):
        for field_name in ("platform", "post", "account"):
            value = offender.get(field_name)
            if isinstance(value, tuple) and value:
                return str(value[0])
            if value is not None:
                return str(value).split()[0]
    return "?"


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _short(row: Any) -> str:
    if isinstance(row, dict):
        return ", ".join(f"{k}={_fmt(v)}" for k, v in row.items())
    return str(row)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%m-%d")
    return str(value)


# --- a reference estimator: how closely 12:00 snapshots can describe 00–24 h days ---------------------------
def midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def interpolated_lifetime(published_at: datetime, readings: list[tuple[datetime, int]]) -> Callable[[datetime], float]:
    """The lifetime at any moment between readings, linear between them, 0 at publishing.

    Before the first reading of a post published earlier, nothing is known (the caller never asks)."""
    knots = sorted(readings)
    if published_at < knots[0][0]:
        knots = [(published_at, 0), *knots]

    def at(moment: datetime) -> float:
        if moment <= published_at:
            return 0.0
        for (t0, v0), (t1, v1) in zip(knots, knots[1:], strict=False):
            if t0 <= moment <= t1:
                return v0 + (v1 - v0) * (moment - t0).total_seconds() / (t1 - t0).total_seconds()
        if moment >= knots[-1][0]:
            return float(knots[-1][1])
        raise ValueError(f"{moment} is before the first reading {knots[0][0]}")

    return at


def estimated_days(published_at: datetime, readings: list[tuple[datetime, int]], first_day: date
                   ) -> tuple[int, dict[date, int]]:
    """(baseline, {day: value}) from lifetime readings: each midnight's lifetime interpolated and
    rounded, days as differences (so they telescope exactly), the last reading's part-day last.

    `first_day`: the first day to estimate (the day after tracking started, or the publish day);
    the baseline is the lifetime at its start."""
    lifetime = interpolated_lifetime(published_at, readings)
    last_time, last_value = max(readings)
    days: dict[date, int] = {}
    if first_day > last_time.date():  # read once, before its first whole day: all of it is the baseline
        return last_value, days
    previous = baseline = round(lifetime(midnight(first_day)))
    day = first_day
    while midnight(day + timedelta(days=1)) <= last_time:
        value = round(lifetime(midnight(day + timedelta(days=1))))
        days[day] = value - previous
        previous, day = value, day + timedelta(days=1)
    days[day] = last_value - previous  # the part of the last reading's day before it
    return baseline, days
