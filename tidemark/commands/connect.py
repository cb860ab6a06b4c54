"""`tidemark connect <platform>`: authorise an account once; its tokens go to the encrypted store.

Runs the platform's OAuth flow (ingestion/connect.py) through a loopback redirect, lets the user
pick among the accounts the grant can read, stores their tokens (`ops.credentials`) and adds the
accounts to tidemark.yaml without any secret (`connected: true` + the app's variables).
"""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Callable

from ruamel.yaml import YAML

from core.settings import ConfigError
from ingestion.connect import ConnectError, Found, authorise
from ingestion.registry import connectors
from tidemark.runtime import load_runtime


def _open(url: str) -> None:
    print(f"Open this address to authorise Tidemark (a browser is opened if there is one):\n  {url}", flush=True)
    try:
        webbrowser.open(url)
    except webbrowser.Error:
        pass


def choose(found: list[Found], wanted: list[str] | None, ask: Callable[[str], str]) -> list[Found]:
    """The accounts to add: --account-id ones, the only one, or the user's pick from a numbered list."""
    if wanted:
        by_id = {f.account_id: f for f in found}
        unknown = [a for a in wanted if a not in by_id]
        if unknown:
            raise ConnectError(f"the grant cannot read {', '.join(unknown)}; it can read: "
                               + ", ".join(f"{f.account_id} ({f.name})" for f in found))
        return [by_id[a] for a in wanted]
    if len(found) == 1:
        return found
    for number, item in enumerate(found, start=1):
        print(f"  {number}. {item.name} ({item.account_id})")
    picked = ask("Which account(s)? Numbers separated by commas, or 'all': ").strip()
    if picked == "all":
        return found
    try:
        return [found[int(n) - 1] for n in picked.split(",")]
    except (ValueError, IndexError):
        raise ConnectError(f"not a choice: {picked!r}") from None


def add_to_workspace(path, platform: str, accounts: list[Found], app_env: dict[str, str], name: str | None) -> None:
    """Add (or mark connected) each account in tidemark.yaml, keeping its comments and order."""
    yaml = YAML()
    yaml.preserve_quotes = True
    document = yaml.load(path.read_text()) if path.exists() else {}
    platforms = document.setdefault("platforms", {})
    entry = platforms.setdefault(platform, {}) or {}
    platforms[platform] = entry
    listed = entry.setdefault("accounts", [])
    for found in accounts:
        account = next((a for a in listed if str(a.get("id")) == found.account_id), None)
        if account is None:
            account = {"id": found.account_id, "name": name or found.name}
            listed.append(account)
        account["connected"] = True
        account["simulated"] = False
        credentials = account.setdefault("credentials", {})  # a reconnect keeps e.g. a business token's variable
        credentials.update({f"{key}_env": var for key, var in app_env.items()})
        if found.options:
            account.setdefault("options", {}).update(found.options)
    with path.open("w") as handle:
        yaml.dump(document, handle)


def connect(platform: str, *, account_ids: list[str] | None = None, name: str | None = None, port: int = 0,
            timeout_s: float = 300, login_hint: str | None = None, open_url: Callable[[str], None] = _open,
            ask: Callable[[str], str] = input) -> list[Found]:
    item = connectors().get(platform)
    if item is None:
        raise ConfigError(f"unknown platform {platform!r}; expected one of {', '.join(connectors())}")
    if item.oauth is None:
        raise ConfigError(f"{platform} has no connect flow yet; see docs/platforms/{platform}.md for its variables")
    runtime = load_runtime()
    store = runtime.credential_store
    if store is None:
        raise ConfigError("TIDEMARK_SECRET_KEY is not set: connected tokens are stored encrypted with it. "
                          "Create one with `tidemark credentials new-key`")
    runtime.prepare_warehouse([])
    app = item.oauth
    keys = app.app_keys(os.environ)
    grant, exchange = authorise(app, runtime.platform_settings(platform), keys, runtime.settings.now(),
                                open_url=open_url, port=port, timeout_s=timeout_s, login_hint=login_hint)
    runtime.redactor.add_secret(exchange.code)
    for value in grant.secrets.values():
        runtime.redactor.add_secret(value)
    chosen = choose(app.discover(grant, exchange), account_ids, ask)
    for found in chosen:
        store.put(platform, found.account_id, found.secrets, source="connect",
                  access_expires_at=found.access_expires_at, refresh_expires_at=found.refresh_expires_at)
    app_env = {key: var for key, var in keys.env.items() if key in item.spec.credentials.app}
    add_to_workspace(runtime.settings.config_path, platform, chosen, app_env, name if len(chosen) == 1 else None)
    return chosen


def cmd_connect(args) -> int:
    try:
        chosen = connect(args.platform, account_ids=args.account_id, name=args.account_name, port=args.port,
                         timeout_s=args.timeout, open_url=_open if args.browser else
                         lambda url: print(f"Open this address to authorise Tidemark:\n  {url}", flush=True))
    except ConnectError as error:
        print(f"tidemark connect: {error}", file=sys.stderr)
        return 1
    for found in chosen:
        print(f"connected {args.platform} account {found.account_id} ({found.name}); its tokens are in the "
              "encrypted credential store and tidemark.yaml lists it")
    return 0


def add_parser(sub) -> None:
    parser = sub.add_parser("connect", help="authorise a real account (OAuth) and store its tokens encrypted")
    parser.add_argument("platform")
    parser.add_argument("--account-name", help="the name shown in reports (default: the platform's)")
    parser.add_argument("--account-id", action="append", help="which account(s) to add when the grant reads several")
    parser.add_argument("--port", type=int, default=8765, help="loopback port of the redirect (register "
                                                             "http://127.0.0.1:<port>/callback with the app)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the authorisation")
    parser.add_argument("--no-browser", dest="browser", action="store_false", help="only print the address")
    parser.set_defaults(func=cmd_connect)
