"""Where a draft's wording comes from: the documents of the index by genre, the passages retrieved for a topic,
the sentences fit to reuse, and the sentences that open a part (总体思路, 保障措施)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.schema import Chunk
from ..retrieval.filters import Filters
from ..retrieval.hits import Hit
from ..retrieval.hybrid import HybridRetriever
from ..text.sentences import Sentence, split_passage
from ..text.structure import heading_level

PLAN_GENRES = ("工作要点", "工作计划", "实施方案", "工作总结及计划")
SUMMARY_GENRES = ("工作总结", "工作总结及计划")
ITEM_RE = re.compile(r"^\s*(\d{1,2})\s*[.．、]\s*(.+)$")


@dataclass
class Source:
    sentence: Sentence
    hit: Hit


def topic_weight(text: str, topic_words: list[str]) -> int:
    return sum(1 for w in topic_words if w in text)


class CorpusSources:
    """The index as drafting reads it."""

    def __init__(self, retriever: HybridRetriever):
        self.retriever = retriever
        self.data = retriever.data
        self.doc_chunks: dict[str, list[Chunk]] = {}
        for c in self.data.chunks:
            self.doc_chunks.setdefault(c.doc, []).append(c)

    def docs(self, genres: tuple[str, ...]) -> list[str]:
        docs = [d for d, m in self.data.metas.items() if m.genre in genres]
        # Without plans or summaries of the wanted kind, any plan-like document, then any document at all.
        return docs or [d for d, m in self.data.metas.items() if m.genre in PLAN_GENRES + SUMMARY_GENRES] \
            or list(self.data.metas)

    def hits(self, query: str, docs: list[str], k: int = 40) -> list[Hit]:
        if not docs:
            return []
        return self.retriever.search(query, k=k, filters=Filters(docs=docs), rerank=False)

    def region(self, doc: str) -> str:
        return self.data.metas[doc].region

    def src_year(self, doc: str) -> int | None:
        years = self.data.metas[doc].years
        return max(years) if years else None

    @staticmethod
    def sentences(hits: list[Hit]) -> list[Source]:
        """The sentences of the passages worth reusing (not headings or lead-ins), each once."""
        out, seen = [], set()
        for h in hits:
            for s in split_passage(h.chunk):
                body = s.clean.strip()
                # Headings and lead-ins ("重点抓好六个方面的工作：") are structure, not wording to reuse.
                if heading_level(body) or ITEM_RE.match(body) and len(body) < 30 or body.endswith((":", "：")):
                    continue
                if (s.doc, s.start) not in seen and len(s.clean) >= 10:
                    seen.add((s.doc, s.start))
                    out.append(Source(s, h))
        return out

    def find(self, docs: list[str], pattern: re.Pattern, topic_words: list[str], limit: int) -> list[Source]:
        """Sentences of these documents that open with `pattern` (总体思路, 保障措施 …), the most on-topic first."""
        found, seen = [], set()
        for d in docs:
            for c in self.doc_chunks.get(d, []):
                hit = Hit(chunk=c, meta=self.data.metas[d], score=0.0)
                for s in split_passage(c):
                    if pattern.search(s.clean[:40]) and len(s.clean) >= 16 and (s.doc, s.start) not in seen:
                        seen.add((s.doc, s.start))
                        found.append(Source(s, hit))
        found.sort(key=lambda src: -topic_weight(src.sentence.clean, topic_words))
        return found[:limit]
