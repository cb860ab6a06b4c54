"""Building blocks shared by the suites: each validated table's module composes these.

Every suite validates a query over the raw rows not validated yet (`raw_id > watermark`), which
exposes `raw_id` plus the extracted fields. Expectations carry `meta.severity`: "error" blocks
reports and quarantines the offending rows, "warning" is reported only.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations as gx

PLATFORM_LAUNCH = {  # timestamps before a platform existed are corrupt
    "youtube": "2005-02-14", "facebook": "2004-02-04", "instagram": "2010-10-06",
    "tiktok": "2016-09-01", "x": "2006-03-21", "linkedin": "2003-05-05",
}
ERROR = {"severity": "error"}
WARNING = {"severity": "warning"}


@dataclass(frozen=True)
class TableSuite:
    """What the GX adapter needs to validate one raw table."""

    platform: str
    table: str
    select: str  # columns extracted from `payload`, `raw_id` first
    suite: gx.ExpectationSuite

    @property
    def name(self) -> str:
        return f"gx_{self.table}"

    def query(self, watermark: int) -> str:
        return f"select raw_id, {self.select} from raw.{self.table} where raw_id > {int(watermark)}"


def required_keys(keys: list[str]) -> gx.expectations.Expectation:
    wanted = ", ".join(f"'{key}'" for key in keys)
    return gx.expectations.UnexpectedRowsExpectation(
        unexpected_rows_query=f"select raw_id from {{batch}} where not (payload_keys @> array[{wanted}])",
        description=f"required fields present: {', '.join(keys)}", meta=ERROR,
    )


def known_keys(keys: list[str]) -> gx.expectations.Expectation:
    allowed = ", ".join(f"'{key}'" for key in keys)
    return gx.expectations.UnexpectedRowsExpectation(
        unexpected_rows_query=f"select raw_id from {{batch}} where not (payload_keys <@ array[{allowed}])",
        description="no unknown fields (schema drift: new fields are reported, not fatal)", meta=WARNING,
    )


def counter(column: str) -> gx.expectations.Expectation:
    """Counters arrive as numbers or digit strings; '1.2K' or '-3' is corrupt."""
    return gx.expectations.ExpectColumnValuesToMatchRegex(
        column=column, regex=r"^[0-9]+$", meta=ERROR,
        description=f"{column} is a non-negative integer",
    )


def timestamp_in_range(column: str, platform: str) -> gx.expectations.Expectation:
    launch = PLATFORM_LAUNCH[platform]
    return gx.expectations.UnexpectedRowsExpectation(
        unexpected_rows_query=(
            f"select raw_id from {{batch}} where {column} is not null and ("
            f"{column} !~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}' "
            f"or (case when {column} ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}' then {column}::timestamptz end) "
            f"not between timestamptz '{launch}' and now() + interval '1 day')"
        ),
        description=f"{column} is a timestamp after {launch} (launch) and at most a day in the future",
        meta=ERROR,
    )


def keys_column() -> str:
    return "array(select jsonb_object_keys(payload)) as payload_keys"
