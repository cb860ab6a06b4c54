"""Ingestion assets: one multi-asset per platform producing its `raw.<platform>_<stream>` tables.

Daily-partitioned with a single-run backfill policy, so a backfill of any date range from the
UI is one run that reads exactly that range (plus the connector's lookback).
"""

from datetime import date

import dagster as dg

from ingestion.registry import Connector, all_raw_tables
from ingestion.runner import run_platform
from ingestion.sync import Window
from orchestration.partitions import daily_partitions
from orchestration.resources import Tidemark
from orchestration.tags import WORKSPACE_TAG

GROUP = "social_raw"


def raw_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["raw", table])


def _summary_table(results) -> str:
    lines = ["| account | status | rows | api calls | message |", "|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.account_id} | {r.status} | {r.rows_loaded} | {r.api_calls} | {r.message or ''} |")
    return "\n".join(lines)


def build_ingestion_asset(item: Connector) -> dg.AssetsDefinition:
    platform = item.name

    @dg.multi_asset(
        name=f"ingest_{platform}",
        specs=[
            dg.AssetSpec(raw_key(table), group_name=GROUP, kinds={"postgres", "python"},
                         description=f"raw.{table}: {item.spec.title} API payloads as JSONB with load metadata.")
            for table in item.streams
        ],
        partitions_def=daily_partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        op_tags={"platform": platform},
    )
    def ingest(context: dg.AssetExecutionContext, tidemark: Tidemark):
        runtime = tidemark.runtime()
        runtime.prepare_warehouse(all_raw_tables())
        window = context.partition_time_window
        requested = Window(window.start.date(), date.fromordinal(window.end.date().toordinal() - 1))
        context.log.info(f"{platform}: partitions {requested.start}..{requested.end}, warehouse "
                         f"{runtime.warehouse_display_url}")
        results = run_platform(
            runtime, platform, requested, context.run_id,
            partition_key=f"{requested.start}..{requested.end}", progress=context.log.info,
            workspace=context.run.tags.get(WORKSPACE_TAG),  # a run for one workspace: its accounts only
        )
        failed = [r for r in results if r.status != "success"]
        for r in failed:
            context.log.error(f"{platform} account {r.account_id} {r.status}: {r.message}")
        for table in item.streams:
            yield dg.MaterializeResult(
                asset_key=raw_key(table),
                metadata={
                    "rows_received": sum(r.streams.get(table, 0) for r in results),
                    "accounts": len(results),
                    "accounts_failed": len(failed),
                    "sync_results": dg.MetadataValue.md(_summary_table(results)),
                    "warnings": dg.MetadataValue.json([w for r in results for w in r.warnings]),
                },
            )

    return ingest
