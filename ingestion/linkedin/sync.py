"""One LinkedIn organization's sync: what to fetch, in which order, and what each commit covers.

Steps (each one transaction, so a stop keeps what came before):
 1. posts finder, sorted by LAST_MODIFIED, offset pages; on later runs paging stops below the
    `posts` cursor (newest lastModifiedAt seen) minus the lookback; cursor in the same commit;
 2. lifetime share statistics of every known post, `stats_batch_size` URNs a call, committed per
    call (LinkedIn has no per-post daily history: staging turns snapshots into days);
 3. video analytics of video posts, one call per (video, metric) from the metric registry;
 4. daily org share statistics + daily follower gains over the window, ending at today − 2 days,
    committed together with the `analytics` cursor (never moved backwards by a backfill);
 5. follower facets (lifetime) and the follower total (networkSizes), as today's snapshot.
"""

from __future__ import annotations

from datetime import timedelta

from core.warehouse.loader import RawRecord
from ingestion.http import AuthError
from ingestion.linkedin import stats
from ingestion.linkedin.client import LinkedInClient, media_type
from ingestion.sync import SyncContext

PERMISSIONS = "r_organization_social and rw_organization_admin"


def sync_account(ctx: SyncContext, client: LinkedInClient) -> None:
    client.registry.attach(ctx.warn)
    try:
        _sync(ctx, client)
    except AuthError as error:
        _name_the_fix(error, ctx, client)
        raise


def _name_the_fix(error: AuthError, ctx: SyncContext, client: LinkedInClient) -> None:
    """The person reading the alert needs the account and the env var to fix."""
    options = client.options
    error.account = error.account or ctx.account_id
    if error.setting:
        return
    if error.code == "refresh_failed" and options.setting_refresh:
        error.setting = options.setting_refresh
    else:
        error.setting = options.setting_access
    if error.status == 403:
        error.message += (f" — the token's member must be an admin of {options.org_urn} and the app needs "
                          f"{PERMISSIONS}")


def _sync(ctx: SyncContext, client: LinkedInClient) -> None:
    listed = _sync_posts(ctx, client)
    known = stats.known_posts(ctx)
    known.update(listed)
    ctx.progress(f"{len(listed)} posts listed, {len(known)} known")
    stats.sync_post_stats(ctx, client, sorted(known))
    stats.sync_video_stats(ctx, client, sorted(urn for urn, kind in known.items() if kind == "video"))
    stats.sync_daily(ctx, client)
    _sync_audience(ctx, client)


def _sync_posts(ctx: SyncContext, client: LinkedInClient) -> dict[str, str]:
    """Each page commits on its own (a stop keeps the pages already read); the cursor only
    moves in the commit of the last page, once the listing is complete."""
    cursor = ctx.read_cursor("posts")
    lookback_ms = int(timedelta(days=3).total_seconds() * 1000)
    stop_below = int(cursor) - lookback_ms if cursor else None
    kinds, newest, pending = {}, int(cursor or 0), None
    for page in client.post_pages():
        ctx.result.api_calls += 1
        if pending is not None:
            ctx.commit([pending])
        elements = page.data.get("elements") or []
        records = [RawRecord(post["id"], post) for post in elements]
        for post in elements:
            kinds[post["id"]] = media_type(post)
            newest = max(newest, int(post.get("lastModifiedAt") or 0))
        pending = ctx.batch("linkedin_posts", "posts", page.request.params, records)
        if stop_below is not None and elements and int(elements[-1].get("lastModifiedAt") or 0) < stop_below:
            break  # sorted by LAST_MODIFIED: everything further down is already landed
    cursors = [ctx.cursor("posts", str(newest))] if newest else []
    ctx.commit([pending] if pending is not None else [], cursors)
    return kinds


def _sync_audience(ctx: SyncContext, client: LinkedInClient) -> None:
    snapshot = ctx.now.date().isoformat()
    params, body = client.follower_facets()
    ctx.result.api_calls += 1
    facets = [RawRecord(snapshot, {"snapshot_date": snapshot, **element}) for element in body.get("elements") or []]
    size_params, size = client.network_size()
    ctx.result.api_calls += 1
    sizes = [RawRecord(snapshot, {"snapshot_date": snapshot, "organizationalEntity": client.org_urn, **size})]
    ctx.commit([ctx.batch("linkedin_follower_facets", "organizationalEntityFollowerStatistics", params, facets),
                ctx.batch("linkedin_network_sizes", "networkSizes", size_params, sizes)])
