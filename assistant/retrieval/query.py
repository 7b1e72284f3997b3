"""What a question names: places and years, matched against the documents' metadata."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..ingest.schema import DocMeta
from ..text.gazetteer import Place, load_gazetteer, named_as_word, short_name, standalone_mentions
from ..text.normalize import to_simplified
from ..text.patterns import years_in
from .frames import QuestionFrame, question_frame


@dataclass
class QueryInfo:
    text: str  # normalised question
    years: list[int] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    place_docs: set[str] | None = None  # documents about the places named; None = no place named or none matched
    unmatched_places: list[str] = field(default_factory=list)  # places named that no document is about
    frame: QuestionFrame = field(default_factory=QuestionFrame)  # the year and mode the measure is asked for


NATIONAL_SCOPE_RE = re.compile(r"全国(?!首|第一|头一|唯一|率先|领先|前列|之最)|国务院|我国|国家层面")
COLLOQUIAL = (("啥", "什么"), ("咋样", "怎么样"), ("咋", "怎么"))


def normalise_question(question: str) -> str:
    """NFKC and Simplified, with colloquial question words in their written form (叫啥 → 叫什么)."""
    text = to_simplified(unicodedata.normalize("NFKC", question)).strip()
    for spoken, written in COLLOQUIAL:
        text = text.replace(spoken, written)
    return text


def _related(place: Place, meta: DocMeta) -> int:
    """0 = unrelated; 3 = the document is about this place; 2 = about its parent or child; 1 = mentions it."""
    gaz = load_gazetteer()
    region_short = short_name(meta.region) if meta.region else ""
    if region_short and region_short == place.short:
        return 3
    # The region's full name when the table has it: 吉林市 is not 吉林省, whose short name it shares.
    for cand in gaz.by_name.get(meta.region) or gaz.by_name.get(region_short, []):
        if cand.parent == place.code or place.parent == cand.code:
            return 2
    if any(short_name(p) == place.short for p in meta.places):
        return 1
    return 0


def analyse(question: str, metas: dict[str, DocMeta]) -> QueryInfo:
    text = normalise_question(question)
    info = QueryInfo(text=text, years=sorted(set(years_in(text))))
    info.frame = question_frame(text)
    gaz = load_gazetteer()
    seen: set[str] = set()
    by_short: set[str] = set()  # places named only by a short form
    for place, start, end in standalone_mentions(text):
        short_form = text[start:end] == place.short
        if place.short not in seen:
            seen.add(place.short)
            info.places.append(place)
            if short_form:
                by_short.add(place.code)
    # A document's own region counts in its short form even where that is an ordinary word elsewhere (中方).
    for meta in metas.values():
        short = short_name(meta.region) if meta.region else ""
        if len(short) >= 2 and short not in seen and named_as_word(short, text):
            for place in gaz.by_name.get(meta.region, []):
                seen.add(short)
                info.places.append(place)
    if not info.places:
        # 全国 or 国务院 with no place named asks about the country: the national reports answer it, not a
        # city's (全国首个 beside a city names a first, not a scope).
        national = {name for name, meta in metas.items() if meta.region == "全国"}
        if national and NATIONAL_SCOPE_RE.search(text):
            info.place_docs = national
        return info
    docs: set[str] = set()
    words_not_places: list[Place] = []
    levels = {place.code: {name: _related(place, meta) for name, meta in metas.items()} for place in info.places}
    # A place that documents only mention in passing (广州 in 凉山's report, as a venue) is not covered: asked
    # about on its own it is unmatched. Beside a place that has documents it is part of that topic (深圳跟北京的
    # 哪家医院合作) and restricts nothing.
    covered = any(max(lv.values(), default=0) >= 2 for lv in levels.values())
    for place in info.places:
        by_doc = levels[place.code]
        best = max(by_doc.values(), default=0)
        if best >= 2:
            docs |= {name for name, lv in by_doc.items() if lv >= 2}
        elif best == 1 and covered:
            words_not_places.append(place)  # part of the topic (北京的医院), not a side or a filter
        elif place.level == 3 and place.code in by_short:
            # County short forms are often ordinary words (新建改扩建, 公安): without a document about
            # that county, read them as words, not places.
            words_not_places.append(place)
        else:
            info.unmatched_places.append(place.name)
    info.places = [p for p in info.places if p not in words_not_places]
    info.place_docs = docs or None
    return info
