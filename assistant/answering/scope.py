"""What the corpus cannot answer whatever the wording, decided from the question before any engine reads:
a place no document is about, or a year that none of the candidate documents is about or mentions.

Both engines (and the cascade) apply it first: a model is not asked about 北京市海淀区 when only 北京 is
mentioned somewhere, and a year the documents never name cannot be answered from them."""

from __future__ import annotations

from ..retrieval.hits import Hit
from ..retrieval.query import QueryInfo


def unmatched_place(info: QueryInfo) -> str:
    """The places the question names that no document is about, joined; "" when there are none."""
    return "、".join(info.unmatched_places)


def unsupported_year(info: QueryInfo, hits: list[Hit], metas: dict) -> bool:
    """A year the question names that none of the candidate documents is about or mentions."""
    if not info.years:
        return False
    docs = info.place_docs or set(metas)
    known = {y for d in docs for y in metas[d].years}
    if set(info.years) & known:
        return False
    texts = " ".join(" ".join(h.chunk.section) + " " + h.chunk.search_text for h in hits)
    return not any(str(y) in texts for y in info.years)
