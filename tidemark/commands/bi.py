"""`tidemark bi grant [--workspace W] [--role R] | up [--port 8088]`: the BI tool on the marts (docs/bi.md).

    grant  create or rotate a read-only login (USAGE on marts, SELECT on its tables; nothing on raw,
           staging, ops, public) and print its connection URL once, for a BI tool of your own.
           Without --workspace: `tidemark_bi`, every workspace's rows, now and future tables; Superset
           keeps its own copy: re-run `make bi` after a grant. With --workspace W (a workspace of
           tidemark.yaml): `tidemark_bi_<W>`, only W's rows of every mart (row-level security).
    up     set up Superset under .tidemark/superset (metadata DB, admin user whose generated password
           is printed once), grant (rotate) the login, import the connection, the marts' datasets and
           the dashboard through the REST API, then serve on 127.0.0.1:PORT until Ctrl-C.
"""

from __future__ import annotations

import signal
import sys

from core.warehouse.connection import display_url
from orchestration.transform.project import ensure_manifest
from tidemark.bi.provision import provision
from tidemark.bi.role import ROLE, grant_bi_role, login_name
from tidemark.bi.superset import ADMIN, SupersetClient, SupersetHome, SupersetMissing, venv_dir
from tidemark.runtime import load_runtime
from tidemark.summary import CONFIG, FAILED, OK


def cmd_grant(args) -> int:
    runtime = load_runtime()
    if args.workspace is not None:
        runtime.workspace.tenant(args.workspace)  # an unknown workspace: a ConfigError naming the known ones
    role = login_name(args.workspace, args.role)
    runtime.prepare_warehouse([])  # the registry as tidemark.yaml says: the policies list its accounts
    login = grant_bi_role(runtime.warehouse_url, role, args.workspace)
    rows = f"workspace {login.workspace}'s rows only" if login.workspace else "every workspace's rows"
    print(f"read-only login {login.role} granted on schema marts, {rows} ({display_url(login.url)}); "
          "its URL with the new password, shown this once:")
    print(login.url)
    for warning in login.warnings:
        print(f"tidemark: warning: {warning}", file=sys.stderr)
    return OK


def cmd_up(args) -> int:
    runtime = load_runtime()
    settings = runtime.settings
    home = SupersetHome(root=settings.home / "superset", venv=venv_dir())
    try:
        created = home.prepare()
    except SupersetMissing as error:
        print(f"tidemark: {error}", file=sys.stderr)
        return CONFIG
    manifest = ensure_manifest(url=runtime.warehouse_url)
    server = home.start(args.port)
    try:
        client = SupersetClient(f"http://127.0.0.1:{args.port}", ADMIN, home.admin_password())
        done = provision(client, runtime.warehouse_url, manifest)
    except Exception:
        server.terminate()
        raise
    print(f"Superset: {done.dashboard_url}  ({done.datasets} mart datasets, {len(done.charts)} charts; "
          f"warehouse through the read-only login tidemark_bi)")
    if created:
        print(f"admin login: {ADMIN} / {created}   (shown once; kept 0600 in {home.admin_password_file} "
              "for re-provisioning)")
    else:
        print(f"admin login: {ADMIN} (password in {home.admin_password_file})")
    print("Ctrl-C stops the server")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops Superset too
    try:
        return OK if server.wait() == 0 else FAILED
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return OK


def add_parser(sub) -> None:
    bi = sub.add_parser("bi", help="the BI tool (Superset) on the marts")
    actions = bi.add_subparsers(dest="bi_action", required=True)
    grant = actions.add_parser("grant", help="create or rotate a read-only BI login")
    grant.add_argument("--workspace", help="only this workspace's rows (a login of its own)")
    grant.add_argument("--role", help=f"the login's name (default {ROLE}, or {ROLE}_<workspace>)")
    grant.set_defaults(func=cmd_grant)
    up = actions.add_parser("up", help="provision Superset and serve the dashboard on loopback")
    up.add_argument("--port", type=int, default=8088)
    up.set_defaults(func=cmd_up)
