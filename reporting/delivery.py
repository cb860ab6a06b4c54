"""Deliver a report's text summary to a Slack-compatible webhook or a Telegram bot.

Secrets (webhook URL, bot token, chat id) come from environment variables named in reports.yaml;
they are registered with the run's Redactor so no log line or stored error contains them. A
failed delivery is recorded with the report and never fails it: the files are already there.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

from core.redaction import Redactor


def _target(item, env) -> tuple[str, dict] | str:
    """(url, JSON body builder input) or the reason it cannot be sent."""
    if item.kind == "slack":
        url = env.get(item.url_env or "")
        return (url, {}) if url else f"{item.url_env} is not set"
    token, chat = env.get(item.token_env or ""), env.get(item.chat_id_env or "")
    if not token or not chat:
        return f"{item.token_env if not token else item.chat_id_env} is not set"
    return f"{item.api_base.rstrip('/')}/bot{token}/sendMessage", {"chat_id": chat}


def deliver(report_name: str, text: str, targets, redactor: Redactor | None = None, env=None,
            log=None, workspace: str | None = None) -> list[dict]:
    """Send `text` (one workspace's, when `workspace` is given) to every target that wants this report
    of this workspace; returns one outcome per target."""
    env = os.environ if env is None else env
    redactor = redactor or Redactor()
    outcomes = []
    for item in targets:
        if item.reports and report_name not in item.reports:
            continue
        if workspace is not None and item.workspaces and workspace not in item.workspaces:
            continue
        target = _target(item, env)
        if isinstance(target, str):
            outcomes.append({"target": item.name, "kind": item.kind, "status": "skipped", "detail": target})
            continue
        url, extra = target
        for secret in (url, env.get(item.token_env or ""), env.get(item.chat_id_env or "")):
            redactor.add_secret(secret)
        outcomes.append(_send(item, url, {"text": text, **extra}, redactor))
    if log:
        for outcome in outcomes:
            log(redactor.redact(f"summary delivery {outcome['target']} ({outcome['kind']}): {outcome['status']}"
                                f" {outcome.get('detail', '')}"))
    return outcomes


def _send(item, url: str, body: dict, redactor: Redactor) -> dict:
    """POST JSON with urllib: unlike httpx it logs nothing, so the URL (a secret) never reaches a log."""
    outcome = {"target": item.name, "kind": item.kind}
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=item.timeout_s) as response:  # noqa: S310 - configured URL
            return outcome | {"status": "delivered", "detail": f"HTTP {response.status}"}
    except urllib.error.HTTPError as error:
        detail = f"HTTP {error.code}: {error.read()[:200].decode(errors='replace')}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        detail = f"{type(error).__name__}: {error}"
    return outcome | {"status": "failed", "detail": redactor.redact(detail)}
