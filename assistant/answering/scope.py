"""What the corpus cannot answer whatever the wording, decided from the question before any engine reads:
a place no document is about, or a year that none of the candidate documents is about or mentions.

Both engines (and the cascade) apply it first: a model is not asked about 北京市海淀区 when only 北京 is
mentioned somewhere, and a year the documents never name cannot be answered from them."""

from __future__ import annotations

from ..retrieval.hits import Hit
from ..retrieval.query import QueryInfo
from ..text.gazetteer import load_gazetteer


def unmatched_place(info: QueryInfo, hits: list[Hit] | None = None) -> str:
    """The places the question names that no document is about, joined; "" when there are none.

    Beside a place that has documents, such a place may be part of what those documents say (晋城…组织校长赴江苏
    南通对标学习: 南通 is where they went): given the passages found, only the places none of them mentions
    count. Without passages, and with no covered place named, every unmatched place counts."""
    names = info.unmatched_places
    if names and info.place_docs and hits is not None:
        names = [n for n in names if not _incidental(n, info, hits)]
    return "、".join(names)


def _incidental(name: str, info: QueryInfo, hits: list[Hit]) -> bool:
    """Whether a passage mentions the place in a document about somewhere outside the named places enclosing it:
    晋城…赴江苏南通 (晋城 is not in 江苏) makes 南通 part of the topic, but 中方县's report speaking of 鹤城区
    does not answer 怀化鹤城区 (中方县 is in 怀化 too: the question asks about another county of it)."""
    gaz = load_gazetteer()
    place = next((p for p in info.places if p.name == name), None)
    if place is None:
        return False
    enclosing = (gaz.lineage(place) - {place.code}) & {p.code for p in info.places}
    for h in hits:
        if place.short not in h.chunk.search_text and name not in h.chunk.search_text:
            continue
        regions = gaz.by_name.get(h.meta.region, [])
        if regions and not set().union(*(gaz.lineage(r) for r in regions)) & enclosing:
            return True
    return False


def decided_before_search(info: QueryInfo) -> bool:
    """Whether an unmatched place settles the question before any passage is read: no place it names has
    documents, so nothing found could be about it."""
    return bool(info.unmatched_places) and not info.place_docs


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
