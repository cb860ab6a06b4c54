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
# The BI tool: Apache Superset in its own venv under .tidemark/ (its pins never meet the pipeline's),
# installed from bi/requirements.lock; the stamp holds the lock's hash, so a changed lock reinstalls.
BI_VENV := .tidemark/superset-venv
BI_STAMP := $(BI_VENV)/.tidemark-lock
BI_PORT ?= 8088

.PHONY: run test ui install lint lint-sql docs clean-data bi bi-install

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

test: $(STAMP) $(BI_STAMP)
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


$(BI_STAMP): bi/requirements.lock
	@test -x $(BI_VENV)/bin/python || $(PYTHON) -m venv $(BI_VENV)
	$(BI_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r bi/requirements.lock
	@sha256sum bi/requirements.lock | cut -d' ' -f1 > $(BI_STAMP)

bi-install: $(BI_STAMP)

bi: $(STAMP) $(BI_STAMP)
	$(BIN)/tidemark bi up --port $(BI_PORT)
