"""What a run works with: settings, workspace, warehouse, platform settings, redaction.

A `Runtime` is assembled once at the start of a run by the application shell
(`tidemark.runtime.load_runtime`), which validates everything before any work and decides
where simulated accounts are served from. Everything below the shell receives it ready-made.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from core.platform import PlatformSettings, PlatformSpec, settings_for
from core.redaction import Redactor
from core.settings import ConfigError, Settings
from core.warehouse.connection import connect, display_url, warehouse_url
from core.warehouse.credentials import SECRET_KEY_VAR, CredentialStore, keyring
from core.warehouse.quota import PostgresQuotaStore
from core.warehouse.registry import sync_workspace_accounts
from core.warehouse.row_security import secure_all_marts
from core.warehouse.schema import migrate
from core.workspace import WorkspaceConfig


def _no_simulator() -> dict[str, str]:
    raise ConfigError("an account without credentials needs the platform simulator, and this process has none "
                      "(run through `tidemark run` / `tidemark ui`, whose wiring starts it)")


def _no_community_simulator(landing, start, end) -> None:
    raise ConfigError("a simulated community needs the community simulator, and this process has none "
                      "(run through `tidemark run` / `tidemark ui`, whose wiring provides it)")


@dataclass
class Runtime:
    settings: Settings
    workspace: WorkspaceConfig
    platforms: Mapping[str, PlatformSpec]
    # Base URLs of the simulator that serves accounts without credentials (started by the shell).
    simulator: Callable[[], dict[str, str]] = _no_simulator
    # Writes a simulated community's event files into a landing folder for [start, end) (the shell's).
    community_simulator: Callable[..., None] = _no_community_simulator
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
        """Schemas, ops tables, raw tables, the account registry and the BI logins' row-level security
        (after the registry: its accounts are the policies' lists) — idempotent."""
        with self.connect() as conn:
            migrate(conn, raw_tables)
            sync_workspace_accounts(conn, self.workspace, self.platforms)
            with conn, conn.cursor() as cur:
                secure_all_marts(cur)

    def simulator_urls(self) -> dict[str, str]:
        return self.simulator()

    @property
    def community_landing(self) -> Path:
        """The community domain's landing folder (tidemark.yaml `community.landing`, else under home)."""
        configured = self.workspace.community.landing if self.workspace.community else None
        return Path(configured) if configured else self.settings.home / "landing" / "community"

    @cached_property
    def credential_store(self) -> CredentialStore | None:
        """The encrypted credential store; None without TIDEMARK_SECRET_KEY (tokens then come from
        environment variables only, and a rotated refresh token lives for this process only)."""
        return CredentialStore(self.warehouse_url, self.redactor) if self.check_secret_key() else None

    def check_secret_key(self) -> bool:
        """Whether a (well-formed) TIDEMARK_SECRET_KEY is set; a ConfigError when it is malformed or
        a connected account needs it — at start-up, not at the first refresh."""
        if os.environ.get(SECRET_KEY_VAR):
            keyring()
            return True
        if any(a.connected for p in self.workspace.platforms for a in self.workspace.accounts(p)):
            keyring()  # raises the ConfigError that explains the key
        return False

    def stored_credentials(self, platform: str, account_id: str) -> dict[str, str] | None:
        store = self.credential_store
        stored = store.get(platform, account_id) if store else None
        return stored.secrets if stored else None

    @cached_property
    def quota_store(self) -> PostgresQuotaStore:
        """One store (one connection) for every connector's quota budget in this process;
        the ingestion runner closes it when a platform's sync ends (it reconnects on next use)."""
        return PostgresQuotaStore(self.warehouse_url)

    def platform_settings(self, platform: str) -> PlatformSettings:
        return self.platform_config[platform]

    @cached_property
    def platform_config(self) -> dict[str, PlatformSettings]:
        """Every platform's settings, validated up front (a bad value stops the run before work)."""
        return {name: settings_for(spec) for name, spec in self.platforms.items()}


class RuntimeSource(Protocol):
    """What Dagster assets receive as their `tidemark` resource: a runtime per run."""

    def runtime(self) -> Runtime: ...


def _password(url: str) -> str | None:
    password = urlsplit(url).password
    return unquote(password) if password else None
