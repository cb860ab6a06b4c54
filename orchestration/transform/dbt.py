"""dbt through dagster-dbt: every model an asset, every dbt test an asset check.

Sources map to the ingestion assets' keys (`raw/<table>`), models to `<schema>/<model>`, so the
graph reads raw → staging → marts; groups are `<domain>_<layer>` from the model's folder
(`models/<layer>/<domain>/...`). dbt gets its connection from the environment (see
`core.warehouse.dbt_env`) set at the start of the run, never from a stored profile.
"""

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from core.warehouse.dbt_env import apply_dbt_env
from core.warehouse.locks import TRANSFORM, advisory_lock
from expectations.dbt_results import record_dbt_results
from orchestration.resources import Tidemark
from orchestration.transform.project import DAGSTER_TARGET, DBT_PROJECT_DIR, ensure_manifest, with_vars

DOMAINS = ("social", "community", "insights", "shared")


class TidemarkDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        layer = {"staging": "staging", "marts": "marts"}.get(dbt_resource_props.get("schema"))
        if layer is None:
            return "ops"
        domain = next((part for part in dbt_resource_props.get("fqn", []) if part in DOMAINS), "social")
        return f"{domain}_{layer}"


def dbt_project() -> DbtProject:
    # dagster-dbt reads dbt's manifest when assets are defined: make sure it is current first.
    ensure_manifest()
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=DAGSTER_TARGET)


def dbt_models(name: str, select: str = "fqn:*") -> dg.AssetsDefinition:
    """The dbt models (and their tests) of one selection as one multi-asset."""
    project = dbt_project()

    @dbt_assets(manifest=project.manifest_path, dagster_dbt_translator=TidemarkDbtTranslator(), select=select,
                name=name)
    def _models(context: dg.AssetExecutionContext, dbt: DbtCliResource, tidemark: Tidemark):
        yield from run_dbt(context, dbt, tidemark.runtime(), with_vars(["build"]), project.manifest_path)

    return _models


def run_dbt(context, dbt: DbtCliResource, runtime, args: list[str], manifest_path: Path, **cli_options):
    """One dbt invocation of a Dagster step: the warehouse and time zone in its environment, under the
    transform lock (one dbt build at a time, however it was started: CLI, schedule, sensor, UI), every
    test outcome kept in ops.check_results (quality trends; the gate sees failing tests). Yields dbt's
    events; raises when dbt failed."""
    apply_dbt_env(runtime.warehouse_url, runtime.workspace)
    with advisory_lock(runtime.warehouse_url, TRANSFORM, wait=True, on_wait=context.log.info):
        invocation = dbt.cli(args, context=context, raise_on_error=False, **cli_options)
        yield from invocation.stream()
        with runtime.connect() as conn:
            record_dbt_results(conn, context.run.run_id, invocation.get_artifact("run_results.json"), manifest_path)
    if not invocation.is_successful():
        raise invocation.get_error()


def dbt_resource() -> DbtCliResource:
    # The dbt of this interpreter's environment, whether or not the venv is activated.
    return DbtCliResource(project_dir=DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR,
                                                 target_path=DAGSTER_TARGET),
                          dbt_executable=str(Path(sys.executable).parent / "dbt"))
