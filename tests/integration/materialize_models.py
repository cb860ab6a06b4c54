"""`python -m tests.integration.materialize_models NAME SELECT`: one dbt build through the Dagster
instance (DAGSTER_HOME), as a separate process — the concurrency test starts two at once."""

from __future__ import annotations

import sys

import dagster as dg

from orchestration.transform.dbt import dbt_models, dbt_resource
from tidemark.runtime import WiredRuntime

if __name__ == "__main__":
    name, select = sys.argv[1], sys.argv[2]
    with dg.DagsterInstance.get() as instance:
        result = dg.materialize([dbt_models(name, select)], instance=instance, raise_on_error=False,
                                resources={"tidemark": WiredRuntime(), "dbt": dbt_resource()})
    sys.exit(0 if result.success else 1)
