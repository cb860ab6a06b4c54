"""Episodes: one alert per post (or account) per stretch of flagged days.

An episode starts on the first judged day flagged (above the band; below it for drops) and ends
once `close_after` judged days in a row are not flagged; a later flagged day starts a new episode.
Days that could not be judged (estimated, too few peers, incomplete) neither extend nor end one.
"""

from __future__ import annotations

import pandas as pd

EPISODE_COLUMNS = ("episode_start", "last_seen", "status", "days_flagged", "peak_day")


def find_episodes(days: pd.DataFrame, keys: list[str], close_after: int) -> pd.DataFrame:
    """`days`: one row per entity (`keys`) × judged `day`, with bool `flag` and numeric `peak` (the
    larger, the stronger). Returns one row per episode: the keys, EPISODE_COLUMNS and the other
    columns of its peak day."""
    payload = [c for c in days.columns if c not in (*keys, "day", "flag")]
    episodes = []
    for entity, rows in days.sort_values([*keys, "day"]).groupby(keys, sort=False):
        current, calm = None, 0
        for row in rows.itertuples(index=False):
            if row.flag:
                if current is None:
                    current = {"episode_start": row.day, "days_flagged": 0, "best": None}
                    episodes.append((entity, current))
                current["last_seen"], current["days_flagged"], calm = row.day, current["days_flagged"] + 1, 0
                if current["best"] is None or row.peak > current["best"].peak:
                    current["best"] = row
            elif current is not None:
                calm += 1
                if calm >= close_after:
                    current["status"], current = "closed", None
        if current is not None:
            current["status"] = "open"
    rows = []
    for entity, episode in episodes:
        best = episode.pop("best")
        rows.append({**dict(zip(keys, entity if isinstance(entity, tuple) else (entity,), strict=True)),
                     **{c: getattr(best, c) for c in payload}, "peak_day": best.day, **episode})
    return pd.DataFrame(rows, columns=[*keys, *EPISODE_COLUMNS, *payload])
