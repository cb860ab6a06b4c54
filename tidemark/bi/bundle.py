"""The Superset import bundle: the committed dashboard (bi/dashboard/) plus the database and one
dataset per public mart, generated from what the BI role can see and the dbt docs (manifest.json).

Our chart files are Superset's chart files with two conveniences: `dataset: <mart>` instead of a
dataset uuid, and `query` (the chart's query object) from which the saved query_context is made,
so `/api/v1/chart/{id}/data/` and the tests run exactly the chart's query. `sql` is the same query
written by hand against the marts (docs/bi.md, tests/integration/test_bi.py).
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.settings import PROJECT_ROOT

DASHBOARD_DIR = PROJECT_ROOT / "bi" / "dashboard"
DATABASE_NAME = "Tidemark warehouse"
DATABASE_UUID = "6f1d2a4e-3b7c-4c1e-9a51-7d2e0b1c9a00"
DATABASE_FILE = "databases/Tidemark_warehouse.yaml"
_NAMESPACE = uuid.UUID(DATABASE_UUID)
_TEMPORAL = ("date", "timestamp")


def dataset_uuid(table: str) -> str:
    """Stable across installs and re-imports, so charts find their dataset and updates overwrite."""
    return str(uuid.uuid5(_NAMESPACE, f"marts.{table}"))


@dataclass(frozen=True)
class Chart:
    name: str  # file name without .yaml
    config: dict

    @property
    def uuid(self) -> str:
        return self.config["uuid"]

    @property
    def dataset(self) -> str:
        return self.config["dataset"]

    @property
    def sql(self) -> str:
        return self.config["sql"]

    def query_context(self, datasource_id: int) -> dict:
        query = {"filters": [], "extras": {}, "orderby": [], "row_limit": 10000, **self.config["query"]}
        return {"datasource": {"id": datasource_id, "type": "table"}, "force": False, "queries": [query],
                "form_data": self.form_data(datasource_id), "result_format": "json", "result_type": "full"}

    def form_data(self, datasource_id: int) -> dict:
        return {**self.config["params"], "viz_type": self.config["viz_type"],
                "datasource": f"{datasource_id}__table"}


def load_charts(folder: Path = DASHBOARD_DIR) -> list[Chart]:
    return [Chart(path.stem, yaml.safe_load(path.read_text())) for path in sorted((folder / "charts").glob("*.yaml"))]


def load_dashboard(folder: Path = DASHBOARD_DIR) -> dict:
    return yaml.safe_load((folder / "dashboard.yaml").read_text())


def _position(layout: list, charts: dict[str, Chart]) -> dict:
    """Superset's v2 layout tree from our rows of [chart, width, height]."""
    position = {"DASHBOARD_VERSION_KEY": "v2",
                "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
                "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
                "HEADER_ID": {"type": "HEADER", "id": "HEADER_ID", "meta": {"text": "Tidemark overview"}}}
    for number, row in enumerate(layout, start=1):
        row_id = f"ROW-{number}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {"type": "ROW", "id": row_id, "children": [], "parents": ["ROOT_ID", "GRID_ID"],
                            "meta": {"background": "BACKGROUND_TRANSPARENT"}}
        for name, width, height in row:
            chart = charts[name]  # KeyError names a layout entry without a chart file
            chart_id = f"CHART-{name}"
            position[row_id]["children"].append(chart_id)
            position[chart_id] = {"type": "CHART", "id": chart_id, "children": [],
                                  "parents": ["ROOT_ID", "GRID_ID", row_id],
                                  "meta": {"chartId": 0, "uuid": chart.uuid, "width": width, "height": height,
                                           "sliceName": chart.config["slice_name"]}}
    return position


def _dataset(table: str, columns: list[tuple[str, str]], docs: dict) -> dict:
    described = docs.get(table, {})
    temporal = [name for name, kind in columns if kind.startswith(_TEMPORAL)]
    return {
        "table_name": table, "schema": "marts", "uuid": dataset_uuid(table), "database_uuid": DATABASE_UUID,
        "description": described.get("description") or None, "main_dttm_col": temporal[0] if temporal else None,
        "sql": None, "params": None, "template_params": None, "filter_select_enabled": True,
        "fetch_values_predicate": None, "extra": None, "cache_timeout": None, "offset": 0,
        "default_endpoint": None, "version": "1.0.0",
        "metrics": [{"metric_name": "count", "verbose_name": "COUNT(*)", "metric_type": "count",
                     "expression": "COUNT(*)", "description": None, "d3format": None, "extra": {},
                     "warning_text": None}],
        "columns": [{"column_name": name, "type": kind.upper(), "is_dttm": kind.startswith(_TEMPORAL),
                     "is_active": True, "groupby": True, "filterable": True, "expression": None,
                     "verbose_name": None, "python_date_format": None, "extra": {},
                     "description": described.get("columns", {}).get(name) or None}
                    for name, kind in columns],
    }


def build_bundle(host_uri: str, marts: dict[str, list[tuple[str, str]]], docs: dict,
                 folder: Path = DASHBOARD_DIR) -> bytes:
    """The zip for /api/v1/{database,dataset,chart,dashboard}/import/. `host_uri` is the BI login's
    SQLAlchemy URI with the password masked (Superset takes the password from the `passwords` field);
    `marts` maps each table the BI role can read to its (column, type) list."""
    charts = {chart.name: chart for chart in load_charts(folder)}
    missing = sorted({chart.dataset for chart in charts.values()} - set(marts))
    if missing:
        raise RuntimeError(f"the dashboard reads marts the BI role cannot see (not built yet?): {', '.join(missing)}")
    dashboard = load_dashboard(folder)
    files = {
        "metadata.yaml": {"version": "1.0.0", "timestamp": "2026-11-30T00:00:00+00:00"},
        DATABASE_FILE: {"database_name": DATABASE_NAME, "sqlalchemy_uri": host_uri, "uuid": DATABASE_UUID,
                        "cache_timeout": None, "expose_in_sqllab": True, "allow_run_async": False,
                        "allow_ctas": False, "allow_cvas": False, "allow_dml": False, "allow_csv_upload": False,
                        "extra": {"allows_virtual_table_explore": True, "schema_options": {}},
                        "version": "1.0.0"},
    }
    for table, columns in marts.items():
        files[f"datasets/Tidemark_warehouse/{table}.yaml"] = _dataset(table, columns, docs)
    for chart in charts.values():
        config = {key: value for key, value in chart.config.items() if key not in ("dataset", "query", "sql")}
        files[f"charts/{chart.name}.yaml"] = {**config, "dataset_uuid": dataset_uuid(chart.dataset),
                                              "query_context": None, "cache_timeout": None,
                                              "description": None, "certified_by": None,
                                              "certification_details": None, "version": "1.0.0"}
    layout = dashboard.pop("layout")
    files["dashboards/tidemark.yaml"] = {**dashboard, "position": _position(layout, charts),
                                         "certified_by": None, "certification_details": None}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(f"tidemark_bundle/{name}", yaml.safe_dump(json.loads(json.dumps(content)), sort_keys=False))
    return buffer.getvalue()


def mart_docs(manifest: Path) -> dict:
    """{table: {description, columns: {column: description}}} of the marts' dbt models and sources
    (the Python-written marts are documented as sources), as dbt's docs site shows them."""
    data = json.loads(manifest.read_text())
    docs = {}
    for node in [*data.get("nodes", {}).values(), *data.get("sources", {}).values()]:
        if node.get("resource_type") in ("model", "source") and node.get("schema") == "marts":
            table = node.get("alias") or node.get("identifier") or node["name"]
            docs[table] = {"description": node.get("description") or "",
                           "columns": {name: column.get("description") or ""
                                       for name, column in node.get("columns", {}).items()}}
    return docs


MART_COLUMNS = """
    select table_name, column_name, data_type from information_schema.columns
    where table_schema = 'marts' and table_name not like '%%__dbt_%%'
    order by table_name, ordinal_position
"""


def mart_columns(conn) -> dict[str, list[tuple[str, str]]]:
    """Every table of schema marts the connection's role can read, with its columns in order."""
    with conn.cursor() as cur:
        cur.execute(MART_COLUMNS)
        marts: dict[str, list[tuple[str, str]]] = {}
        for table, column, kind in cur.fetchall():
            marts.setdefault(table, []).append((column, kind))
    return marts
