"""Where an account's rows are: found by introspection, never by a list that goes stale.

A base table with an `account_id` (or `account`) column holds the account's rows by that column;
any other base table holds them where a text or jsonb column mentions the account or one of its
posts (check results, insights evidence). Views (staging, intermediate) hold nothing of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg2 import sql

SCHEMAS = ("raw", "staging", "marts", "ops")
ACCOUNT_COLUMNS = ("account_id", "account")  # `account`: marts.mart_insights
TEXT_TYPES = ("text", "character varying", "jsonb", "json", "ARRAY")
AUDIT = ("ops", "privacy_erasures")  # the audit of erasures itself: kept, never exported
REPORTS = ("ops", "analytics_reports")  # reports: by what they cover (files.py), not by a column
# Columns never exported: ciphertext of tokens. The rest of the credential row (expiries, status) is metadata.
SECRET_COLUMNS = {("ops", "credentials"): ("secrets",)}

TABLES = """
    select tables.table_schema, tables.table_name, tables.table_type,
        array_agg(columns.column_name::text order by columns.ordinal_position),
        array_agg(columns.column_name::text order by columns.ordinal_position)
            filter (where columns.data_type = any(%(text_types)s))
    from information_schema.tables
    inner join information_schema.columns
        on columns.table_schema = tables.table_schema and columns.table_name = tables.table_name
    where tables.table_schema = any(%(schemas)s)
    group by 1, 2, 3
    order by 1, 2
"""


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    is_view: bool
    columns: tuple[str, ...]
    text_columns: tuple[str, ...]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def ident(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.name)

    @property
    def account_column(self) -> str | None:
        return next((c for c in ACCOUNT_COLUMNS if c in self.columns), None)

    @property
    def secret_columns(self) -> tuple[str, ...]:
        return SECRET_COLUMNS.get((self.schema, self.name), ())


def tables(cur) -> list[Table]:
    cur.execute(TABLES, {"schemas": list(SCHEMAS), "text_types": list(TEXT_TYPES)})
    return [Table(schema, name, kind == "VIEW", tuple(columns), tuple(text or ()))
            for schema, name, kind, columns, text in cur.fetchall()]


def mentions(table: Table) -> sql.Composable:
    """`where` part: any text column of the row holds one of the values (%(pattern)s, a token regex)."""
    return sql.SQL(" or ").join(sql.SQL("{}::text ~ %(pattern)s").format(sql.Identifier(column))
                                for column in table.text_columns) or sql.SQL("false")


def selection(table: Table, whole_workspace: bool, single: bool = True) -> tuple[str, sql.Composable] | None:
    """(how the rows are chosen, the `where` condition) for a request; None: the table holds none.
    The whole workspace of a one-workspace deployment is every row; a workspace among several is its
    rows: the workspace_id column where there is one, else its accounts' rows and the rows naming them."""
    if whole_workspace and single:
        return "every row", sql.SQL("true")
    if whole_workspace and "workspace_id" in table.columns:
        return "workspace_id", sql.SQL("workspace_id = %(workspace)s")
    if table.account_column:
        return table.account_column, sql.SQL("{} = any(%(ids)s)").format(sql.Identifier(table.account_column))
    if table.text_columns:
        return "mentions", mentions(table)
    return None
