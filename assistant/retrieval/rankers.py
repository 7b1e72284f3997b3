"""The first ranking of a question's candidates, by the index's backend: dense and BM25 rankings fused by
reciprocal rank, restricted to some documents. The embedded backend ranks in-process (`FaissRanker`); Milvus
ranks, filters and fuses in the engine (`MilvusRanker`). The retriever (hybrid.py) then steers by year and frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..ingest.store import IndexData
from ..settings import Settings
from .dense import DenseIndex
from .sparse import SparseIndex


@dataclass
class Ranked:
    row: int
    score: float
    dense_rank: int | None = None
    sparse_rank: int | None = None


def fuse(dense: dict[int, int], sparse: dict[int, int], settings: Settings) -> dict[int, float]:
    """Reciprocal rank fusion of two rankings ({row: rank}, rank 0 = best), weighted per retriever."""
    fused: dict[int, float] = {}
    for row, rank in dense.items():
        fused[row] = fused.get(row, 0.0) + settings.dense_weight / (settings.rrf_k + rank + 1)
    for row, rank in sparse.items():
        fused[row] = fused.get(row, 0.0) + settings.sparse_weight / (settings.rrf_k + rank + 1)
    return fused


class FaissRanker:
    def __init__(self, data: IndexData, settings: Settings):
        self.settings = settings
        self.dense = DenseIndex(data.store.index)
        self.sparse = SparseIndex(data.store.bm25)
        # Each row's document as a number: a restriction to some documents is then one array lookup per row,
        # not a Python loop over a million rows (37 ms → 1 ms at 10⁶ chunks, bench/scale_bench.py).
        self.doc_codes = {name: i for i, name in enumerate(dict.fromkeys(c.doc for c in data.chunks))}
        self.row_codes = np.array([self.doc_codes[c.doc] for c in data.chunks], dtype=np.int64)

    def rank(self, vector: np.ndarray, tokens: list[str], fetch: int, docs: set[str] | None) -> list[Ranked]:
        allowed = None
        if docs is not None:
            wanted = np.zeros(len(self.doc_codes) + 1, dtype=bool)
            wanted[[self.doc_codes[d] for d in docs if d in self.doc_codes]] = True
            allowed = wanted[self.row_codes]
        dense = {row: rank for rank, (row, _) in enumerate(self.dense.search(vector, fetch, allowed))}
        sparse = {row: rank for rank, (row, _) in enumerate(self.sparse.search(tokens, fetch, allowed))}
        fused = fuse(dense, sparse, self.settings)
        return [Ranked(row, score, dense.get(row), sparse.get(row))
                for row, score in sorted(fused.items(), key=lambda kv: -kv[1])]


class MilvusRanker:
    """Milvus's RRF ranker weighs both rankings alike (dense_weight and sparse_weight apply to FAISS only)."""

    def __init__(self, data: IndexData, settings: Settings):
        self.settings = settings
        self.reader = data.store

    def rank(self, vector: np.ndarray, tokens: list[str], fetch: int, docs: set[str] | None) -> list[Ranked]:
        found = self.reader.hybrid(vector, " ".join(tokens), fetch, None if docs is None else sorted(docs),
                                   self.settings.rrf_k)
        return [Ranked(row, score) for row, score in found]


def ranker_for(data: IndexData, settings: Settings):
    return MilvusRanker(data, settings) if data.store.kind == "milvus" else FaissRanker(data, settings)
