"""Community jobs after seed 004's task table: each task rebuilds the community dbt models it owns.

A task names its marts; its job builds them and the community models upstream of them (staging and
intermediate views, so a fresh warehouse works too) as a subset of the `community_dbt_models`
multi-asset, dbt tests included. A mart named here that does not exist yet is skipped, and a task
with none of its marts is left out until one lands. The rebuild job is partitioned by event day:
its runs pass the days as dbt var `community_rebuild_days` (incremental marts rebuild just those days;
table marts rebuild whole, which covers them too). No `from __future__ import annotations` here:
Dagster reads the op's `context` annotation at definition time.
"""

import json
from dataclasses import dataclass

import dagster as dg
from dagster_dbt import DbtCliResource, build_dbt_asset_selection

from orchestration.community.partitions import community_daily_partitions, run_days
from orchestration.resources import Tidemark
from orchestration.tags import TRANSFORM_TAG
from orchestration.transform.dbt import TidemarkDbtTranslator, dbt_project, run_dbt
from orchestration.transform.project import with_vars

REBUILD_JOB = "community_rebuild_job"
REBUILD_VAR = "community_rebuild_days"
JOB_TAGS = {"domain": "community", TRANSFORM_TAG: "true"}  # one dbt build at a time (run coordinator)


@dataclass(frozen=True)
class Task:
    name: str  # seed 004's task, without the verb
    cron: str  # UTC
    marts: tuple[str, ...]
    description: str

    @property
    def job_name(self) -> str:
        return f"community_{self.name}_job"


# Seed 004, "Task Schedule Table" (the cleanup and report tasks are scheduled with their assets).
TASKS = (
    Task("activity", "*/15 * * * *", ("mart_community_activity", "mart_community_retention",
                                      "mart_community_stickiness"),
         "update_community_analytics: online members, hourly patterns, peak hours, retention"),
    Task("geo_restriction", "*/20 * * * *", ("mart_geo_restriction",),
         "process_geo_restriction_analytics: attempts, blocked, travelers, bypasses by location"),
    Task("daily_analytics", "*/30 * * * *", ("mart_community_daily", "mart_community_platform_daily"),
         "update_daily_analytics: the community x day and platform x day rollups"),
    Task("user_analytics", "0 * * * *", ("mart_community_user_daily",),
         "update_user_analytics: per-member engagement by day"),
    Task("system_metrics", "*/15 * * * *", ("mart_system_metrics",),
         "update_system_metrics: metric x 15 minutes / hour / day"),
    Task("error_processing", "*/10 * * * *", ("mart_error_logs",),
         "process_error_logs: errors by level and category, open vs resolved"),
)


def manifest_models(manifest_path) -> set[str]:
    manifest = json.loads(manifest_path.read_text())
    return {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "model"}


def task_selection(models: dg.AssetsDefinition, marts: list[str]) -> dg.AssetSelection:
    """The marts and the community models upstream of them (never another domain's models)."""
    upstream = build_dbt_asset_selection([models], dbt_select=" ".join(f"+{mart}" for mart in marts))
    return upstream & dg.AssetSelection.assets(models)


def task_jobs(models: dg.AssetsDefinition, tasks=TASKS) -> dict:
    """Task -> its asset job, for the tasks with at least one mart in the dbt project."""
    present = manifest_models(dbt_project().manifest_path)
    jobs = {}
    for task in tasks:
        marts = [mart for mart in task.marts if mart in present]
        if marts:
            jobs[task] = dg.define_asset_job(task.job_name, selection=task_selection(models, marts),
                                             description=f"Seed 004 {task.description}: dbt build of "
                                                         f"{', '.join(marts)} and the models upstream.",
                                             tags=JOB_TAGS)
    return jobs


def rebuild_args(select: str, days: list[str]) -> list[str]:
    """`dbt build` of the community models for these event days (Tidemark's vars merged in)."""
    return with_vars(["build", "--select", select, "--vars", json.dumps({REBUILD_VAR: days})])


def rebuild_job(select: str) -> dg.JobDefinition:
    project = dbt_project()

    @dg.op(name="rebuild_community_days", out={}, description="dbt build of the community models for the run's event days.")
    def rebuild(context: dg.OpExecutionContext, dbt: DbtCliResource, tidemark: Tidemark):
        days = run_days(context.run.tags, context.partition_key if context.has_partition_key else None)
        context.log.info(f"community: rebuilding {len(days)} event day(s), {days[0]}..{days[-1]}")
        yield from run_dbt(context, dbt, tidemark.runtime(), rebuild_args(select, days), project.manifest_path,
                           manifest=project.manifest_path, dagster_dbt_translator=TidemarkDbtTranslator())

    @dg.job(name=REBUILD_JOB, partitions_def=community_daily_partitions, tags=JOB_TAGS,
            description="Rebuild the community marts for a range of event days (backfills; late events).")
    def _job():
        rebuild()

    return _job
