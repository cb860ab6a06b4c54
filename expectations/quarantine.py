"""Quarantined records: list them and release them after a fix (`tidemark quarantine ...`).

Nothing is ever deleted: releasing sets `released_at` / `released_by_run` (and the note of a
forced release) on the `ops.quarantine` row, and staging's `not_quarantined` filter then lets the
raw row through on the next dbt build. A release re-validates each row with the *current* error
rules of its table's suite (the same SQL conditions GX evaluates), so only rows that now pass are
released — unless `--force`, which needs a `--note` saying why.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from core.settings import ConfigError
from expectations.suites import all_suites

LIST_SQL = """
    select quarantine_id, raw_table, raw_id, platform, account_id, check_name, reason, run_id, quarantined_at,
           released_at, workspace_id
    from ops.quarantine
    where (%(platform)s::text is null or platform = %(platform)s)
      and (%(workspace)s::text is null or workspace_id = %(workspace)s)
      and (%(check)s::text is null or check_name = %(check)s)
      and (%(all)s or released_at is null)
    order by quarantine_id
"""


@dataclass
class ReleaseOutcome:
    run_id: str
    released: list[int] = field(default_factory=list)  # quarantine ids
    still_failing: dict[int, str] = field(default_factory=dict)  # quarantine id -> failing rules


def list_quarantined(conn, platform: str | None = None, check: str | None = None, include_released=False,
                     workspace: str | None = None):
    with conn.cursor() as cur:
        cur.execute(LIST_SQL, {"platform": platform, "check": check, "all": include_released, "workspace": workspace})
        columns = [c.name for c in cur.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    conn.commit()
    return rows


def _candidates(conn, table, check, ids, workspace) -> list[tuple[int, str, int | None]]:
    with conn.cursor() as cur:
        cur.execute(
            "select quarantine_id, raw_table, raw_id from ops.quarantine where released_at is null "
            "and (%s::text is null or raw_table = %s) and (%s::text is null or check_name = %s) "
            "and (%s::bigint[] is null or quarantine_id = any(%s::bigint[])) "
            "and (%s::text is null or workspace_id = %s) order by quarantine_id",
            (table, table, check, check, ids, ids, workspace, workspace),
        )
        rows = cur.fetchall()
    conn.commit()
    return rows


def _still_failing(conn, table: str, raw_ids: list[int]) -> dict[int, list[str]]:
    """raw id -> descriptions of the current error rules it still breaks (no suite: nothing to check)."""
    suite = next((s for s in all_suites() if s.table == table), None)
    failing: dict[int, list[str]] = {}
    if suite is None or not raw_ids:
        return failing
    with conn.cursor() as cur:
        for rule in (r for r in suite.all_rules if r.severity == "error"):
            cur.execute(f"select raw_id from ({suite.query(0)}) as batch where raw_id = any(%s) and ({rule.bad_rows})",
                        (raw_ids,))
            for (raw_id,) in cur.fetchall():
                failing.setdefault(raw_id, []).append(rule.description)
    conn.commit()
    return failing


def release(conn, table=None, check=None, ids=None, force=False, note=None, workspace=None) -> ReleaseOutcome:
    if force and not (note or "").strip():
        raise ConfigError("--force needs --note \"why these rows are released without passing the rules\"")
    outcome = ReleaseOutcome(run_id=f"release-{uuid.uuid4().hex[:12]}")
    rows = _candidates(conn, table, check, list(ids) if ids else None, workspace)
    by_table: dict[str, list[tuple[int, int | None]]] = {}
    for quarantine_id, raw_table, raw_id in rows:
        by_table.setdefault(raw_table, []).append((quarantine_id, raw_id))
    for raw_table, items in by_table.items():
        failing = {} if force else _still_failing(conn, raw_table, [r for _, r in items if r is not None])
        for quarantine_id, raw_id in items:
            if raw_id is None and not force:  # rejected before landing: no raw row to re-validate
                outcome.still_failing[quarantine_id] = "no raw row (rejected at load); release with --force"
            elif raw_id in failing:
                outcome.still_failing[quarantine_id] = "; ".join(failing[raw_id])
            else:
                outcome.released.append(quarantine_id)
    with conn, conn.cursor() as cur:
        cur.execute("update ops.quarantine set released_at = now(), released_by_run = %s, release_note = %s "
                    "where quarantine_id = any(%s)", (outcome.run_id, note, outcome.released))
    return outcome
