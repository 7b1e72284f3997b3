"""Synthetic corpora for the scale benchmark (scale_bench.py): N chunks of 512-dim vectors and Chinese token
texts, spread over documents with region, years and genre, plus questions and their exact answers.

Vectors imitate the embedding model's: strongly anisotropic (mean cosine about 0.8 between random chunks, as
m3e-small gives on the real corpus) with a topic → document → chunk hierarchy, so neighbours are close and
approximate search has something to miss. Words are the real corpus's (tokenized at run time from corpus/ and
../shared/extra-corpus, never copied), sampled by their real frequencies (Zipf-like) plus a topic's own words.
Everything is written as arrays into a temporary folder that the workers read.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DIM = 512
TOPICS = 256
TOPIC_WORDS = 150
REGIONS = 32  # a region filter keeps about 3% of the rows
GENRES = ("工作计划", "工作总结", "工作要点", "政府工作报告", "实施方案", "通知")
# Squared norms of the shared direction, topic, document and chunk parts (see the module docstring).
G2, TOPIC2, DOC2, CHUNK2 = 1.0, 0.10, 0.075, 0.075
QUERY_NOISE = 0.3


def real_vocabulary() -> tuple[list[str], np.ndarray]:
    """The words of the real corpora and how often each occurs, most frequent first."""
    from assistant.ingest.load import list_documents, load_file
    from assistant.text.clean import clean
    from assistant.text.segment import tokenize

    counts: Counter = Counter()
    for folder in (ROOT / "corpus", ROOT.parent / "shared" / "extra-corpus"):
        if folder.is_dir():
            for path in list_documents(folder):
                counts.update(tokenize(clean(load_file(path).text).text))
    words = [w for w, _ in counts.most_common()]
    return words, np.array([counts[w] for w in words], dtype=np.float64)


@dataclass
class Corpus:
    """One synthetic corpus as read back from its folder (vectors memory-mapped)."""

    folder: Path
    words: list[str]
    vectors: np.ndarray  # (n, DIM) float32, unit rows
    token_ids: np.ndarray  # all chunks' word ids, chunk after chunk
    offsets: np.ndarray  # chunk i's words: token_ids[offsets[i]:offsets[i + 1]]
    chunk_doc: np.ndarray  # document of each chunk
    docs: list[dict]  # name, region, years, genre
    queries: dict  # vectors, token lists, region of each question

    @property
    def n(self) -> int:
        return len(self.chunk_doc)

    def tokens(self) -> list[list[str]]:
        vocab = np.array(self.words, dtype=object)
        return [vocab[self.token_ids[a:b]].tolist() for a, b in zip(self.offsets[:-1], self.offsets[1:])]

    def region_rows(self, region: str) -> np.ndarray:
        regions = np.array([d["region"] for d in self.docs], dtype=object)
        return (regions == region)[self.chunk_doc]

    def region_docs(self, region: str) -> set[str]:
        return {d["name"] for d in self.docs if d["region"] == region}


def unit(rng: np.random.Generator, rows: int) -> np.ndarray:
    x = rng.standard_normal((rows, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def generate(n: int, folder: Path, words: list[str], freq: np.ndarray, queries: int = 100, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    # Documents of 5–35 chunks (20 on average), each of one topic.
    sizes = rng.integers(5, 36, n // 5 + 10)
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n)) + 1]
    sizes[-1] -= int(sizes.sum()) - n
    chunk_doc = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    doc_topic = rng.integers(0, TOPICS, len(sizes))
    docs = [{"name": f"doc{d:07d}.txt", "region": f"地区{int(rng.integers(REGIONS)):02d}",
             "years": sorted({int(y) for y in rng.integers(2015, 2025, rng.integers(1, 3))}),
             "genre": GENRES[int(rng.integers(len(GENRES)))]} for d in range(len(sizes))]
    # Vectors, in blocks so a million of them never exist twice in memory.
    shared, topics, doc_dirs = unit(rng, 1)[0], unit(rng, TOPICS), unit(rng, len(sizes))
    vectors = np.lib.format.open_memmap(folder / "vectors.npy", mode="w+", dtype=np.float32, shape=(n, DIM))
    for s in range(0, n, 100_000):
        d = chunk_doc[s : s + 100_000]
        x = (np.sqrt(G2) * shared + np.sqrt(TOPIC2) * topics[doc_topic[d]] + np.sqrt(DOC2) * doc_dirs[d]
             + np.sqrt(CHUNK2) * unit(rng, len(d)))
        vectors[s : s + len(d)] = x / np.linalg.norm(x, axis=1, keepdims=True)
    vectors.flush()
    # Words: 70% by the real corpus's frequencies, 30% from the chunk's topic's own words (Zipf over them).
    v = len(words)
    topic_words = np.stack([rng.choice(v, TOPIC_WORDS, replace=False, p=np.sqrt(freq) / np.sqrt(freq).sum())
                            for _ in range(TOPICS)])
    zipf = 1.0 / np.arange(1, TOPIC_WORDS + 1)
    lengths = rng.integers(60, 101, n)
    from_topic = np.round(0.3 * lengths).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    token_ids = rng.choice(v, int(offsets[-1]), p=freq / freq.sum()).astype(np.int32)
    topic_rows = np.repeat(np.arange(n), from_topic)
    starts = np.repeat(offsets[:-1], from_topic)
    within = np.arange(len(topic_rows)) - np.repeat(np.cumsum(from_topic) - from_topic, from_topic)
    ranks = rng.choice(TOPIC_WORDS, len(topic_rows), p=zipf / zipf.sum())
    token_ids[starts + within] = topic_words[doc_topic[chunk_doc[topic_rows]], ranks]
    np.save(folder / "token_ids.npy", token_ids)
    np.save(folder / "offsets.npy", offsets)
    np.save(folder / "chunk_doc.npy", chunk_doc)
    # Questions: near one chunk; two of its topic's words, two of its own, one common word; its region as filter.
    targets = rng.choice(n, queries, replace=False)
    qv = np.asarray(vectors[targets]) + QUERY_NOISE * unit(rng, queries)
    qtokens = []
    for t in targets:
        own = token_ids[offsets[t] : offsets[t + 1]]
        picked = [topic_words[doc_topic[chunk_doc[t]], r] for r in rng.choice(TOPIC_WORDS, 2, p=zipf / zipf.sum())]
        picked += list(rng.choice(own, 2)) + [int(rng.choice(v, p=freq / freq.sum()))]
        qtokens.append([words[int(i)] for i in picked])
    np.save(folder / "query_vectors.npy", (qv / np.linalg.norm(qv, axis=1, keepdims=True)).astype(np.float32))
    meta = {"words": words, "docs": docs, "query_tokens": qtokens,
            "query_region": [docs[int(chunk_doc[t])]["region"] for t in targets]}
    (folder / "corpus.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def load(folder: Path) -> Corpus:
    meta = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
    queries = {"vectors": np.load(folder / "query_vectors.npy"), "tokens": meta["query_tokens"],
               "region": meta["query_region"]}
    return Corpus(folder, meta["words"], np.load(folder / "vectors.npy", mmap_mode="r"),
                  np.load(folder / "token_ids.npy"), np.load(folder / "offsets.npy"), np.load(folder / "chunk_doc.npy"),
                  meta["docs"], queries)


def ground_truth(corpus: Corpus, k: int = 10) -> dict:
    """Per question, unrestricted and restricted to its region: the rows of the exact top k (rows tied with the
    k-th included) for dense inner product and for BM25 (retrieval/sparse.py, equal to rank_bm25's scores)."""
    from assistant.retrieval.sparse import SparseIndex

    qv = corpus.queries["vectors"]
    dense = np.empty((corpus.n, len(qv)), dtype=np.float32)
    for s in range(0, corpus.n, 100_000):
        dense[s : s + 100_000] = np.asarray(corpus.vectors[s : s + 100_000]) @ qv.T
    bm25 = SparseIndex.from_tokens(corpus.tokens())
    out: dict = {"dense": [], "dense_filtered": [], "bm25": [], "bm25_filtered": []}
    for q, (words, region) in enumerate(zip(corpus.queries["tokens"], corpus.queries["region"])):
        mask = corpus.region_rows(region)
        for name, scores in (("dense", dense[:, q].astype(np.float64)), ("bm25", bm25.scores(words))):
            out[name].append(top_rows(scores, k))
            out[name + "_filtered"].append(top_rows(np.where(mask, scores, -np.inf), k))
    return out


def top_rows(scores: np.ndarray, k: int) -> list[int]:
    """The best k rows, and any tied with the k-th (a tie may be broken either way by a correct search)."""
    best = np.argpartition(-scores, k - 1)[:k]
    kth = scores[best].min()
    if not np.isfinite(kth) or kth <= 0:
        return [int(r) for r in best if np.isfinite(scores[r]) and scores[r] > 0]
    return [int(r) for r in np.flatnonzero(scores >= kth - 1e-9 * max(1.0, abs(kth)))[:1000]]


def main() -> None:
    """Generate one corpus and its exact answers: scale_data.py N FOLDER [QUERIES]."""
    n, folder = int(float(sys.argv[1])), Path(sys.argv[2])
    words, freq = real_vocabulary()
    generate(n, folder, words, freq, queries=int(sys.argv[3]) if len(sys.argv) > 3 else 100)
    truth = ground_truth(load(folder))
    (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")


if __name__ == "__main__":
    main()
