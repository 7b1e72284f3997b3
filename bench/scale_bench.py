"""Scale benchmark: how the index backends grow from 10^3 to 10^6 chunks, on synthetic corpora (scale_data.py:
512-dim clustered vectors shaped like the embedding model's, Chinese token texts sampled from the real corpora's
vocabulary, documents with region/years/genre).

For each backend configuration and size, a worker process (scale_worker.py) builds the index through the
product's classes and reports: build time; p50/p95 of the product's hybrid ranking (dense + BM25 + fusion as
FaissRanker / MilvusRanker run it, the question already embedded) without and with a document filter (the
question's region, about 3% of the rows); p95 of the dense and BM25 parts alone; the process's RSS growth
(milvus-lite 3 runs its server inside the process, so its figure includes the engine); recall@10 of each part
against exact search (dense: exact inner product; BM25: exact Okapi scores, equal to rank_bm25's).

A configuration stops at larger sizes once its p95 passes the target (300 ms) or its next build would pass
--build-limit. Everything is written under a temporary folder, removed at the end.

    .venv/bin/python bench/scale_bench.py [--sizes 1e3,1e4,1e5,1e6] [--configs flat+csr,hnsw+csr]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

from scale_worker import CONFIGS  # noqa: E402

TARGET_MS = 300.0


def run(cmd: list[str], timeout: float) -> tuple[dict | None, str]:
    """A worker's JSON line, or None and why not."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout / 60:.0f} min"
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        return None, f"failed: {(done.stderr or done.stdout).strip().splitlines()[-1:]}"
    return json.loads(lines[-1]), ""


def worst_p95(r: dict) -> float:
    return max(r["all"]["p95"], r["filtered"]["p95"])


def available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("inf")


def stop_reason(r: dict, next_n: int, build_limit: float) -> str:
    """Why a configuration should not run at the next size ("" to go on): past the target, or predicted
    (linearly in N; HNSW builds a little over) to be far past it, to build too long, or to exhaust memory."""
    n, p95 = r["n"], worst_p95(r)
    if p95 > TARGET_MS:
        return f"p95 {dur(p95)} at {fmt_n(n)}, past {TARGET_MS:.0f} ms"
    if not next_n:
        return ""
    ratio = next_n / n
    where = f"predicted at {fmt_n(next_n)} from {fmt_n(n)}"
    if p95 * ratio > 4 * TARGET_MS:
        return f"p95 {dur(p95)} at {fmt_n(n)}, about {dur(p95 * ratio)} {where}"
    if r["build_s"] * ratio * 1.2 > build_limit:
        return f"build {r['build_s']:.0f} s at {fmt_n(n)}, about {r['build_s'] * ratio * 1.2 / 60:.0f} min {where}"
    memory = (r["base_mb"] + r["peak_build_mb"]) * ratio
    if memory > 0.7 * available_mb():
        return (f"RSS Δ {r['rss_mb']:.0f} MB at {fmt_n(n)}, about {memory / 1024:.0f} GB {where} "
                f"({available_mb() / 1024:.0f} GB available)")
    return ""


def fmt_ms(v: float) -> str:
    return f"{v / 1000:.2f} s" if v >= 1000 else (f"{v:.0f}" if v >= 10 else f"{v:.1f}")


def dur(v: float) -> str:
    return f"{v / 1000:.2f} s" if v >= 1000 else f"{fmt_ms(v)} ms"


def fmt_n(n: int) -> str:
    e = len(str(n)) - 1
    return f"10^{e}" if n == 10**e else f"{n:,}"


def table(results: list[dict]) -> str:
    head = ("| N | config | build s | hybrid p50 / p95 ms | filtered p50 / p95 ms | dense p95 ms (1 thr / default) "
            "| BM25 p95 ms | RSS Δ MB (build peak) | after questions MB (shared file pages) | dense R@10 all / filt "
            "| BM25 R@10 all / filt |")
    rows = [head, "|" + "---|" * 11]
    for r in results:
        d, b = r["dense"], r["bm25"]
        default = f" / {fmt_ms(d['default_threads']['p95'])}" if "default_threads" in d else ""
        rows.append(f"| {fmt_n(r['n'])} | {r['config']} | {r['build_s']:.1f} "
                    f"| {fmt_ms(r['all']['p50'])} / {fmt_ms(r['all']['p95'])} "
                    f"| {fmt_ms(r['filtered']['p50'])} / {fmt_ms(r['filtered']['p95'])} "
                    f"| {fmt_ms(d['p95'])}{default} | {fmt_ms(b['p95'])} "
                    f"| {r['rss_mb']:.0f} ({r['peak_build_mb']:.0f}) "
                    f"| {r.get('rss_after_mb', float('nan')):.0f} ({r.get('file_after_mb', float('nan')):.0f}) "
                    f"| {d['recall']:.3f} / {d['recall_filtered']:.3f} | {b['recall']:.3f} / {b['recall_filtered']:.3f} |")
    return "\n".join(rows)


def growth(results: list[dict]) -> list[str]:
    """Per configuration: how build time, p95 and memory grow per 10× chunks."""
    out = []
    for config in CONFIGS:
        mine = sorted((r for r in results if r["config"] == config), key=lambda r: r["n"])
        steps = []
        for a, b in zip(mine, mine[1:]):
            steps.append(f"{fmt_n(a['n'])}→{fmt_n(b['n'])}: build ×{b['build_s'] / max(a['build_s'], 1e-3):.1f}, "
                         f"p95 ×{worst_p95(b) / max(worst_p95(a), 1e-3):.1f}, RSS ×{b['rss_mb'] / max(a['rss_mb'], 1):.1f}")
        if steps:
            out.append(f"- {config}: " + "; ".join(steps))
    return out


def crossing(results: list[dict], config: str, part: str) -> str:
    """Where a part's p95 passes the target: measured, or extrapolated linearly from the largest size run."""
    mine = sorted((r for r in results if r["config"] == config), key=lambda r: r["n"])
    if not mine:
        return f"{config} {part}: not run"
    for r in mine:
        if r[part]["p95"] > TARGET_MS:
            return f"{config} {part}: p95 {dur(r[part]['p95'])} at {fmt_n(r['n'])} (past {TARGET_MS:.0f} ms)"
    last = mine[-1]
    at = last["n"] * TARGET_MS / max(last[part]["p95"], 1e-3)
    return (f"{config} {part}: p95 {dur(last[part]['p95'])} at {fmt_n(last['n'])}; linear growth reaches "
            f"{TARGET_MS:.0f} ms near {at:,.0f} chunks")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6", help="corpus sizes in chunks, comma-separated")
    ap.add_argument("--configs", default=",".join(CONFIGS), help="configurations, comma-separated: " + ", ".join(CONFIGS))
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--budget", type=float, default=90.0, help="seconds of timed questions per measurement")
    ap.add_argument("--build-limit", type=float, default=3600.0, help="skip a build predicted to take longer (s)")
    ap.add_argument("--query-threads", type=int, default=1, help="BLAS/OpenMP threads per question (0: default)")
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--workdir", type=Path, help="where the temporary corpora and indexes go (default: /tmp)")
    args = ap.parse_args()
    sizes = sorted(int(float(s)) for s in args.sizes.split(","))
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        ap.error(f"unknown configs {unknown}; choose from {list(CONFIGS)}")
    work = Path(tempfile.mkdtemp(prefix="scale-bench-", dir=args.workdir))
    print(f"# Scale benchmark — {os.cpu_count()} cores, load average at start {os.getloadavg()[0]:.1f}; "
          f"{args.query_threads or 'default'} thread(s) per question; work in {work}", flush=True)
    results: list[dict] = []
    stopped: dict[str, str] = {}
    python = sys.executable
    try:
        for n in sizes:
            data = work / f"data-{n}"
            t0 = time.perf_counter()
            out = subprocess.run([python, str(BENCH / "scale_data.py"), str(n), str(data), str(args.queries)],
                                 capture_output=True, text=True, cwd=ROOT)
            if out.returncode:
                sys.exit(f"generating {n} chunks failed: {out.stderr[-2000:]}")
            print(f"\n{fmt_n(n)} chunks generated with exact answers in {time.perf_counter() - t0:.0f} s", flush=True)
            for config in configs:
                if config in stopped:
                    print(f"  {config}: {fmt_n(n)} not run ({stopped[config]})", flush=True)
                    continue
                cmd = [python, str(BENCH / "scale_worker.py"), config, str(data), str(work / f"{config}-{n}"),
                       "--budget", str(args.budget), "--query-threads", str(args.query_threads)]
                result, why = run(cmd, timeout=args.build_limit * 1.5 + 8 * args.budget + 600)
                shutil.rmtree(work / f"{config}-{n}", ignore_errors=True)
                if result is None:
                    stopped[config] = f"{fmt_n(n)} {why}"
                    print(f"  {config}: {why}", flush=True)
                    continue
                results.append(result)
                print(f"  {config}: build {result['build_s']:.1f} s, p95 {dur(result['all']['p95'])}, "
                      f"filtered {dur(result['filtered']['p95'])}, RSS Δ {result['rss_mb']:.0f} MB", flush=True)
                later = [s for s in sizes if s > n]
                why = stop_reason(result, later[0] if later else 0, args.build_limit)
                if why:
                    stopped[config] = why
            shutil.rmtree(data, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n" + table(results))
    print("\nGrowth per 10× chunks (worst of unfiltered / filtered p95):")
    print("\n".join(growth(results)))
    if stopped:
        print("\nNot run further:")
        print("\n".join(f"- {c}: {why}" for c, why in stopped.items()))
    print(f"\nWhere a part passes {TARGET_MS:.0f} ms p95:")
    for config, part in (("flat+csr", "dense"), ("flat+rank_bm25", "bm25"), ("flat+csr", "bm25")):
        print("- " + crossing(results, config, part))
    top = max(sizes)
    fit = sorted((worst_p95(r), r["config"]) for r in results if r["n"] == top and worst_p95(r) <= TARGET_MS)
    print(f"\nTarget (p95 ≤ {TARGET_MS:.0f} ms at {fmt_n(top)}, filtered or not): "
          + (f"met by {', '.join(f'{c} ({dur(p)})' for p, c in fit)}" if fit else "not met"))
    print(f"Load average at end {os.getloadavg()[0]:.1f} (the machine is shared: timings include other work).")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
