#!/usr/bin/env bash
# A venv with Prophet 1.5.0 for benchmarks/bench_forecast.py ONLY: Prophet is never a Tidemark
# dependency (not in requirements.lock). Usage: benchmarks/prophet_env.sh [VENV_DIR]
# The benchmark runs Prophet there as a subprocess (benchmarks/prophet_runner.py).
set -euo pipefail
venv="${1:-.tidemark/prophet-venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import prophet, sys; sys.exit(prophet.__version__ != '1.5.0')" 2>/dev/null \
    || "$venv/bin/pip" install --quiet "prophet==1.5.0"
"$venv/bin/python" -c "import prophet; print('prophet', prophet.__version__, 'in', '$venv')"
