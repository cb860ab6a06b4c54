"""The application shell: the `tidemark` command, the pipeline runner, the runtime wiring
(platform registry, simulator start-up) and the Dagster code location. Top layer: it may import
everything below it, nothing imports it (see the import contracts in `.importlinter`)."""
