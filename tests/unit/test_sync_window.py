from datetime import date

import pytest

from ingestion.sync import Window, sync_window
from orchestration.social.jobs import schedule_window

TODAY = date(2026, 11, 20)
ARGS = dict(lookback_days=3, today=TODAY, history_start=date(2024, 1, 1), initial_sync_days=400)


def test_first_sync_loads_history():
    window = sync_window(Window(date(2026, 11, 18), TODAY), None, **ARGS)
    assert window == Window(date(2025, 10, 16), TODAY)


def test_incremental_rereads_lookback_from_cursor():
    window = sync_window(Window(TODAY, TODAY), date(2026, 11, 19), **ARGS)
    assert window == Window(date(2026, 11, 17), TODAY)


def test_missed_runs_are_caught_up():
    window = sync_window(Window(date(2026, 11, 18), TODAY), date(2026, 11, 1), **ARGS)
    assert window.start == date(2026, 10, 30)


def test_backfill_range_is_honoured_and_clipped_to_today():
    window = sync_window(Window(date(2025, 3, 1), date(2027, 1, 1)), date(2026, 11, 19), **ARGS)
    assert window == Window(date(2025, 3, 1), TODAY)


def test_history_start_is_a_floor():
    args = ARGS | {"history_start": date(2026, 11, 10)}
    assert sync_window(Window(date(2026, 1, 1), TODAY), None, **args).start == date(2026, 11, 10)


def test_inverted_window_is_an_error():
    with pytest.raises(ValueError, match="before its start"):
        Window(date(2026, 11, 2), date(2026, 11, 1))


def test_schedule_window_covers_lookback():
    assert schedule_window(TODAY, 3) == ("2026-11-18", "2026-11-20")
    assert schedule_window(TODAY, 0) == ("2026-11-20", "2026-11-20")
