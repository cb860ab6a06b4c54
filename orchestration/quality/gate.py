"""The quality gate: reports materialize only when every blocking check's latest result passed.

GX checks run where raw data lands (ingestion runs) and dbt tests in the transform run; their
outcomes are kept in `ops.check_results`. The gate reads the latest outcome of each blocking
check and fails — with the list of failing checks — when any is failing, so the report assets
downstream of it do not materialize and the previous report stays in place.
"""


import dagster as dg

from orchestration.resources import TidemarkResource
from tidemark.marts import PUBLIC_MARTS

GATED_MARTS = PUBLIC_MARTS

LATEST_BLOCKING = """
    select distinct on (check_name) check_name, asset_key, passed, severity, failed_rows, details, run_id, evaluated_at
    from ops.check_results
    where is_blocking
    order by check_name, evaluated_at desc, check_result_id desc
"""


def failing_blocking_checks(conn) -> list[dict]:
    with conn.cursor() as cur:
        cur.execute(LATEST_BLOCKING)
        columns = [c.name for c in cur.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    conn.commit()
    return [row for row in rows if not row["passed"] and row["severity"] == "error"]


@dg.asset(
    key=["ops", "quality_gate"],
    group_name="quality",
    deps=[dg.AssetKey(["marts", name]) for name in GATED_MARTS],
    description="Passes when the latest result of every blocking data-quality check passed.",
    kinds={"python"},
)
def quality_gate(context: dg.AssetExecutionContext, tidemark: TidemarkResource) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    with runtime.connect() as conn:
        failing = failing_blocking_checks(conn)
    if failing:
        lines = [f"{row['check_name']} on {row['asset_key']} ({row['failed_rows']} rows quarantined, run "
                 f"{row['run_id'][:8]})" for row in failing]
        raise dg.Failure(
            description="Blocking data-quality checks failed; reports are not generated:\n- " + "\n- ".join(lines),
            metadata={"failing_checks": dg.MetadataValue.json([row["check_name"] for row in failing])},
        )
    return dg.MaterializeResult(metadata={"failing_checks": 0})
