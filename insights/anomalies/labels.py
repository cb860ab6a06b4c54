"""NAB's label format: a JSON object mapping each data file to its anomaly windows.

    {"realTweets/Twitter_volume_AAPL.csv": [["2015-03-03 21:07:53", "2015-03-09 17:32:53"], …], …}

(labels/combined_windows.json in github.com/numenta/NAB). A CSV is matched by its path relative to
the labels file's folder, else by its file name (when exactly one key has that name).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from insights.frames import InsightsInputError

Window = tuple[pd.Timestamp, pd.Timestamp]


def read_labels(path: str | Path) -> dict[str, list[Window]]:
    """Every file's windows, validated: [start, end] pairs of times with start ≤ end."""
    path = Path(path)
    if not path.is_file():
        raise InsightsInputError(f"{path}: no such labels file")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InsightsInputError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(raw, dict):
        raise InsightsInputError(f"{path}: labels must be a JSON object mapping data files to lists of "
                                 f"[start, end] windows, not a {type(raw).__name__}")
    return {str(name): _windows(path, name, windows) for name, windows in raw.items()}


def windows_for(labels: dict[str, list[Window]], csv_path: str | Path, labels_path: str | Path) -> list[Window]:
    """The windows of one CSV: by its path relative to the labels' folder, else by its file name."""
    csv_path = Path(csv_path).resolve()
    try:
        relative = csv_path.relative_to(Path(labels_path).resolve().parent).as_posix()
    except ValueError:
        relative = None
    if relative in labels:
        return labels[relative]
    same_name = [key for key in labels if Path(key).name == csv_path.name]
    if len(same_name) == 1:
        return labels[same_name[0]]
    if same_name:
        raise InsightsInputError(f"{labels_path}: several entries are named {csv_path.name} ("
                                 + ", ".join(same_name) + "); put the CSV where its path relative to "
                                 "the labels file matches one")
    raise InsightsInputError(f"{labels_path}: no entry for {csv_path.name} (looked for "
                             f"'{relative or csv_path.name}' and any key ending in that file name)")


def _windows(path: Path, name: str, windows) -> list[Window]:
    if not isinstance(windows, list):
        raise InsightsInputError(f"{path}: the entry '{name}' must be a list of [start, end] windows")
    out = []
    for i, window in enumerate(windows):
        if not (isinstance(window, list | tuple) and len(window) == 2):
            raise InsightsInputError(f"{path}: window {i + 1} of '{name}' is {window!r}, not [start, end]")
        try:
            start, end = (pd.Timestamp(t) for t in window)
        except (ValueError, TypeError):
            raise InsightsInputError(f"{path}: window {i + 1} of '{name}' has a time that is not a date: "
                                     f"{window!r}") from None
        if start.tzinfo is not None:                 # the series frame's times are naive UTC
            start, end = start.tz_convert(None), end.tz_convert(None)
        if end < start:
            raise InsightsInputError(f"{path}: window {i + 1} of '{name}' ends before it starts: {window!r}")
        out.append((start, end))
    return sorted(out)
