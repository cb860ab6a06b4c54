"""`tidemark accounts list` and `tidemark credentials new-key | rotate-key` (docs/credentials.md)."""

from __future__ import annotations

from core.warehouse.credentials import DEAD, new_key, token_health
from tidemark.runtime import load_runtime


def cmd_accounts(args) -> int:
    runtime = load_runtime()
    runtime.prepare_warehouse([])
    rows = token_health(runtime.credential_store, runtime.workspace, runtime.settings.now())
    rows.sort(key=lambda r: (r["status"] != DEAD, r["platform"], r["account_id"]))  # dead ones first
    for r in rows:
        expires = f"refresh until {r['expires']:%Y-%m-%d}" if r["expires"] else ""
        print(f"{r['platform']:<10} {r['account_id']:<28} {r['name'][:24]:<24} {r['source']:<18} {r['status']:<5} "
              f"{expires} {r['note']}".rstrip())
    dead = sum(r["status"] == DEAD for r in rows)
    print(f"{len(rows)} account(s), {dead} needing a reconnect")
    return 1 if dead else 0


def cmd_credentials(args) -> int:
    if args.action == "new-key":
        print(new_key())
        return 0
    runtime = load_runtime()
    runtime.prepare_warehouse([])
    store = runtime.credential_store
    if store is None:
        print("TIDEMARK_SECRET_KEY is not set: there is nothing to re-encrypt with")
        return 2
    count = store.rotate_key()
    print(f"re-encrypted {count} stored account(s) with the first key of TIDEMARK_SECRET_KEY; "
          "the older keys can now be removed from it")
    return 0


def add_parsers(sub) -> None:
    accounts = sub.add_parser("accounts", help="the workspace's accounts and the health of their tokens")
    accounts.add_argument("action", choices=["list"])
    accounts.set_defaults(func=cmd_accounts)
    credentials = sub.add_parser("credentials", help="the encrypted credential store's key")
    credentials.add_argument("action", choices=["new-key", "rotate-key"],
                             help="new-key: print a fresh key; rotate-key: re-encrypt every stored account with "
                                  "the first key of TIDEMARK_SECRET_KEY")
    credentials.set_defaults(func=cmd_credentials)
