"""The rules suites are made of: each validated table's module composes these.

A suite validates a query over the raw rows not validated yet (`raw_id > watermark`) which
exposes `raw_id`, the extracted fields and `payload_keys`. Every rule is one SQL condition that
selects the *bad* rows: Great Expectations evaluates it (UnexpectedRowsExpectation) and the
adapter reuses the same condition to quarantine every offending row, however many.
Severity "error" blocks reports and quarantines; "warning" is reported only.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations as gx

from ingestion.registry import platforms


@dataclass(frozen=True)
class Rule:
    description: str
    bad_rows: str  # SQL condition over the batch's columns, true for offending rows
    severity: str = "error"

    def expectation(self) -> gx.expectations.Expectation:
        return gx.expectations.UnexpectedRowsExpectation(
            unexpected_rows_query=f"select raw_id from {{batch}} where {self.bad_rows}",
            description=self.description, meta={"severity": self.severity},
        )


@dataclass(frozen=True)
class TableSuite:
    """What the GX adapter needs to validate one raw table."""

    platform: str
    table: str
    select: str  # columns extracted from `payload`
    rules: tuple[Rule, ...]
    generic: bool = True  # add GENERIC_RULES (payload-wide walks); off where negatives are legitimate

    @property
    def all_rules(self) -> tuple[Rule, ...]:
        return self.rules + (GENERIC_RULES if self.generic else ())

    @property
    def name(self) -> str:
        return f"gx_{self.table}"

    def query(self, watermark: int) -> str:
        return (f"select raw_id, {self.select}, array(select jsonb_object_keys(payload)) as payload_keys, "
                f"{GENERIC_COLUMNS} from raw.{self.table} where raw_id > {int(watermark)}")

    def suite(self) -> gx.ExpectationSuite:
        return gx.ExpectationSuite(name=f"raw.{self.table}", expectations=[r.expectation() for r in self.all_rules])


def _array(keys: list[str]) -> str:
    return "array[" + ", ".join(f"'{key}'" for key in keys) + "]::text[]"


def required_keys(keys: list[str]) -> Rule:
    return Rule(f"required fields present: {', '.join(keys)}", f"not (payload_keys @> {_array(keys)})")


def known_keys(keys: list[str]) -> Rule:
    return Rule("no unknown fields (schema drift: new fields are reported, not fatal)",
                f"not (payload_keys <@ {_array(keys)})", severity="warning")


def series_kept(table: str, list_path: str) -> tuple[str, Rule]:
    """(select columns, rule): a new version of a record whose list at `list_path` is empty while an
    earlier version of the same record had items. Blocking: the emptying version is quarantined, so
    staging keeps the previous one (a bad response must not erase a series)."""
    columns = (f"jsonb_array_length(case when jsonb_typeof(payload {list_path}) = 'array' "
               f"then payload {list_path} else '[]'::jsonb end) as items_now, "
               f"(select max(jsonb_array_length(previous.payload {list_path})) from raw.{table} as previous "
               f"where previous.account_id = {table}.account_id and previous.record_key = {table}.record_key "
               f"and previous.raw_id < {table}.raw_id and jsonb_typeof(previous.payload {list_path}) = 'array') "
               f"as items_before")
    return columns, Rule("a new version does not empty a series the previous version had",
                         "items_now = 0 and items_before > 0")


def not_null(column: str) -> Rule:
    return Rule(f"{column} is present", f"{column} is null")


def matches(column: str, regex: str, description: str) -> Rule:
    """`regex` must not contain braces: GX formats the query with `{batch}`."""
    if "{" in regex or "}" in regex:
        raise ValueError(f"regex for {column} contains braces; spell repetitions out")
    return Rule(description, f"{column} is not null and {column} !~ '{regex}'")


def counter(column: str) -> Rule:
    """Counters arrive as numbers or digit strings; '1.2K' or '-3' is corrupt."""
    return matches(column, "^[0-9]+$", f"{column} is a non-negative integer")


def launch_day(platform: str) -> str:
    """The day the platform launched (its registry entry): earlier timestamps are corrupt."""
    return platforms()[platform].launched.isoformat()


def timestamp_in_range(column: str, platform: str) -> Rule:
    launch = launch_day(platform)
    iso = "^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]"  # no braces: see matches()
    return Rule(
        f"{column} is a timestamp after {launch} (platform launch) and at most a day in the future",
        f"{column} is not null and ({column} !~ '{iso}' or (case when {column} ~ '{iso}' then "
        f"{column}::timestamptz end) not between timestamptz '{launch}' and now() + interval '1 day')",
    )


def day_in_range(column: str, platform: str) -> Rule:
    """A YYYY-MM-DD day, compared as text so a corrupt value fails the rule instead of crashing the cast."""
    launch = launch_day(platform)
    return Rule(f"{column} is a YYYY-MM-DD day after {launch} (platform launch) and at most a day in the future",
                f"{column} is not null and ({column} !~ '{DAY}' or {column} < '{launch}' "
                f"or {column} > to_char(current_date + 1, 'YYYY-MM-DD'))")


def number(column: str, description: str | None = None) -> Rule:
    """Non-negative decimal (watch minutes, durations, rates): '1.2K' or '-3' is corrupt."""
    return matches(column, NUMBER, description or f"{column} is a non-negative number")


def fraction(column: str, upper: int = 1) -> Rule:
    """A share (0..1 or 0..100): anything outside is corrupt and would break audience marts."""
    return Rule(f"{column} is a number between 0 and {upper}",
                f"{column} is not null and ({column} !~ '{NUMBER}' or (case when {column} ~ '{NUMBER}' "
                f"then {column}::numeric end) > {upper})")


def one_of(column: str, values: tuple[str, ...]) -> Rule:
    listed = ", ".join(f"'{v}'" for v in values)
    return Rule(f"{column} is one of {', '.join(values)}", f"{column} is not null and {column} not in ({listed})")


def is_array(column: str, description: str) -> Rule:
    """`column` must be `jsonb_typeof(...)`: a list envelope that is not a list breaks every unnest."""
    return Rule(description, f"{column} is distinct from 'array'")


DAY = "^[0-9][0-9][0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"  # no braces: see matches()
NUMBER = "^[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$"

# Walk the whole payload (nested counters, list envelopes): a platform may move a counter into a
# nested object the suite does not extract, and a negative or '1.2K' count must still be caught.
GENERIC_COLUMNS = (
    "jsonb_path_exists(payload, 'strict $.** ? (@.type() == \"number\" && @ < 0)') as has_negative_number, "
    "jsonb_path_exists(payload, 'strict $.** ? (@.type() == \"string\" && @ like_regex \"^-?[0-9]+([.][0-9]+)?[KMB]$\")') "
    "as has_suffixed_count"
)
GENERIC_RULES = (
    Rule("no negative number anywhere in the payload (counters, nested metrics)", "has_negative_number"),
    Rule("no count sent as an abbreviated string ('1.2K', '3M') anywhere in the payload", "has_suffixed_count"),
)
