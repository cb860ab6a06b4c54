"""What a run needs, resolved once at its start: settings, workspace, warehouse, endpoints.

`load_runtime()` validates everything before any work. When an account has no credentials,
its platform is served by the simulator, started on demand in this process on a loopback port
(one per process, restarted if its seed, clock or faults changed).
"""

from __future__ import annotations

import atexit
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from ingestion.http import Redactor
from tidemark.settings import Settings, load_settings
from tidemark.warehouse.connection import connect, display_url, warehouse_url
from tidemark.warehouse.registry import sync_workspace_accounts
from tidemark.warehouse.schema import migrate
from tidemark.workspace import WorkspaceConfig, load_workspace

SIM_EPOCH = datetime(2026, 11, 1, tzinfo=UTC)
_sim_lock = threading.Lock()
_sim_state: dict = {}


def simulator_urls(settings: Settings) -> dict[str, str]:
    """Base URLs of this process's simulator (started if needed)."""
    from simulator.faults import FaultConfig
    from simulator.server import SimulatorServer

    key = (settings.sim_seed, settings.sim_now, settings.sim_faults, settings.sim_history_days)
    with _sim_lock:
        if _sim_state.get("key") != key:
            if "server" in _sim_state:
                _sim_state.pop("server").stop()
            server = start_simulator(settings, FaultConfig, SimulatorServer)
            _sim_state.update(key=key, server=server)
            atexit.register(server.stop)
        _sim_state["server"].set_now(settings.now())  # a long-lived process follows the wall clock
        return _sim_state["server"].urls()


def start_simulator(settings: Settings, fault_config, server_class, port: int = 0):
    """The world is anchored at SIM_EPOCH and its clock set to 'now': whatever the clock, the same
    seed always describes the same accounts and posts, and a later clock only adds to them."""
    faults = fault_config.parse(settings.sim_faults) if settings.sim_faults else None
    server = server_class(seed=settings.sim_seed, now=SIM_EPOCH, faults=faults, port=port,
                          history_days=settings.sim_history_days)
    server.set_now(settings.now())
    return server.start()


@dataclass
class Runtime:
    settings: Settings
    workspace: WorkspaceConfig
    redactor: Redactor = field(default_factory=Redactor)

    @cached_property
    def warehouse_url(self) -> str:
        url = warehouse_url(self.settings)
        self.redactor.add_secret(_password(url))
        return url

    @property
    def warehouse_display_url(self) -> str:
        return display_url(self.warehouse_url)

    def connect(self, autocommit: bool = False):
        return connect(self.warehouse_url, autocommit=autocommit)

    def prepare_warehouse(self, raw_tables: list[str]) -> None:
        """Schemas, ops tables, raw tables and the account registry — idempotent."""
        with self.connect() as conn:
            migrate(conn, raw_tables)
            sync_workspace_accounts(conn, self.workspace)

    def simulator_urls(self) -> dict[str, str]:
        return simulator_urls(self.settings)

    @cached_property
    def quota_store(self):
        """One store (one connection) for every connector's quota budget in this process;
        the ingestion runner closes it when a platform's sync ends (it reconnects on next use)."""
        from tidemark.warehouse.quota import PostgresQuotaStore

        return PostgresQuotaStore(self.warehouse_url)

    def platform_settings(self, platform: str):
        return self.platform_config[platform]

    @cached_property
    def platform_config(self) -> dict:
        """Every connector's settings, validated up front (a bad value stops the run before work)."""
        from ingestion.platforms import CONNECTORS
        from tidemark.platform_settings import load_platform_settings

        return {name: load_platform_settings(name, item.module.DEFAULTS) for name, item in CONNECTORS.items()}


def _password(url: str) -> str | None:
    from urllib.parse import unquote, urlsplit

    password = urlsplit(url).password
    return unquote(password) if password else None


def load_runtime(**overrides) -> Runtime:
    settings = load_settings(**overrides)
    workspace = load_workspace(settings.config_path)
    runtime = Runtime(settings=settings, workspace=workspace)
    _ = runtime.platform_config  # validate now, not halfway through a run
    return runtime
