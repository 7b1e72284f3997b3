"""A question and a candidate as the verifier reads them: the candidate's heading path (its last two levels,
which carry the year and whether it is a review or a plan) before the window of text itself."""

from __future__ import annotations

from dataclasses import asdict, dataclass

HEADING_CHARS = 24  # per heading level: long headings are whole sentences, and the window matters more
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
    heads = [h.strip()[:HEADING_CHARS] for h in section if h.strip()][-2:]
    head = " > ".join(([title.strip()[:HEADING_CHARS]] if title.strip() else []) + heads)
    body = window.strip()[:WINDOW_CHARS]
    return f"{head}｜{body}" if head else body
