"""Root of the Dagster code location: merges the per-domain definitions.

Domains: social ingestion (raw), transform (dbt staging + marts), quality (GX checks + gate),
reports. Later domains (community events, insights) add their own `defs()` here.
"""

from __future__ import annotations

import dagster as dg

from ingestion.platforms import CONNECTORS
from orchestration.ingestion.assets import build_ingestion_asset
from orchestration.ingestion.jobs import ingestion_job, ingestion_schedule, transform_after_ingest
from orchestration.quality.gate import quality_gate
from orchestration.quality.gx_checks import gx_checks
from orchestration.reports.assets import weekly_performance_report
from orchestration.resources import TidemarkResource
from orchestration.transform.dbt import dbt_resource, tidemark_dbt_models
from tidemark.settings import load_settings

TRANSFORM_JOB = "transform_and_report"


def social_ingestion_defs(settings) -> dg.Definitions:
    assets, jobs, schedules = [], [], []
    for platform, item in CONNECTORS.items():
        asset = build_ingestion_asset(item)
        job = ingestion_job(asset, platform)
        cron = getattr(settings, f"{platform}_schedule")
        lookback = item.module.lookback_days(settings)
        assets.append(asset)
        jobs.append(job)
        schedules.append(ingestion_schedule(job, platform, cron, lookback, "UTC"))
    return dg.Definitions(assets=assets, jobs=jobs, schedules=schedules, asset_checks=gx_checks())


transform_job = dg.define_asset_job(
    TRANSFORM_JOB,
    selection=dg.AssetSelection.assets(tidemark_dbt_models, quality_gate, weekly_performance_report),
    description="dbt build (models + tests), the quality gate, then the reports.",
    tags={"domain": "social"},
)


def transform_defs() -> dg.Definitions:
    return dg.Definitions(assets=[tidemark_dbt_models, quality_gate, weekly_performance_report], jobs=[transform_job])


def build_definitions() -> dg.Definitions:
    settings = load_settings()
    ingestion = social_ingestion_defs(settings)
    transform = transform_defs()
    sensor = transform_after_ingest(list(ingestion.jobs), transform_job)
    return dg.Definitions.merge(
        ingestion, transform,
        dg.Definitions(sensors=[sensor], resources={"tidemark": TidemarkResource(), "dbt": dbt_resource()}),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
