"""`reports.yaml`: scheduled report types, custom reports, branding, limits and delivery.

The file is parsed when the Dagster definitions load (each custom report becomes an asset) and
checked against the workspace (platforms, accounts, retained history) when a report starts —
before any query — so a bad entry fails with a message naming the key, never halfway through.
Secrets (webhook URLs, bot tokens) are never written here: entries name environment variables.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core import declarations
from core.settings import PROJECT_ROOT, ConfigError
from ingestion.registry import platforms
from reporting.metrics import DEFAULT_METRICS, METRICS
from reporting.periods import Period, relative

REPORT_TYPES = ("performance", "growth", "comparison", "custom")
FORMATS = ("csv", "json", "pdf")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_]{0,62}$")
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ReportConfigError(ConfigError):
    """reports.yaml (or a report request) is invalid; the message names the key and the fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Limits(_Strict):
    max_report_mb: float = Field(default=200, gt=0, description="A report bigger than this fails (all formats).")
    max_seconds: float = Field(default=300, gt=0, description="Generation time limit, queries included.")
    retention_days: int | None = Field(default=None, ge=1, description="Default: TIDEMARK_REPORT_RETENTION_DAYS.")


class Branding(_Strict):
    name: str = "Tidemark"
    primary_color: str = "#0B4F6C"
    accent_color: str = "#20A39E"
    logo_path: Path | None = None

    @field_validator("primary_color", "accent_color")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not _COLOR.match(value):
            raise ValueError(f"{value!r} is not a colour like '#0B4F6C'")
        return value


class Filters(_Strict):
    post_formats: list[str] = Field(default_factory=list, description="Only posts of these formats.")
    hashtags: list[str] = Field(default_factory=list, description="Only posts carrying one of these hashtags.")
    min_views: int = Field(default=100, ge=0, description="Minimum views for a post to be ranked.")


class AbsoluteRange(_Strict):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> AbsoluteRange:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class ReportSpec(_Strict):
    name: str
    type: Literal["performance", "growth", "comparison", "custom"] = "custom"
    date_range: str | AbsoluteRange = "previous_week"
    schedule: Literal["weekly", "monthly"] = "weekly"
    platforms: list[str] = Field(default_factory=list, description="Empty = every platform of the workspace.")
    accounts: list[str] = Field(default_factory=list, description="Empty = every account of those platforms.")
    filters: Filters = Field(default_factory=Filters)
    metrics: list[str] = Field(default_factory=lambda: list(DEFAULT_METRICS))
    formats: list[Literal["csv", "json", "pdf"]] = Field(default_factory=lambda: list(FORMATS))
    top_n: int = Field(default=10, ge=1, le=100)
    limits: Limits | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"{value!r}: use lower-case letters, digits and '_' (it names files and the asset)")
        return value

    @field_validator("platforms")
    @classmethod
    def _platforms(cls, value: list[str]) -> list[str]:
        known = platforms()
        unknown = [p for p in value if p not in known]
        if unknown:
            raise ValueError(f"unknown platform(s) {', '.join(unknown)}; expected one of {', '.join(known)}")
        return value

    @field_validator("metrics")
    @classmethod
    def _metrics(cls, value: list[str]) -> list[str]:
        unknown = [m for m in value if m not in METRICS]
        if unknown:
            raise ValueError(f"unknown metric(s) {', '.join(unknown)}; expected one of {', '.join(METRICS)}")
        if not value:
            raise ValueError("choose at least one metric")
        return value

    @field_validator("date_range")
    @classmethod
    def _range(cls, value):
        if isinstance(value, str):
            relative(value, date(2026, 1, 1))  # raises ValueError naming the accepted forms
        return value

    @property
    def is_relative(self) -> bool:
        return isinstance(self.date_range, str)

    def period(self, anchor: date) -> Period:
        """The dates covered, for a run whose data ends the day before `anchor`."""
        if isinstance(self.date_range, AbsoluteRange):
            return Period(self.date_range.start, self.date_range.end)
        return relative(self.date_range, anchor)


class Delivery(_Strict):
    name: str
    kind: Literal["slack", "telegram"]
    url_env: str | None = Field(default=None, description="slack: env var holding the webhook URL.")
    token_env: str | None = Field(default=None, description="telegram: env var holding the bot token.")
    chat_id_env: str | None = Field(default=None, description="telegram: env var holding the chat id.")
    api_base: str = "https://api.telegram.org"
    reports: list[str] = Field(default_factory=list, description="Report names; empty = every report.")
    workspaces: list[str] = Field(default_factory=list, description="Workspace ids (tidemark.yaml); empty = every "
                                                                    "workspace: a client's channel gets only its own.")
    timeout_s: float = Field(default=10, gt=0, le=120)

    @model_validator(mode="after")
    def _env_refs(self) -> Delivery:
        needed = ("url_env",) if self.kind == "slack" else ("token_env", "chat_id_env")
        for key in needed:
            ref = getattr(self, key)
            if not ref or not _ENV.match(ref):
                raise ValueError(f"{self.kind} delivery needs {key}: NAME_OF_AN_ENV_VAR (secrets stay out of files)")
        return self


class Scheduled(_Strict):
    weekly: list[Literal["performance", "growth", "comparison"]] = ["performance", "growth", "comparison"]
    monthly: list[Literal["performance", "growth", "comparison"]] = ["performance", "growth", "comparison"]
    formats: list[Literal["csv", "json", "pdf"]] = Field(default_factory=lambda: list(FORMATS))


class ReportsConfig(_Strict):
    limits: Limits = Field(default_factory=Limits)
    branding: Branding = Field(default_factory=Branding)
    scheduled: Scheduled = Field(default_factory=Scheduled)
    custom: list[ReportSpec] = Field(default_factory=list)
    delivery: list[Delivery] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> ReportsConfig:
        names = [spec.name for spec in self.custom]
        dupes = sorted({n for n in names if names.count(n) > 1})
        # "alerts" and "abtests" are the delivery names of the insight alerts and A/B test summaries
        clash = sorted(n for n in names if n.split("_", 1)[0] in ("weekly", "monthly") or n in ("alerts", "abtests"))
        if dupes or clash:
            raise ValueError(f"custom report names must be unique, not start with weekly_/monthly_ and not be "
                             f"'alerts' or 'abtests' (the alerts' and A/B summaries' delivery names): "
                             f"{', '.join(dupes + clash)}")
        return self

    def limits_for(self, spec: ReportSpec) -> Limits:
        return spec.limits or self.limits


def config_path() -> Path:
    return Path(os.environ.get("TIDEMARK_REPORTS_CONFIG") or PROJECT_ROOT / "reports.yaml")


def load_reports_config(path: Path | None = None) -> ReportsConfig:
    """Parse and validate reports.yaml; a missing file means the defaults (no custom reports)."""
    path = path or config_path()
    if not path.exists():
        if os.environ.get("TIDEMARK_REPORTS_CONFIG"):
            raise ReportConfigError(f"TIDEMARK_REPORTS_CONFIG: {path} does not exist")
        return ReportsConfig()
    config, _ = declarations.parse(path, ReportsConfig, ReportConfigError, "Invalid report configuration")
    logo = config.branding.logo_path
    if logo is not None and not (path.parent / logo).exists():
        raise ReportConfigError(f"Invalid report configuration {path}:\n  branding.logo_path: {logo} does not exist")
    return config

