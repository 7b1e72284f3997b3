"""A question and a candidate as the verifier reads them: the window of text itself, then the document's title and
the candidate's heading path (its last two levels, which carry the year and whether it is a review or a plan).
The window comes first so that truncation to the model's length cuts the headings' tail, never the answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import re

HEADING_CHARS = 20  # per heading level: long headings are whole sentences, and the window matters more
WINDOW_CHARS = 110  # about the reader's answer length (answer_max_chars): what would be shown


@dataclass(frozen=True)
class Pair:
    question: str
    context: str
    label: float  # 1: the window states what the question asks; 0: it does not
    doc: str = ""
    origin: str = ""  # gold, near_miss, retrieved, other_window: how the pair was made

    def to_dict(self) -> dict:
        return asdict(self)


def context_text(section: list[str] | tuple[str, ...], window: str, title: str = "") -> str:
    """The candidate side of a pair. `title` names the document (place, year, genre) when the heading does not."""
    def compact(text: str) -> str:
        return re.sub(r"\s+", "", text)[:HEADING_CHARS]

    heads = [compact(h) for h in section if h.strip()][-2:]
    head = " > ".join(([compact(title)] if title.strip() else []) + heads)
    body = re.sub(r"\s+", "", window)[:WINDOW_CHARS]
    return f"{body}｜{head}" if head else body
