# Tidemark — the two commands: `make run` (whole pipeline) and `make test` (whole test suite).
# Both bootstrap .venv from requirements.lock on first use; nothing else needs installing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Parallel test processes, each with its own embedded Postgres (2 = this machine's cores); a test
# module stays on one worker, so its module-scoped fixtures are built once; modules go out in the
# order tests/conftest.py sets (longest first), not xdist's by-test-count order.
TEST_WORKERS ?= 2

.PHONY: run test ui install lint lint-sql docs clean-data

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		(echo "Tidemark needs Python 3.11+ (found: $$($(PYTHON) --version)); set PYTHON=python3.11" >&2; exit 1)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/tidemark run

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory lint-sql
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope --no-loadscope-reorder

ui: $(STAMP)
	$(BIN)/tidemark ui

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MAKE) --no-print-directory lint-sql

# SQL style of the dbt models and SQL tests (config: dbt_project/.sqlfluff; Jinja templater, so no
# database and no dbt target/ are needed).
lint-sql: $(STAMP)
	$(BIN)/sqlfluff lint dbt_project --processes 0

docs: $(STAMP)
	$(BIN)/tidemark dbt -- docs generate
	$(BIN)/tidemark dbt -- docs serve --host 127.0.0.1 --port 8080

clean-data:
	-$(BIN)/tidemark db stop
	rm -rf .tidemark reports
