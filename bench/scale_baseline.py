"""The embedded backend's dense and BM25 search as they were before the scale work (commit 6ae8a3c's
retrieval/dense.py and retrieval/sparse.py), kept verbatim in behaviour as the scale benchmark's baseline
("today's embedded"): a restriction scores every row and keeps the allowed ones; BM25 is rank_bm25's BM25Okapi,
a Python loop over every chunk's term dict for every query word."""

from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi

K1, B = 1.2, 0.6


class LegacyDenseIndex:
    def __init__(self, faiss_index):
        self.index = faiss_index

    def search(self, query_vector: np.ndarray, fetch: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        vector = np.asarray(query_vector, dtype=np.float32).reshape(1, -1)
        scores, rows = self.index.search(vector, fetch if allowed is None else self.index.ntotal)
        found = []
        for score, row in zip(scores[0], rows[0]):
            if row == -1:
                continue
            if allowed is None or allowed[row]:
                found.append((int(row), float(score)))
        return found[:fetch]


class LegacySparseIndex:
    def __init__(self, tokens: list[list[str]]):
        corpus = [" ".join(t).split() for t in tokens] or [[]]
        self.bm25 = BM25Okapi(corpus, k1=K1, b=B)

    def search(self, tokens: list[str], fetch: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        if not tokens:
            return []
        scores = np.asarray(self.bm25.get_scores(tokens), dtype="float64")
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        order = np.argsort(-scores)[:fetch]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]
