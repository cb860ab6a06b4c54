"""The servers' side: API calls behind page views, error logs and their resolution, system metrics.

API response times follow the platform's UTC load curve (busier hours are slower),
so "mean response time per day" is not a constant; 5xx responses always log an
error, which is how errors and API traffic stay correlated as on a real backend.
"""

from __future__ import annotations

import math
import random

from simulator.community.envelope import DAY_MS, HOUR_MS, SERVER_AGENT, Emitter, short_id
from simulator.community.places import SERVER
from simulator.rand import stable_key

# Relative platform load per UTC hour (members in Europe, the Americas and Asia overlap).
LOAD = (0.55, 0.5, 0.45, 0.4, 0.4, 0.45, 0.55, 0.65, 0.75, 0.8, 0.8, 0.8,
        0.85, 0.9, 0.95, 1.0, 1.0, 1.0, 1.0, 1.0, 0.95, 0.85, 0.75, 0.65)
METRIC_STEP_MS = 5 * 60 * 1000
STACK = ('Traceback (most recent call last):\n  File "app/views.py", line 214, in dispatch\n'
         '    return handler(request)\n  File "app/{mod}.py", line {line}, in {fn}\n{exc}')
API_ERRORS = (("OperationalError: could not obtain connection from pool", "db"),
              ("TimeoutError: upstream feed service timed out", "upstream"),
              ("KeyError: 'community_id'", "api"))
FRONTEND_ERRORS = ("ResizeObserver loop limit exceeded", "ChunkLoadError: Loading chunk 7 failed",
                   "TypeError: Cannot read properties of undefined (reading 'avatar')")
WORKER_ERRORS = ("Celery task update_community_analytics exceeded soft time limit",
                 "Redis connection reset while updating online members",
                 "Geo IP database older than 30 days")


def load(ms: int) -> float:
    return LOAD[(ms // HOUR_MS) % 24]


def api_call(em: Emitter, ms: int, method: str, path: str, end_ms: int) -> int:
    """One api_request (and an error_log when it fails with 5xx); returns the status."""
    rng = em.rng
    u = rng.random()
    status = (500 if u < 0.008 else 503 if u < 0.012 else 404 if u < 0.03 else 401 if u < 0.036
              else 201 if method == "POST" else 200)
    rt = math.exp(rng.gauss(math.log(45 + 70 * load(ms)), 0.45))
    if status >= 500:
        rt += 800 + rng.random() * 4000
    em.track(ms, "api_request", {"method": method, "path": path, "status": status,
                                 "response_time_ms": round(rt, 1)})
    if status >= 500:
        message, category = rng.choice(API_ERRORS)
        error_log(em, ms + int(rt) + 5, "error", category, message, path, method, end_ms,
                  {"status": status, "response_time_ms": round(rt, 1)})
    return status


def error_log(em: Emitter, ms: int, level: str, category: str, message: str, url: str, method: str,
              end_ms: int, extra: dict) -> str:
    """Log an error; ~60 % are resolved 10 min - 2 days later (only inside the window)."""
    error_id = short_id("err_", em.seed, em.scope, em.n, ms)
    exc = message
    em.track(ms, "error_log", {"error_id": error_id, "level": level, "category": category, "message": message,
                               "stack_trace": STACK.format(mod=category, line=40 + len(message), fn="handle",
                                                           exc=exc),
                               "url": url, "method": method, "extra_data": extra})
    rng = random.Random(stable_key(em.seed, "resolve", error_id))
    if rng.random() < 0.6:
        fixed = ms + int(rng.uniform(600_000, 2 * DAY_MS))
        if fixed < end_ms:
            ops = Emitter(em.seed, f"resolve:{error_id}", rng, user_id=None, anonymous_id="ops-console",
                          place=SERVER, tz="UTC", ip="10.0.0.5", user_agent=SERVER_AGENT, out=em.out)
            ops.track(fixed, "error_resolved", {"error_id": error_id})
    return error_id


def frontend_error(em: Emitter, ms: int, path: str, end_ms: int) -> None:
    error_log(em, ms, "warning", "frontend", em.rng.choice(FRONTEND_ERRORS), path, "GET", end_ms,
              {"component": "CommunityFeed"})


def server_events(seed: int, start_ms: int, end_ms: int, out: list[tuple[int, dict]]) -> None:
    """system_metric every 5 minutes (4 types) and background worker errors, for the whole window."""
    tick = -(-start_ms // METRIC_STEP_MS) * METRIC_STEP_MS
    while tick < end_ms:
        rng = random.Random(stable_key(seed, "metrics", tick))
        em = Emitter(seed, f"metrics:{tick}", rng, user_id=None, anonymous_id="host:web-1", place=SERVER,
                     tz="UTC", ip="10.0.0.11", user_agent=SERVER_AGENT, out=out)
        lo = load(tick)
        values = {"cpu_usage": round(min(99.0, 20 + 60 * lo + rng.gauss(0, 5)), 1),
                  "memory_usage": round(45 + 25 * lo + rng.gauss(0, 3), 1),
                  "db_query_ms": round(math.exp(rng.gauss(math.log(6 + 10 * lo), 0.3)), 2),
                  "queue_depth": max(0, int(rng.gauss(40 * lo, 10)))}
        for metric, value in values.items():
            em.emit(tick, "track", "system_metric", {"metric_type": metric, "value": value,
                                                     "additional_data": {"host": "web-1"}},
                    sent_delay_ms=rng.randint(5, 400))
        if tick % HOUR_MS == 0 and rng.random() < 0.2:
            worker = Emitter(seed, f"worker:{tick}", rng, user_id=None, anonymous_id="worker:celery-1",
                             place=SERVER, tz="UTC", ip="10.0.0.21", user_agent=SERVER_AGENT, out=out)
            at = tick + rng.randint(0, HOUR_MS - 1)
            if at < end_ms:
                error_log(worker, at, rng.choice(("warning", "error", "critical")), "background",
                          rng.choice(WORKER_ERRORS), "celery://analytics", "TASK", end_ms, {"retries": 3})
        tick += METRIC_STEP_MS
