"""One read-only BI login per workspace, for real (docs/bi.md, "Workspaces"): a throwaway warehouse with
two workspaces, marts of every shape row-level security knows (workspace_id, account_key, platform +
account_id, a community mart owned by one workspace, no key), the insights store's marts and two marts
built by the real dbt (dim_accounts, a community mart) through their post-hook. Each workspace login
reads exactly its workspace's rows of every table in marts and nothing else; the ways around it a
login has (set role, row_security off, a leaky function, pg_stats) fail; a mart rebuilt the way dbt
does it stays closed to the other workspace, and one built without the hook is closed to everyone
but the admin login. Every check runs against a control that shows it would see the leak."""

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import errors

from core.warehouse.dbt_env import dbt_env
from core.warehouse.embedded import EmbeddedPostgres
from core.warehouse.row_security import secure_mart
from ingestion.registry import all_raw_tables
from insights.store import ensure_tables
from orchestration.transform.project import DBT_PROJECT_DIR, with_vars
from tests.helpers import module_database
from tidemark import cli
from tidemark.bi.role import grant_bi_role
from tidemark.runtime import load_runtime
from tidemark.summary import CONFIG, OK

pytestmark = pytest.mark.integration

A, B = "kitchen", "travel-team"  # B's hyphen: its login's name has an underscore instead
ACCOUNTS = {A: [("youtube", "UCkitchen0000000000000001"), ("instagram", "17841400000000001")],
            B: [("youtube", "UCtravel00000000000000002"), ("tiktok", "7000000000000000002")]}
TIDEMARK_YAML = f"""
workspaces:
  - id: {A}
    name: Kitchen Studio
    timezone: Europe/Madrid
    simulated: true
    platforms:
      youtube: {{accounts: [{{id: {ACCOUNTS[A][0][1]}}}]}}
      instagram: {{accounts: [{{id: "{ACCOUNTS[A][1][1]}"}}]}}
  - id: {B}
    name: Travel Team
    timezone: America/New_York
    simulated: true
    platforms:
      youtube: {{accounts: [{{id: {ACCOUNTS[B][0][1]}}}]}}
      tiktok: {{accounts: [{{id: "{ACCOUNTS[B][1][1]}"}}]}}
community: {{workspace: {A}, history_days: 2}}
"""
WORKSPACE_OF = {(platform, account): ws for ws, accounts in ACCOUNTS.items() for platform, account in accounts}
COMMUNITY_MARTS = {"t_community", "mart_system_metrics"}  # owned by A, the community's workspace
DAY = date(2026, 11, 1)


def _make_marts(cur) -> None:
    """One hand-made mart per rule, rows of both workspaces (and rows of none) in each."""
    cur.execute("create table marts.t_workspace (workspace_id text, platform text, views int)")
    cur.execute("create table marts.t_account_key (account_key text, day date, views int)")
    cur.execute("create table marts.t_platform_account (platform text, account_id text, followers int)")
    cur.execute("create table marts.t_numeric_account (platform text, account_id bigint, followers int)")
    cur.execute("create table marts.t_community (community_id text, day date, active_users int)")
    cur.execute("create table marts.t_no_key (insight text, score int)")
    for i, ((platform, account), ws) in enumerate(WORKSPACE_OF.items()):
        cur.execute("insert into marts.t_workspace values (%s, %s, %s)", (ws, platform, 100 + i))
        cur.execute("insert into marts.t_account_key values (%s, %s, %s)", (f"{platform}:{account}", DAY, i))
        cur.execute("insert into marts.t_platform_account values (%s, %s, %s)", (platform, account, 10 * i))
        if account.isdigit():
            cur.execute("insert into marts.t_numeric_account values (%s, %s, %s)", (platform, int(account), i))
    cur.execute("insert into marts.t_workspace values (null, 'all', 1)")  # no workspace: the admin's only
    cur.execute("insert into marts.t_account_key values ('youtube:UCnobody', %s, 1)", (DAY,))
    cur.execute("insert into marts.t_platform_account values ('youtube', '@competitor', 5)")
    cur.execute("insert into marts.t_community values ('c1', %s, 7), ('c2', %s, 3)", (DAY, DAY))
    cur.execute("insert into marts.t_no_key values ('post more shorts', 1)")
    for schema in ("raw", "staging", "ops", "public"):
        cur.execute(f"create table {schema}.secret as select 'not for BI' as payload")


def _dbt(url: str, workspace, target: Path) -> None:
    """The real dbt: dim_accounts (from the registry) and a community mart, each through its post-hook."""
    env = os.environ | dbt_env(url, workspace)
    assert env["TIDEMARK_COMMUNITY_WORKSPACE"] == A
    dbt = str(Path(sys.executable).with_name("dbt"))
    command = with_vars([dbt, "run", "--select", "+dim_accounts", "+mart_system_metrics", "--project-dir",
                         str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)])
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.fixture(scope="module")
def world(pg_server_url, tmp_path_factory):
    from tests.conftest import SIM_NOW

    tmp = tmp_path_factory.mktemp("bi_workspaces")
    (tmp / "tidemark.yaml").write_text(TIDEMARK_YAML)
    env = {"TIDEMARK_HOME": str(tmp / "home"), "TIDEMARK_CONFIG": str(tmp / "tidemark.yaml"),
           "TIDEMARK_SIM_NOW": SIM_NOW}
    with module_database(pg_server_url, env) as url:
        base = "bi_" + url.rsplit("/", 1)[1]  # roles are server-wide: named after the throwaway database
        roles = {None: base, A: f"{base}_a", B: f"{base}_b"}
        try:
            runtime = load_runtime()
            runtime.prepare_warehouse(all_raw_tables())  # the registry: both workspaces, the community A's
            logins = {ws: grant_bi_role(url, role, ws) for ws, role in roles.items()}
            with psycopg2.connect(url) as conn, conn.cursor() as cur:
                _make_marts(cur)
                secure_mart(cur, "marts.t_community", A)  # remembered: secure_all_marts keeps A the owner
                cur.execute("select ops.secure_all_marts()")
                ensure_tables(cur)  # the insights marts: created now, secured by the store itself
            _dbt(url, runtime.workspace, tmp / "target")
            with psycopg2.connect(url) as conn, conn.cursor() as cur:
                cur.execute("insert into marts.mart_system_metrics (grain, metric_type, period_start, sample_count) "
                            "values ('day', 'api_latency', %s, 3)", (DAY,))
            yield {"url": url, "logins": logins, "roles": roles}
        finally:
            with psycopg2.connect(url) as conn, conn.cursor() as cur:
                for role in roles.values():
                    cur.execute("select 1 from pg_roles where rolname = %s", (role,))
                    if cur.fetchone():
                        cur.execute(f'drop owned by "{role}"; drop role "{role}"')


def _session(login):
    conn = psycopg2.connect(login.url)
    conn.autocommit = True
    return conn


def _rows(conn, table: str) -> tuple[list[str], list[tuple]]:
    with conn.cursor() as cur:
        cur.execute(f'select * from marts."{table}"')
        return [column.name for column in cur.description], sorted(cur.fetchall(), key=repr)


def _rows_at(url: str, table: str) -> list[tuple]:
    conn = psycopg2.connect(url)
    try:
        return _rows(conn, table)[1]
    finally:
        conn.close()


def _workspace(table: str, columns: list[str], row: tuple) -> str | None:
    """Whose row it is, worked out here from the rule in docs/bi.md (None: no workspace's)."""
    value = dict(zip(columns, row, strict=True))
    if "workspace_id" in value:
        return value["workspace_id"]
    if "account_key" in value:
        platform, _, account = value["account_key"].partition(":")
        return WORKSPACE_OF.get((platform, account))
    if "platform" in value and "account_id" in value:
        return WORKSPACE_OF.get((value["platform"], str(value["account_id"])))
    return A if table in COMMUNITY_MARTS else None


def _marts(url: str) -> list[str]:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("select table_name from information_schema.tables where table_schema = 'marts' order by 1")
        return [name for (name,) in cur.fetchall()]


def test_each_workspace_login_reads_exactly_its_rows_of_every_mart(world):
    tables = _marts(world["url"])
    assert {"t_workspace", "t_account_key", "t_platform_account", "t_numeric_account", "t_community", "t_no_key",
            "dim_accounts", "mart_system_metrics", "mart_forecasts", "mart_insights"} <= set(tables)
    owner = psycopg2.connect(world["url"])
    sessions = {ws: _session(login) for ws, login in world["logins"].items()}
    seen = {A: 0, B: 0}
    try:
        for table in tables:
            columns, everything = _rows(owner, table)
            assert _rows(sessions[None], table) == (columns, everything), f"the admin login misses rows of {table}"
            for ws in (A, B):
                own = [row for row in everything if _workspace(table, columns, row) == ws]
                assert _rows(sessions[ws], table) == (columns, own), f"{ws} on {table}"
                seen[ws] += len(own)
        # Not vacuous: each rule's table holds both workspaces' rows, and rows of neither.
        for table in ("t_workspace", "t_account_key", "t_platform_account", "t_numeric_account", "dim_accounts"):
            columns, everything = _rows(owner, table)
            assert {_workspace(table, columns, row) for row in everything} >= {A, B}, table
        assert seen[A] > 10 and seen[B] > 8
        assert _rows(sessions[B], "t_community")[1] == [] and _rows(sessions[A], "t_community")[1]
        assert _rows(sessions[A], "mart_system_metrics")[1]  # the dbt hook gave A the community mart
        assert _rows(sessions[A], "t_no_key")[1] == [] and _rows(sessions[None], "t_no_key")[1]
    finally:
        for conn in (owner, *sessions.values()):
            conn.close()


def test_the_policies_are_literal_lists_and_the_owner_is_remembered(world):
    with psycopg2.connect(world["url"]) as conn, conn.cursor() as cur:
        cur.execute("select tablename, qual from pg_policies where schemaname = 'marts' and policyname = %s",
                    (world["roles"][A],))
        quals = dict(cur.fetchall())
        cur.execute("select relation, owner_workspace from ops.bi_mart_owners order by 1")
        owners = cur.fetchall()
    assert quals["t_workspace"] == f"(workspace_id = '{A}'::text)"
    assert "youtube:UCkitchen0000000000000001" in quals["t_account_key"] and "select" not in quals["t_account_key"]
    assert "t_no_key" not in quals and quals["t_community"] == "true"
    assert owners == [("marts.mart_system_metrics", A), ("marts.t_community", A)]


def test_the_community_marts_follow_the_registry_s_community_workspace(world):
    url, logins = world["url"], world["logins"]

    def community(workspace: str | None) -> None:  # what the registry sync writes, then the run start
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute("delete from ops.workspace_domains")
            if workspace:
                cur.execute("insert into ops.workspace_domains (domain, workspace_id) values ('community', %s)",
                            (workspace,))
            cur.execute("select ops.secure_all_marts()")

    everything = _rows_at(url, "t_community")
    try:
        community(B)
        assert _rows_at(logins[B].url, "t_community") == everything and not _rows_at(logins[A].url, "t_community")
        community(None)
        assert not _rows_at(logins[B].url, "t_community") and not _rows_at(logins[A].url, "t_community")
    finally:
        community(A)
        with psycopg2.connect(url) as conn, conn.cursor() as cur:  # the next build's hook records it again
            secure_mart(cur, "marts.t_community", A)
            secure_mart(cur, "marts.mart_system_metrics", A)
    assert _rows_at(logins[A].url, "t_community") == everything


def test_a_workspace_login_cannot_get_around_its_policies(world):
    a = _session(world["logins"][A])
    try:
        with a.cursor() as cur:
            for role in (world["roles"][B], world["roles"][None], psycopg2.extensions.parse_dsn(world["url"])["user"]):
                with pytest.raises(errors.InsufficientPrivilege):
                    cur.execute(f'set role "{role}"')
            cur.execute("set row_security = off")
            with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
                cur.execute("select * from marts.t_workspace")
            cur.execute("reset row_security")
            for table in ("raw.secret", "staging.secret", "ops.secret", "public.secret", "ops.workspace_accounts",
                          "ops.bi_logins", "staging.stg_ops__workspace_accounts", "raw.youtube_channel_daily"):
                with pytest.raises(errors.InsufficientPrivilege):
                    cur.execute(f"select * from {table}")
            for call in ("ops.secure_mart('marts.t_workspace'::regclass)", "ops.secure_all_marts()"):
                with pytest.raises(errors.InsufficientPrivilege):
                    cur.execute(f"select {call}")
            for statement in ("insert into marts.t_workspace values ('kitchen', 'x', 1)",
                              "create table marts.mine (x int)", "create table public.mine (x int)"):
                with pytest.raises((errors.InsufficientPrivilege, errors.ReadOnlySqlTransaction)):
                    cur.execute(statement)
    finally:
        a.close()


LEAK = """create function pg_temp.peek(text) returns boolean language plpgsql cost 0.0000001 as
          $$ begin raise notice 'peek %', $1; return true; end $$"""


def _peeked(url: str) -> set[str]:
    """What a cheap function in the WHERE clause gets to see: each argument it is called with."""
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("set transaction read write")  # a BI login's transactions are read-only by default
            cur.execute(LEAK)
            cur.execute("select count(*) from marts.t_account_key where pg_temp.peek(account_key)")
        conn.rollback()
        return {notice.split("peek ", 1)[1].strip() for notice in conn.notices if "peek " in notice}
    finally:
        conn.close()


def test_a_leaky_function_only_sees_its_own_rows(world):
    b_keys = {f"{platform}:{account}" for platform, account in ACCOUNTS[B]}
    a_keys = {f"{platform}:{account}" for platform, account in ACCOUNTS[A]}
    assert _peeked(world["url"]) >= b_keys  # the control: without a policy it sees everyone's keys
    assert _peeked(world["logins"][A].url) == a_keys


def test_pg_stats_shows_no_value_of_the_other_workspace(world):
    with psycopg2.connect(world["url"]) as conn, conn.cursor() as cur:
        cur.execute("analyze marts.t_account_key")
        cur.execute("analyze marts.t_workspace")
        cur.execute("select string_agg(concat_ws(' ', most_common_vals, histogram_bounds), ' ') from pg_stats "
                    "where schemaname = 'marts' and tablename in ('t_account_key', 't_workspace')")
        assert "UCtravel" in cur.fetchone()[0]  # the control: the owner's statistics hold B's values
    a = _session(world["logins"][A])
    try:
        with a.cursor() as cur:
            cur.execute("select * from pg_stats where schemaname = 'marts'")
            stats = cur.fetchall()
        assert not any("UCtravel" in repr(row) or B in repr(row) for row in stats)
    finally:
        a.close()


def _swap(url: str, table: str, secure: bool, read) -> list:
    """Rebuild `table` the way dbt's table materialization does (new table, old one renamed away, new
    one renamed in, post-hook, one COMMIT) while `read` queries it from another session: the read
    waits for the swap and then meets the new table."""
    result: list = []
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(f"create table marts.{table}__dbt_tmp as select * from marts.{table}")
            cur.execute(f"alter table marts.{table} rename to {table}__dbt_backup")
            cur.execute(f"alter table marts.{table}__dbt_tmp rename to {table}")
            if secure:
                secure_mart(cur, f"marts.{table}")
            reader = threading.Thread(target=lambda: result.append(read()))
            reader.start()
            time.sleep(0.5)
            assert reader.is_alive()  # waiting on the swap's lock, as a dashboard query would
            conn.commit()
            cur.execute(f"drop table marts.{table}__dbt_backup")
            conn.commit()
        reader.join(timeout=30)
    finally:
        conn.close()
    return result


def _read_as(login, table: str):
    def read():
        conn = _session(login)
        try:
            return _rows(conn, table)[1]
        except psycopg2.Error as error:
            return error
        finally:
            conn.close()
    return read


def test_a_rebuilt_mart_keeps_its_policies_and_one_built_without_them_is_closed(world):
    url, logins = world["url"], world["logins"]
    before = _rows_at(url, "t_workspace")
    [seen] = _swap(url, "t_workspace", secure=True, read=_read_as(logins[A], "t_workspace"))
    assert seen == [row for row in before if row[0] == A]
    [seen] = _swap(url, "t_workspace", secure=False, read=_read_as(logins[B], "t_workspace"))
    assert isinstance(seen, errors.InsufficientPrivilege)  # fail-closed: no policy, no grant
    assert _rows_at(logins[None].url, "t_workspace") == before  # the admin login reads it all
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("select ops.secure_all_marts()")  # the next run's start secures it again
    assert _read_as(logins[B], "t_workspace")() == [row for row in before if row[0] == B]


def _server_log(url: str) -> Path | None:
    """The embedded server's log (tests/conftest.py's), or None on a server of one's own."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute("select current_setting('data_directory')")
        log = EmbeddedPostgres(Path(cur.fetchone()[0]).parent).log_file
    return log if log.exists() else None


def test_grant_checks_the_workspace_and_the_password_is_shown_once_and_logged_nowhere(world, capsys, caplog):
    url, role = world["url"], world["roles"][A]
    assert cli.main(["bi", "grant", "--workspace", "nope"]) == CONFIG
    assert f"unknown workspace 'nope'; tidemark.yaml has {A}, {B}" in capsys.readouterr().err

    log = _server_log(url)
    offset = log.stat().st_size if log else 0
    name = url.rsplit("/", 1)[1]
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(f'alter database "{name}" set log_statement = \'all\'')  # every statement of the grant
    try:
        assert cli.main(["bi", "grant", "--workspace", A, "--role", role]) == OK
    finally:
        with psycopg2.connect(url) as conn, conn.cursor() as cur:
            cur.execute(f'alter database "{name}" reset log_statement')
    out, err = capsys.readouterr()
    printed = out.strip().splitlines()[-1]
    password = psycopg2.extensions.parse_dsn(printed)["password"]
    assert len(password) >= 24 and out.count(password) == 1 and password not in err + caplog.text
    if log:
        written = log.read_text(errors="replace")[offset:]
        assert f'alter role "{role}"' in written  # the control: the grant's statements are in the log
        assert password not in written
    psycopg2.connect(printed).close()  # the printed URL logs in
