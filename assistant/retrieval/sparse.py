"""Sparse search: BM25 over the jieba tokens computed at index time, by the weights the build stored
(ingest/bm25_weights.py: rank_bm25's scores, precomputed per chunk and term), so a question costs the sum of a few
columns instead of a Python loop over every chunk for every word.
"""

from __future__ import annotations

import numpy as np

from ..ingest.bm25_weights import Bm25Weights


class SparseIndex:
    def __init__(self, weights: Bm25Weights):
        self.weights = weights
        self.n = weights.n

    @classmethod
    def from_tokens(cls, tokens: list[list[str]]) -> "SparseIndex":
        return cls(Bm25Weights.from_tokens(tokens))

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every row (a word asked twice counts twice, as in rank_bm25)."""
        out = np.zeros(self.n, dtype=np.float64)
        for word in tokens:
            column = self.weights.column(word)
            if column is not None:
                rows, weights = column
                out[rows] += weights  # a column has each row once: no lost updates
        return out

    def search(self, tokens: list[str], fetch: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The best `fetch` rows with a positive score as (row, score), best first (ties by row);
        `allowed` masks the rows."""
        if not tokens or fetch <= 0 or not self.n:
            return []
        scores = self.scores(tokens)
        keep = scores > 0
        if allowed is not None:
            keep &= allowed
        rows = np.flatnonzero(keep)
        if len(rows) > fetch:
            rows = rows[np.argpartition(-scores[rows], fetch - 1)[:fetch]]
        rows = rows[np.lexsort((rows, -scores[rows]))]
        return [(int(r), float(scores[r])) for r in rows]
