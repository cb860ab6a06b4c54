"""Rows of the geo-restriction effectiveness report (marts.mart_geo_restriction): per community,
per location (country / region / city), the day-by-day trend and the most blocked locations.

A community or day without attempts has no effectiveness (None), never 0 %: nothing was tried.
"""

from __future__ import annotations

from reporting.community import queries
from reporting.community.definitions import effectiveness_pct

COUNTS = ("attempts", "blocked", "allowed", "traveler_access", "bypasses")


def _with_rate(row: dict) -> dict:
    return row | {"effectiveness_pct": effectiveness_pct(row["blocked"], row["attempts"])}


def trend(ctx, cov) -> list[dict]:
    """Community × day of the period; days without data are unknown, days with data but no attempt are 0."""
    rows = {(r["community_id"], r["day"]): r for r in ctx.rows(queries.GEO_TREND)}
    out = []
    for community in cov["communities"]:
        cid = community["community_id"]
        for day in cov["days"]:
            base = {"community_id": cid, "community_name": community["community_name"], "day": day}
            if day not in cov["days_with_data"]:
                out.append(base | dict.fromkeys(COUNTS) | {"effectiveness_pct": None, "note": "no data for this day"})
                continue
            row = rows.get((cid, day)) or dict.fromkeys(COUNTS, 0)
            out.append(_with_rate(base | {k: row[k] for k in COUNTS}) | {"note": None})
    return out


def communities(trend_rows: list[dict], cov) -> list[dict]:
    """Each community over the period (days with data only)."""
    out = []
    for community in cov["communities"]:
        rows = [r for r in trend_rows if r["community_id"] == community["community_id"] and r["note"] is None]
        sums = {k: sum(r[k] for r in rows) if rows else None for k in COUNTS}
        row = {"community_id": community["community_id"], "community_name": community["community_name"],
               **sums, "days_with_data": len(rows), "days": len(cov["days"])}
        out.append(_with_rate(row) if rows else row | {"effectiveness_pct": None})
    return out


def locations(ctx, cov) -> list[dict]:
    names = {c["community_id"]: c["community_name"] for c in cov["communities"]}
    return [_with_rate({"community_id": r["community_id"], "community_name": names.get(r["community_id"]), **r})
            for r in ctx.rows(queries.GEO_LOCATIONS)]


def top_blocked(location_rows: list[dict], top_n: int) -> list[dict]:
    """Each community's most blocked cities (ties: more attempts first, then by name)."""
    out = []
    for cid in dict.fromkeys(r["community_id"] for r in location_rows):
        cities = [r for r in location_rows if r["community_id"] == cid and r["level"] == "city" and r["blocked"]]
        cities.sort(key=lambda r: (-r["blocked"], -r["attempts"], r["country"], r["region"] or "", r["city"] or ""))
        out += [{"rank": rank, **{k: v for k, v in r.items() if k != "level"}}
                for rank, r in enumerate(cities[:top_n], start=1)]
    return out


def totals(community_rows: list[dict]) -> dict:
    known = [r for r in community_rows if r["attempts"] is not None]
    sums = {k: sum(r[k] for r in known) if known else None for k in COUNTS}
    return _with_rate(sums) if known else sums | {"effectiveness_pct": None}
