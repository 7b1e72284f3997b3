"""Hybrid retrieval: FAISS (dense) and BM25 over jieba tokens (sparse), fused by reciprocal rank,
with the places and years a question names steering which documents count."""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # langchain-community announces its sunset on import
    from langchain_community.docstore.in_memory import InMemoryDocstore
    from langchain_community.retrievers import BM25Retriever
    from langchain_community.vectorstores import FAISS
    from langchain_community.vectorstores.utils import DistanceStrategy

from .ingest.embed import LocalEmbeddings
from .ingest.store import IndexData
from .query import QueryInfo, analyse
from .ingest.schema import Chunk
from .retrieval.hits import Hit
from .settings import Settings
from .text.normalize import to_simplified
from .text.segment import tokenize

log = logging.getLogger(__name__)


@dataclass
class Filters:
    """Explicit restrictions from the user; empty fields restrict nothing."""

    docs: list[str] | None = None
    region: str = ""
    year: int | None = None
    genre: str = ""

    def allows(self, meta) -> bool:
        if self.docs and meta.filename not in self.docs:
            return False
        if self.region:
            wanted = to_simplified(self.region)
            if not any(wanted in p or p in wanted for p in [meta.region, *meta.places] if p):
                return False
        if self.year and self.year not in meta.years:
            return False
        if self.genre and to_simplified(self.genre) not in meta.genre and meta.genre not in to_simplified(self.genre):
            return False
        return True


def _vector_store(data: IndexData, emb: LocalEmbeddings) -> FAISS:
    docstore = InMemoryDocstore({str(i): Document(page_content=c.search_text, metadata={"row": i, "doc": c.doc})
                                 for i, c in enumerate(data.chunks)})
    return FAISS(embedding_function=emb, index=data.faiss_index, docstore=docstore,
                 index_to_docstore_id={i: str(i) for i in range(len(data.chunks))},
                 distance_strategy=DistanceStrategy.MAX_INNER_PRODUCT)


def _bm25(data: IndexData) -> BM25Retriever:
    # Tokens were computed at index time; the retriever is handed them as-is.
    texts = [" ".join(t) for t in data.tokens] or [" "]  # an empty index still gets a (harmless) model
    return BM25Retriever.from_texts(texts, metadatas=[{"row": i} for i in range(len(texts))],
                                    preprocess_func=str.split, bm25_params={"k1": 1.2, "b": 0.6})


class HybridRetriever(BaseRetriever):
    """A LangChain retriever; `search` gives the scored hits, `invoke` the LangChain Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    data: IndexData
    embeddings: LocalEmbeddings
    settings: Settings
    vectorstore: FAISS
    bm25: BM25Retriever
    k: int = 5
    filters: Filters | None = None

    @classmethod
    def from_index(cls, data: IndexData, settings: Settings, embeddings: LocalEmbeddings | None = None) -> "HybridRetriever":
        emb = embeddings or LocalEmbeddings.from_settings(settings)
        return cls(data=data, embeddings=emb, settings=settings, vectorstore=_vector_store(data, emb),
                   bm25=_bm25(data), k=settings.retrieval_k)

    # --- scoring -------------------------------------------------------------------------------------------
    def _allowed_rows(self, info: QueryInfo, filters: Filters | None) -> np.ndarray | None:
        docs = None
        if filters:
            docs = {name for name, meta in self.data.metas.items() if filters.allows(meta)}
        if self.settings.region_filter and info.place_docs:
            docs = info.place_docs if docs is None else (docs & info.place_docs) or docs
        if docs is None:
            return None
        return np.array([c.doc in docs for c in self.data.chunks], dtype=bool)

    def _dense_ranks(self, question: str, allowed: np.ndarray | None, fetch: int) -> dict[int, tuple[int, float]]:
        qvec = self.embeddings.encode([question])[0]
        n = len(self.data.chunks)
        if allowed is not None:
            # Small corpora: search everything, then keep the allowed rows (exact, no missed candidates).
            found = self.vectorstore.similarity_search_with_score_by_vector(
                qvec.tolist(), k=fetch, fetch_k=n, filter=lambda md: bool(allowed[md["row"]]))
        else:
            found = self.vectorstore.similarity_search_with_score_by_vector(qvec.tolist(), k=fetch)
        return {doc.metadata["row"]: (rank, float(score)) for rank, (doc, score) in enumerate(found)}

    def _sparse_ranks(self, question: str, allowed: np.ndarray | None, fetch: int) -> dict[int, tuple[int, float]]:
        tokens = tokenize(question)
        if not tokens:
            return {}
        scores = np.asarray(self.bm25.vectorizer.get_scores(tokens), dtype="float64")
        if allowed is not None:
            scores = np.where(allowed, scores, -np.inf)
        order = np.argsort(-scores)[:fetch]
        return {int(i): (rank, float(scores[i])) for rank, i in enumerate(order) if scores[i] > 0}

    def analyse(self, question: str) -> QueryInfo:
        return analyse(question, self.data.metas)

    def search(self, question: str, k: int | None = None, filters: Filters | None = None,
               info: QueryInfo | None = None) -> list[Hit]:
        k = k or self.k
        filters = filters or self.filters
        if not question.strip() or not self.data.chunks:
            return []
        info = info or self.analyse(question)
        allowed = self._allowed_rows(info, filters)
        if allowed is not None and not allowed.any():
            return []
        fetch = max(self.settings.fetch_k, k)
        dense = self._dense_ranks(info.text, allowed, fetch)
        sparse = self._sparse_ranks(info.text, allowed, fetch)
        s = self.settings
        fused: dict[int, float] = {}
        for row, (rank, _) in dense.items():
            fused[row] = fused.get(row, 0.0) + s.dense_weight / (s.rrf_k + rank + 1)
        for row, (rank, _) in sparse.items():
            fused[row] = fused.get(row, 0.0) + s.sparse_weight / (s.rrf_k + rank + 1)
        if info.years:
            for row in fused:
                if set(info.years) & set(self.data.metas[self.data.chunks[row].doc].years):
                    fused[row] *= 1.0 + s.year_boost
        best = sorted(fused.items(), key=lambda kv: -kv[1])[:k]
        hits = []
        for row, score in best:
            chunk: Chunk = self.data.chunks[row]
            hits.append(Hit(chunk=chunk, meta=self.data.metas[chunk.doc], score=score,
                            dense_rank=dense.get(row, (None,))[0], sparse_rank=sparse.get(row, (None,))[0]))
        return hits

    # --- LangChain ---------------------------------------------------------------------------------------------
    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=h.chunk.text, metadata=h.to_dict()) for h in self.search(query)]
