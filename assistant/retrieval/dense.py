"""Dense search: inner product over the chunks' normalised vectors (so the score is cosine similarity), in the
index the embedded backend stores: faiss.IndexFlatIP (exact, the default) or faiss.IndexHNSWFlat (approximate,
for corpora of hundreds of thousands of chunks; see faiss_store.py)."""

from __future__ import annotations

import math

import numpy as np

# A restriction to few rows is searched exactly over those rows: scanning a allowed rows costs about a vectors,
# a restricted HNSW walk about efSearch × degree × (rows / a) (most nodes it visits are not allowed), so exact
# wins below a ≈ sqrt(efSearch × degree × rows). Exact also cannot miss rows a filter leaves unreachable.
EXACT_FACTOR = 1.0
MAX_EF = 4096  # a restricted walk widens with the rows it must skip, up to this


class DenseIndex:
    def __init__(self, faiss_index):
        import faiss

        self.index = faiss_index  # row i = chunk i
        self.hnsw = isinstance(faiss_index, faiss.IndexHNSW)
        # The exact scan: the index itself, or the flat storage under the graph (the same vectors, not a copy).
        self.flat = faiss.downcast_index(faiss_index.storage) if self.hnsw else faiss_index
        self.ef = int(faiss_index.hnsw.efSearch) if self.hnsw else 0  # as the build chose (stored in the file)

    def search(self, query_vector: np.ndarray, fetch: int, allowed: np.ndarray | None = None
               ) -> list[tuple[int, float]]:
        """The best `fetch` rows as (row, score), best first; with `allowed` (a mask over the rows), allowed rows
        only, however few they are (exact when the index is flat, or when few rows are allowed)."""
        import faiss

        n = int(self.index.ntotal)
        vector = np.ascontiguousarray(np.asarray(query_vector, dtype=np.float32).reshape(1, -1))
        if allowed is None:
            k = min(fetch, n)
            if k <= 0:
                return []
            params = faiss.SearchParametersHNSW(efSearch=max(self.ef, k)) if self.hnsw else None
            return self._run(self.index, vector, k, params)
        count = int(np.count_nonzero(allowed))
        k = min(fetch, count)
        if k <= 0:
            return []
        bits = np.packbits(np.asarray(allowed, dtype=bool), bitorder="little")  # kept alive through the search
        selector = faiss.IDSelectorBitmap(n, faiss.swig_ptr(bits))
        if self.hnsw and count > EXACT_FACTOR * math.sqrt(self.ef * self.index.hnsw.nb_neighbors(0) * n):
            ef = min(MAX_EF, max(self.ef, k) * max(1, round(n / count)))
            found = self._run(self.index, vector, k, faiss.SearchParametersHNSW(sel=selector, efSearch=ef))
            if len(found) == k:
                return found
            # The walk stopped before finding enough allowed rows: scan them instead.
        return self._run(self.flat, vector, k, faiss.SearchParameters(sel=selector))

    @staticmethod
    def _run(index, vector: np.ndarray, k: int, params) -> list[tuple[int, float]]:
        scores, rows = index.search(vector, k, params=params)
        return [(int(r), float(s)) for s, r in zip(scores[0], rows[0]) if r != -1]  # -1: fewer rows than asked
