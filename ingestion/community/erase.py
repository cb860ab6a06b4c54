"""Erase one member's events and their contributions (`tidemark privacy erase-user`).

In one transaction: the member's raw events (track, page, identify; `--community` keeps the
identify profile and the other communities' events), the member id as a value inside other members'
events (a follow of them: the value becomes null, the event stays), quarantined lines that hold the
id, and the member's rows in every per-user table of `marts` / `staging` (any base table with a
`user_id` column). The affected event days are returned for the dbt rebuild of the aggregate marts
(var `community_rebuild_days`), and an audit row is kept in `ops.privacy_erasures`: who asked, when,
the scope and the counts — the member only as a keyed hash, never the id or any erased value.
A rerun finds nothing and finishes a rebuild an earlier run did not (its days are in the audit row).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from psycopg2 import sql
from psycopg2.extras import execute_values

AUDIT_DDL = """
    create table if not exists ops.privacy_erasures (
        erasure_id    bigint generated always as identity primary key,
        subject_hash  text not null,        -- HMAC-SHA256 of the member id (sha256 without a key), never the id
        community_id  text,                 -- the scope; NULL = every community
        requested_by  text not null,
        requested_at  timestamptz not null default now(),
        counts        jsonb not null,       -- rows deleted or redacted per table
        rebuild_days  date[] not null,      -- event days whose aggregates are rebuilt
        rebuilt_at    timestamptz           -- when the dbt rebuild of those days succeeded
    )"""
SCOPE = "(%(community)s::text is null or properties ->> 'community_id' = %(community)s)"
OWN_EVENTS = f"""
    from raw.community_events
    where (user_id = %(user)s or anonymous_id = %(user)s)
        and (%(community)s::text is null and type = 'identify' or type <> 'identify' and {SCOPE})
"""
MENTIONS = f"""
    select message_id, (event_at at time zone 'UTC')::date, properties, traits, context
    from raw.community_events
    where user_id is distinct from %(user)s and anonymous_id is distinct from %(user)s and {SCOPE}
        and (jsonb_path_exists(properties, '$.** ? (@ == $id)', %(vars)s::jsonb)
             or jsonb_path_exists(traits, '$.** ? (@ == $id)', %(vars)s::jsonb)
             or jsonb_path_exists(context, '$.** ? (@ == $id)', %(vars)s::jsonb))
"""
PER_USER_TABLES = """
    select columns.table_schema, columns.table_name, bool_or(columns.column_name = 'community_id')
    from information_schema.columns
    inner join information_schema.tables
        on tables.table_schema = columns.table_schema and tables.table_name = columns.table_name
    where columns.table_schema in ('marts', 'staging') and tables.table_type = 'BASE TABLE'
        and columns.column_name in ('user_id', 'community_id')
    group by 1, 2
    having bool_or(columns.column_name = 'user_id')
    order by 1, 2
"""

@dataclass
class Erasure:
    erasure_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows deleted or redacted
    days: list[str] = field(default_factory=list)  # event days to rebuild (YYYY-MM-DD)
    resumed: bool = False  # nothing left to delete: finishing an earlier erasure's rebuild

    @property
    def erased(self) -> int:
        return sum(self.counts.values())


def subject_hash(user_id: str, key: bytes | None) -> str:
    """The member in the audit row: keyed when a key exists (the id space may be small enough to guess)."""
    if key:
        return "hmac-sha256:" + hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()
    return "sha256:" + hashlib.sha256(user_id.encode()).hexdigest()


def _without(value: Any, user_id: str) -> Any:
    """`value` with every string equal to the member id replaced by null."""
    if isinstance(value, dict):
        return {k: _without(v, user_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_without(v, user_id) for v in value]
    return None if value == user_id else value


def _token(user_id: str) -> re.Pattern:
    """The id as a whole token in text (a truncated line), not as part of a longer id."""
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(user_id)}(?![A-Za-z0-9_])")


def _delete_own_events(cur, params: dict, erasure: Erasure) -> set[date]:
    cur.execute(f"select distinct (event_at at time zone 'UTC')::date {OWN_EVENTS}", params)
    days = {row[0] for row in cur.fetchall()}
    cur.execute(f"delete {OWN_EVENTS}", params)
    erasure.counts["raw.community_events"] = cur.rowcount
    return days


def _redact_mentions(cur, params: dict, user_id: str, erasure: Erasure) -> set[date]:
    cur.execute(MENTIONS, params)
    rows = cur.fetchall()
    if rows:
        execute_values(cur, "update raw.community_events as events set properties = new.properties::jsonb, "
                            "traits = new.traits::jsonb, context = new.context::jsonb from (values %s) "
                            "as new (message_id, properties, traits, context) where events.message_id = new.message_id",
                       [(m, *(orjson.dumps(_without(v, user_id)).decode() if v is not None else None
                              for v in (p, t, c))) for m, _, p, t, c in rows])
    erasure.counts["raw.community_events (mentions redacted)"] = len(rows)
    return {day for _, day, *_ in rows}


def _delete_quarantined(cur, params: dict, user_id: str, erasure: Erasure) -> None:
    cur.execute("select quarantine_id, payload::text from ops.quarantine where raw_table = 'community_events' "
                "and strpos(payload::text, %(user)s) > 0 "
                "and (%(community)s::text is null or account_id in (%(community)s, '-'))", params)
    token = _token(user_id)
    ids = [qid for qid, text in cur.fetchall() if token.search(text)]
    cur.execute("delete from ops.quarantine where quarantine_id = any(%s)", (ids,))
    erasure.counts["ops.quarantine"] = cur.rowcount


def _delete_per_user_rows(cur, params: dict, erasure: Erasure) -> None:
    """Every per-user table (a `user_id` column), whichever model made it: no list to keep up to date."""
    cur.execute(PER_USER_TABLES)
    for schema, name, has_community in cur.fetchall():
        where = sql.SQL("user_id = %(user)s")
        if has_community:
            where += sql.SQL(" and (%(community)s::text is null or community_id = %(community)s)")
        cur.execute(sql.SQL("delete from {} where ").format(sql.Identifier(schema, name)) + where, params)
        erasure.counts[f"{schema}.{name}"] = cur.rowcount


def _unfinished(cur, subject: str, community: str | None) -> tuple[int, list[str]] | None:
    cur.execute("select erasure_id, rebuild_days::text[] from ops.privacy_erasures where subject_hash = %s "
                "and community_id is not distinct from %s and rebuilt_at is null order by erasure_id desc limit 1",
                (subject, community))
    return cur.fetchone()


def erase_user(conn, user_id: str, community_id: str | None, requested_by: str, key: bytes | None) -> Erasure:
    """Delete and redact in one transaction; returns what was done and the days to rebuild."""
    if not user_id.strip():
        raise ValueError("--user-id must not be empty")
    params = {"user": user_id, "community": community_id, "vars": orjson.dumps({"id": user_id}).decode()}
    subject = subject_hash(user_id, key)
    erasure = Erasure()
    with conn, conn.cursor() as cur:
        cur.execute(AUDIT_DDL)
        days = _delete_own_events(cur, params, erasure) | _redact_mentions(cur, params, user_id, erasure)
        _delete_quarantined(cur, params, user_id, erasure)
        _delete_per_user_rows(cur, params, erasure)
        erasure.days = sorted(day.isoformat() for day in days)
        if erasure.erased == 0:
            unfinished = _unfinished(cur, subject, community_id)
            if unfinished:
                erasure.erasure_id, erasure.days, erasure.resumed = unfinished[0], list(unfinished[1]), True
            return erasure
        cur.execute("insert into ops.privacy_erasures (subject_hash, community_id, requested_by, counts, rebuild_days) "
                    "values (%s, %s, %s, %s::jsonb, %s::date[]) returning erasure_id",
                    (subject, community_id, requested_by, orjson.dumps(erasure.counts).decode(), erasure.days))
        erasure.erasure_id = cur.fetchone()[0]
    return erasure


def mark_rebuilt(conn, erasure_id: int) -> None:
    with conn, conn.cursor() as cur:
        cur.execute("update ops.privacy_erasures set rebuilt_at = now() where erasure_id = %s", (erasure_id,))
