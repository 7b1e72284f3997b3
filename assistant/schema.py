"""Typed records passed along the pipeline."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class RawDocument:
    """A file as loaded: its text exactly as the reader will see it quoted."""

    path: str
    filename: str
    text: str
    encoding: str
    sha256: str


@dataclass
class DocMeta:
    title: str
    region: str = ""
    places: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    genre: str = ""
    filename: str = ""
    sha256: str = ""
    byline: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Chunk:
    chunk_id: str
    doc: str  # file name, the document's identity in the index
    section: list[str]  # heading path, in the document's own wording
    start: int  # character span in the original text
    end: int
    text: str  # original[start:end], for display and quotation
    search_text: str  # cleaned, simplified text used for search

    def to_dict(self) -> dict:
        return asdict(self)


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


@dataclass
class Citation:
    """One [n] mark of an answer: the exact source sentence, by its span in the original document."""

    n: int
    doc: str
    title: str
    region: str
    years: list[int]
    section: str
    quote: str  # original[start:end], in the document's own wording (Traditional stays Traditional)
    start: int
    end: int
    context: str = ""  # the passage the quote sits in, for display
    context_start: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    standalone_question: str = ""  # the question as understood, after follow-up rewriting
    engine: str = "extractive"
    warnings: list[str] = field(default_factory=list)  # e.g. a figure not found in its cited passage
    latency_ms: float = 0.0
    support: float = 0.0  # share of the question's topic the best evidence covers (extractive engine)

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "standalone_question": self.standalone_question or self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [h.to_dict() for h in self.retrieved],
            "engine": self.engine,
            "warnings": self.warnings,
            "support": round(self.support, 3),
            "latency_ms": round(self.latency_ms, 1),
        }
