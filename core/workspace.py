"""`tidemark.yaml`: the workspace (tenant), its time zone and its connected accounts per platform.

Secrets are never stored here: an account names the environment variables that hold its
credentials (`<name>_env: VAR`). An account whose variables are all unset is served by the
simulator; one with only some of them set is a configuration error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.platform import PlatformSpec
from core.settings import ConfigError

_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


def _check_tz(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown IANA time zone {value!r} (expected e.g. 'Europe/Madrid')") from None
    return value


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    name: str | None = None
    timezone: str | None = None
    credentials: dict[str, str] = Field(default_factory=dict)
    # Non-secret, platform-specific choices (e.g. Instagram `login: instagram` for graph.instagram.com).
    options: dict[str, str | int | bool] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return None if value is None else _check_tz(value)

    @field_validator("credentials")
    @classmethod
    def _env_refs_only(cls, value: dict[str, str]) -> dict[str, str]:
        for key, ref in value.items():
            if not key.endswith("_env"):
                raise ValueError(
                    f"credential {key!r}: secrets are not stored in tidemark.yaml; "
                    f"write '{key}_env: ENV_VAR_NAME' and put the value in that variable"
                )
            if not _ENV_NAME.match(ref):
                raise ValueError(f"credential {key!r}: {ref!r} is not an environment variable name")
        return value


class PlatformConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    accounts: list[Account] = Field(default_factory=list)

    @field_validator("accounts")
    @classmethod
    def _unique_ids(cls, value: list[Account]) -> list[Account]:
        seen = [account.id for account in value]
        dupes = sorted({item for item in seen if seen.count(item) > 1})
        if dupes:
            raise ValueError(f"duplicate account id(s): {', '.join(dupes)}")
        return value


class WorkspaceInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    name: str
    timezone: str = "UTC"

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return _check_tz(value)


class WorkspaceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    workspace: WorkspaceInfo
    platforms: dict[str, PlatformConfig] = Field(default_factory=dict)

    def accounts(self, platform: str) -> list[Account]:
        config = self.platforms.get(platform)
        return list(config.accounts) if config and config.enabled else []

    def account_timezone(self, account: Account) -> str:
        return account.timezone or self.workspace.timezone


def platform_problems(config: WorkspaceConfig, platforms: Mapping[str, PlatformSpec]) -> list[str]:
    """Every configured platform must be a known one, its accounts naming only its credential keys."""
    problems = []
    for name, platform in config.platforms.items():
        spec = platforms.get(name)
        if spec is None:
            problems.append(f"  platforms.{name}: unknown platform; expected one of {', '.join(platforms)}")
            continue
        needed = {f"{key}_env" for key in spec.credentials.keys}
        for number, account in enumerate(platform.accounts):
            extra = sorted(set(account.credentials) - needed)
            if extra:
                problems.append(f"  platforms.{name}.accounts.{number}.credentials ({account.id}): unknown key(s) "
                                f"{', '.join(extra)}; expected {', '.join(sorted(needed))}")
    return problems


def resolve_credentials(spec: PlatformSpec, account: Account, env: Mapping[str, str] | None = None) -> dict | None:
    """Credential values for a live account, or None when the account is simulated.

    Raises ConfigError when only some of the account's variables are set — half a
    configuration is a mistake, not a request for the simulator.
    """
    env = os.environ if env is None else env
    platform = spec.name
    needed = spec.credentials.required
    refs = {name: account.credentials.get(f"{name}_env") for name in needed}
    values = {name: env.get(ref) if ref else None for name, ref in refs.items()}
    if not any(values.values()):
        return None
    missing = [refs[name] or f"credentials.{name}_env" for name, value in values.items() if not value]
    if missing:
        raise ConfigError(
            f"platforms.{platform} account {account.id!r}: credentials are partly configured; "
            f"set {', '.join(missing)} (or unset all of them to use the simulator)"
        )
    for name in spec.credentials.optional:
        ref = account.credentials.get(f"{name}_env")
        if ref and env.get(ref):
            values[name] = env[ref]
    return values


def load_workspace(path: Path, platforms: Mapping[str, PlatformSpec]) -> WorkspaceConfig:
    """Parse and validate tidemark.yaml against the known platforms; every problem becomes a
    ConfigError naming the key."""
    if not path.exists():
        raise ConfigError(f"TIDEMARK_CONFIG: workspace file {path} does not exist")
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"TIDEMARK_CONFIG: {path} is not valid YAML: {error}") from None
    try:
        config = WorkspaceConfig.model_validate(data)
    except ValidationError as error:
        lines = [
            f"  {'.'.join(str(part) for part in item['loc']) or 'tidemark.yaml'}: {item['msg']}"
            for item in error.errors()
        ]
        raise ConfigError(f"Invalid workspace file {path}:\n" + "\n".join(lines)) from None
    problems = platform_problems(config, platforms)
    if problems:
        raise ConfigError(f"Invalid workspace file {path}:\n" + "\n".join(problems))
    return config
