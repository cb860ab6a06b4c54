"""A sensor that starts `ingest_community_job` when a new event file lands.

Cursor: the newest (modification time, path) seen. A tick with no file newer than the cursor asks
for nothing; one with new files asks for one run (the ingestion reads every new file through its
manifest, so a run per file would only queue empty runs). Skipped when the workspace has no
community section.
"""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from ingestion.community import LocalFolder
from orchestration.resources import Tidemark

SENSOR = "community_landing_sensor"


def newest_file(landing: Path) -> tuple[int, str] | None:
    """(mtime in ns, path) of the newest event file in the landing folder, None when there is none."""
    files = [((landing / item.path).stat().st_mtime_ns, item.path) for item in LocalFolder(landing).list_files()]
    return max(files, default=None)


def read_cursor(cursor: str | None) -> tuple[int, str] | None:
    if not cursor:
        return None
    value = json.loads(cursor)
    return value["mtime_ns"], value["path"]


def landing_sensor(job) -> dg.SensorDefinition:
    @dg.sensor(name=SENSOR, job=job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
               description="Ingest as soon as a new file appears in the community landing folder.")
    def _sensor(context: dg.SensorEvaluationContext, tidemark: Tidemark):
        runtime = tidemark.runtime()
        if runtime.workspace.community is None:
            return dg.SkipReason("this workspace has no community section")
        newest = newest_file(runtime.community_landing)
        seen = read_cursor(context.cursor)
        if newest is None or (seen is not None and newest <= seen):
            return dg.SkipReason(f"no new file in {runtime.community_landing}")
        mtime_ns, path = newest
        context.update_cursor(json.dumps({"mtime_ns": mtime_ns, "path": path}))
        return dg.RunRequest(run_key=f"landing-{mtime_ns}-{path}", tags={"community/newest_file": path})

    return _sensor
