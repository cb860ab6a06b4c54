"""Runtime wiring: what a run needs, resolved once at its start, and the simulator it may use.

`load_runtime()` reads the settings, validates tidemark.yaml against the platform registry and
every platform's settings before any work. Accounts without credentials are served by the
platform simulator, started on demand in this process on a loopback port (one per process,
restarted if its seed, clock or faults changed).
"""

from __future__ import annotations

import atexit
import threading
from datetime import UTC, datetime

from core.runtime import Runtime
from core.settings import Settings, load_settings
from core.workspace import WorkspaceConfig, load_workspace
from ingestion.registry import platforms
from simulator.community import extend_files as extend_community_files
from simulator.faults import FaultConfig
from simulator.server import SimulatorServer

SIM_EPOCH = datetime(2026, 11, 1, tzinfo=UTC)
_sim_lock = threading.Lock()
_sim_state: dict = {}


def simulated_time_zones(workspace: WorkspaceConfig) -> dict[tuple[str, str], str]:
    """(platform, account id) -> the time zone the workspace declares for it: the simulator posts in
    it, so a simulated 'Tuesday 18 h' is the Tuesday 18 h the marts read as local."""
    return {(platform, str(account.id)): workspace.account_timezone(account)
            for platform in workspace.platforms for account in workspace.accounts(platform)}


def start_simulator(settings: Settings, port: int = 0,
                    time_zones: dict[tuple[str, str], str] | None = None) -> SimulatorServer:
    """The world is anchored at SIM_EPOCH and its clock set to 'now': whatever the clock, the same
    seed always describes the same accounts and posts, and a later clock only adds to them."""
    faults = FaultConfig.parse(settings.sim_faults) if settings.sim_faults else None
    server = SimulatorServer(seed=settings.sim_seed, now=SIM_EPOCH, faults=faults, port=port,
                             history_days=settings.sim_history_days, time_zones=time_zones)
    server.set_now(settings.now())
    return server.start()


def simulator_urls(settings: Settings, time_zones: dict[tuple[str, str], str] | None = None) -> dict[str, str]:
    """Base URLs of this process's simulator (started if needed)."""
    key = (settings.sim_seed, settings.sim_now, settings.sim_faults, settings.sim_history_days,
           tuple(sorted((time_zones or {}).items())))
    with _sim_lock:
        if _sim_state.get("key") != key:
            if "server" in _sim_state:
                _sim_state.pop("server").stop()
            server = start_simulator(settings, time_zones=time_zones)
            _sim_state.update(key=key, server=server)
            atexit.register(server.stop)
        _sim_state["server"].set_now(settings.now())  # a long-lived process follows the wall clock
        return _sim_state["server"].urls()


def load_runtime(**overrides) -> Runtime:
    settings = load_settings(**overrides)
    specs = platforms()
    workspace = load_workspace(settings.config_path, specs)
    runtime = Runtime(settings=settings, workspace=workspace, platforms=specs,
                      simulator=lambda: simulator_urls(settings, simulated_time_zones(workspace)),
                      community_simulator=lambda landing, start, end: extend_community_files(
                          landing, start, end, seed=settings.sim_seed))
    _ = runtime.platform_config  # validate now, not halfway through a run
    runtime.check_secret_key()  # a connected account without TIDEMARK_SECRET_KEY, a malformed key
    return runtime


class WiredRuntime:
    """The `tidemark` resource of Dagster runs: a freshly loaded runtime per run."""

    def runtime(self) -> Runtime:
        return load_runtime()
