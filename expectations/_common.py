"""Building blocks shared by the suites: each validated table's module composes these.

A suite validates a query over the raw rows not validated yet (`raw_id > watermark`) which
exposes `raw_id`, the extracted fields and `payload_keys`. Every rule is one SQL condition that
selects the *bad* rows: Great Expectations evaluates it (UnexpectedRowsExpectation) and the
adapter reuses the same condition to quarantine every offending row, however many.
Severity "error" blocks reports and quarantines; "warning" is reported only.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations as gx

PLATFORM_LAUNCH = {  # timestamps before a platform existed are corrupt
    "youtube": "2005-02-14", "facebook": "2004-02-04", "instagram": "2010-10-06",
    "tiktok": "2016-09-01", "x": "2006-03-21", "linkedin": "2003-05-05",
}


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

    @property
    def name(self) -> str:
        return f"gx_{self.table}"

    def query(self, watermark: int) -> str:
        return (f"select raw_id, {self.select}, array(select jsonb_object_keys(payload)) as payload_keys "
                f"from raw.{self.table} where raw_id > {int(watermark)}")

    def suite(self) -> gx.ExpectationSuite:
        return gx.ExpectationSuite(name=f"raw.{self.table}", expectations=[r.expectation() for r in self.rules])


def _array(keys: list[str]) -> str:
    return "array[" + ", ".join(f"'{key}'" for key in keys) + "]::text[]"


def required_keys(keys: list[str]) -> Rule:
    return Rule(f"required fields present: {', '.join(keys)}", f"not (payload_keys @> {_array(keys)})")


def known_keys(keys: list[str]) -> Rule:
    return Rule("no unknown fields (schema drift: new fields are reported, not fatal)",
                f"not (payload_keys <@ {_array(keys)})", severity="warning")


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


def timestamp_in_range(column: str, platform: str) -> Rule:
    launch = PLATFORM_LAUNCH[platform]
    iso = "^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]"  # no braces: see matches()
    return Rule(
        f"{column} is a timestamp after {launch} (platform launch) and at most a day in the future",
        f"{column} is not null and ({column} !~ '{iso}' or (case when {column} ~ '{iso}' then "
        f"{column}::timestamptz end) not between timestamptz '{launch}' and now() + interval '1 day')",
    )
