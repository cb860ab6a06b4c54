"""Checks of the social domain as Dagster asset checks: GX suites on the raw tables (blocking)
and row counts on the facts and dimensions every report reads (blocking)."""

import dagster as dg

from expectations.row_counts import COUNTED_MARTS, MAX_DROP, evaluate_row_count
from expectations.rules import TableSuite
from expectations.runner import validate_table
from expectations.suites import all_suites
from orchestration.resources import Tidemark


def _metadata(outcome) -> dict:
    failed = [o for o in outcome.outcomes if not o.success]
    table = ["| expectation | severity | failing rows | example raw_ids |", "|---|---|---|---|"]
    table += [f"| {o.name} | {o.severity} | {o.unexpected_count} | {o.examples} |" for o in failed]
    return {
        "rows_checked": outcome.rows_checked,
        "rows_quarantined": outcome.quarantined,
        "expectations": len(outcome.outcomes),
        "failed_expectations": dg.MetadataValue.md("\n".join(table)) if failed else "none",
    }


def build_gx_check(spec: TableSuite) -> dg.AssetChecksDefinition:
    asset_key = dg.AssetKey(["raw", spec.table])

    @dg.asset_check(asset=asset_key, name=spec.name, blocking=True,
                    description=f"Great Expectations suite raw.{spec.table}; failing rows are quarantined.")
    def check(context: dg.AssetCheckExecutionContext, tidemark: Tidemark) -> dg.AssetCheckResult:
        runtime = tidemark.runtime()
        with runtime.connect() as conn:
            outcome = validate_table(runtime.warehouse_url, conn, spec, context.run.run_id, asset_key.to_user_string())
        severity = dg.AssetCheckSeverity.ERROR if outcome.errors else dg.AssetCheckSeverity.WARN
        return dg.AssetCheckResult(passed=not outcome.errors and not outcome.warnings, severity=severity,
                                   metadata=_metadata(outcome))

    return check


def build_row_count_check(mart: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(["marts", mart]), name=f"row_count_{mart}", blocking=True,
                    description=f"marts.{mart} keeps at least {int((1 - MAX_DROP) * 100)} % of the rows of the "
                                "last accepted run (a sudden drop blocks the reports).")
    def check(context: dg.AssetCheckExecutionContext, tidemark: Tidemark) -> dg.AssetCheckResult:
        with tidemark.runtime().connect() as conn:
            outcome = evaluate_row_count(conn, context.run.run_id, mart)
        return dg.AssetCheckResult(
            passed=outcome["passed"], severity=dg.AssetCheckSeverity.ERROR,
            metadata={"row_count": outcome["row_count"], "baseline": outcome["baseline"] or 0,
                      "max_drop": MAX_DROP},
        )

    return check


def gx_checks() -> list[dg.AssetChecksDefinition]:
    return [build_gx_check(spec) for spec in all_suites()]


def row_count_checks() -> list[dg.AssetChecksDefinition]:
    return [build_row_count_check(mart) for mart in COUNTED_MARTS]
