"""Episodes: one alert per post (or account) per stretch of flagged days.

An episode starts on the first judged day flagged (above the band; in a drop for accounts) and ends
once `close_after` judged days in a row are back inside (the `inside` column; without it, every day
not flagged is inside). A day outside the band that does not flag (below the factor or the minimum
volume) keeps an episode open without extending it. A later flagged day starts a new episode. Days
that could not be judged (estimated, too few peers, incomplete) are absent: they change nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

EPISODE_COLUMNS = ("episode_start", "last_seen", "status", "days_flagged", "peak_day")


def find_episodes(days: pd.DataFrame, keys: list[str], close_after: int) -> pd.DataFrame:
    """`days`: one row per entity (`keys`) × judged `day`, with bool `flag`, optional bool `inside`
    and numeric `peak` (the larger, the stronger). Returns one row per episode: the keys,
    EPISODE_COLUMNS and the other columns of its peak day."""
    payload = [c for c in days.columns if c not in (*keys, "day", "flag", "inside")]
    ordered = days.sort_values([*keys, "day"]).reset_index(drop=True)
    entities = list(zip(*(ordered[k] for k in keys), strict=True))
    flags = ordered["flag"].to_numpy(dtype=bool)
    inside = ordered["inside"].to_numpy(dtype=bool) if "inside" in ordered else ~flags
    peaks, dates = ordered["peak"].to_numpy(dtype=float), ordered["day"].to_numpy()
    episodes, current, calm = [], None, 0
    for i, entity in enumerate(entities):
        if current is not None and entity != current["entity"]:
            current = None
        if flags[i]:
            if current is None:
                current = {"entity": entity, "episode_start": dates[i], "days_flagged": 0, "best": i,
                           "status": "open"}
                episodes.append(current)
            current["last_seen"], current["days_flagged"], calm = dates[i], current["days_flagged"] + 1, 0
            if peaks[i] > peaks[current["best"]]:
                current["best"] = i
        elif current is not None and inside[i]:
            calm += 1
            if calm >= close_after:
                current["status"], current = "closed", None
    if not episodes:
        return pd.DataFrame(columns=[*keys, *EPISODE_COLUMNS, *payload])
    best = np.array([e["best"] for e in episodes])
    out = ordered.loc[best, [*keys, *payload]].reset_index(drop=True)
    for column in EPISODE_COLUMNS[:-1]:
        out[column] = [e[column] for e in episodes]
    out["peak_day"] = dates[best]
    return out.loc[:, [*keys, *EPISODE_COLUMNS, *payload]]
