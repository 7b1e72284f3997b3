"""A retrieved passage with its document's metadata and how it ranked."""

from __future__ import annotations

from dataclasses import dataclass

from ..ingest.schema import Chunk, DocMeta


@dataclass
class Hit:
    chunk: Chunk
    meta: DocMeta
    score: float
    dense_rank: int | None = None
    sparse_rank: int | None = None

    def to_dict(self) -> dict:
        return {
            "doc": self.chunk.doc,
            "title": self.meta.title,
            "region": self.meta.region,
            "years": self.meta.years,
            "genre": self.meta.genre,
            "section": " > ".join(self.chunk.section),
            "start": self.chunk.start,
            "end": self.chunk.end,
            "score": round(self.score, 6),
            "text": self.chunk.text,
        }
