"""Root of the Dagster definitions: merges the per-domain `defs()` and the jobs that span them.

Domains: `social` (platform ingestion, its checks, its dbt models), `community` (first-party
event files, their dbt models) and `insights` (forecasts, anomalies and alerts built from the
marts), then the quality gate and the reports downstream of every domain. The application shell supplies the `tidemark`
resource (see `tidemark.definitions`, the code location `workspace.yaml` loads).
"""

from __future__ import annotations

import dagster as dg

from core.runtime import RuntimeSource
from orchestration import community, insights, reports, social
from orchestration.quality.gate import build_quality_gate
from orchestration.reports.assets import LATEST_WEEK
from orchestration.reports.community import LATEST as community_reports
from orchestration.tags import TRANSFORM_TAG
from orchestration.transform.dbt import dbt_resource

TRANSFORM_JOB = "transform_and_report"
INGEST_JOB_PREFIX = "ingest_"


def _marts(domain_defs: list[dg.Definitions]) -> list[dg.AssetKey]:
    keys = {key for d in domain_defs for asset in d.assets or [] for key in asset.keys}
    return sorted((key for key in keys if key.path[0] == "marts"), key=lambda key: key.path)


def public_marts(defs: dg.Definitions) -> list[str]:
    """The marts of every domain (the public contract), dimensions first, then facts, then marts."""
    names = [key.path[1] for key in defs.resolve_all_asset_keys() if key.path[0] == "marts"]
    kinds = ("dim_", "fct_", "mart_")
    return sorted(names, key=lambda name: (next((i for i, k in enumerate(kinds) if name.startswith(k)), 3), name))


def transform_after_ingest(ingest_jobs: list, transform_job) -> dg.SensorDefinition:
    @dg.run_status_sensor(
        name="transform_after_ingest", run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=ingest_jobs,
        request_job=transform_job, default_status=dg.DefaultSensorStatus.RUNNING,
        description="After a successful ingestion run, rebuild the marts, run the checks and the reports.",
    )
    def _sensor(context: dg.RunStatusSensorContext):
        return dg.RunRequest(run_key=f"transform-after-{context.dagster_run.run_id}")

    return _sensor


def build_definitions(tidemark: RuntimeSource) -> dg.Definitions:
    domains = [social.defs(), community.defs(), insights.defs()]
    gate = build_quality_gate(_marts(domains))
    models = [asset for d in domains for asset in d.assets or [] if "dbt" in asset.required_resource_keys]
    transform_job = dg.define_asset_job(
        TRANSFORM_JOB, selection=dg.AssetSelection.assets(*models, *insights.ASSETS, gate, *LATEST_WEEK, *community_reports),
        description="dbt build (models + tests), forecasts, anomalies and alerts, the quality gate, then the reports.", tags={"domain": "social", TRANSFORM_TAG: "true"},
    )
    ingest_jobs = [job for d in domains for job in d.jobs or [] if job.name.startswith(INGEST_JOB_PREFIX)]
    return dg.Definitions.merge(
        *domains, reports.defs(),
        dg.Definitions(assets=[gate, *LATEST_WEEK, *community_reports], jobs=[transform_job],
                       sensors=[transform_after_ingest(ingest_jobs, transform_job)],
                       resources={"tidemark": tidemark, "dbt": dbt_resource()}),
    )
