"""Hybrid retrieval: dense and sparse (BM25 over jieba tokens) rankings fused by reciprocal rank, by whichever
backend holds the index (rankers.py), with the places and years a question names steering which documents count."""

from __future__ import annotations

import logging
from pathlib import Path

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..ingest.embed import LocalEmbeddings
from ..ingest.schema import Chunk
from ..ingest.store import IndexData
from ..judge.runtime import load_verifier
from ..settings import Settings
from ..text.segment import tokenize
from .filters import Filters
from .frames import frame_conflict, heading_frame
from .hits import Hit
from .query import QueryInfo, analyse
from .rankers import ranker_for
from .rerank import rerank as rerank_hits

log = logging.getLogger(__name__)


class HybridRetriever(BaseRetriever):
    """A LangChain retriever; `search` gives the scored hits, `invoke` the LangChain Documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    data: IndexData
    embeddings: LocalEmbeddings
    settings: Settings
    ranker: object  # rankers.FaissRanker or rankers.MilvusRanker
    k: int = 5
    filters: Filters | None = None
    verifier: object = None  # judge.runtime.Verifier: reranks the first rerank_depth passages (None: no reranking)

    @classmethod
    def from_index(cls, data: IndexData, settings: Settings, embeddings: LocalEmbeddings | None = None) -> "HybridRetriever":
        emb = embeddings or LocalEmbeddings.from_settings(settings)
        verifier = None
        if settings.verifier and settings.rerank_depth > 1:
            verifier = load_verifier(Path(settings.verifier_dir) if settings.verifier_dir else None)
        return cls(data=data, embeddings=emb, settings=settings, ranker=ranker_for(data, settings),
                   k=settings.retrieval_k, verifier=verifier)

    @property
    def idf(self) -> dict[str, float]:
        """How rare each indexed word is in the corpus (BM25's idf)."""
        return self.data.idf

    # --- scoring -------------------------------------------------------------------------------------------
    def _allowed_docs(self, info: QueryInfo, filters: Filters | None) -> set[str] | None:
        docs = None
        if filters:
            docs = {name for name, meta in self.data.metas.items() if filters.allows(meta)}
        if self.settings.region_filter and info.place_docs:
            docs = info.place_docs if docs is None else (docs & info.place_docs) or docs
        return docs

    def analyse(self, question: str) -> QueryInfo:
        return analyse(question, self.data.metas)

    def search(self, question: str, k: int | None = None, filters: Filters | None = None,
               info: QueryInfo | None = None, rerank: bool = True) -> list[Hit]:
        """The best `k` passages; `rerank` False keeps the first ranking (a drafting topic is no question)."""
        k = k or self.k
        filters = filters or self.filters
        if not question.strip() or not self.data.chunks:
            return []
        info = info or self.analyse(question)
        docs = self._allowed_docs(info, filters)
        if docs is not None and not docs:
            return []
        fetch = max(self.settings.fetch_k, k)
        query_vector = self.embeddings.encode_recent([info.text])[0]  # asked again, searched again: one encoding
        ranked = {r.row: r for r in self.ranker.rank(query_vector, tokenize(info.text), fetch, docs)}
        fused = {row: r.score for row, r in ranked.items()}
        if info.years:
            for row in fused:
                if set(info.years) & set(self.data.metas[self.data.chunks[row].doc].years):
                    fused[row] *= 1.0 + self.settings.year_boost
        if info.frame.years or info.frame.mode:
            # A report reviews one year and plans the next: the part whose heading speaks of the year and mode
            # asked (一、2023年工作回顾 for 2023年实际新增了多少) counts more than the other part.
            for row in fused:
                chunk = self.data.chunks[row]
                if frame_conflict(info.frame, heading_frame(chunk.section, self.data.metas[chunk.doc])) == "":
                    fused[row] *= 1.0 + self.settings.section_boost
        depth = self.settings.rerank_depth if rerank and self.verifier is not None else 0
        best = sorted(fused.items(), key=lambda kv: -kv[1])[: max(k, depth)]
        hits = []
        for row, score in best:
            chunk: Chunk = self.data.chunks[row]
            hits.append(Hit(chunk=chunk, meta=self.data.metas[chunk.doc], score=score,
                            dense_rank=ranked[row].dense_rank, sparse_rank=ranked[row].sparse_rank))
        if depth > 1:
            off = frozenset(i for i, h in enumerate(hits[:depth]) if (info.frame.years or info.frame.mode)
                            and frame_conflict(info.frame, heading_frame(h.chunk.section, h.meta)) != "")
            hits = rerank_hits(info.text, hits[:depth], self.verifier, self.settings.rerank_prior, off) + hits[depth:]
        return hits[:k]

    # --- LangChain ---------------------------------------------------------------------------------------------
    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=h.chunk.text, metadata=h.to_dict()) for h in self.search(query)]
