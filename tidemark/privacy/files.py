"""Files that hold an account: report files (by the registry's coverage) and files under TIDEMARK_HOME.

A report covers an account when its filters name the account, or name no account and cover the
account's platform (every account of it: the weekly reports). Under TIDEMARK_HOME (landing files,
Dagster's compute logs) a file whose path names the account is deleted, and lines that name it are
removed from the other text files; `pg/` is the embedded server's data directory, erased through SQL;
binary files (e.g. the BI tool's SQLite metadata) are not edited.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tidemark.privacy.scope import Scope

COVERING = """
    select report_id, name, files from ops.analytics_reports
    where workspace_id = %(workspace)s and (%(all)s or case
        when jsonb_typeof(filters -> 'accounts') = 'array' and jsonb_array_length(filters -> 'accounts') > 0
            then filters -> 'accounts' ?| %(ids)s
        else platforms && %(platforms)s::text[] end)
    order by report_id
"""
SKIPPED_UNDER_HOME = ("pg",)  # the embedded server's data: the database, erased with SQL


@dataclass(frozen=True)
class Report:
    report_id: str
    name: str
    paths: tuple[Path, ...]


def covering_reports(cur, scope: Scope) -> list[Report]:
    cur.execute("select to_regclass('ops.analytics_reports')")
    if not cur.fetchone()[0]:
        return []
    cur.execute(COVERING, {"all": scope.account_id is None, "ids": scope.account_ids, "platforms": scope.platforms,
                           "workspace": scope.workspace_id})
    return [Report(report_id, name, tuple(Path(p) for p in sorted((files or {}).values())))
            for report_id, name, files in cur.fetchall()]


def archive_name(path: Path, reports_dir: Path) -> str:
    """Where a report file goes in the export zip: its path under the reports dir."""
    try:
        return "reports/" + path.resolve().relative_to(reports_dir.resolve()).as_posix()
    except ValueError:
        return f"reports/{path.name}"


def _text_files(root: Path) -> Iterator[Path]:
    """Files under root, without the database's data directory and without virtual environments
    (software, e.g. the BI tool's under .tidemark/superset-venv: large, and never data)."""
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not (here == root and d in SKIPPED_UNDER_HOME)
                         and not (here / d / "pyvenv.cfg").exists())
        for name in sorted(files):
            if (path := here / name).is_file():
                yield path


def _is_binary(data: bytes) -> bool:
    return b"\0" in data[:8192]


def naming_files(root: Path, needles: list[str]) -> Iterator[Path]:
    """Files under `root` whose path or text holds one of the needles."""
    encoded = [n.encode() for n in needles]
    for path in _text_files(root):
        relative = path.relative_to(root).as_posix()
        if any(n in relative for n in needles):
            yield path
            continue
        data = path.read_bytes()
        if not _is_binary(data) and any(n in data for n in encoded):
            yield path


def scrub_files(root: Path, needles: list[str]) -> dict[str, int]:
    """Delete files whose path names an account; remove the lines naming one from the others.
    Returns {'files deleted': n, 'lines removed': n, 'files edited': n}."""
    counts = {"files deleted": 0, "files edited": 0, "lines removed": 0}
    if not needles:
        return counts
    encoded = [n.encode() for n in needles]
    for path in list(naming_files(root, needles)):
        relative = path.relative_to(root).as_posix()
        if any(n in relative for n in needles):
            path.unlink()
            counts["files deleted"] += 1
            continue
        lines = path.read_bytes().splitlines(keepends=True)
        kept = [line for line in lines if not any(n in line for n in encoded)]
        path.write_bytes(b"".join(kept))
        counts["files edited"] += 1
        counts["lines removed"] += len(lines) - len(kept)
    return counts


def delete_report_files(reports: list[Report], reports_dir: Path) -> int:
    """Delete the reports' files (missing ones were removed already), then empty folders left behind."""
    deleted = 0
    for report in reports:
        for path in report.paths:
            if path.is_file():
                path.unlink()
                deleted += 1
            parent = path.parent
            while parent != reports_dir and reports_dir in parent.parents and parent.is_dir() \
                    and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return deleted
