"""Run tags with a meaning beyond the UI: the run coordinator limits concurrency by them."""

TRANSFORM_TAG = "tidemark/transform"  # runs that build dbt models: one at a time
PLATFORM_TAG = "tidemark/platform"  # ingestion runs: one at a time per platform
LAUNCHER_TAG = "tidemark/launched_by"  # "tidemark run" for runs executed in the CLI's own process
WORKSPACE_TAG = "tidemark/workspace"  # a run for one workspace: its accounts, its reports
