"""Keep dbt's manifest (which dagster-dbt reads to build the asset graph) up to date."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tidemark.warehouse.dbt_env import dbt_env


def _newest_source(project: Path) -> float:
    paths = [project / "dbt_project.yml", *project.glob("models/**/*"), *project.glob("macros/**/*"),
             *project.glob("tests/**/*")]
    return max(path.stat().st_mtime for path in paths if path.is_file())


DAGSTER_TARGET = Path("target") / "dagster"


def ensure_manifest(project: Path, url: str | None = None) -> Path:
    """Run `dbt parse` when Dagster's manifest is missing or older than the project files.

    Dagster's manifest has its own target path, so a hand-run `tidemark dbt -- ... --vars ...`
    (which rewrites target/manifest.json) never changes the asset graph under a running pipeline.
    """
    manifest = project / DAGSTER_TARGET / "manifest.json"
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source(project):
        return manifest
    env = os.environ | (dbt_env(url) if url else {}) | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = str(Path(sys.executable).parent / "dbt")
    result = subprocess.run([dbt, "parse", "--project-dir", str(project), "--profiles-dir", str(project), "--quiet",
                             "--target-path", str(DAGSTER_TARGET)],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return manifest
