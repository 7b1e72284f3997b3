"""Sparse search: BM25 (Okapi, k1 1.2, b 0.6) over the jieba tokens computed at index time."""

from __future__ import annotations

import numpy as np
from rank_bm25 import BM25Okapi

K1, B = 1.2, 0.6


class SparseIndex:
    def __init__(self, tokens: list[list[str]]):
        # One document per chunk; an empty index still gets a (harmless) model.
        corpus = [" ".join(t).split() for t in tokens] or [[]]
        self.bm25 = BM25Okapi(corpus, k1=K1, b=B)

    @property
    def idf(self) -> dict[str, float]:
        """Inverse document frequency of every indexed token: how rare a word is in the corpus."""
        return self.bm25.idf

    def search(self, tokens: list[str], fetch: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The best `fetch` rows with a positive score as (row, score), best first; `allowed` masks the rows."""
        if not tokens:
            return []
        scores = np.asarray(self.bm25.get_scores(tokens), dtype="float64")
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        order = np.argsort(-scores)[:fetch]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]
