"""Collector throughput and latency, and the proof that a kill mid-load loses no acknowledged event.

The collector runs as its own process (`tidemark collect --port 0 --landing <tmp>`), as in
production; keep-alive httpx clients on threads of this process load it for `--seconds` per
scenario: single seed-004 calls (`POST /api/metrics/`) and Segment batches (`POST /v1/batch`,
`--batch` events each). Every 2xx means fsynced on disk. Reported: requests/s, events/s, p50 /
p95 / p99 latency, the concurrency. Then a fresh collector is SIGKILLed under load; the next
start finishes its `.part` file, and events acknowledged are compared with events landed.

    .venv/bin/python benchmarks/bench_collector.py [--seconds 10] [--clients 8] [--batch 100]

The clients share this machine's cores with the server: numbers are a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingestion.community.collector import recover  # noqa: E402


def start_collector(landing: Path) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "tidemark.cli", "collect", "--port", "0", "--landing",
                                str(landing)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    match = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline())
    if not match:
        process.kill()
        raise SystemExit("the collector did not start")
    return process, match.group(0)


def metric_call(worker: int, n: int) -> tuple[str, bytes]:
    return "/api/metrics/", orjson.dumps({"metric_type": "cpu_usage", "value": n % 100,
                                          "message_id": f"s{worker}-{n}-{uuid.uuid4().hex[:8]}"})


def batch_call(size: int) -> callable:
    def call(worker: int, n: int) -> tuple[str, bytes]:
        items = [{"type": "track", "messageId": f"b{worker}-{n}-{i}-{uuid.uuid4().hex[:8]}", "userId": f"u{i % 50}",
                  "event": "community_activity", "context": {"ip": "203.0.113.9"},
                  "properties": {"community_id": "c1", "activity_type": "heartbeat"}} for i in range(size)]
        return "/v1/batch", orjson.dumps({"batch": items})
    return call


def load(url: str, make_call, clients: int, seconds: float | None, stop: threading.Event | None = None) -> dict:
    """`clients` threads post until `seconds` pass (or `stop` is set); latencies and acknowledged ids."""
    stop = stop or threading.Event()
    latencies: list[float] = []
    acked: list[str] = []
    failures = [0]
    lock = threading.Lock()

    def client_loop(worker: int) -> None:
        n = 0
        with httpx.Client(base_url=url, timeout=30, headers={"Content-Type": "application/json"}) as client:
            while not stop.is_set():
                path, body = make_call(worker, n)
                n += 1
                started = time.perf_counter()
                try:
                    response = client.post(path, content=body)
                except httpx.HTTPError:
                    return
                elapsed = time.perf_counter() - started
                with lock:
                    if response.status_code == 200:
                        latencies.append(elapsed)
                        acked.extend(response.json()["message_ids"])
                    else:
                        failures[0] += 1

    threads = [threading.Thread(target=client_loop, args=(w,)) for w in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    if seconds is not None:
        time.sleep(seconds)
        stop.set()
    for thread in threads:
        thread.join()
    return {"elapsed": time.perf_counter() - started, "latencies": latencies, "acked": acked,
            "failures": failures[0]}


def report(name: str, clients: int, result: dict) -> None:
    lat = sorted(result["latencies"])
    quantiles = statistics.quantiles(lat, n=100) if len(lat) > 1 else [0.0] * 99
    print(f"{name:<28} concurrency {clients:>2}: {len(lat) / result['elapsed']:>8.0f} req/s "
          f"{len(result['acked']) / result['elapsed']:>9.0f} events/s  p50 {quantiles[49] * 1000:6.1f} ms  "
          f"p95 {quantiles[94] * 1000:6.1f} ms  p99 {quantiles[98] * 1000:6.1f} ms  ({len(lat)} requests, "
          f"{result['failures']} failed)")


def fsync_ms(folder: Path, rounds: int = 20) -> float:
    """Median time of a small append + fsync here: the floor of one acknowledged call's latency."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "probe", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    times = []
    try:
        for _ in range(rounds):
            started = time.perf_counter()
            os.write(fd, b"x" * 200 + b"\n")
            os.fsync(fd)
            times.append(time.perf_counter() - started)
    finally:
        os.close(fd)
        (folder / "probe").unlink()
    return statistics.median(times) * 1000


def landed_ids(landing: Path) -> list[str]:
    ids = []
    for path in sorted(landing.rglob("*.ndjson")):
        ids += [orjson.loads(line)["message_id"] for line in path.read_bytes().splitlines()]
    return ids


def kill_proof(work: Path, clients: int, batch: int, seconds: float) -> bool:
    landing = work / "kill"
    process, url = start_collector(landing)
    stop = threading.Event()
    calls = batch_call(batch)
    box: dict = {}
    runner = threading.Thread(target=lambda: box.update(load(url, lambda w, n: calls(w, n) if n % 4 == 0
                                                             else metric_call(w, n), clients, None, stop)))
    runner.start()
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)  # mid-load: requests in flight on every client
    process.wait()
    stop.set()
    runner.join()
    parts = list(landing.rglob("*.part"))
    recovered = recover(landing)  # what the next `tidemark collect` does first
    landed = landed_ids(landing)
    acked = set(box["acked"])
    lost = acked - set(landed)
    print(f"kill -9 after {seconds:.0f} s of load ({clients} clients): {len(acked)} events acknowledged, "
          f"{len(landed)} landed ({len(set(landed))} distinct; {len(parts)} .part file(s) finished by recovery: "
          f"{len(recovered)}), acknowledged but not landed: {len(lost)}, "
          f"landed but unacknowledged (in flight at the kill): {len(set(landed) - acked)}")
    return not lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-collector-") as tmp:
        work = Path(tmp)
        print(f"append + fsync of 200 bytes in {work}: median {fsync_ms(work / 'probe'):.1f} ms")
        process, url = start_collector(work / "landing")
        try:
            for clients in (1, args.clients, args.clients * 4):
                report("single calls /api/metrics/", clients, load(url, metric_call, clients, args.seconds))
            for clients in (1, max(1, args.clients // 2)):
                report(f"batches of {args.batch} /v1/batch", clients,
                       load(url, batch_call(args.batch), clients, args.seconds))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait()
        print(f"landed: {len(landed_ids(work / 'landing'))} events in "
              f"{len(list((work / 'landing').rglob('*.ndjson')))} file(s); cores: {os.cpu_count()}, "
              f"load average {os.getloadavg()[0]:.1f}")
        ok = kill_proof(work, 4, args.batch, min(args.seconds, 5.0))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
