"""`tidemark.yaml`: the workspaces (tenants) of one deployment, each with its time zone, report
choice and connected accounts per platform.

One workspace may be written the short way (`workspace:` + `platforms:`); several go under
`workspaces:`, each with its own `platforms:`. An account belongs to exactly one workspace.

Secrets are never stored here: an account names the environment variables that hold its
credentials (`<name>_env: VAR`). Simulation is explicit: a workspace marked `simulated: true`
(the demo) or an account marked `simulated: true` is served by the built-in simulator; any other
account must have every required credential variable set — a forgotten `export` is a
configuration error at start-up, never synthetic numbers next to real ones.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

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
    simulated: bool | None = None  # None: as the workspace says
    # Its user tokens are in the encrypted credential store (`tidemark connect`); only the app's
    # keys (client id/secret) come from the environment variables named under `credentials`.
    connected: bool = False
    credentials: dict[str, str] = Field(default_factory=dict)
    # Non-secret, platform-specific choices (e.g. Instagram `login: instagram` for graph.instagram.com).
    options: dict[str, str | int | bool] = Field(default_factory=dict)
    _workspace: str = PrivateAttr(default="")  # set by WorkspaceConfig: the workspace listing the account

    @property
    def workspace_id(self) -> str:
        return self._workspace

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
            if not _ENV_NAME.match(ref):  # never echo the value: it may be a pasted secret
                raise ValueError(f"credential {key!r}: the value is not an environment variable name "
                                 "(expected upper-case letters, digits and '_', e.g. TIDEMARK_YOUTUBE_TOKEN)")
        return value


MAX_COMPETITORS = 20  # per platform, as the commercial tools allow (Sprout, Hootsuite Enterprise)


class PlatformConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    accounts: list[Account] = Field(default_factory=list)
    # Public handles or ids of competitors (docs/insights-benchmarks.md), read with an account's token.
    competitors: list[str] = Field(default_factory=list)

    @field_validator("competitors")
    @classmethod
    def _competitors(cls, value: list[str]) -> list[str]:
        if len(value) > MAX_COMPETITORS:
            raise ValueError(f"{len(value)} competitors listed; at most {MAX_COMPETITORS} per platform")
        blank = [str(n) for n, item in enumerate(value) if not item.strip()]
        if blank:
            raise ValueError(f"empty competitor handle at position(s) {', '.join(blank)}")
        seen = [item.strip().lstrip("@").lower() for item in value]
        dupes = sorted({item for item in seen if seen.count(item) > 1})
        if dupes:
            raise ValueError(f"duplicate competitor(s): {', '.join(dupes)}")
        return [item.strip() for item in value]

    @field_validator("accounts")
    @classmethod
    def _unique_ids(cls, value: list[Account]) -> list[Account]:
        seen = [account.id for account in value]
        dupes = sorted({item for item in seen if seen.count(item) > 1})
        if dupes:
            raise ValueError(f"duplicate account id(s): {', '.join(dupes)}")
        return value


class WorkspaceInfo(BaseModel):
    """One workspace (tenant): its accounts, time zone and which reports of reports.yaml it gets."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")
    name: str
    timezone: str = "UTC"
    simulated: bool = False  # a demo workspace: every account is served by the built-in simulator
    reports: list[str] | None = None  # names in reports.yaml; None: every report
    platforms: dict[str, PlatformConfig] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        return _check_tz(value)

    def accounts(self, platform: str) -> list[Account]:
        config = self.platforms.get(platform)
        return list(config.accounts) if config and config.enabled else []

    def info(self) -> dict:
        """What identifies the workspace (no accounts): for manifests and report metadata."""
        return self.model_dump(mode="json", exclude={"platforms"})


class CommunityConfig(BaseModel):
    """The first-party community domain: where its event files land (docs/community.md)."""

    model_config = ConfigDict(extra="forbid")

    workspace: str | None = None  # the workspace the community belongs to; unset: the first one
    landing: str | None = None  # a folder; unset: <TIDEMARK_HOME>/landing/community
    simulated: bool | None = None  # None: as the workspace says (the demo writes simulated event files)
    history_days: int = Field(default=14, ge=1, le=730)  # what the simulated community has
    # Retention (docs/community.md "Retention and cleanup"): an event up to late_event_days late is
    # folded into its day; raw events are deleted after raw_retention_days, once their rollups have them;
    # resolved error logs lose their details after resolved_error_retention_days; rollups are kept
    # rollup_retention_days (two years at least).
    late_event_days: int = Field(default=7, ge=1)
    raw_retention_days: int = Field(default=90, ge=2)
    resolved_error_retention_days: int = Field(default=30, ge=1)
    rollup_retention_days: int = Field(default=730, ge=730)

    @model_validator(mode="after")
    def _raw_outlives_late_events(self) -> CommunityConfig:
        if self.raw_retention_days <= self.late_event_days:
            raise ValueError(
                f"community.raw_retention_days ({self.raw_retention_days}) must exceed community.late_event_days "
                f"({self.late_event_days}): a day's raw may only go once no late event can still arrive for it")
        return self


class AlertSettings(BaseModel):
    """Viral-post and account-drop alerts (docs/insights-alerts.md); every key has a default."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    # Viral posts: a post-day is "above" when its value exceeds the band (median + band_z × robust
    # spread of the account's posts at the same age), is `factor` × the median or more, and reaches
    # the metric's minimum volume.
    metrics: list[Literal["views", "engagements"]] = Field(default_factory=lambda: ["views", "engagements"],
                                                          min_length=1)
    factor: float = Field(default=3.0, gt=1)
    band_z: float = Field(default=3.0, gt=0)
    min_views: int = Field(default=1000, ge=0)
    min_engagements: int = Field(default=100, ge=0)
    peer_days: int = Field(default=90, ge=7, le=730)  # peers: posts published in the N days before the post
    min_peers: int = Field(default=5, ge=2)           # fewer: the account's whole history, then no judgement
    history_days: int = Field(default=365, ge=30, le=3650)  # how far back the whole-history fallback reads
    # Episodes: one alert per post (or account) per episode; it ends after this many judged days back
    # inside the band. Each run judges the last window_days days.
    close_after_days: int = Field(default=2, ge=1, le=30)
    window_days: int = Field(default=30, ge=1, le=365)
    # Account drops: a complete day's views below drop_fraction × the median of the same weekday of
    # the previous drop_weeks weeks (at least min_expected_views expected).
    drop_fraction: float = Field(default=0.4, gt=0, lt=1)
    drop_weeks: int = Field(default=4, ge=2, le=26)
    min_expected_views: int = Field(default=100, ge=0)

    def min_volume(self, metric: str) -> int:
        return {"views": self.min_views, "engagements": self.min_engagements}[metric]


class RecycledPost(BaseModel):
    """A post posted again: '<platform>:<post_id>' (as in marts.dim_posts.post_key) and the day."""

    model_config = ConfigDict(extra="forbid")

    post: str = Field(pattern=r"^[a-z0-9_]+:.+$")
    recycled_on: date


class RecyclingWeights(BaseModel):
    """The weight of each part of the evergreen score (docs/insights-recycling.md); a part that is
    unknown for a post drops out and the others are reweighted."""

    model_config = ConfigDict(extra="forbid")

    engagement: float = Field(default=0.35, ge=0)
    still_arriving: float = Field(default=0.30, ge=0)
    timeless: float = Field(default=0.20, ge=0)
    last_ran: float = Field(default=0.15, ge=0)

    @model_validator(mode="after")
    def _some_weight(self) -> RecyclingWeights:
        if not any(self.model_dump().values()):
            raise ValueError("every weight is 0: give at least one part a positive weight")
        return self


class RecyclingSettings(BaseModel):
    """Content recycling candidates (docs/insights-recycling.md); every key has a default."""

    model_config = ConfigDict(extra="forbid")

    min_age_days: int = Field(default=60, ge=1, le=3650)    # posts at least this old are scored
    exclude_days: int = Field(default=90, ge=0, le=3650)    # a recycled post (and its copy) rests this long
    top_n: int = Field(default=10, ge=1, le=100)            # candidates listed per account
    saturation_days: int = Field(default=365, ge=1, le=3650)  # "last ran" scores 1 from this many days on
    weights: RecyclingWeights = Field(default_factory=RecyclingWeights)
    recycled: list[RecycledPost] = Field(default_factory=list)


class InsightsConfig(BaseModel):
    """The insights domain's settings (docs/insights.md); absent: the defaults."""

    model_config = ConfigDict(extra="forbid")

    alerts: AlertSettings = Field(default_factory=AlertSettings)
    recycling: RecyclingSettings = Field(default_factory=RecyclingSettings)


class RetentionConfig(BaseModel):
    """How long social data is kept (docs/retention.md): daily facts at least `facts_days` (two years at
    least; nothing deletes them), superseded raw snapshots older than `compact_after_days` are compacted."""

    model_config = ConfigDict(extra="forbid")

    facts_days: int = Field(default=730, ge=730)
    compact_after_days: int = Field(default=35, ge=1)
    # After compaction: VACUUM FULL gives the space back to the disk (the table is rewritten under an
    # exclusive lock, loads and builds wait); false: plain VACUUM, the space is reused by later loads.
    vacuum_full: bool = True


class WorkspaceConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    workspaces: list[WorkspaceInfo] = Field(min_length=1)
    community: CommunityConfig | None = None  # absent: no community domain in this deployment
    insights: InsightsConfig = Field(default_factory=InsightsConfig)
    retention: RetentionConfig = Field(default_factory=RetentionConfig)

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data):
        """`workspace:` + `platforms:` is the one-workspace way of writing `workspaces:`."""
        if not isinstance(data, dict) or "workspace" not in data:
            if isinstance(data, dict) and "platforms" in data:
                raise ValueError("`platforms:` goes inside each entry of `workspaces:` (or write one workspace "
                                 "as `workspace:` + `platforms:`)")
            return data
        if "workspaces" in data:
            raise ValueError("write either `workspace:` (one workspace) or `workspaces:` (several), not both")
        rest = {key: value for key, value in data.items() if key not in ("workspace", "platforms")}
        head = data["workspace"] if isinstance(data["workspace"], dict) else {}
        return {**rest, "workspaces": [{**head, "platforms": data.get("platforms") or {}}]}

    @model_validator(mode="after")
    def _one_home(self) -> WorkspaceConfig:
        ids = [ws.id for ws in self.workspaces]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate workspace id(s): {', '.join(dupes)}")
        homes: dict[tuple[str, str], str] = {}
        for ws in self.workspaces:
            for platform, config in ws.platforms.items():
                for account in config.accounts:
                    other = homes.setdefault((platform, account.id), ws.id)
                    if other != ws.id:
                        raise ValueError(f"{platform} account {account.id!r} is listed in workspaces {other!r} and "
                                         f"{ws.id!r}: an account belongs to exactly one workspace")
                    account._workspace = ws.id
        if self.community is not None and self.community.workspace not in (None, *ids):
            raise ValueError(f"community.workspace {self.community.workspace!r} is not a workspace; "
                             f"expected one of {', '.join(ids)}")
        return self

    @property
    def workspace(self) -> WorkspaceInfo:
        """The first workspace: the deployment's default (schedules' time zone, the community's owner)."""
        return self.workspaces[0]

    @property
    def platforms(self) -> dict[str, PlatformConfig]:
        """Every workspace's platforms merged (accounts side by side): what ingestion reads."""
        merged: dict[str, PlatformConfig] = {}
        for ws in self.workspaces:
            for name, config in ws.platforms.items():
                into = merged.setdefault(name, PlatformConfig(enabled=False))
                into.enabled = into.enabled or config.enabled
                if config.enabled:
                    into.accounts += config.accounts
                    into.competitors += [c for c in config.competitors if c not in into.competitors]
        return merged

    def workspace_ids(self) -> list[str]:
        return [ws.id for ws in self.workspaces]

    def tenant(self, workspace_id: str) -> WorkspaceInfo:
        for ws in self.workspaces:
            if ws.id == workspace_id:
                return ws
        raise ConfigError(f"unknown workspace {workspace_id!r}; tidemark.yaml has {', '.join(self.workspace_ids())}")

    def owner(self, account: Account) -> WorkspaceInfo:
        return self.tenant(account.workspace_id)

    def community_workspace(self) -> WorkspaceInfo:
        assert self.community is not None
        return self.tenant(self.community.workspace) if self.community.workspace else self.workspace

    def community_simulated(self) -> bool:
        assert self.community is not None
        simulated = self.community.simulated
        return self.community_workspace().simulated if simulated is None else simulated

    def accounts(self, platform: str) -> list[Account]:
        return [account for ws in self.workspaces for account in ws.accounts(platform)]

    def competitors(self, platform: str) -> list[str]:
        config = self.platforms.get(platform)
        return list(config.competitors) if config and config.enabled else []

    def account_timezone(self, account: Account) -> str:
        return account.timezone or self.owner(account).timezone

    def is_simulated(self, account: Account) -> bool:
        return self.owner(account).simulated if account.simulated is None else account.simulated


def _listed(config: WorkspaceConfig):
    """(key prefix, platform name, its config) per workspace; the short form keeps its short keys."""
    for number, ws in enumerate(config.workspaces):
        prefix = "platforms" if len(config.workspaces) == 1 else f"workspaces.{number}.platforms"
        for name, platform in ws.platforms.items():
            yield f"{prefix}.{name}", name, platform


def platform_problems(config: WorkspaceConfig, platforms: Mapping[str, PlatformSpec]) -> list[str]:
    """Every configured platform must be a known one, its accounts naming only its credential keys."""
    problems = []
    for key, name, platform in _listed(config):
        spec = platforms.get(name)
        if spec is None:
            problems.append(f"  {key}: unknown platform; expected one of {', '.join(platforms)}")
            continue
        if platform.competitors and spec.competitors is None:
            problems.append(f"  {key}.competitors: {spec.title} offers no public API for other accounts' "
                            "numbers; competitor benchmarking is not available there (docs/insights-benchmarks.md)")
        elif platform.competitors and not platform.accounts:
            problems.append(f"  {key}.competitors: add an account first; competitors are read with its token")
        needed = {f"{key}_env" for key in spec.credentials.keys}
        for number, account in enumerate(platform.accounts):
            extra = sorted(set(account.credentials) - needed)
            if extra:
                problems.append(f"  {key}.accounts.{number}.credentials ({account.id}): unknown key(s) "
                                f"{', '.join(extra)}; expected {', '.join(sorted(needed))}")
    return problems


def credential_problems(config: WorkspaceConfig, platforms: Mapping[str, PlatformSpec],
                        env: Mapping[str, str] | None = None) -> list[str]:
    """Every live (not simulated) account must name and have set each required credential."""
    env = os.environ if env is None else env
    problems = []
    for key, name, platform in _listed(config):
        spec = platforms.get(name)
        if spec is None or not platform.enabled:
            continue
        for number, account in enumerate(platform.accounts):
            if config.is_simulated(account):
                continue
            where = f"{key}.accounts.{number} ({account.id})"
            keys = [key for key in spec.credentials.required
                    if not (account.connected and key not in spec.credentials.app)]
            refs = [account.credentials.get(f"{key}_env") for key in keys]
            unnamed = [f"credentials.{key}_env" for key, ref in zip(keys, refs, strict=True) if not ref]
            unset = [ref for ref in refs if ref and not env.get(ref)]
            if unnamed:
                problems.append(f"  {where}: add {', '.join(unnamed)} (or mark the account `simulated: true`)")
            if unset:
                problems.append(f"  {where}: set the environment variable(s) {', '.join(unset)} "
                                "(or mark the account `simulated: true`)")
    return problems


def resolve_credentials(spec: PlatformSpec, account: Account, env: Mapping[str, str] | None = None,
                        stored: Mapping[str, str] | None = None) -> dict:
    """Credential values of a live account (required ones, and the optional ones that are set).

    `stored` are the account's user tokens from the credential store: newer than any environment
    variable (a rotated refresh token lands there), so they win. Raises ConfigError naming the
    variables when a required one is unset (start-up validation normally reports this first; an
    environment can still change under a long-lived process).
    """
    env = os.environ if env is None else env
    if account.connected and not stored:
        raise ConfigError(f"platforms.{spec.name} account {account.id!r} is connected but the credential store "
                          f"holds no tokens for it: run `tidemark connect {spec.name} --account-id {account.id}`")
    stored = {key: value for key, value in (stored or {}).items() if key in spec.credentials.user}
    refs = {name: account.credentials.get(f"{name}_env") for name in spec.credentials.required}
    values = {name: stored.get(name) or (env.get(ref) if ref else None) for name, ref in refs.items()}
    missing = [refs[name] or f"credentials.{name}_env" for name, value in values.items() if not value]
    if missing:
        raise ConfigError(f"platforms.{spec.name} account {account.id!r}: set {', '.join(missing)} "
                          "(or mark the account `simulated: true`)")
    for name in spec.credentials.optional:
        ref = account.credentials.get(f"{name}_env")
        if stored.get(name):
            values[name] = stored[name]
        elif ref and env.get(ref):
            values[name] = env[ref]
    return values


def _key(loc: tuple, short: bool) -> str:
    """pydantic's error location as the key the user wrote (the short form has no `workspaces.0`)."""
    parts = [str(part) for part in loc]
    if short and parts[:2] == ["workspaces", "0"]:
        parts = parts[2:] if parts[2:3] == ["platforms"] else ["workspace", *parts[2:]]
    return ".".join(parts)


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
        short = isinstance(data, dict) and "workspace" in data and "workspaces" not in data
        lines = [f"  {_key(item['loc'], short) or 'tidemark.yaml'}: {item['msg']}" for item in error.errors()]
        raise ConfigError(f"Invalid workspace file {path}:\n" + "\n".join(lines)) from None
    problems = platform_problems(config, platforms) + credential_problems(config, platforms)
    if problems:
        raise ConfigError(f"Invalid workspace file {path}:\n" + "\n".join(problems))
    return config
