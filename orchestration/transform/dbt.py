"""dbt through dagster-dbt: every model an asset, every dbt test an asset check.

Sources map to the ingestion assets' keys (`raw/<table>`), models to `<schema>/<model>`, so the
graph reads raw → staging → marts. dbt gets its connection from the environment (see
`tidemark.warehouse.dbt_env`) set at the start of the run, never from a stored profile.
"""


import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from orchestration.quality.dbt_results import record_dbt_results
from orchestration.resources import TidemarkResource
from orchestration.transform.paths import DBT_PROJECT_DIR
from tidemark.dbt_manifest import DAGSTER_TARGET
from tidemark.warehouse.dbt_env import apply_dbt_env

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=DAGSTER_TARGET)


class TidemarkDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        schema = dbt_resource_props.get("schema")
        return {"staging": "social_staging", "marts": "social_marts"}.get(schema, "ops")


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=TidemarkDbtTranslator())
def tidemark_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, tidemark: TidemarkResource):
    runtime = tidemark.runtime()
    apply_dbt_env(runtime.warehouse_url)
    invocation = dbt.cli(["build"], context=context, raise_on_error=False)
    yield from invocation.stream()
    # Keep every dbt test outcome in ops.check_results (quality trends; the gate sees failing tests).
    with runtime.connect() as conn:
        record_dbt_results(conn, context.run.run_id, invocation.get_artifact("run_results.json"),
                           dbt_project.manifest_path)
    if not invocation.is_successful():
        raise invocation.get_error()


def dbt_resource() -> DbtCliResource:
    # The dbt of this interpreter's environment, whether or not the venv is activated.
    return DbtCliResource(project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt"))
