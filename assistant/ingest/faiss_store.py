"""The embedded backend: a version's vectors in its own folder (dense.faiss, inner product over normalised vectors,
so the score is cosine similarity) and its BM25 weights (bm25_weights.py, read memory-mapped); both are searched
in-process.

The dense index is `faiss_index` of the settings: "flat" (exact; the default) or "hnsw" (a graph over the same
vectors: approximate, but a question costs about 2 ms instead of a scan of every vector, about 75 ms per million
chunks on one free core and several times that when the cores are busy; see bench/scale_bench.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .bm25_weights import Bm25Weights
from .vector_store import Rows, StoreReader, StoreUnavailable, VectorStore

FILE = "dense.faiss"
INDEX_TYPES = ("flat", "hnsw")
# Graph degree and build/search breadth. On a million synthetic chunks shaped like the model's vectors: recall@10
# 0.985 against exact search (0.93 with efSearch 128; efConstruction 64 stops near 0.96), about 2 ms a question,
# 7 minutes to build on 2 cores. efSearch is stored in the file: a reader searches as the build chose.
HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH = 32, 128, 512


class FaissReader(StoreReader):
    kind = "faiss"

    def __init__(self, index, bm25: Bm25Weights):
        if bm25.n != index.ntotal:
            raise ValueError(f"{index.ntotal} vectors but BM25 weights of {bm25.n} rows")
        self.index = index  # faiss.IndexFlatIP or IndexHNSWFlat, row i = chunk i
        self.bm25 = bm25

    def count(self) -> int:
        return int(self.index.ntotal)

    def vectors(self, rows: list[int]) -> np.ndarray:
        if not rows:
            return np.zeros((0, self.index.d), dtype="float32")
        return np.vstack([self.index.reconstruct(i) for i in rows]).astype("float32")


class FaissStore(VectorStore):
    kind = "faiss"

    def __init__(self, index_type: str = "flat"):
        self.index_type = (index_type or "flat").strip().lower()

    def write(self, folder: Path, version: str, rows: Rows) -> dict:
        import faiss

        if self.index_type not in INDEX_TYPES:
            raise StoreUnavailable(f"未知的向量索引类型：{self.index_type}（可选 {'、'.join(INDEX_TYPES)}）。")
        dim = rows.vectors.shape[1]
        if self.index_type == "hnsw":
            index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction, index.hnsw.efSearch = HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH
        else:
            index = faiss.IndexFlatIP(dim)
        if len(rows.vectors):
            index.add(np.ascontiguousarray(rows.vectors, dtype="float32"))
        bm25 = Bm25Weights.from_tokens(rows.tokens)
        try:
            faiss.write_index(index, str(folder / FILE))
        except RuntimeError as exc:  # faiss reports a full disk as a RuntimeError
            raise OSError(28, "磁盘空间不足或不可写") from exc
        bm25.save(folder)  # a full disk here is an OSError already
        return {"kind": self.kind, "index": self.index_type}

    def open(self, folder: Path, entry: dict) -> FaissReader:
        import faiss

        return FaissReader(faiss.read_index(str(folder / FILE)), Bm25Weights.load(folder))
