"""Load benchmark: N concurrent clients ask over loopback through `gradio_client` for a fixed time while an admin
re-indexes, against `assistant serve` on copies of the bundled corpus and index (nothing of the project's own
is touched). Prints throughput, p50/p95 latency, errors, and the target of the hardening issue
(20 clients for 2 minutes, zero errors, extractive p95 ≤ 1 s on 2 cores).

    .venv/bin/python bench/load_bench.py [--clients 20] [--seconds 120] [--reindex-every 30]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def questions() -> list[str]:
    """Every distinct question of the project's question sets (several hundred): answered, refused, compared."""
    import json

    seen: dict[str, None] = {}
    for path in sorted((ROOT / "eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                q = json.loads(line).get("question")
            except ValueError:
                continue
            if isinstance(q, str) and q.strip():
                seen.setdefault(q.strip(), None)
    return list(seen)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc), to show where the two cores went."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_up(url: str, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "config", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("server did not start")


def client_group(url: str, ks: list[int], pool: list[str], stop: float, results) -> None:
    """Clients `ks`, one thread each, asking until `stop`; puts (latencies, errors, questions asked)."""
    import random

    from gradio_client import Client

    latencies, errors, asked = [], [], []
    lock = threading.Lock()

    def client(k: int) -> None:
        # Plain HTTP over loopback: no certificate is checked, and with ssl_verify on, gradio_client loads the CA
        # bundle for every request (~50 ms CPU each), so the clients would measure themselves, not the server.
        c = Client(url, verbose=False, ssl_verify=False)
        order = random.Random(k).sample(pool, len(pool))  # each client its own order: few repeats at first
        i = 0
        while time.time() < stop:
            q = order[i % len(order)]
            i += 1
            t0 = time.perf_counter()
            try:
                c.predict(q, "", "", "", "", "", api_name="/ask")
                with lock:
                    latencies.append(time.perf_counter() - t0)
                    asked.append(q)
            except Exception as exc:  # noqa: BLE001 -- every failure is counted and shown
                with lock:
                    errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")

    threads = [threading.Thread(target=client, args=(k,)) for k in ks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    cpu = os.times()
    results.put((latencies, errors, asked, cpu.user + cpu.system))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--reindex-every", type=float, default=30, help="seconds between admin re-indexes (0: none)")
    ap.add_argument("--procs", type=int, default=4, help="client processes the clients are spread over")
    args = ap.parse_args()
    from gradio_client import Client

    pool = questions()
    work = Path(tempfile.mkdtemp(prefix="load-bench-"))
    shutil.copytree(ROOT / "corpus", work / "corpus")
    if (ROOT / "index").is_dir():
        shutil.copytree(ROOT / "index", work / "index", ignore=shutil.ignore_patterns(".lock"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(work / "corpus"), "ASSISTANT_INDEX_DIR": str(work / "index"),
           "ASSISTANT_USERS_FILE": str(work / "users.json"), "ASSISTANT_EVAL_DIR": str(work / "eval"),
           "ASSISTANT_DRAFTS_DIR": str(work / "drafts"), "GRADIO_ANALYTICS_ENABLED": "False"}
    log = (work / "server.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_up(url, server)
        stop = time.time() + args.seconds
        # Client threads run in several processes: one Python process cannot drive 20 gradio_clients without
        # its own lock becoming the bottleneck, and would measure itself rather than the server.
        results = multiprocessing.Queue()
        groups = [list(range(k, args.clients, args.procs)) for k in range(min(args.procs, args.clients))]
        procs = [multiprocessing.Process(target=client_group, args=(url, g, pool, stop, results)) for g in groups]
        reindexes: list[float] = []
        admin_errors: list[str] = []
        statuses: list[str] = []

        def admin() -> None:
            c = Client(url, verbose=False, ssl_verify=False)
            n = 0
            while args.reindex_every and time.time() + args.reindex_every < stop:
                time.sleep(args.reindex_every)
                n += 1  # each re-index has something new to embed, so a new index version is swapped in
                (work / "corpus" / f"压测补充材料{n}.txt").write_text(
                    f"某县{2020 + n}年教育工作补充材料\n一、校园安全\n全县开展校园安全隐患排查{n}次，整改问题{10 * n}处。\n",
                    encoding="utf-8")
                t0 = time.perf_counter()
                try:
                    status, _table = c.predict(api_name="/reindex")
                    reindexes.append(time.perf_counter() - t0)
                    statuses.append(status)
                except Exception as exc:  # noqa: BLE001
                    admin_errors.append(f"reindex {type(exc).__name__}: {str(exc)[:120]}")

        started = time.time()
        server_cpu0 = cpu_seconds(server.pid)
        for proc in procs:
            proc.start()
        admin_thread = threading.Thread(target=admin)
        admin_thread.start()
        latencies, errors, asked, client_cpu = [], [], set(), 0.0
        for _ in procs:
            lat, errs, qs, cpu = results.get()
            latencies += lat
            errors += errs
            asked |= set(qs)
            client_cpu += cpu
        server_cpu = cpu_seconds(server.pid) - server_cpu0
        for proc in procs:
            proc.join()
        admin_thread.join()
        errors += admin_errors
        elapsed = time.time() - started
        lat = sorted(latencies)
        def pct(q: float) -> float:
            return lat[min(len(lat) - 1, int(q * len(lat)))] * 1000 if lat else float("nan")

        print(f"clients {args.clients} in {len(procs)} processes, {elapsed:.0f} s, "
              f"{len(asked)} distinct questions of {len(pool)}, re-indexes {len(reindexes)}"
              + (f" ({statistics.mean(reindexes):.1f} s each)" if reindexes else ""))
        print("| answers | throughput /s | p50 ms | p95 ms | max ms | errors | target |")
        print("|---|---|---|---|---|---|---|")
        ok = not errors and lat and pct(0.95) <= 1000
        print(f"| {len(lat)} | {len(lat) / elapsed:.1f} | {pct(0.5):.0f} | {pct(0.95):.0f} | {lat[-1] * 1000 if lat else 0:.0f} "
              f"| {len(errors)} | {'met' if ok else 'NOT met'} (0 errors, p95 ≤ 1000 ms) |")
        if lat:
            print(f"CPU per answer: server {server_cpu / len(lat) * 1000:.1f} ms, clients {client_cpu / len(lat) * 1000:.1f} ms "
                  f"(cores used: server {server_cpu / elapsed:.2f}, clients {client_cpu / elapsed:.2f})")
        if statuses:
            print("last re-index:", statuses[-1])
        for e in sorted(set(errors))[:10]:
            print("  error:", e)
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
