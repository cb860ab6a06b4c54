"""Warehouse layout: schemas `raw`, `staging`, `marts`, `ops` and the tables Python writes.

`raw.<platform>_<stream>` tables all share one shape (API payload as JSONB + load metadata);
dbt owns `staging` and `marts`; the BI logins' row-level security on `marts` (ops.bi_logins,
ops.secure_mart) comes from core/warehouse/row_security.py. Everything here is idempotent (`if not
exists`, `create or replace`), so the migration runs at the start of every run.
"""

from __future__ import annotations

from psycopg2 import sql

from core.warehouse.row_security import ROW_SECURITY

SCHEMAS = ("raw", "staging", "marts", "ops")

RAW_COLUMNS = """
    raw_id          bigint generated always as identity primary key,
    account_id      text        not null,
    record_key      text        not null,
    payload         jsonb       not null,
    payload_hash    text        not null,
    endpoint        text        not null,
    request_params  jsonb       not null default '{}'::jsonb,
    run_id          text        not null,
    partition_key   text,
    fetched_at      timestamptz not null,
    loaded_at       timestamptz not null default now(),
    last_fetched_at timestamptz,
    last_run_id     text
"""

OPS_TABLES = [
    """
    create table if not exists ops.sync_cursors (
        platform     text not null,
        account_id   text not null,
        stream       text not null,
        cursor_value text not null,
        run_id       text not null,
        updated_at   timestamptz not null default now(),
        primary key (platform, account_id, stream)
    )""",
    """
    create table if not exists ops.sync_results (
        sync_result_id bigint generated always as identity primary key,
        run_id         text not null,
        platform       text not null,
        account_id     text not null,
        status         text not null check (status in ('success', 'partial', 'failed', 'skipped')),
        rows_loaded    bigint not null default 0,
        api_calls      integer not null default 0,
        error_class    text,
        message        text,
        retry_at       timestamptz,
        warnings       jsonb not null default '[]'::jsonb,
        started_at     timestamptz not null,
        finished_at    timestamptz not null default now()
    )""",
    "create index if not exists sync_results_account on ops.sync_results (platform, account_id, finished_at desc)",
    """
    create table if not exists ops.quarantine (
        quarantine_id   bigint generated always as identity primary key,
        raw_table       text not null,
        raw_id          bigint,
        platform        text not null,
        account_id      text not null,
        record_key      text,
        payload         jsonb,
        run_id          text not null,
        check_name      text not null,
        reason          text not null,
        quarantined_at  timestamptz not null default now(),
        released_at     timestamptz,
        released_by_run text
    )""",
    """create unique index if not exists quarantine_raw_row
        on ops.quarantine (raw_table, raw_id, check_name) where raw_id is not null and released_at is null""",
    """
    create table if not exists ops.workspace_accounts (
        workspace_id  text not null,
        platform      text not null,
        account_id    text not null,
        account_name  text,
        timezone      text not null,
        is_simulated  boolean not null,
        updated_at    timestamptz not null default now(),
        primary key (platform, account_id)
    )""",
    # Which workspace a domain without accounts belongs to (the community): its rows in the insight marts
    # (platform 'community') and its marts are that workspace's.
    """
    create table if not exists ops.workspace_domains (
        domain        text primary key,
        workspace_id  text not null,
        updated_at    timestamptz not null default now()
    )""",
    # The encrypted credential store (core/warehouse/credentials.py): ciphertext only.
    """
    create table if not exists ops.credentials (
        platform           text not null,
        account_id         text not null,
        secrets            bytea not null,       -- Fernet token of the secrets' JSON, never clear text
        access_expires_at  timestamptz,          -- NULL: unknown or never
        refresh_expires_at timestamptz,          -- when a refresh stops working and a reconnect is due
        status             text not null default 'ok' check (status in ('ok', 'dead')),
        problem            text,                 -- why dead (redacted), the reconnect hint
        source             text not null,        -- connect | rotated (moved here by its first refresh)
        version            bigint not null default 1,
        updated_at         timestamptz not null default now(),
        primary key (platform, account_id)
    )""",
    """
    create table if not exists ops.validation_watermarks (
        raw_table    text not null,
        check_name   text not null,
        last_raw_id  bigint not null,
        updated_at   timestamptz not null default now(),
        primary key (raw_table, check_name)
    )""",
    """
    create table if not exists ops.api_quota_usage (
        quota_key    text not null,
        window_start timestamptz not null,
        units        bigint not null default 0,
        primary key (quota_key, window_start)
    )""",
    """
    create table if not exists ops.check_results (
        check_result_id bigint generated always as identity primary key,
        run_id        text not null,
        check_name    text not null,
        asset_key     text not null,
        passed        boolean not null,
        severity      text not null,
        is_blocking   boolean not null,
        failed_rows   bigint not null default 0,
        details       jsonb not null default '{}'::jsonb,
        evaluated_at  timestamptz not null default now()
    )""",
    """
    create table if not exists ops.analytics_reports (
        report_id     text primary key,
        name          text not null,
        report_type   text not null,
        period_start  date not null,
        period_end    date not null,
        platforms     text[] not null,
        filters       jsonb not null default '{}'::jsonb,
        formats       text[] not null,
        files         jsonb not null,
        size_bytes    bigint not null,
        generated_at  timestamptz not null,
        expires_at    timestamptz,
        run_id        text not null,
        checks_passed jsonb not null default '[]'::jsonb,
        deleted_at    timestamptz
    )""",
    # Reports (issue 6): per-file sizes, the partition, the text summary and its delivery outcomes.
    """alter table ops.analytics_reports
        add column if not exists file_sizes jsonb not null default '{}'::jsonb,
        add column if not exists partition_key text,
        add column if not exists summary_text text,
        add column if not exists deliveries jsonb not null default '[]'::jsonb,
        -- a report is one workspace's: report_id = <workspace>:<report>:<period>
        add column if not exists workspace_id text generated always as (split_part(report_id, ':', 1)) stored""",
    "create index if not exists analytics_reports_expiry on ops.analytics_reports (expires_at) "
    "where deleted_at is null",
    # Quality gate (issue 5): mart row counts per run (drop detection) and the note of a forced release.
    """
    create table if not exists ops.row_count_history (
        row_count_id bigint generated always as identity primary key,
        run_id       text not null,
        relation     text not null,
        row_count    bigint not null,
        baseline     bigint,
        passed       boolean not null,
        recorded_at  timestamptz not null default now()
    )""",
    "create index if not exists row_count_history_relation on ops.row_count_history (relation, recorded_at desc)",
    "alter table ops.quarantine add column if not exists release_note text",
    # Viral-post and account-drop alerts (insights/alerts): one row per post (or account) per
    # episode. alert_id hashes (kind, platform, account, post, episode_start): a rerun inserts
    # nothing new, so nothing is delivered twice.
    """
    create table if not exists ops.alerts (
        alert_id      text primary key,
        kind          text not null check (kind in ('viral_post', 'account_drop')),
        platform      text not null,
        account_id    text not null,
        post_id       text,                  -- NULL for account alerts
        metric        text not null,
        episode_start date not null,
        last_seen     date not null,          -- the last day above the band (below, for drops)
        value         double precision,       -- at the episode's peak
        expected      double precision,
        ratio         double precision,
        likely_cause  text check (likely_cause in ('broken connection', 'real decline')),
        message       text not null,          -- the sentence delivered
        status        text not null check (status in ('open', 'closed')),
        raised_at     timestamptz not null default now(),
        updated_at    timestamptz not null default now(),
        delivered_at  timestamptz,            -- when at least one target accepted it
        delivery      jsonb not null default '[]'::jsonb,  -- one outcome per target
        run_id        text not null
    )""",
    "create index if not exists alerts_entity on ops.alerts (kind, platform, account_id, post_id, episode_start)",
    "create index if not exists alerts_open on ops.alerts (status) where status = 'open'",
    # The one rule that keeps held rows out, for dbt staging and Python checks alike: quarantined,
    # not released, and a stored row (load-time rejections have no raw_id; a NULL in `not in`
    # would silently exclude everything).
    """
    create or replace view ops.held_raw_rows as
    select raw_table, raw_id from ops.quarantine where raw_id is not null and released_at is null""",
]

# The community domain's first-party event files (ingestion/community): one row per event,
# deduplicated on message_id, IP addresses and user agents privacy-reduced before they land.
COMMUNITY_TABLES = [
    """
    create table if not exists raw.community_events (
        message_id   text primary key,
        type         text not null check (type in ('track', 'page', 'identify')),
        event        text,
        user_id      text,
        anonymous_id text,
        event_at     timestamptz not null,   -- the envelope's timestamp (client clock)
        sent_at      timestamptz,
        received_at  timestamptz,
        context      jsonb,                  -- ip hashed or truncated, user_agent reduced to {device_class, browser_family}
        properties   jsonb,
        traits       jsonb,
        source_file  text not null,          -- relative to the landing root
        source_line  integer not null,
        run_id       text not null,
        loaded_at    timestamptz not null default now()
    )""",
    "create index if not exists community_events_event_at on raw.community_events (event_at)",
    "create index if not exists community_events_user on raw.community_events (user_id, event_at)",
    # Incremental community models find what was loaded since their last build by loaded_at.
    "create index if not exists community_events_loaded_at on raw.community_events (loaded_at)",
    # Per incremental community model: every raw event loaded at or before loaded_through is in it
    # (dbt_project/macros/community/rebuild_days.sql); the raw cleanup checks it before deleting.
    """
    create table if not exists ops.community_build_state (
        model          text primary key,
        loaded_through timestamptz,
        built_at       timestamptz not null default now()
    )""",
    # Days whose raw events the cleanup deleted: never recomputed from (now partial) raw.
    """
    create table if not exists ops.community_compacted_days (
        day            date primary key,
        events_deleted bigint not null,
        compacted_at   timestamptz not null default now()
    )""",
    """
    create table if not exists raw.community_reference (
        community_id text primary key,
        payload      jsonb not null,
        fetched_at   timestamptz not null default now()
    )""",
    # The landing manifest: each file is read once, in batches that commit with lines_read.
    """
    create table if not exists ops.community_files (
        path        text primary key,           -- relative to the landing root
        size        bigint not null,
        sha256      text not null,
        lines_read  bigint not null default 0,
        rows_loaded bigint not null default 0,
        duplicates  bigint not null default 0,
        rejected    bigint not null default 0,
        status      text not null check (status in ('reading', 'done')),
        started_at  timestamptz not null default now(),
        finished_at timestamptz,
        run_id      text not null
    )""",
]


# Social retention (ingestion/compaction.py, docs/retention.md).
SOCIAL_RETENTION_TABLES = [
    # Per fact model: every raw row loaded before loaded_before was visible to its last successful build
    # (written by the model's own hooks, dbt_project/macros/social_build_state.sql).
    """
    create table if not exists ops.social_build_state (
        model         text primary key,
        loaded_before timestamptz not null,
        built_at      timestamptz not null default now()
    )""",
    # What compaction removed: superseded raw snapshots per raw table and UTC day of fetched_at.
    """
    create table if not exists ops.social_compactions (
        raw_table    text not null,
        day          date not null,
        rows_deleted bigint not null,
        compacted_at timestamptz not null default now(),
        primary key (raw_table, day)
    )""",
]


# Competitors' public snapshots (ingestion/competitors.py, docs/insights-benchmarks.md).
COMPETITOR_TABLES = [
    """
    create table if not exists raw.competitor_snapshots (
        platform    text        not null,
        competitor  text        not null,   -- the handle or id as listed in tidemark.yaml
        fetched_at  timestamptz not null,   -- the run clock
        status      text        not null check (status in ('ok', 'not_found')),
        account_id  text,                   -- the platform's id of the account (NULL when not found)
        payload     jsonb       not null,   -- the API answers, as received
        metrics     jsonb,                  -- parsed by the platform's competitors.py (NULL when not found)
        run_id      text        not null,
        primary key (platform, competitor, fetched_at)
    )""",
    """
    create table if not exists ops.competitor_status (
        platform      text        not null,
        competitor    text        not null,
        status        text        not null check (status in ('ok', 'not_found', 'error')),
        message       text,                 -- redacted
        last_seen_at  timestamptz,          -- the last snapshot that found the account
        missing_since timestamptz,          -- the first not-found answer after it (NULL while found)
        checked_at    timestamptz not null,
        run_id        text        not null,
        primary key (platform, competitor)
    )""",
]


# Every raw and per-account ops row carries its workspace (docs/workspaces.md). The loaders need not
# know it: a trigger takes it from the account registry when the row is written (an account is in
# exactly one workspace), and the registry sync stamps rows written before the account was listed.
WORKSPACE_STAMP_FUNCTIONS = [
    """
    create or replace function ops.stamp_workspace_of_table() returns trigger language plpgsql as $$
    begin  -- raw.<platform>_<stream>: the platform is the trigger's argument
        if new.workspace_id is null then
            select w.workspace_id into new.workspace_id from ops.workspace_accounts as w
            where w.platform = tg_argv[0] and w.account_id = new.account_id;
        end if;
        return new;
    end $$""",
    """
    create or replace function ops.stamp_workspace_of_row() returns trigger language plpgsql as $$
    begin  -- ops tables with their own platform column
        if new.workspace_id is null then
            select w.workspace_id into new.workspace_id from ops.workspace_accounts as w
            where w.platform = new.platform and w.account_id = new.account_id;
        end if;
        return new;
    end $$""",
]
STAMPED_OPS_TABLES = ("sync_cursors", "sync_results", "quarantine", "alerts", "credentials")


def workspace_stamp_ddl(schema: str, table: str, platform: str | None) -> list[sql.Composable]:
    """The workspace_id column and its trigger on one table (platform None: the row's own column)."""
    ident = sql.Identifier(schema, table)
    function = "ops.stamp_workspace_of_row()" if platform is None else "ops.stamp_workspace_of_table({})"
    return [
        sql.SQL("alter table {} add column if not exists workspace_id text").format(ident),
        sql.SQL("create or replace trigger stamp_workspace before insert on {} for each row execute function "
                + function).format(ident, sql.Literal(platform)),
    ]


def raw_table_ddl(table: str) -> list[sql.Composable]:
    ident = sql.Identifier("raw", table)
    return [
        sql.SQL("create table if not exists {} ({})").format(ident, sql.SQL(RAW_COLUMNS)),
        # A record may return to an earlier payload (stored again as its newest version), so
        # (account, key, payload) is no longer unique; the loader compares with the latest row.
        sql.SQL("drop index if exists {}").format(sql.Identifier("raw", f"{table}_dedupe")),
        sql.SQL("create index if not exists {} on {} (account_id, record_key, raw_id desc)").format(
            sql.Identifier(f"{table}_newest"), ident
        ),
        sql.SQL("create index if not exists {} on {} (account_id, record_key, fetched_at desc)").format(
            sql.Identifier(f"{table}_latest"), ident
        ),
        sql.SQL("create index if not exists {} on {} (loaded_at)").format(
            sql.Identifier(f"{table}_loaded_at"), ident
        ),
        # A warehouse created before fetches of identical payloads were recorded.
        sql.SQL("alter table {} add column if not exists last_fetched_at timestamptz").format(ident),
        sql.SQL("alter table {} add column if not exists last_run_id text").format(ident),
        *workspace_stamp_ddl("raw", table, table.split("_", 1)[0]),
    ]


def migrate(conn, raw_tables: list[str]) -> None:
    """Create schemas, ops tables and the given raw tables (idempotent, one transaction)."""
    with conn, conn.cursor() as cur:
        # Concurrent first runs (tests, a schedule + a backfill) must not race on DDL.
        cur.execute("select pg_advisory_xact_lock(hashtext('tidemark.migrate'))")
        for schema in SCHEMAS:
            cur.execute(sql.SQL("create schema if not exists {}").format(sql.Identifier(schema)))
        for statement in OPS_TABLES + COMMUNITY_TABLES + SOCIAL_RETENTION_TABLES + COMPETITOR_TABLES + ROW_SECURITY:
            cur.execute(statement)
        for statement in WORKSPACE_STAMP_FUNCTIONS:
            cur.execute(statement)
        for table in STAMPED_OPS_TABLES:
            for statement in workspace_stamp_ddl("ops", table, None):
                cur.execute(statement)
        for table in raw_tables:
            for statement in raw_table_ddl(table):
                cur.execute(statement)
