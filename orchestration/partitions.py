"""Partitions: one per UTC day of the platforms' daily reports.

The first day is fixed (not a setting) so the partition set — and every run's partition tags —
stays stable across deployments; TIDEMARK_HISTORY_START only limits what a sync reads.
"""

import dagster as dg

HISTORY_FIRST_DAY = "2024-01-01"

daily_partitions = dg.DailyPartitionsDefinition(start_date=HISTORY_FIRST_DAY, end_offset=1)

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def partition_range_tags(start: str, end: str) -> dict[str, str]:
    """Tags that make one run cover a range of daily partitions (single-run backfill)."""
    return {RANGE_START_TAG: start, RANGE_END_TAG: end}
