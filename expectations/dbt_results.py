"""Every dbt test outcome of a `dbt build` into `ops.check_results`, so quality trends are queryable.

dagster-dbt already turns each test into an asset check event; this keeps the same outcomes in the
warehouse next to the GX and row-count results (and lets the gate see failing error tests).
"""

from __future__ import annotations

import json
from pathlib import Path

from expectations.results import record_check

OUTCOMES = {"pass": (True, "ok"), "warn": (False, "warning"), "fail": (False, "error"), "error": (False, "error")}


def check_name(unique_id: str) -> str:
    """`dbt_<test>` for test.<project>.<test>.<hash>, `dbt_<model>.<test>` for unit tests."""
    parts = unique_id.split(".")
    return "dbt_" + (parts[2] if parts[0] == "test" else ".".join(parts[2:]))


def _asset_keys(manifest_path: Path) -> dict[str, str]:
    """test unique_id -> `<schema>/<model>` of the node it tests (its last parent)."""
    manifest = json.loads(manifest_path.read_text())
    nodes = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    keys = {}
    for unique_id, node in manifest.get("nodes", {}).items():
        parents = [p for p in node.get("depends_on", {}).get("nodes", []) if p in nodes]
        if node.get("resource_type") == "test" and parents:
            parent = nodes[parents[-1]]
            keys[unique_id] = f"{parent.get('schema')}/{parent.get('name')}"
    return keys


def record_dbt_results(conn, run_id: str, run_results: dict, manifest_path: Path) -> int:
    keys = _asset_keys(manifest_path) if manifest_path.exists() else {}
    recorded = 0
    with conn, conn.cursor() as cur:
        for result in run_results.get("results", []):
            unique_id = result.get("unique_id", "")
            if not unique_id.startswith(("test.", "unit_test.")) or result.get("status") not in OUTCOMES:
                continue  # models, seeds; tests skipped because a parent failed were not evaluated
            passed, severity = OUTCOMES[result["status"]]
            record_check(cur, run_id, check_name(unique_id), keys.get(unique_id, "dbt"),
                         passed=passed, severity=severity, blocking=result["status"] != "warn",
                         failed_rows=int(result.get("failures") or 0),
                         details={"unique_id": unique_id, "status": result["status"],
                                  "message": result.get("message")})
            recorded += 1
        if manifest_path.exists():
            retire_removed_tests(cur, manifest_path)
    return recorded


def retire_removed_tests(cur, manifest_path: Path) -> None:
    """A dbt test that was renamed or removed keeps its last outcome in history but stops counting
    for the gate: an old failure of a test that no longer exists must not block reports forever."""
    manifest = json.loads(manifest_path.read_text())
    current = [check_name(uid) for uid in [*manifest.get("nodes", {}), *manifest.get("unit_tests", {})]
               if uid.startswith(("test.", "unit_test."))]
    cur.execute("update ops.check_results set is_blocking = false where is_blocking and check_name like 'dbt\\_%%' "
                "and not (check_name = any(%s))", (current,))
