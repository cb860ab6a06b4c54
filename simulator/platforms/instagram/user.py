"""The Instagram user node and account insights (`/{ig-user-id}/insights`).

- `period=day&metric_type=time_series` (reach, follower_count): one value per day with an
  `end_time` of the next day 08:00 UTC (Pacific midnight); `follower_count` covers only the
  last 30 days; yesterday and the day before are still incomplete (late data).
- `metric_type=total_value` (views, accounts_engaged, ..., follows_and_unfollows by follow_type):
  one total over [since, until).
- demographics (`period=lifetime&timeframe=this_month&breakdown=age|gender|country|city`): top 45.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np

from simulator import rand
from simulator.account import AccountWorld
from simulator.platforms.instagram import common as c
from simulator.platforms.instagram.discovery import asks_discovery, discovery
from simulator.platforms.instagram.media import find_media, media_insights, media_object
from simulator.routing import Request, Response

MAX_RANGE_DAYS = 30
TIME_SERIES = {"reach", "follower_count"}
TOTAL_VALUE = {"views", "accounts_engaged", "total_interactions", "likes", "comments", "saves", "shares",
               "follows_and_unfollows", "reach", "profile_links_taps", "replies"}
DEMOGRAPHICS = {"follower_demographics": 1.0, "engaged_audience_demographics": 0.12,
                "reached_audience_demographics": 0.45}
RETIRED = {"impressions", "profile_views", "website_clicks", "email_contacts", "phone_call_clicks",
           "text_message_clicks", "get_directions_clicks", "audience_gender_age", "audience_country",
           "audience_city", "audience_locale", "online_followers"}
CITIES = {"US": "New York, New York", "GB": "London, England", "DE": "Berlin, Berlin", "IN": "Mumbai, Maharashtra",
          "BR": "São Paulo, São Paulo", "JP": "Tokyo, Tokyo", "CA": "Toronto, Ontario", "AU": "Sydney, New South Wales",
          "FR": "Paris, Île-de-France", "MX": "Mexico City, Distrito Federal", "ES": "Madrid, Comunidad de Madrid",
          "NL": "Amsterdam, North Holland"}
GENDERS = {"female": "F", "male": "M", "user_specified": "U"}


def _user_fields(req: Request, acct: AccountWorld) -> dict:
    media = [p for p in acct.posts if p.format != "story"]
    full = {"id": acct.account_id, "user_id": acct.account_id, "username": f"sim_{acct.account_id[-6:]}",
            "name": f"Sim {acct.topic.title()}", "followers_count": acct.followers(),
            "follows_count": 150 + acct.key % 850, "media_count": len(media),
            "biography": f"New {acct.topic} posts every week", "website": "https://example.com"}
    return {k: full[k] for k in ["id", *c.fields(req, "id")] if k in full}


def me(req: Request) -> Response:
    who = c.owner(req)
    if who is None:
        return c.invalid_token()
    return Response(200, _user_fields(req, c.account(req, who)))


def node(req: Request) -> Response:
    who, target = c.owner(req), req.params["node"]
    if who is None:
        return c.invalid_token()
    if target == who and asks_discovery(req):
        return discovery(req, who)
    if target == who:
        acct = c.account(req, who)
        return Response(200, _user_fields(req, acct), c.usage_headers(who, 1))
    found = find_media(req, target)
    if found is None:
        return c.not_found(target)
    return Response(200, media_object(*found, c.fields(req, "id")))


def insights(req: Request) -> Response:
    """Media insights or account insights, by what the node id is."""
    who, target = c.owner(req), req.params["node"]
    if who is None:
        return c.invalid_token()
    if target != who:
        found = find_media(req, target)
        return c.not_found(target) if found is None else media_insights(req, *found)
    acct = c.account(req, who)
    metrics = [m.strip() for m in req.query.get("metric", "").split(",") if m.strip()]
    if not metrics:
        return c.meta_error(400, 100, "(#100) The parameter metric is required")
    for metric in metrics:
        if metric in RETIRED:
            return c.meta_error(400, 100, f"(#100) The {metric} metric is no longer supported (deprecated since v21.0).")
    if set(metrics) <= set(DEMOGRAPHICS):
        return _demographics(req, acct, metrics)
    if req.query.get("metric_type") == "total_value":
        return _total_value(req, acct, metrics)
    return _time_series(req, acct, metrics)


def _day(text: str | None, default: date) -> date | None:
    if not text:
        return default
    try:
        return datetime.fromtimestamp(int(text), UTC).date() if text.isdigit() else date.fromisoformat(text[:10])
    except ValueError:
        return None


def _range(req: Request, acct: AccountWorld) -> tuple[date, date] | Response:
    """[since, until) as dates; Graph refuses ranges over 30 days."""
    today = acct.world.now.date()
    since, until = _day(req.query.get("since"), today - timedelta(days=1)), _day(req.query.get("until"), today)
    if since is None or until is None or until <= since:
        return c.meta_error(400, 100, "(#100) The since and until parameters must describe a valid time range")
    if (until - since).days > MAX_RANGE_DAYS:
        return c.meta_error(400, 100, "(#100) There cannot be more than 30 days (2592000 s) between since and until")
    return since, until


def _daily(acct: AccountWorld, since: date, until: date) -> tuple[list[date], dict[str, np.ndarray]]:
    """Per-day account totals as reported now (newest days incomplete), days in [since, until)."""
    end = until - timedelta(days=1)
    report = acct.reported(start=since, end=end)
    organic = acct.reported_organic(start=since, end=end)
    days = [d.astype("datetime64[D]").item() for d in organic.dates]
    index = {d: i for i, d in enumerate(organic.dates)}
    rows = np.array([index[d] for d in report.dates], dtype=np.int64)
    out = {m: np.bincount(rows, weights=report.values[m], minlength=len(days)).astype(np.int64)
           for m in ("views", "likes", "comments", "shares", "saves", "followers_gained", "followers_lost")}
    out["followers_gained"] = out["followers_gained"] + organic["followers_gained"]
    out["followers_lost"] = out["followers_lost"] + organic["followers_lost"]
    out["reach"] = (out["views"] * (0.5 + 0.2 * float(rand.uniform(310, acct.key)))).astype(np.int64)
    return days, out


def _time_series(req: Request, acct: AccountWorld, metrics: list[str]) -> Response:
    bad = [m for m in metrics if m not in TIME_SERIES]
    if bad or req.query.get("period", "day") != "day":
        return c.meta_error(400, 100, f"(#100) metric[0] must be one of the following values: {', '.join(TIME_SERIES)}")
    window = _range(req, acct)
    if isinstance(window, Response):
        return window
    since, until = window
    today = acct.world.now.date()
    if "follower_count" in metrics and since < today - timedelta(days=MAX_RANGE_DAYS):
        return c.meta_error(400, 100, "(#100) follower_count only supports the last 30 days, excluding today")
    days, values = _daily(acct, since, until)
    source = {"reach": "reach", "follower_count": "followers_gained"}
    data = [{"name": m, "period": "day", "title": m.replace("_", " ").title(),
             "values": [{"value": int(values[source[m]][i]), "end_time": c.graph_time(datetime(d.year, d.month, d.day,
                                                                                     8, tzinfo=UTC) + timedelta(days=1))}
                        for i, d in enumerate(days)],
             "id": f"{acct.account_id}/insights/{m}/day"} for m in metrics]
    return Response(200, {"data": data}, c.usage_headers(acct.account_id, 5))


def _total_value(req: Request, acct: AccountWorld, metrics: list[str]) -> Response:
    bad = [m for m in metrics if m not in TOTAL_VALUE]
    if bad:
        return c.meta_error(400, 100, f"(#100) metric[{metrics.index(bad[0])}] must be one of the following values: "
                                      + ", ".join(sorted(TOTAL_VALUE)))
    if req.query.get("breakdown") and metrics != ["follows_and_unfollows"]:
        return c.meta_error(400, 100, "(#100) Incompatible breakdowns and metrics")
    window = _range(req, acct)
    if isinstance(window, Response):
        return window
    _, v = _daily(acct, *window)
    total = {k: int(a.sum()) for k, a in v.items()}
    interactions = total["likes"] + total["comments"] + total["saves"] + total["shares"]
    plain = {"views": total["views"], "reach": total["reach"], "likes": total["likes"], "comments": total["comments"],
             "saves": total["saves"], "shares": total["shares"], "total_interactions": interactions,
             "accounts_engaged": int(interactions * 0.8), "profile_links_taps": total["views"] // 200, "replies": 0,
             "follows_and_unfollows": total["followers_gained"] + total["followers_lost"]}
    data = []
    for m in metrics:
        value: dict = {"value": plain[m]}
        if m == "follows_and_unfollows" and req.query.get("breakdown") == "follow_type":
            value["breakdowns"] = [{"dimension_keys": ["follow_type"], "results": [
                {"dimension_values": ["FOLLOWER"], "value": total["followers_gained"]},
                {"dimension_values": ["NON_FOLLOWER"], "value": total["followers_lost"]}]}]
        data.append({"name": m, "period": "day", "title": m.replace("_", " ").title(), "total_value": value,
                     "id": f"{acct.account_id}/insights/{m}/day"})
    return Response(200, {"data": data}, c.usage_headers(acct.account_id, 5))


def _demographic_counts(acct: AccountWorld, breakdown: str, total: int) -> list[tuple[str, int]]:
    if breakdown in ("country", "city"):
        parts = acct.country_split(total)
        return [(CITIES[k] if breakdown == "city" else k, v) for k, v in parts if v > 0]
    shares: dict[str, float] = {}
    for age, gender, pct in acct.demographics():
        key = age.removeprefix("age").replace("65-", "65+") if breakdown == "age" else GENDERS[gender]
        shares[key] = shares.get(key, 0.0) + pct
    return [(k, int(total * s / 100)) for k, s in shares.items() if int(total * s / 100) > 0]


def _demographics(req: Request, acct: AccountWorld, metrics: list[str]) -> Response:
    breakdown = req.query.get("breakdown", "")
    if breakdown not in ("age", "gender", "country", "city"):
        return c.meta_error(400, 100, "(#100) breakdown must be one of the following values: age, city, country, gender")
    if req.query.get("timeframe", "this_month") not in ("this_week", "this_month", "last_14_days", "last_30_days",
                                                         "last_90_days", "prev_month"):
        return c.meta_error(400, 100, "(#100) Invalid timeframe")
    data = []
    for m in metrics:
        counts = sorted(_demographic_counts(acct, breakdown, int(acct.followers() * DEMOGRAPHICS[m])),
                        key=lambda kv: -kv[1])[:45]
        data.append({"name": m, "period": "lifetime", "title": m.replace("_", " ").title(),
                     "total_value": {"breakdowns": [{"dimension_keys": [breakdown], "results": [
                         {"dimension_values": [k], "value": v} for k, v in counts]}]},
                     "id": f"{acct.account_id}/insights/{m}/lifetime"})
    return Response(200, {"data": data}, c.usage_headers(acct.account_id, 5))
