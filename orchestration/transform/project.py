"""The dbt project as Dagster sees it: where it lives, the vars it is given, its manifest.

dbt's list of platforms is not written in dbt: it is the platform registry's, passed as the
`platforms` var on every invocation (parse, build, and `tidemark dbt -- ...`), so adding a
platform package is all it takes for the union models to pick it up.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from core.settings import PROJECT_ROOT
from core.warehouse.dbt_env import dbt_env
from ingestion.community import TRACK_EVENTS
from ingestion.registry import platforms

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
# Dagster's manifest has its own target path, so a hand-run `tidemark dbt -- ... --vars ...`
# (which rewrites target/manifest.json) never changes the asset graph under a running pipeline.
DAGSTER_TARGET = Path("target") / "dagster"


def dbt_vars() -> dict:
    """The vars Tidemark always passes to dbt, derived from the platform registry — the platforms,
    each one's engagement-rate base, and how many days its daily numbers keep changing
    (`settle_days`), which sets its "complete through" date — and the community event contract."""
    specs = platforms()
    return {
        "platforms": list(specs),
        "rate_base": {name: spec.rate_base for name, spec in specs.items()},
        "settle_days": {name: spec.settle_days for name, spec in specs.items()},
        "community_events": list(TRACK_EVENTS),  # the community contract's track event names
    }


def with_vars(args: list[str]) -> list[str]:
    """dbt arguments with Tidemark's vars merged into any `--vars` the caller gave (theirs win)."""
    args = list(args)
    if "--vars" in args:
        at = args.index("--vars") + 1
        given = yaml.safe_load(args[at]) if at < len(args) else None
        args[at:at + 1] = [json.dumps(dbt_vars() | (given or {}))]
        return args
    return [*args, "--vars", json.dumps(dbt_vars())]


def _newest_source(project: Path) -> float:
    paths = [project / "dbt_project.yml", *project.glob("models/**/*"), *project.glob("macros/**/*"),
             *project.glob("tests/**/*"), *project.glob("seeds/**/*")]
    return max(path.stat().st_mtime for path in paths if path.is_file())


def ensure_manifest(project: Path = DBT_PROJECT_DIR, url: str | None = None) -> Path:
    """Run `dbt parse` when Dagster's manifest is missing, older than the project files, or was
    parsed with other vars (a platform added or removed)."""
    manifest = project / DAGSTER_TARGET / "manifest.json"
    stamp = project / DAGSTER_TARGET / "tidemark_vars.json"
    wanted = json.dumps(dbt_vars(), sort_keys=True)

    def current() -> bool:
        return (manifest.exists() and stamp.exists() and stamp.read_text() == wanted
                and manifest.stat().st_mtime >= _newest_source(project))

    # Two processes starting at once (parallel test workers, the UI and a run) must not both write
    # the manifest, nor read it half-written: one parses, the other waits and then finds it current.
    (project / DAGSTER_TARGET).mkdir(parents=True, exist_ok=True)
    with open(project / DAGSTER_TARGET / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not current():
            _parse(project, url, stamp, wanted)
    return manifest


def _parse(project: Path, url: str | None, stamp: Path, wanted: str) -> None:
    env = os.environ | (dbt_env(url) if url else {}) | {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = str(Path(sys.executable).parent / "dbt")
    command = [dbt, "parse", "--project-dir", str(project), "--profiles-dir", str(project), "--quiet",
               "--target-path", str(DAGSTER_TARGET)]
    result = subprocess.run(with_vars(command), env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    stamp.write_text(wanted)
