"""Which community models must vouch for a day before the raw cleanup deletes it (from dbt's manifest)."""

import json

from orchestration.community.cleanup import RAW_SOURCE, community_rollups


def _node(name: str, materialized: str, schema: str = "marts", rebuild: dict | None = None) -> dict:
    config = {"materialized": materialized} | ({"community_rebuild": rebuild} if rebuild else {})
    return {"name": name, "schema": schema, "alias": name, "config": config}


def test_incremental_models_found_through_views_and_plain_tables_reported(tmp_path):
    manifest = {
        "nodes": {
            "model.t.stg": _node("stg", "view", "staging"),
            "model.t.daily": _node("daily", "incremental", rebuild={"day_column": "day"}),
            "model.t.metrics": _node("metrics", "incremental", rebuild={"day_column": "(period_start)::date"}),
            "model.t.cohorts": _node("cohorts", "table"),  # built from raw without the macro: loses history
            "model.t.other": _node("other", "table"),  # not fed by community raw
            "model.t.retention": _node("retention", "table"),  # over the incremental rollup only: rebuilt whole
        },
        "child_map": {
            RAW_SOURCE: ["model.t.stg"],
            "model.t.stg": ["model.t.daily", "model.t.cohorts", "test.t.unique_stg"],
            "model.t.daily": ["model.t.metrics", "model.t.retention"],
            "model.t.metrics": [],
            "model.t.cohorts": [],
            "model.t.retention": [],
            "model.t.other": [],
        },
    }
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest))
    incremental, plain = community_rollups(path)
    assert incremental == {"daily": ("marts.daily", "day"), "metrics": ("marts.metrics", "(period_start)::date")}
    assert plain == ["cohorts"]
