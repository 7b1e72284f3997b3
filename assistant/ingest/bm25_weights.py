"""BM25 (Okapi, k1 1.2, b 0.6) weights of an index version, computed once at build time and stored in the version's
folder, so that a process answering questions reads them instead of every chunk's tokens.

The weights are rank_bm25's BM25Okapi (same idf with its floor for common words, same length normalisation, same
order of floating-point operations): one sparse matrix of per-(chunk, term) weights, stored by term (a term's
chunks are contiguous), so a question costs the sum of a few columns. The three arrays are plain .npy files read
memory-mapped: several answering processes on one machine share one copy in the page cache, and only the columns
of the words asked are ever read from disk.
"""

from __future__ import annotations

import json
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from .vector_store import okapi_idf

K1, B = 1.2, 0.6
TERMS, POINTERS, ROWS, WEIGHTS = "bm25_terms.json", "bm25_indptr.npy", "bm25_rows.npy", "bm25_weights.npy"


@dataclass
class Bm25Weights:
    vocab: dict[str, int]  # term → column
    n: int  # rows (chunks)
    indptr: np.ndarray  # column t holds rows[indptr[t]:indptr[t+1]] with weights[...] alike
    rows: np.ndarray
    weights: np.ndarray

    @classmethod
    def from_tokens(cls, tokens: list[list[str]]) -> "Bm25Weights":
        # Terms split as rank_bm25 was fed them (" ".join(t).split()); term ids in first-occurrence order.
        vocab: dict[str, int] = {}
        ids = array("i")
        lengths = np.zeros(len(tokens), dtype=np.int64)
        for row, words in enumerate(tokens):
            terms = " ".join(words).split()
            lengths[row] = len(terms)
            ids.extend([vocab.setdefault(w, len(vocab)) for w in terms])
        n = len(tokens)
        rows = np.repeat(np.arange(n, dtype=np.int32), lengths)
        # Duplicates are summed into term frequencies.
        tf = sparse.csc_matrix((np.ones(len(ids)), (rows, np.frombuffer(ids, dtype=np.int32))), shape=(n, len(vocab)))
        tf.sum_duplicates()
        if tf.nnz:
            avgdl = float(lengths.sum()) / n
            # Each factor as rank_bm25 computes it (float64, same operation order), so scores agree to the last bits.
            norm = K1 * (1 - B + B * lengths.astype(np.float64) / avgdl)
            df = np.diff(tf.indptr)
            freq = tf.data
            tf.data = np.repeat(okapi_idf(df, n), df) * (freq * (K1 + 1) / (freq + norm[tf.indices]))
        return cls(vocab, n, tf.indptr.astype(np.int64), tf.indices.astype(np.int32), tf.data.astype(np.float64))

    def column(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The rows holding `term` and its weight in each (each row once), or None for a word never indexed."""
        t = self.vocab.get(term)
        if t is None:
            return None
        lo, hi = int(self.indptr[t]), int(self.indptr[t + 1])
        return self.rows[lo:hi], self.weights[lo:hi]

    def save(self, folder: Path) -> None:
        terms = sorted(self.vocab, key=self.vocab.__getitem__)
        (folder / TERMS).write_text(json.dumps({"n": self.n, "terms": terms}, ensure_ascii=False), encoding="utf-8")
        np.save(folder / POINTERS, self.indptr)
        np.save(folder / ROWS, self.rows)
        np.save(folder / WEIGHTS, self.weights)

    @classmethod
    def load(cls, folder: Path) -> "Bm25Weights":
        """Raises OSError or ValueError for missing, truncated or inconsistent files (the index is then corrupt)."""
        meta = json.loads((folder / TERMS).read_text(encoding="utf-8"))
        # Read into memory, not mapped: a mapped file truncated under a running server kills it (SIGBUS) at the
        # next question; read, it only makes the next build necessary (index_files).
        indptr = np.load(folder / POINTERS)
        rows = np.load(folder / ROWS)
        weights = np.load(folder / WEIGHTS)
        terms, n = meta["terms"], int(meta["n"])
        if len(indptr) != len(terms) + 1 or len(rows) != len(weights) or int(indptr[-1]) != len(rows):
            raise ValueError("BM25 files disagree")
        return cls({t: i for i, t in enumerate(terms)}, n, indptr, rows, weights)
