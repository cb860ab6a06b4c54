"""YouTube Analytics v2 reports on a real simulator: lag, late data, filters, shapes, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .conftest import NOW

CORE = "views,engagedViews,estimatedMinutesWatched,averageViewDuration,likes,comments,shares,subscribersGained"
START = (NOW - timedelta(days=60)).date().isoformat()
END = NOW.date().isoformat()


def _rows(resp):
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["kind"] == "youtubeAnalytics#resultTable"
    return [h["name"] for h in body["columnHeaders"]], body.get("rows", [])


def test_day_report_headers_and_lag(yt):
    resp = yt.report(startDate=START, endDate=END, metrics=CORE, dimensions="day")
    names, rows = _rows(resp)
    headers = resp.json()["columnHeaders"]
    assert names == ["day", *CORE.split(",")]
    assert headers[0] == {"name": "day", "columnType": "DIMENSION", "dataType": "STRING"}
    assert headers[1] == {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"}
    assert rows[-1][0] == (NOW.date() - timedelta(days=2)).isoformat()  # nothing newer than now - 2
    assert [r[0] for r in rows] == sorted(r[0] for r in rows) and len(rows) == 59
    assert all(isinstance(v, int) and v >= 0 for r in rows for v in r[1:])
    _, empty = _rows(yt.report(startDate=END, endDate=END, metrics="views", dimensions="day"))
    assert empty == []
    assert "rows" not in yt.report(startDate=END, endDate=END, metrics="views", dimensions="day").json()


def test_late_data_is_revised_upwards_on_a_later_read(yt):
    day = (NOW.date() - timedelta(days=2)).isoformat()
    _, first = _rows(yt.report(startDate=day, endDate=day, metrics="views,likes", dimensions="day"))
    yt.admin("clock", {"now": (NOW + timedelta(days=3)).isoformat()})
    _, later = _rows(yt.report(startDate=day, endDate=day, metrics="views,likes", dimensions="day"))
    assert first[0][0] == later[0][0] == day
    assert later[0][1] > first[0][1]
    assert 0.80 <= first[0][1] / later[0][1] <= 0.90


def test_video_filter_sums_match_across_report_shapes(yt):
    ids = yt.all_video_ids()
    target, other = ids[10], ids[11]
    _, daily = _rows(yt.report(startDate=START, endDate=END, metrics="views,likes,estimatedMinutesWatched",
                               dimensions="day", filters=f"video=={target}"))
    _, total = _rows(yt.report(startDate=START, endDate=END, metrics="views,likes,estimatedMinutesWatched",
                               filters=f"video=={target}"))
    _, top = _rows(yt.report(startDate=START, endDate=END, metrics="views,likes,estimatedMinutesWatched",
                             dimensions="video", sort="-views", maxResults=200))
    sums = [sum(r[i] for r in daily) for i in (1, 2, 3)]
    assert sums[0] > 0
    assert total[0] == sums
    assert next(r[1:] for r in top if r[0] == target) == sums
    _, other_daily = _rows(yt.report(startDate=START, endDate=END, metrics="views", dimensions="day",
                                     filters=f"video=={other}"))
    _, both = _rows(yt.report(startDate=START, endDate=END, metrics="views", dimensions="day",
                              filters=f"video=={target},{other}"))
    per_day = {}
    for r in daily:
        per_day[r[0]] = per_day.get(r[0], 0) + r[1]
    for r in other_daily:
        per_day[r[0]] = per_day.get(r[0], 0) + r[1]
    assert {r[0]: r[1] for r in both} == per_day


def test_top_videos_sorting_and_paging(yt):
    params = {"startDate": START, "endDate": END, "metrics": "views,likes", "dimensions": "video"}
    _, rows = _rows(yt.report(**params, sort="-views", maxResults=10))
    assert len(rows) == 10 and [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    _, page2 = _rows(yt.report(**params, sort="-views", maxResults=5, startIndex=6))
    assert page2 == rows[5:10]
    assert yt.report(**params, sort="-views", maxResults=201).status_code == 400
    assert yt.report(**params, maxResults=10).status_code == 400  # top-video reports need sort


def test_content_type_reports(yt):
    _, rows = _rows(yt.report(startDate=START, endDate=END, metrics="views,engagedViews",
                              dimensions="creatorContentType"))
    by_type = {r[0]: r[1:] for r in rows}
    assert set(by_type) == {"SHORTS", "VIDEO_ON_DEMAND"}
    assert by_type["SHORTS"][1] < by_type["SHORTS"][0]  # swiped-away Shorts views are not engaged
    assert by_type["VIDEO_ON_DEMAND"][1] == by_type["VIDEO_ON_DEMAND"][0]
    _, daily = _rows(yt.report(startDate=START, endDate=END, metrics="views,engagedViews",
                               dimensions="day,creatorContentType"))
    assert {r[1] for r in daily} == {"SHORTS", "VIDEO_ON_DEMAND"}
    assert sum(r[2] for r in daily if r[1] == "SHORTS") == by_type["SHORTS"][0]
    _, total = _rows(yt.report(startDate=START, endDate=END, metrics="views"))
    assert total[0][0] == sum(r[1] for r in rows)


def test_retention_curve_has_100_points(yt):
    vid = yt.all_video_ids()[3]
    params = {"startDate": START, "endDate": END, "dimensions": "elapsedVideoTimeRatio",
              "metrics": "audienceWatchRatio,relativeRetentionPerformance"}
    resp = yt.report(**params, filters=f"video=={vid}")
    names, rows = _rows(resp)
    assert names == ["elapsedVideoTimeRatio", "audienceWatchRatio", "relativeRetentionPerformance"]
    assert resp.json()["columnHeaders"][0]["dataType"] == "FLOAT"
    assert len(rows) == 100 and rows[0][0] == 0.01 and rows[-1][0] == 1.0
    ratios = [r[1] for r in rows]
    assert ratios == sorted(ratios, reverse=True)
    assert yt.report(**params).status_code == 400  # needs a video filter


def test_demographics_and_countries(yt):
    _, rows = _rows(yt.report(startDate=START, endDate=END, metrics="viewerPercentage",
                              dimensions="ageGroup,gender"))
    assert len(rows) == 21 and sum(r[2] for r in rows) == pytest.approx(100.0, abs=1e-6)
    assert {r[1] for r in rows} == {"female", "male", "user_specified"}
    assert rows[0][0] == "age13-17"
    _, ages = _rows(yt.report(startDate=START, endDate=END, metrics="viewerPercentage", dimensions="ageGroup"))
    assert sum(r[1] for r in ages) == pytest.approx(100.0, abs=1e-6)
    _, countries = _rows(yt.report(startDate=START, endDate=END, metrics="views,estimatedMinutesWatched",
                                   dimensions="country"))
    _, total = _rows(yt.report(startDate=START, endDate=END, metrics="views,estimatedMinutesWatched"))
    assert sum(r[1] for r in countries) == total[0][0]
    assert sum(r[2] for r in countries) == total[0][1]
    assert all(len(r[0]) == 2 for r in countries)


@pytest.mark.parametrize(("params", "needle"), [
    ({"metrics": "views,fooBar"}, "fooBar"),
    ({"metrics": "views", "dimensions": "weekday"}, "weekday"),
    ({"metrics": "views", "dimensions": "day", "filters": "planet==mars"}, "planet"),
])
def test_unknown_identifiers_are_400_bad_request(yt, params, needle):
    resp = yt.report(startDate=START, endDate=END, **params)
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["code"] == 400 and needle in err["message"]
    assert err["errors"][0]["reason"] == "badRequest" and err["errors"][0]["domain"] == "global"


def test_other_channels_and_bad_dates_are_refused(yt):
    assert yt.report(ids="channel==UCnotMine000000000000001", startDate=START, endDate=END,
                     metrics="views").status_code == 403
    assert yt.report(startDate=END, endDate=START, metrics="views").status_code == 400
    assert yt.report(startDate="2026/01/01", endDate=END, metrics="views").status_code == 400
