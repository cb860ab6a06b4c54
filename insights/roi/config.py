"""`costs.yaml`: what the content cost, per month (docs/insights-roi.md).

An entry is one month (`YYYY-MM`) of one account (platform + account_id) or one campaign (a name and
its posts: listed as '<platform>:<post_id>' or matched by a hashtag), in one currency, with any of
three kinds of cost: `fixed` (salaries, tools), `per_post` (production cost of each post published
that month) and `ad_spend`. The file is checked whole before any work — shape (pydantic, extra keys
forbidden), accounts against the workspace, duplicates — and every problem is named by the entry's
index and field. A file written for another workspace (`workspace:`) is not applied, and says so.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core import declarations
from core.settings import PROJECT_ROOT
from insights.frames import InsightsInputError

CONFIG_ENV = "TIDEMARK_COSTS_CONFIG"
KINDS = ("fixed", "per_post", "ad_spend")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
CURRENCY = re.compile(r"^[A-Z]{3}$")


class CostsConfigError(InsightsInputError):
    """costs.yaml is invalid; the message names the entry (costs[i]) and the field."""


class CostEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    month: str
    currency: str
    platform: str | None = None
    account_id: str | None = None
    campaign: str | None = Field(default=None, min_length=1)
    posts: tuple[str, ...] | None = None  # '<platform>:<post_id>'
    hashtag: str | None = None  # without '#', any case; the posts whose title or caption carries it
    fixed: float | None = Field(default=None, ge=0)
    per_post: float | None = Field(default=None, ge=0)
    ad_spend: float | None = Field(default=None, ge=0)
    note: str | None = None

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value):
        if not isinstance(value, str) or not MONTH.match(value):
            raise ValueError(f"{value!r} is not a month YYYY-MM (quote it in YAML: '2026-10')")
        return value

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        if not CURRENCY.match(value):
            raise ValueError(f"{value!r} is not an ISO 4217 currency code (3 capital letters, e.g. EUR, USD)")
        return value

    @field_validator("account_id", mode="before")
    @classmethod
    def _text_id(cls, value):
        return str(value) if isinstance(value, int) else value  # unquoted numeric ids in YAML

    @field_validator("hashtag")
    @classmethod
    def _hashtag(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"#?\w+", value):
            raise ValueError(f"{value!r} is not a hashtag (letters, digits, _)")
        return None if value is None else value.lstrip("#").lower()

    @field_validator("posts")
    @classmethod
    def _posts(cls, value):
        if value is not None:
            if not value:
                raise ValueError("`posts` is empty")
            bad = [p for p in value if ":" not in p]
            if bad:
                raise ValueError(f"{bad[0]!r} is not a post key '<platform>:<post_id>'")
        return value

    @model_validator(mode="after")
    def _one_target(self) -> CostEntry:
        if self.campaign is None:
            if self.platform is None or self.account_id is None:
                raise ValueError("give `platform` and `account_id` (an account) or `campaign` (a campaign)")
            if self.posts is not None or self.hashtag is not None:
                raise ValueError("`posts` and `hashtag` belong to a campaign entry (add `campaign: <name>`)")
        else:
            if self.account_id is not None:
                raise ValueError("a campaign entry has no `account_id` (its posts say where it ran)")
            if (self.posts is None) == (self.hashtag is None):
                raise ValueError(f"campaign {self.campaign!r}: give either `posts` or `hashtag`")
        if all(getattr(self, kind) is None for kind in KINDS):
            raise ValueError(f"no cost given: add one of {', '.join(KINDS)}")
        return self

    @property
    def target(self) -> tuple[str, ...]:
        return ("campaign", self.campaign) if self.campaign else ("account", self.platform, self.account_id)

    def kinds(self) -> list[str]:
        return [kind for kind in KINDS if getattr(self, kind) is not None]


class CostsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    workspace: str | None = None  # the workspace id the costs belong to (tidemark.yaml workspace.id)
    costs: list[CostEntry] = Field(default_factory=list)


class Costs(BaseModel):
    """The validated declarations, and why none apply when that is the case."""

    entries: list[CostEntry] = Field(default_factory=list)
    source: str = "no costs.yaml"
    skipped: str | None = None
    workspace: str | None = None  # the workspace the entries were checked against (None: no entries apply)


def config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or PROJECT_ROOT / "costs.yaml")


def declared_workspace(path: Path | None = None) -> str | None:
    """The file's `workspace:` (None: absent file or key); the file is checked whole by load_costs."""
    path = path or config_path()
    if not path.exists():
        return None
    return declarations.parse(path, CostsFile, CostsConfigError, "Invalid costs file")[0].workspace


def load_costs(accounts: Mapping[str, set[str]], workspace_id: str, path: Path | None = None) -> Costs:
    """The declared costs of this workspace (`accounts`: platform → its account ids). An absent file
    means no costs (every cost NULL), unless TIDEMARK_COSTS_CONFIG names it."""
    path = path or config_path()
    if not path.exists():
        if os.environ.get(CONFIG_ENV) and path == Path(os.environ[CONFIG_ENV]):
            raise CostsConfigError(f"{CONFIG_ENV}: {path} does not exist")
        return Costs()
    parsed, _ = declarations.parse(path, CostsFile, CostsConfigError, "Invalid costs file")
    if parsed.workspace is not None and parsed.workspace != workspace_id:
        return Costs(source=str(path), skipped=f"{path.name} is for workspace {parsed.workspace!r}, this workspace "
                                               f"is {workspace_id!r}: no costs applied")
    problems = unknown_accounts(parsed.costs, accounts) + duplicates(parsed.costs)
    if problems:
        raise CostsConfigError(f"Invalid costs file {path}:\n" + "\n".join(f"  {p}" for p in problems))
    return Costs(entries=parsed.costs, source=str(path), workspace=workspace_id)


def unknown_accounts(entries: list[CostEntry], accounts: Mapping[str, set[str]]) -> list[str]:
    problems = []
    for index, entry in enumerate(entries):
        platforms = [entry.platform] if entry.platform else []
        platforms += [p.split(":", 1)[0] for p in entry.posts or []]
        for platform in dict.fromkeys(platforms):
            if platform not in accounts:
                field = "platform" if platform == entry.platform else "posts"
                problems.append(f"costs[{index}].{field}: unknown platform {platform!r}; this workspace has "
                                f"{', '.join(sorted(accounts)) or 'none'}")
        if entry.account_id is not None and entry.platform in accounts \
                and entry.account_id not in accounts[entry.platform]:
            problems.append(f"costs[{index}].account_id: {entry.account_id!r} is not a {entry.platform} account of "
                            f"this workspace ({', '.join(sorted(accounts[entry.platform]))})")
    return problems


def duplicates(entries: list[CostEntry]) -> list[str]:
    """The same target, month and kind twice (whatever the currency): one of them would be double-counted."""
    problems, seen = [], {}
    campaigns: dict[str, tuple[int, tuple]] = {}
    for index, entry in enumerate(entries):
        for kind in entry.kinds():
            key = (*entry.target, entry.month, kind)
            if key in seen:
                problems.append(f"costs[{index}].{kind}: duplicate of costs[{seen[key]}] "
                                f"({' '.join(entry.target[1:])}, {entry.month}, {kind})")
            seen.setdefault(key, index)
        if entry.campaign:
            posts = (entry.platform, entry.posts and tuple(sorted(entry.posts)), entry.hashtag)
            first = campaigns.setdefault(entry.campaign, (index, posts))
            if first[1] != posts:
                problems.append(f"costs[{index}].campaign: {entry.campaign!r} names other posts than costs[{first[0]}] "
                                "(a campaign's platform, posts or hashtag must be the same in every entry)")
    return problems
