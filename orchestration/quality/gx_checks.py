"""GX suites as blocking Dagster asset checks on the raw tables they validate."""


import dagster as dg

from expectations import all_suites
from expectations._common import TableSuite
from expectations.runner import validate_table
from orchestration.resources import TidemarkResource


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
    def check(context: dg.AssetCheckExecutionContext, tidemark: TidemarkResource) -> dg.AssetCheckResult:
        runtime = tidemark.runtime()
        with runtime.connect() as conn:
            outcome = validate_table(runtime.warehouse_url, conn, spec, context.run.run_id, asset_key.to_user_string())
        severity = dg.AssetCheckSeverity.ERROR if outcome.errors else dg.AssetCheckSeverity.WARN
        return dg.AssetCheckResult(passed=not outcome.errors and not outcome.warnings, severity=severity,
                                   metadata=_metadata(outcome))

    return check


def gx_checks() -> list[dg.AssetChecksDefinition]:
    return [build_gx_check(spec) for spec in all_suites()]
