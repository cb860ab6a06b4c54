"""Token health per platform as Dagster checks (`tokens_<platform>`), evaluated in each ingestion run.

Fails (ERROR, not blocking: the other accounts' data is still good) when a stored token is dead —
refused by the platform or past its refresh expiry — naming the account and the command that
reconnects it; warns TIDEMARK_TOKEN_WARN_DAYS before an expiry that no refresh can push back.
Accounts whose tokens live in environment variables have no known expiry and are not judged here.
"""

from datetime import timedelta

import dagster as dg

from core.platform import PlatformSpec
from core.warehouse.credentials import DEAD, token_health
from ingestion.instagram.connect import keep_alive
from ingestion.registry import platforms
from orchestration.resources import Tidemark


def build_token_check(spec: PlatformSpec) -> dg.AssetChecksDefinition:
    platform = spec.name

    @dg.asset_check(asset=dg.AssetKey(["raw", spec.streams[0]]), name=f"tokens_{platform}", blocking=False,
                    description=f"{platform}: no stored token is dead, none needs a reconnect within "
                                "TIDEMARK_TOKEN_WARN_DAYS (docs/credentials.md)")
    def check(context: dg.AssetCheckExecutionContext, tidemark: Tidemark) -> dg.AssetCheckResult:
        runtime = tidemark.runtime()
        now = runtime.settings.now()
        soon = now + timedelta(days=runtime.settings.token_warn_days)
        rows = [r for r in token_health(runtime.credential_store, runtime.workspace, now) if r["platform"] == platform]
        dead = [f"{r['account_id']}: {r['note']}" for r in rows if r["status"] == DEAD]
        expiring = [f"{r['account_id']}: the refresh token expires on {r['expires']:%Y-%m-%d}; reconnect before: "
                    f"tidemark connect {platform} --account-id {r['account_id']}"
                    for r in rows if r["status"] != DEAD and r["expires"] and r["expires"] <= soon]
        problems = dead or expiring
        return dg.AssetCheckResult(
            passed=not problems,
            severity=dg.AssetCheckSeverity.ERROR if dead else dg.AssetCheckSeverity.WARN,
            description="; ".join(problems) or f"{len(rows)} account(s), tokens healthy",
            metadata={"dead": len(dead), "expiring": len(expiring)})

    return check


def token_checks() -> list[dg.AssetChecksDefinition]:
    return [build_token_check(spec) for spec in platforms().values()]


@dg.asset(key=dg.AssetKey(["ops", "instagram_token_refresh"]), group_name="credentials",
          description="Refreshes stored Instagram long-lived tokens (60 days) before they expire: Instagram "
                      "refreshes only unexpired tokens, so a missed window means a reconnect.")
def instagram_token_refresh(context: dg.AssetExecutionContext, tidemark: Tidemark) -> dg.MaterializeResult:
    runtime = tidemark.runtime()
    store = runtime.credential_store
    if store is None:
        return dg.MaterializeResult(metadata={"outcome": "no credential store (TIDEMARK_SECRET_KEY unset)"})
    urls = runtime.platform_settings("instagram").base_urls
    outcomes = keep_alive(store, urls["graph_instagram"], runtime.settings.now(), log=context.log.info)
    dead = [account for account, outcome in outcomes.items() if outcome.startswith("dead")]
    if dead:
        context.log.error(f"Instagram tokens that could not be refreshed: {', '.join(dead)}")
    return dg.MaterializeResult(metadata={"accounts": len(outcomes), "dead": len(dead),
                                          "outcomes": dg.MetadataValue.json(outcomes)})


token_refresh_job = dg.define_asset_job("instagram_token_refresh_job", selection=[instagram_token_refresh.key])
token_refresh_schedule = dg.ScheduleDefinition(job=token_refresh_job, cron_schedule="40 3 * * *",
                                               default_status=dg.DefaultScheduleStatus.RUNNING)
