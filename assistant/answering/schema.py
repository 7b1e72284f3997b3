"""An answer and its citations, as the CLI, the web page and the evaluation receive them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a type: rendering an answer must not load the retriever
    from ..retrieval.hits import Hit


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
