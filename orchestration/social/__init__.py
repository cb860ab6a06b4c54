"""The social domain in Dagster: per-platform ingestion (assets, jobs, schedules), the checks on
its raw tables and marts, and its dbt models. `defs()` returns all of it; the root merges it."""

import dagster as dg

from core.platform import settings_for
from ingestion.registry import connectors
from orchestration.social.checks import gx_checks, row_count_checks
from orchestration.social.compaction import compaction_defs
from orchestration.social.freshness import freshness_checks
from orchestration.social.ingestion import build_ingestion_asset
from orchestration.social.jobs import ingestion_job, ingestion_schedule
from orchestration.social.tokens import (
    instagram_token_refresh,
    token_checks,
    token_refresh_job,
    token_refresh_schedule,
)
from orchestration.transform.dbt import dbt_models

# The social models by folder (dbt's dotted folder selector), with the shared ops models and the
# seeds (the content-item mapping); other domains select their own folders.
DBT_SELECT = "staging.social intermediate.social marts.social staging.shared resource_type:seed"


def platform_defs() -> dg.Definitions:
    """What every registered platform gets: its ingestion asset, job and schedule, the GX checks
    of its raw tables, its freshness and token-health checks."""
    assets, jobs, schedules = [], [], []
    for platform, item in connectors().items():
        asset = build_ingestion_asset(item)
        job = ingestion_job(asset, platform)
        config = settings_for(item.spec)
        assets.append(asset)
        jobs.append(job)
        schedules.append(ingestion_schedule(job, platform, config.schedule, config.lookback_days, "UTC"))
    freshness, freshness_sensor = freshness_checks()
    assets.append(instagram_token_refresh)
    jobs.append(token_refresh_job)
    schedules.append(token_refresh_schedule)
    return dg.Definitions(assets=assets, jobs=jobs, schedules=schedules, sensors=[freshness_sensor],
                          asset_checks=[*gx_checks(), *freshness, *token_checks()])


def defs() -> dg.Definitions:
    return dg.Definitions.merge(
        platform_defs(),
        dg.Definitions(assets=[dbt_models("social_dbt_models", DBT_SELECT)], asset_checks=row_count_checks()),
        compaction_defs(),  # superseded raw snapshots (docs/retention.md), 03:00 UTC
    )
