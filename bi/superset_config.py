"""Superset's configuration for Tidemark (SUPERSET_CONFIG_PATH points here; `tidemark bi` sets it).

Everything Superset keeps lives under TIDEMARK_SUPERSET_HOME (.tidemark/superset by default):
the SQLite metadata DB and the SECRET_KEY, generated once by `tidemark bi` (0600) and read here,
so the encrypted connection password stays readable across restarts. The server listens on
loopback only (`superset run -h 127.0.0.1`, started by `tidemark bi serve`).
"""

import os
from pathlib import Path

_HOME = Path(os.environ["TIDEMARK_SUPERSET_HOME"])

SECRET_KEY = (_HOME / "secret_key").read_text().strip()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{_HOME / 'superset.db'}?check_same_thread=false"
DATA_DIR = str(_HOME / "data")

# No example data, no telemetry, no calls out of this machine.
SUPERSET_LOAD_EXAMPLES = False
# The 30-day charts end on the newest day of data, found by a sub-query in their WHERE clause.
FEATURE_FLAGS = {"DASHBOARD_RBAC": False, "ALLOW_ADHOC_SUBQUERY": True}
SCARF_ANALYTICS = False
THUMBNAIL_SELENIUM_USER = None
# Chart results cached in process memory only (no Redis here).
CACHE_CONFIG = {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": 300}
DATA_CACHE_CONFIG = CACHE_CONFIG
# The warehouse connection is read-only by its Postgres role; SQL Lab may not try DML either.
PREVENT_UNSAFE_DB_CONNECTIONS = True
ROW_LIMIT = 5000
SESSION_COOKIE_SAMESITE = "Lax"
