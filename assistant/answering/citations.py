"""Citations and refusals, as every answer engine and drafting write them: a [n] mark points at the exact
sentence of the original document it came from; a question the documents cannot answer gets one fixed sentence."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .schema import Citation

if TYPE_CHECKING:
    from ..retrieval.hits import Hit
    from ..text.sentences import Sentence


def make_citation(n: int, s: Sentence, hit: Hit) -> Citation:
    """Citation [n] of sentence `s` of the passage `hit`: its span in the original, with the passage as context."""
    return Citation(n=n, doc=s.doc, title=hit.meta.title, region=hit.meta.region, years=list(hit.meta.years),
                    section=" > ".join(hit.chunk.section), quote=s.original, start=s.start, end=s.end,
                    context=hit.chunk.text, context_start=hit.chunk.start)


def refusal_text(topic: str) -> str:
    topic = topic.strip(" ？?。！!") or "这个问题"
    return f"资料中没有找到关于“{topic}”的信息。"
