"""Dense search: exact inner product over the chunks' normalised vectors (so the score is cosine similarity),
in the faiss.IndexFlatIP the index stores."""

from __future__ import annotations

import numpy as np


class DenseIndex:
    def __init__(self, faiss_index):
        self.index = faiss_index  # faiss.IndexFlatIP, row i = chunk i

    def search(self, query_vector: np.ndarray, fetch: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The best `fetch` rows as (row, score), best first. With `allowed` (a mask over the rows), every row is
        scored and only allowed ones are kept: exact, however few rows are allowed."""
        vector = np.asarray(query_vector, dtype=np.float32).reshape(1, -1)
        scores, rows = self.index.search(vector, fetch if allowed is None else self.index.ntotal)
        found = []
        for score, row in zip(scores[0], rows[0]):
            if row == -1:  # fewer rows than asked for
                continue
            if allowed is None or allowed[row]:
                found.append((int(row), float(score)))
        return found[:fetch]
