"""Remove expired reports: their files go, their registry row stays (marked `deleted_at`).

Only files under the reports directory are ever deleted, whatever a row says, so a corrupted
or hand-edited registry cannot make the cleanup delete anything else.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

EXPIRED = """
    select report_id, files from ops.analytics_reports
    where deleted_at is null and expires_at is not null and expires_at <= %s
    order by expires_at for update skip locked
"""


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def _remove(files: dict, root: Path) -> list[str]:
    removed, directories = [], set()
    for value in files.values():
        path = Path(value)
        if not _inside(path, root):
            continue
        directories.add(path.parent)
        if path.exists():
            path.unlink()
            removed.append(str(path))
    for directory in directories:
        if directory.exists() and _inside(directory, root) and directory.resolve() != root.resolve() \
                and not any(directory.iterdir()):
            shutil.rmtree(directory, ignore_errors=True)
    return removed


def remove_expired(conn, reports_dir: Path, now: datetime) -> list[dict]:
    """Delete the files of every expired report and mark its row; returns what was done."""
    done = []
    with conn, conn.cursor() as cur:
        cur.execute(EXPIRED, (now,))
        for report_id, files in cur.fetchall():
            removed = _remove(files or {}, reports_dir)
            cur.execute("update ops.analytics_reports set deleted_at = %s where report_id = %s", (now, report_id))
            done.append({"report_id": report_id, "files_removed": len(removed)})
    return done
