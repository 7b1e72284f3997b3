"""The parts that let the embedded backend scale: BM25 by precomputed sparse weights (the same scores as
rank_bm25), and an HNSW dense index that still honours a restriction to some documents. No model needed."""

import json
import random
from functools import lru_cache

import faiss
import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from assistant.ingest import signature
from assistant.ingest.build import build_index
from assistant.ingest.chunk import chunk_document, sparse_text
from assistant.ingest.faiss_store import FaissStore
from assistant.ingest.load import list_documents, load_file
from assistant.ingest.schema import Chunk, DocMeta
from assistant.ingest.store import IndexCorrupt, current_version, load_index
from assistant.ingest.vector_store import Rows, StoreUnavailable
from assistant.retrieval import dense as dense_module
from assistant.retrieval.dense import DenseIndex
from assistant.ingest.bm25_weights import B, K1
from assistant.retrieval.sparse import SparseIndex
from assistant.text.clean import clean
from assistant.text.segment import tokenize

from .conftest import CORPUS, SEEDS, copy_corpus
from .test_index_signature import FakeEmbeddings


@lru_cache(maxsize=1)
def bundled_tokens() -> list[list[str]]:
    """The BM25 tokens of every chunk of the bundled corpus, as a build computes them."""
    tokens = []
    for path in list_documents(CORPUS):
        raw = load_file(path)
        for chunk in chunk_document(clean(raw.text), raw.text, path.name, raw.sha256[:12], 320, 60, 1):
            tokens.append(tokenize(sparse_text(chunk)))
    return tokens


ASKED = ("中方县2023年在编教师多少人", "黄石明年要新增多少学位", "株洲普惠性幼儿园在园幼儿占比", "忻州义务教育净入学率",
         "荆州中小学教师机比达到多少", "教育教育 教师")


def questions(tokens: list[list[str]]) -> list[list[str]]:
    rng = random.Random(7)
    asked = [tokenize(q) for q in ASKED]
    sampled = [rng.sample(t, min(len(t), rng.randint(1, 8))) for t in rng.sample(tokens, 60) if t]
    return asked + sampled + [["不存在的词"], ["教育", "教育", "不存在的词"]]


def test_bm25_scores_equal_rank_bm25_on_the_bundled_corpus():
    tokens = bundled_tokens()
    assert len(tokens) > 50
    reference = BM25Okapi([" ".join(t).split() for t in tokens], k1=K1, b=B)
    index = SparseIndex.from_tokens(tokens)
    rng = np.random.default_rng(3)
    for query in questions(tokens):
        expected = np.asarray(reference.get_scores(query), dtype="float64")
        assert np.abs(index.scores(query) - expected).max() <= 1e-9, query
        for allowed in (None, rng.random(len(tokens)) < 0.3):
            masked = expected if allowed is None else np.where(allowed, expected, -np.inf)
            order = [int(i) for i in np.argsort(-masked)[:20] if masked[i] > 0]  # today's ranking
            found = index.search(query, 20, allowed)
            assert [r for r, _ in found] == sorted({r for r, _ in found}, key=lambda r: (-expected[r], r))
            assert len(found) == len(order)
            assert np.allclose([s for _, s in found], masked[order], rtol=0, atol=1e-9)  # same scores, rank by rank
            tied = set(order) ^ {r for r, _ in found}  # rows may differ only among equal scores
            assert all(abs(expected[r] - masked[order[-1]]) <= 1e-9 for r in tied)
            if allowed is not None:
                assert all(allowed[r] for r, _ in found)


def test_bm25_edges():
    assert SparseIndex.from_tokens([]).search(["教育"], 5) == []
    empty = SparseIndex.from_tokens([[], []])
    assert empty.search(["教育"], 5) == [] and empty.scores(["教育"]).tolist() == [0.0, 0.0]
    index = SparseIndex.from_tokens([["教育", "教师"], ["教育"], ["学位 新增"], []])
    assert index.search([], 5) == []
    assert index.search(["教育"], 0) == []
    assert [r for r, _ in index.search(["新增"], 5)] == [2]  # tokens with spaces split as rank_bm25 was fed them
    assert index.search(["教育"], 5, np.array([False, False, True, True])) == []


def clustered(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(4, n // 100), dim))
    x = centres[rng.integers(0, len(centres), n)] + 0.6 * rng.standard_normal((n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype("float32")


def write_dense(tmp_path, vectors: np.ndarray, index_type: str) -> DenseIndex:
    store = FaissStore(index_type)
    chunks = [Chunk(f"c{i}", "d", [], 0, 0, "", "") for i in range(len(vectors))]
    folder = tmp_path / index_type
    folder.mkdir()
    entry = store.write(folder, "v", Rows(chunks, [[] for _ in chunks], vectors, {"d": DocMeta("d")}))
    assert entry == {"kind": "faiss", "index": index_type}
    return DenseIndex(store.open(folder, entry).index)


def exact(vectors: np.ndarray, query: np.ndarray, fetch: int, allowed: np.ndarray | None) -> list[int]:
    scores = vectors @ query
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    return [int(i) for i in np.argsort(-scores)[:fetch] if np.isfinite(scores[i])]


@pytest.mark.parametrize("walk", [False, True])
@pytest.mark.parametrize("share", [None, 0.005, 0.05, 0.3, 0.9])
def test_hnsw_honours_the_allowed_rows(tmp_path, monkeypatch, share, walk):
    if walk:  # the restricted graph walk (and its fallback), which this small set would otherwise scan exactly
        monkeypatch.setattr(dense_module, "EXACT_FACTOR", 0.0)
    vectors = clustered(4000, 32)
    hnsw, flat = write_dense(tmp_path, vectors, "hnsw"), write_dense(tmp_path, vectors, "flat")
    assert isinstance(hnsw.index, faiss.IndexHNSW) and not isinstance(flat.index, faiss.IndexHNSW)
    rng = np.random.default_rng(1)
    recall = []
    for q in range(30):
        query = vectors[rng.integers(0, len(vectors))] + 0.3 * rng.standard_normal(32).astype("float32")
        allowed = None if share is None else rng.random(len(vectors)) < share
        truth = exact(vectors, query, 60, allowed)
        assert [r for r, _ in flat.search(query, 60, allowed)] == truth  # flat stays exact
        found = hnsw.search(query, 60, allowed)
        assert len(found) == len(truth)  # as many rows as allowed, up to fetch
        if allowed is not None:
            assert all(allowed[r] for r, _ in found)
        scores = [s for _, s in found]
        assert scores == sorted(scores, reverse=True)
        recall.append(len({r for r, _ in found[:10]} & set(truth[:10])) / min(10, len(truth)))
    assert np.mean(recall) >= 0.9, recall


def test_dense_edges(tmp_path):
    vectors = clustered(50, 8)
    for kind in ("flat", "hnsw"):
        dense = write_dense(tmp_path, vectors, kind)
        assert dense.search(vectors[0], 5, np.zeros(50, dtype=bool)) == []
        assert len(dense.search(vectors[0], 100)) == 50
        only = np.zeros(50, dtype=bool)
        only[7] = True
        assert [r for r, _ in dense.search(vectors[0], 5, only)] == [7]
    with pytest.raises(StoreUnavailable, match="向量索引类型"):
        FaissStore("ivf").write(tmp_path, "v", Rows([], [], np.zeros((0, 8), "float32"), {}))


def test_switching_the_dense_index_rebuilds(settings):
    copy_corpus(settings.corpus_path, [SEEDS["zhongfang"]])
    emb = FakeEmbeddings()
    build_index(settings, embeddings=emb)
    assert signature.signature(settings, emb)["faiss_index"] == "flat"
    hnsw = settings.model_copy(update={"faiss_index": "hnsw"})
    report = build_index(hnsw, embeddings=emb)
    assert "向量索引类型" in report.rebuilt_reason
    data = load_index(settings.index_path, hnsw)
    assert isinstance(data.store.index, faiss.IndexHNSW) and data.manifest["store"]["index"] == "hnsw"
    assert not build_index(hnsw, embeddings=emb).changed_anything


def test_a_version_stores_its_bm25_weights_and_answering_reads_them_not_the_tokens(settings):
    copy_corpus(settings.corpus_path)
    build_index(settings, embeddings=FakeEmbeddings())
    data = load_index(settings.index_path, settings)
    assert data.tokens == []  # an answering process holds no token lists
    # Read into memory, not mapped: a mapped file truncated under a running server would end it (issue 26).
    assert isinstance(data.store.bm25.weights, np.ndarray) and not isinstance(data.store.bm25.weights, np.memmap)
    built = load_index(settings.index_path, settings, with_tokens=True)
    assert len(built.tokens) == len(built.chunks) == data.store.bm25.n
    fresh, stored = SparseIndex.from_tokens(built.tokens), SparseIndex(data.store.bm25)
    for query in questions(built.tokens):
        assert np.array_equal(stored.scores(query), fresh.scores(query)), query


def _cut(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _other_rows(path):
    meta = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**meta, "n": meta["n"] + 1}), encoding="utf-8")


@pytest.mark.parametrize("name, damage", [("bm25_weights.npy", _cut), ("bm25_indptr.npy", _cut),
                                          ("bm25_rows.npy", lambda p: p.unlink()), ("bm25_terms.json", _other_rows),
                                          ("bm25_terms.json", lambda p: p.write_text("{", encoding="utf-8"))])
def test_damaged_bm25_files_are_a_corrupt_index_that_the_next_build_replaces(settings, name, damage):
    copy_corpus(settings.corpus_path, [SEEDS["zhongfang"]])
    emb = FakeEmbeddings()
    build_index(settings, embeddings=emb)
    damage(current_version(settings.index_path) / name)
    with pytest.raises(IndexCorrupt, match="索引文件已损坏"):
        load_index(settings.index_path, settings)
    assert build_index(settings, embeddings=emb).added  # built again from the documents
    assert load_index(settings.index_path, settings).store.bm25.n > 0
