"""Where the dbt project lives (next to this package, in the repository)."""

from tidemark.settings import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
