"""Where a version of the index keeps its vectors and search structures: the interface of the two backends.

- `faiss` (faiss_store): embedded; the vectors and BM25 weights in the version's folder, searched in-process.
- `milvus` (milvus_store): dense vectors and Milvus's built-in BM25 (jieba analyzer) in one collection per
  version, filters and RRF fusion in the engine; `milvus_uri` is a local file (milvus-lite) or a server.

Either way the version's folder (store.py) keeps the manifest, the chunks and the term statistics, and is
switched atomically; a backend writes its part before the switch (`write`), is told of it (`activate`), and
drops what a removed or failed version left (`discard`, `sweep`).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .schema import Chunk, DocMeta

KINDS = ("faiss", "milvus")


class IndexMissing(RuntimeError):
    """No index can be read; the message is for the user, in Chinese."""


class StoreUnavailable(IndexMissing):
    """The backend cannot be reached or used (a Milvus server down, a milvus-lite file another process holds)."""


@dataclass
class Rows:
    """What a build hands the backend: row i is chunks[i], tokens[i] and vectors[i]."""

    chunks: list[Chunk]
    tokens: list[list[str]]
    vectors: np.ndarray
    metas: dict[str, DocMeta]


class StoreReader(ABC):
    """One version's search structures, opened for reading."""

    kind: str

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def vectors(self, rows: list[int]) -> np.ndarray:
        """The stored vectors of `rows` (a build reuses those of unchanged documents)."""


class VectorStore(ABC):
    kind: str

    @abstractmethod
    def write(self, folder: Path, version: str, rows: Rows) -> dict:
        """Store a new version's rows (in `folder`, the version's folder being built); returns the manifest's
        "store" entry, which `open` is given back. Raises StoreUnavailable or OSError; nothing is active yet."""

    @abstractmethod
    def open(self, folder: Path, entry: dict) -> StoreReader: ...

    def activate(self, entry: dict) -> None:
        """The version of `entry` has just become the active one."""

    def discard(self, entry: dict) -> None:
        """The version of `entry` is removed: free what it holds outside its folder."""

    def sweep(self, keep: list[dict]) -> None:
        """Free what versions other than `keep` left outside their folders (a build killed midway)."""


def document_frequencies(tokens: list[list[str]]) -> dict[str, int]:
    """In how many chunks each term occurs (terms split as BM25 splits them)."""
    df: dict[str, int] = {}
    for row in tokens:
        for term in set(" ".join(row).split()):
            df[term] = df.get(term, 0) + 1
    return df


EPSILON = 0.25  # rank_bm25's floor: a negative idf becomes EPSILON × the mean idf


def okapi_idf(df: np.ndarray, n: int) -> np.ndarray:
    """Okapi BM25's idf per term, as rank_bm25 computes it (`df` in the order its mean is summed in)."""
    idf = [math.log(n - f + 0.5) - math.log(f + 0.5) for f in np.asarray(df).tolist()]
    total = 0.0
    for v in idf:  # a plain running sum, as rank_bm25 adds them (not math.fsum)
        total += v
    floor = EPSILON * total / len(idf) if idf else 0.0
    return np.array([v if v >= 0 else floor for v in idf], dtype="float64")


def idf_table(df: dict[str, int], n: int) -> dict[str, float]:
    """How rare each word is, for weighing a question's words, the same whichever backend searches."""
    return dict(zip(df, okapi_idf(np.array(list(df.values()), dtype=np.int64), n).tolist()))
