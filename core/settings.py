"""The one typed settings module: environment variables and `.env`, validated before any work.

Everything that varies per machine (database, directories, simulator clock, API base URLs,
quotas) is read here, never at import time elsewhere. The workspace itself (tenant, time zone,
connected accounts) lives in `tidemark.yaml`, see `core.workspace`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(Exception):
    """A setting is missing or invalid; the message names the key and what was expected."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str | None = Field(
        default=None,
        alias="DATABASE_URL",
        description="Postgres URL of the warehouse; unset = the embedded server under TIDEMARK_HOME.",
    )
    home: Path = Field(default=PROJECT_ROOT / ".tidemark", alias="TIDEMARK_HOME")
    config_path: Path = Field(default=PROJECT_ROOT / "tidemark.yaml", alias="TIDEMARK_CONFIG")
    reports_dir: Path = Field(default=PROJECT_ROOT / "reports", alias="TIDEMARK_REPORTS_DIR")
    dbt_project_dir: Path = Field(default=PROJECT_ROOT / "dbt_project", alias="TIDEMARK_DBT_PROJECT_DIR")

    # Simulator: used for every platform whose accounts have no credentials configured.
    sim_seed: int = Field(default=7, alias="TIDEMARK_SIM_SEED")
    sim_now: datetime | None = Field(
        default=None,
        alias="TIDEMARK_SIM_NOW",
        description="Fixed clock (ISO-8601, UTC if no offset) for the simulator and for 'now' in runs.",
    )
    sim_history_days: int = Field(default=365, ge=7, le=3650, alias="TIDEMARK_SIM_HISTORY_DAYS")
    sim_faults: str | None = Field(default=None, alias="TIDEMARK_SIM_FAULTS")

    initial_sync_days: int = Field(default=400, ge=1, alias="TIDEMARK_INITIAL_SYNC_DAYS")
    history_start: date = Field(default=date(2024, 1, 1), alias="TIDEMARK_HISTORY_START")
    http_timeout_s: float = Field(default=30.0, gt=0, alias="TIDEMARK_HTTP_TIMEOUT_S")
    http_max_attempts: int = Field(default=5, ge=1, le=20, alias="TIDEMARK_HTTP_MAX_ATTEMPTS")
    http_max_retry_after_s: float = Field(default=300.0, ge=0, alias="TIDEMARK_HTTP_MAX_RETRY_AFTER_S")

    report_retention_days: int = Field(default=90, ge=1, alias="TIDEMARK_REPORT_RETENTION_DAYS")
    token_warn_days: int = Field(default=14, ge=1, le=365, alias="TIDEMARK_TOKEN_WARN_DAYS",
                                 description="Warn this many days before a stored token needs a reconnect.")

    # Community event files: IP addresses are never stored in clear.
    ip_mode: Literal["hash", "truncate"] = Field(
        default="hash",
        alias="TIDEMARK_IP_MODE",
        description="hash: HMAC-SHA256 of the address; truncate: the IPv4 /24 or IPv6 /48 network.",
    )
    ip_hash_key: SecretStr | None = Field(
        default=None,
        alias="TIDEMARK_IP_HASH_KEY",
        description="HMAC key of IP hashing; unset = TIDEMARK_SECRET_KEY (its first, newest key).",
    )
    secret_key: SecretStr | None = Field(
        default=None, alias="TIDEMARK_SECRET_KEY",
        description="The credential store's key; here only as the fallback key of IP hashing.",
    )

    @field_validator("sim_now", mode="after")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value

    def now(self) -> datetime:
        """'Now' for a run: the simulator clock when fixed, else the wall clock (UTC)."""
        return self.sim_now or datetime.now(UTC)

    def ip_hash_secret(self) -> bytes:
        """The HMAC key of IP hashing: TIDEMARK_IP_HASH_KEY, else TIDEMARK_SECRET_KEY's first key."""
        for value in (self.ip_hash_key, self.secret_key):
            raw = value.get_secret_value().strip() if value is not None else ""
            if raw:
                return raw.split(",")[0].strip().encode() if value is self.secret_key else raw.encode()
        raise ConfigError("TIDEMARK_IP_MODE=hash needs a key: set TIDEMARK_IP_HASH_KEY (a long random string, "
                          "kept stable: changing it changes every hashed address) or TIDEMARK_SECRET_KEY, "
                          "or set TIDEMARK_IP_MODE=truncate")


_SECRET_KEYS = {"DATABASE_URL", "TIDEMARK_SIM_FAULTS", "TIDEMARK_IP_HASH_KEY", "TIDEMARK_SECRET_KEY"}


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "settings"
        shown = "" if key in _SECRET_KEYS else f" (got {item.get('input')!r})"
        lines.append(f"  {key}: {item['msg']}{shown}")
    return "Invalid setting(s):\n" + "\n".join(lines)


def load_settings(**overrides) -> Settings:
    """Read and validate settings; raise ConfigError naming each bad key."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
