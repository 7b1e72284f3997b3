"""One configuration of the scale benchmark at one corpus size, in a process of its own (so its memory is its
own): build through the product's backend classes (VectorStore.write/open) and rankers, time the product's
hybrid ranking (dense + BM25 + fusion, with and without a document filter) and each part alone, and measure
recall@10 of each part against the exact answers (scale_data.ground_truth). Prints one JSON line.

    .venv/bin/python bench/scale_worker.py CONFIG DATA_DIR WORK_DIR [--budget 90]
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scale_data  # noqa: E402
from assistant.evaluation.answers import percentile  # noqa: E402
from assistant.ingest.schema import Chunk, DocMeta  # noqa: E402
from assistant.ingest.store import IndexData  # noqa: E402
from assistant.ingest.vector_store import Rows  # noqa: E402
from assistant.retrieval import rankers  # noqa: E402
from assistant.settings import Settings  # noqa: E402

# name → (backend, dense index type, BM25)
CONFIGS = {
    "flat+rank_bm25": ("faiss", "flat", "rank_bm25"),  # (a) the embedded backend before this work
    "flat+csr": ("faiss", "flat", "csr"),  # the embedded default now: exact dense, precomputed BM25
    "hnsw+csr": ("faiss", "hnsw", "csr"),  # (b) faiss_index = "hnsw"
    "milvus-lite FLAT": ("milvus", "FLAT", "milvus"),  # (c)
    "milvus-lite HNSW": ("milvus", "HNSW", "milvus"),
}
FETCH = 60  # settings.fetch_k


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


class Probe:
    """The product's ranker plus each of its parts alone: part(name, vector, tokens, region) → [(row, score)]."""

    def __init__(self, config: str, corpus: scale_data.Corpus, work: Path):
        backend, index_type, bm25 = CONFIGS[config]
        self.corpus, self.backend = corpus, backend
        tokens = corpus.tokens()
        chunks = [Chunk(f"c{i}", corpus.docs[d]["name"], [], 0, 0, "", "") for i, d in enumerate(corpus.chunk_doc)]
        metas = {d["name"]: DocMeta(title=d["name"], region=d["region"], years=d["years"], genre=d["genre"],
                                    filename=d["name"]) for d in corpus.docs}
        gc.collect()
        self.rss_base, self.file_base = rss_mb(), rss_mb("RssFile")
        started = time.perf_counter()
        rows = Rows(chunks, tokens, corpus.vectors, metas)
        if backend == "faiss":
            from assistant.ingest.faiss_store import FaissStore

            store = FaissStore(index_type)
            entry = store.write(work, "v", rows)
            reader = store.open(work, entry)
            data = IndexData(work, {}, chunks, [], metas, reader, {})
            self.ranker = rankers.FaissRanker(data, Settings())
            if bm25 == "rank_bm25":  # the parts as they were, under today's FaissRanker
                from scale_baseline import LegacyDenseIndex, LegacySparseIndex

                self.ranker.dense, self.ranker.sparse = LegacyDenseIndex(reader.index), LegacySparseIndex(tokens)
        else:
            from assistant.ingest.milvus_store import MilvusStore

            store = MilvusStore(str(work / "milvus.db"), alias="scale", index_type=index_type)
            entry = store.write(work, "v1", rows)
            reader = store.open(work, entry)
            data = IndexData(work, {}, chunks, [], metas, reader, {})
            self.ranker = rankers.MilvusRanker(data, Settings())
        self.build_s = time.perf_counter() - started
        # Chunks and tokens stay in every configuration (in the base figure), so the deltas compare the indexes;
        # an answering process on Milvus would not keep the tokens.
        self.kept = (chunks, tokens, metas)
        del rows, data
        corpus.vectors = None  # the build's input (memory-mapped) goes; what stays is what serving holds
        gc.collect()
        self.rss_serving = rss_mb() - self.rss_base
        self.peak_build = rss_mb("VmHWM") - self.rss_base
        self.docs_of = {r: corpus.region_docs(r) for r in set(corpus.queries["region"])}

    def rank(self, q: int, filtered: bool):
        region = self.corpus.queries["region"][q]
        return self.ranker.rank(self.corpus.queries["vectors"][q], self.corpus.queries["tokens"][q], FETCH,
                                self.docs_of[region] if filtered else None)

    def part(self, name: str, q: int, filtered: bool) -> list[tuple[int, float]]:
        vector, words = self.corpus.queries["vectors"][q], self.corpus.queries["tokens"][q]
        region = self.corpus.queries["region"][q]
        if self.backend == "faiss":
            mask = self.corpus.region_rows(region) if filtered else None
            if name == "dense":
                return self.ranker.dense.search(vector, FETCH, mask)
            return self.ranker.sparse.search(words, FETCH, mask)
        from assistant.ingest.milvus_store import doc_filter

        reader = self.ranker.reader
        expr = doc_filter(sorted(self.docs_of[region])) if filtered else ""
        field, query, metric = ("dense", vector.tolist(), "IP") if name == "dense" else ("sparse", " ".join(words), "BM25")
        found = reader.client.search(reader.collection, data=[query], anns_field=field, limit=FETCH, filter=expr,
                                     search_params={"metric_type": metric}, output_fields=["id"])
        return [(int(hit["id"]), float(hit["distance"])) for hit in found[0]]


def timed(run, queries: int, budget: float) -> list[float]:
    """Milliseconds per call of run(q) for q = 0, 1, …, until `queries` calls or `budget` seconds (at least 5)."""
    run(0)  # warm-up (lazy structures, caches)
    out: list[float] = []
    started = time.perf_counter()
    for q in range(queries):
        t = time.perf_counter()
        run(q)
        out.append((time.perf_counter() - t) * 1000)
        if len(out) >= 5 and time.perf_counter() - started > budget:
            break
    return out


def recall(probe: Probe, name: str, truth: dict, filtered: bool, queries: int) -> float:
    exact = truth[name + ("_filtered" if filtered else "")]
    got = []
    for q in range(queries):
        best = [r for r, _ in probe.part(name, q, filtered)[:10]]
        want = set(exact[q])
        got.append(len(set(best) & want) / max(1, min(10, len(want))))
    return float(np.mean(got))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("config", choices=list(CONFIGS))
    ap.add_argument("data", type=Path)
    ap.add_argument("work", type=Path)
    ap.add_argument("--budget", type=float, default=90.0, help="seconds of timed queries per measurement")
    ap.add_argument("--query-threads", type=int, default=1, help="BLAS/OpenMP threads per question (0: library default)")
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rss_start = rss_mb()
    corpus = scale_data.load(args.data)
    truth = json.loads((args.data / "truth.json").read_text())
    probe = Probe(args.config, corpus, args.work)
    nq = len(corpus.queries["tokens"])
    if CONFIGS[args.config][0] == "faiss":  # the dense part as faiss runs it by default (all cores per question)
        ms = timed(lambda q: probe.part("dense", q, False), nq, args.budget / 4)
        default_threads = {"p50": percentile(ms, 50), "p95": percentile(ms, 95)}
    # One thread per question: an answering server on 2 cores takes several questions at once, and a parallel
    # region per question stalls whenever another process holds a core.
    limit = threadpool_limits(args.query_threads) if args.query_threads > 0 else None
    result = {"config": args.config, "n": corpus.n, "build_s": probe.build_s, "rss_mb": probe.rss_serving,
              "peak_build_mb": probe.peak_build, "base_mb": probe.rss_base - rss_start}
    for filtered in (False, True):
        ms = timed(lambda q: probe.rank(q, filtered), nq, args.budget)
        key = "filtered" if filtered else "all"
        result[key] = {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "queries": len(ms)}
    for name in ("dense", "bm25"):
        ms = timed(lambda q: probe.part(name, q, False), nq, args.budget / 2)
        result[name] = {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "queries": len(ms)}
        rq = max(5, min(nq, int(len(ms) * 0.5)))  # the slow parts are asked fewer questions for recall
        result[name]["recall"] = recall(probe, name, truth, False, rq)
        result[name]["recall_filtered"] = recall(probe, name, truth, True, rq)
    if limit is not None:
        limit.restore_original_limits()
    # After the questions: the index parts read memory-mapped (BM25 weights) are resident only where a question
    # touched them, and as file pages they are shared by every process that maps the same version.
    result["rss_after_mb"] = rss_mb() - probe.rss_base
    result["file_after_mb"] = rss_mb("RssFile") - probe.file_base
    if CONFIGS[args.config][0] == "faiss":
        result["dense"]["default_threads"] = default_threads
    result["query_threads"] = args.query_threads
    print(json.dumps(result))


if __name__ == "__main__":
    main()
