"""Retrieval benchmark: our hybrid retriever against a plain LangChain baseline, side by side in one process.

Baseline: RecursiveCharacterTextSplitter(1000/200) over the raw text + FAISS + the same embedding model.
Corpora: the bundled corpus, then bundled + ../shared/extra-corpus (read in place, never copied).
Prints hit@1, hit@5, MRR@10, query latency p50/p95 and indexing throughput.

    .venv/bin/python bench/retrieval_bench.py [--questions eval/questions.jsonl]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.ingest.embed import LocalEmbeddings  # noqa: E402
from assistant.evaluation.answers import passage_matches, percentile  # noqa: E402
from assistant.evaluation.questions import read_questions  # noqa: E402
from assistant.ingest.build import build_index  # noqa: E402
from assistant.ingest.store import load_index  # noqa: E402
from assistant.ingest.load import list_documents, load_file  # noqa: E402
from assistant.retrieval.hybrid import HybridRetriever  # noqa: E402
from assistant.settings import Settings  # noqa: E402

EXTRA = ROOT.parent / "shared" / "extra-corpus"


def score(questions, search):
    """search(question) -> list of (doc, text); returns metrics and latencies."""
    ranks, lat = [], []
    for q in questions:
        t0 = time.perf_counter()
        hits = search(q.question)
        lat.append((time.perf_counter() - t0) * 1000)
        if q.answerable:
            ranks.append(next((r for r, (doc, text) in enumerate(hits, 1) if passage_matches(q, doc, text)), None))
    n = len(ranks) or 1
    return {
        "hit@1": sum(1 for r in ranks if r == 1) / n,
        "hit@5": sum(1 for r in ranks if r and r <= 5) / n,
        "mrr@10": sum(1 / r for r in ranks if r and r <= 10) / n,
        "p50": statistics.median(lat),
        "p95": percentile(lat, 95),
    }


def ours(settings: Settings, corpora: list[Path], emb: LocalEmbeddings, questions, workdir: Path):
    t0 = time.perf_counter()
    report = build_index(settings, corpora, workdir / "ours", embeddings=emb)
    build_s = time.perf_counter() - t0
    chars = sum(len(load_file(p).text) for c in corpora for p in list_documents(c))
    retriever = HybridRetriever.from_index(load_index(workdir / "ours"), settings, emb)
    for q in questions[:5]:
        retriever.search(q.question)  # warm-up
    metrics = score(questions, lambda q: [(h.chunk.doc, h.chunk.text) for h in retriever.search(q, k=10)])
    metrics["chars_per_s"] = chars / build_s
    metrics["chunks"] = report.chunks
    return metrics


def baseline(corpora: list[Path], emb: LocalEmbeddings, questions):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from langchain_community.vectorstores import FAISS
        from langchain_community.vectorstores.utils import DistanceStrategy
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    texts, metas, chars = [], [], 0
    t0 = time.perf_counter()
    for c in corpora:
        for p in list_documents(c):
            raw = load_file(p)
            chars += len(raw.text)
            for piece in splitter.split_text(raw.text):
                texts.append(piece)
                metas.append({"doc": p.name})
    store = FAISS.from_texts(texts, emb, metadatas=metas, distance_strategy=DistanceStrategy.MAX_INNER_PRODUCT)
    build_s = time.perf_counter() - t0
    for q in questions[:5]:
        store.similarity_search(q.question, k=10)
    metrics = score(questions, lambda q: [(d.metadata["doc"], d.page_content) for d in store.similarity_search(q, k=10)])
    metrics["chars_per_s"] = chars / build_s
    metrics["chunks"] = len(texts)
    return metrics


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(ROOT / "eval" / "questions.jsonl"))
    args = ap.parse_args()
    questions = read_questions(Path(args.questions))
    settings = Settings()
    emb = LocalEmbeddings.from_settings(settings)
    emb.encode(["预热"])  # model load is not part of indexing throughput
    setups = [("bundled", [settings.corpus_path])]
    if EXTRA.is_dir():
        setups.append(("bundled+extra", [settings.corpus_path, EXTRA]))
    else:
        print(f"(no {EXTRA}: the extra-corpus run is skipped)")
    rows = []
    for name, corpora in setups:
        with tempfile.TemporaryDirectory() as tmp:
            rows.append((name, "ours (hybrid)", ours(settings, corpora, emb, questions, Path(tmp))))
        rows.append((name, "baseline (1000/200 + FAISS)", baseline(corpora, emb, questions)))
    print(f"\nembedding: {emb.name}, {emb.threads or 'all'} threads (embedding_engine = {settings.embedding_engine!r})")
    print(f"questions: {len(questions)} ({sum(q.answerable for q in questions)} answerable) from {args.questions}")
    header = f"{'corpus':<14} {'retriever':<28} {'hit@1':>6} {'hit@5':>6} {'MRR@10':>7} {'p50 ms':>7} {'p95 ms':>7} {'chunks':>7} {'index chars/s':>14}"
    print(header)
    print("-" * len(header))
    for name, label, m in rows:
        print(f"{name:<14} {label:<28} {m['hit@1']:>6.3f} {m['hit@5']:>6.3f} {m['mrr@10']:>7.3f} {m['p50']:>7.1f} "
              f"{m['p95']:>7.1f} {m['chunks']:>7} {m['chars_per_s']:>14,.0f}")
    by = {(n, l.split()[0]): m for n, l, m in rows}
    for name, _ in setups:
        o, b = by[(name, "ours")], by[(name, "baseline")]
        ratio = o["mrr@10"] / b["mrr@10"] if b["mrr@10"] else float("inf")
        print(f"{name}: MRR ours/baseline = {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
