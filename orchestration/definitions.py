"""Root of the Dagster code location: merges the per-domain definitions.

Domains: social ingestion (raw), transform (dbt staging + marts), quality (GX checks + gate),
reports. Later domains (community events, insights) add their own `defs()` here.
"""

from __future__ import annotations

import dagster as dg

from ingestion.platforms import CONNECTORS
from orchestration.ingestion.assets import build_ingestion_asset
from orchestration.ingestion.jobs import ingestion_job, ingestion_schedule, transform_after_ingest
from orchestration.quality.freshness import freshness_checks
from orchestration.quality.gate import quality_gate
from orchestration.quality.gx_checks import gx_checks
from orchestration.quality.row_counts import row_count_checks
from orchestration.reports.assets import weekly_performance_report
from orchestration.reports.definitions import report_defs
from orchestration.resources import TidemarkResource
from tidemark.dbt_manifest import ensure_manifest
from tidemark.platform_settings import load_platform_settings
from tidemark.settings import load_settings

TRANSFORM_JOB = "transform_and_report"
REPORT_ASSETS = [weekly_performance_report]


def social_ingestion_defs(settings) -> dg.Definitions:
    assets, jobs, schedules = [], [], []
    for platform, item in CONNECTORS.items():
        asset = build_ingestion_asset(item)
        job = ingestion_job(asset, platform)
        config = load_platform_settings(platform, item.module.DEFAULTS)
        cron, lookback = config.schedule, config.lookback_days
        assets.append(asset)
        jobs.append(job)
        schedules.append(ingestion_schedule(job, platform, cron, lookback, "UTC"))
    freshness, freshness_sensor = freshness_checks()
    return dg.Definitions(assets=assets, jobs=jobs, schedules=schedules, sensors=[freshness_sensor],
                          asset_checks=[*gx_checks(), *freshness])


def transform_defs() -> tuple[dg.Definitions, object]:
    # dagster-dbt reads dbt's manifest when the module is imported: make sure it is current first.
    ensure_manifest(_dbt_project_dir())
    from orchestration.transform.dbt import dbt_resource, tidemark_dbt_models

    assets = [tidemark_dbt_models, quality_gate, *REPORT_ASSETS]
    job = dg.define_asset_job(
        TRANSFORM_JOB,
        selection=dg.AssetSelection.assets(*assets),
        description="dbt build (models + tests), the quality gate, then the reports.",
        tags={"domain": "social"},
    )
    return dg.Definitions(assets=assets, jobs=[job], resources={"dbt": dbt_resource()},
                          asset_checks=row_count_checks()), job


def _dbt_project_dir():
    from orchestration.transform.paths import DBT_PROJECT_DIR

    return DBT_PROJECT_DIR


def build_definitions() -> dg.Definitions:
    settings = load_settings()
    ingestion = social_ingestion_defs(settings)
    transform, transform_job = transform_defs()
    sensor = transform_after_ingest(list(ingestion.jobs), transform_job)
    return dg.Definitions.merge(
        ingestion, transform, report_defs(),
        dg.Definitions(sensors=[sensor], resources={"tidemark": TidemarkResource()}),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
