"""Sync every account of one platform, each in isolation, and record how each went.

One account's failure (quota, revoked token, a platform bug) is recorded in ops.sync_results
with a redacted message and when to retry, and never stops the other accounts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from core.warehouse.loader import RawLoader, read_cursor
from core.workspace import resolve_credentials
from ingestion.http import ApiError, AuthError, QuotaExhaustedError
from ingestion.registry import connector
from ingestion.sync import AccountResult, SyncContext, Window, record_result, sync_window

log = logging.getLogger("tidemark.ingestion")


def _fail(result: AccountResult, error: Exception, redact: Callable[[str], str], partial: bool) -> None:
    result.status = "partial" if partial else "failed"
    result.error_class = type(error).__name__
    result.message = redact(str(error))
    if isinstance(error, ApiError):
        result.retry_at = error.retry_at
    if isinstance(error, QuotaExhaustedError) and error.retry_at:
        result.message += f" — the next run after {error.retry_at.isoformat()} resumes where this one stopped"


def run_platform(
    runtime,
    platform: str,
    requested: Window,
    run_id: str,
    *,
    partition_key: str | None = None,
    progress: Callable[[str], None] = lambda message: None,
    sleep: Callable[[float], None] | None = None,
    workspace: str | None = None,
) -> list[AccountResult]:
    item = connector(platform)
    settings = runtime.settings
    now = settings.now()
    results = []
    accounts = [a for a in runtime.workspace.accounts(platform) if workspace in (None, a.workspace_id)]
    with runtime.connect() as conn:
        for number, account in enumerate(accounts, start=1):
            result = AccountResult(platform, account.id, started_at=datetime.now(now.tzinfo))
            results.append(result)
            client, stored = None, None
            try:
                simulated = runtime.workspace.is_simulated(account)
                stored = None if simulated else runtime.stored_credentials(platform, account.id)
                credentials = None if simulated else resolve_credentials(item.spec, account, stored=stored)
                cursor = read_cursor(conn, platform, account.id, "analytics")
                window = sync_window(
                    requested, date.fromisoformat(cursor) if cursor else None,
                    lookback_days=runtime.platform_settings(platform).lookback_days, today=now.date(),
                    history_start=settings.history_start, initial_sync_days=settings.initial_sync_days,
                )
                ctx = SyncContext(
                    platform=platform, account_id=account.id, account_name=account.name or account.id,
                    loader=RawLoader(conn, run_id, partition_key), window=window, now=now, run_id=run_id,
                    result=result, log=log, read_cursor=lambda stream, a=account.id: read_cursor(conn, platform, a, stream),
                    progress=lambda message, n=number, a=account.id: progress(
                        f"{platform} {n}/{len(accounts)} {a}: {message}"),
                    redactor=runtime.redactor, history_start=settings.history_start,
                )
                progress(f"{platform} {number}/{len(accounts)} {account.id}: window {window.start}..{window.end}")
                client = item.open_client(runtime, account, credentials, log, sleep=sleep)
                item.sync_account(ctx, client)
            except AuthError as error:
                if not error.account:
                    error.account = account.id
                if stored:  # its tokens are not in the variables the error would name
                    error.setting = "the encrypted credential store (ops.credentials)"
                _fail(result, error, runtime.redactor.redact, partial=result.rows_loaded > 0)
                if stored:  # a stored token the platform refused: dead until reconnected, and said so
                    hint = f"tidemark connect {platform} --account-id {account.id}"
                    if hint not in result.message:
                        result.message += f" — reconnect the account: {hint}"
                    runtime.credential_store.mark_dead(platform, account.id, result.message)
            except Exception as error:  # noqa: BLE001 — isolation: any failure stays with its account
                conn.rollback()
                _fail(result, error, runtime.redactor.redact, partial=result.rows_loaded > 0)
            finally:
                if client is not None:
                    client.close()
            if result.status != "success":
                log.warning("%s account %s %s: %s", platform, account.id, result.status, result.message)
            record_result(conn, run_id, result)
    runtime.quota_store.close()
    return results
