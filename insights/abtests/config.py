"""`abtests.yaml`: the declared A/B tests (docs/insights-abtests.md).

A test compares variants, each a set of posts: listed by key ('<platform>:<post_id>', any
platform) or matched by post attributes (format, posting hour, ...). Its success metric is
successes out of trials (`engaged_views / views`, `clicks / impressions`) summed over the
variant's posts in [start, end]. Everything that can be checked without the warehouse is checked
here (pydantic, extra keys forbidden); `resolve` checks the rest against marts.dim_posts, and both
run before any evaluation.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core import declarations
from core.settings import PROJECT_ROOT
from insights.frames import InsightsInputError

CONFIG_ENV = "TIDEMARK_ABTESTS_CONFIG"
SUCCESSES = ("engaged_views", "clicks", "engagements", "likes", "comments", "shares", "saves", "completions")
TRIALS = ("views", "impressions", "reach")
FORMATS = ("long_video", "short", "reel", "video", "image", "carousel", "story", "text", "link")


class ABTestConfigError(InsightsInputError):
    """abtests.yaml is invalid, or names posts the warehouse does not have; the message names the
    test and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Attributes(_Strict):
    """Post attributes a variant matches; a list means any of them; every key given must match."""

    platform: list[str] | None = None
    account_id: list[str] | None = None
    format: list[Literal[FORMATS]] | None = None  # type: ignore[valid-type]
    published_hour_local: list[int] | None = None
    published_weekday_local: list[int] | None = None  # ISO: 1 = Monday … 7 = Sunday

    @field_validator("platform", "account_id", "format", "published_hour_local", "published_weekday_local",
                     mode="before")
    @classmethod
    def _listed(cls, value):
        return value if value is None or isinstance(value, list) else [value]

    @field_validator("published_hour_local")
    @classmethod
    def _hours(cls, value):
        if value is not None and any(not 0 <= h <= 23 for h in value):
            raise ValueError("hours are 0..23")
        return value

    @field_validator("published_weekday_local")
    @classmethod
    def _weekdays(cls, value):
        if value is not None and any(not 1 <= d <= 7 for d in value):
            raise ValueError("ISO weekdays are 1 (Monday) .. 7 (Sunday)")
        return value

    def given(self) -> dict[str, list]:
        return {key: value for key, value in self.model_dump().items() if value is not None}


class Variant(_Strict):
    name: str = Field(min_length=1)
    posts: list[str] | None = None  # post keys '<platform>:<post_id>'
    where: Attributes | None = None

    @model_validator(mode="after")
    def _one_way(self) -> Variant:
        if (self.posts is None) == (self.where is None):
            raise ValueError(f"variant {self.name!r}: give either `posts` (post keys) or `where` (attributes)")
        if self.posts is not None:
            bad = [p for p in self.posts if ":" not in p]
            if bad:
                raise ValueError(f"variant {self.name!r}: {bad[0]!r} is not a post key '<platform>:<post_id>'")
            if not self.posts:
                raise ValueError(f"variant {self.name!r}: `posts` is empty")
        elif not self.where.given():
            raise ValueError(f"variant {self.name!r}: `where` names no attribute")
        return self


class ABTest(_Strict):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    hypothesis: str = Field(min_length=1)
    metric: str  # "<successes> / <trials>"
    variants: list[Variant]
    control: str | None = None  # default: the first variant
    alpha: float = 0.05
    min_sample: int = Field(ge=1, description="trials per variant before a verdict")
    start: date
    end: date
    stop_early: bool = False  # allow a winner before `end` (peeking inflates false positives)

    @field_validator("metric")
    @classmethod
    def _metric(cls, value: str) -> str:
        parts = [p.strip() for p in value.split("/")]
        if len(parts) != 2 or parts[0] not in SUCCESSES or parts[1] not in TRIALS:
            raise ValueError(f"{value!r}: expected '<successes> / <trials>' with successes one of "
                             f"{', '.join(SUCCESSES)} and trials one of {', '.join(TRIALS)}")
        return f"{parts[0]} / {parts[1]}"

    @field_validator("alpha")
    @classmethod
    def _alpha(cls, value: float) -> float:
        if not 0 < value <= 0.5:
            raise ValueError(f"alpha {value} is not in (0, 0.5]")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ABTest:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if len(self.variants) < 2:
            raise ValueError(f"{len(self.variants)} variant(s): a test needs at least 2")
        names = [v.name for v in self.variants]
        if len(set(names)) < len(names):
            raise ValueError(f"variant names repeat: {names}")
        if self.control is not None and self.control not in names:
            raise ValueError(f"control {self.control!r} is not one of the variants {names}")
        seen: dict[str, str] = {}
        for variant in self.variants:
            for post in variant.posts or []:
                if post in seen and seen[post] != variant.name:
                    raise ValueError(f"post {post} is in variants {seen[post]!r} and {variant.name!r}: "
                                     "variants must not overlap")
                seen[post] = variant.name
        return self

    @property
    def successes(self) -> str:
        return self.metric.split(" / ")[0]

    @property
    def trials(self) -> str:
        return self.metric.split(" / ")[1]

    @property
    def control_name(self) -> str:
        return self.control or self.variants[0].name


class ABTestsFile(_Strict):
    tests: list[ABTest] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> ABTestsFile:
        names = [t.name for t in self.tests]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"test names repeat: {', '.join(repeated)}")
        return self


def config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or PROJECT_ROOT / "abtests.yaml")


def load_abtests(path: Path | None = None) -> list[ABTest]:
    """The declared tests; an absent file means none (unless TIDEMARK_ABTESTS_CONFIG names it)."""
    path = path or config_path()
    if not path.exists():
        if os.environ.get(CONFIG_ENV) and path == Path(os.environ[CONFIG_ENV]):
            raise ABTestConfigError(f"{CONFIG_ENV}: {path} does not exist")
        return []
    parsed, _ = declarations.parse(path, ABTestsFile, ABTestConfigError, "Invalid A/B test declarations")
    return list(parsed.tests)
