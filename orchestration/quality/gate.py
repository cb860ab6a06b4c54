"""The quality gate as an asset between the marts and the reports (rule: `expectations.gate`).

When a blocking check is failing the gate fails with the list of checks, so the report assets
downstream of it do not materialize and the previous report stays in place.
"""

import dagster as dg

from expectations.gate import describe, failing_blocking_checks
from orchestration.resources import Tidemark

GATE_KEY = dg.AssetKey(["ops", "quality_gate"])


def gate_failure(failing: list[dict], what: str) -> dg.Failure:
    return dg.Failure(
        description=f"Blocking data-quality checks are failing; {what}:\n- " + "\n- ".join(describe(failing)),
        metadata={"failing_checks": dg.MetadataValue.json([row["check_name"] for row in failing])},
    )


def build_quality_gate(marts: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(key=GATE_KEY, group_name="quality", deps=marts, kinds={"python"},
              description="Passes when the latest result of every blocking data-quality check passed.")
    def quality_gate(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
        with tidemark.runtime().connect() as conn:
            failing = failing_blocking_checks(conn)
        if failing:
            raise gate_failure(failing, "reports are not generated")
        return dg.MaterializeResult(metadata={"failing_checks": 0})

    return quality_gate
