"""The one series shape every insight function takes: a long frame of daily (or hourly) values.

    series_id  str        one series (e.g. "youtube/UC123/views"; a CSV's id column)
    ds         datetime64 the day (or timestamp) of the value, naive, no duplicates per series
    y          float      the value; NaN where it is unknown (a missing day), never 0 for unknown
"""

from __future__ import annotations

SERIES_COLUMNS = ("series_id", "ds", "y")


class InsightsInputError(ValueError):
    """Bad input to an insight (no such column, non-numeric values, too few points, duplicated
    dates…): the message names the problem, the column and an example row."""
