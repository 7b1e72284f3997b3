"""今年、去年、明年 as the staff member means them (against today's date), the latest year the corpus holds when it
holds nothing for the year meant, and the year an answer's figure is for.

A 2024 report reviews 2023 and plans 2024. Asked in 2026, "株洲去年新增了多少学位" means 2025; the corpus holds no
2025 results for 株洲, so the answer is the latest result it holds (2023) and says so. A year given as a number is
never moved: "2025年新增了多少" with no 2025 figures is refused, since another year's figure does not answer it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..ingest.schema import Chunk, DocMeta
from ..retrieval.frames import RESULT_GENRES, heading_frame, question_frame, sentence_frame
from ..text.normalize import clean_fragment
from ..text.patterns import YEAR_NIAN_RE, years_in

RELATIVE_YEARS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
RELATIVE_RE = re.compile("|".join(RELATIVE_YEARS))
# A relative word that names a baseline, not when the measure holds: 比去年增长, 较上年.
BASELINE_RE = re.compile(r"(?:比|较|同比|相比|超过|高于|低于)(?:去年|前年|今年)")
# How far today may be from the corpus before a relative year is taken as the documents' own (a corpus of 1990s
# reports asked in 2026 has nothing to fall back to in the sense meant).
MAX_FALLBACK_YEARS = 6


def current_year(today: str = "") -> int:
    """The year of `today` (YYYY-MM-DD, from settings) or of the machine's date."""
    return date.fromisoformat(today).year if today else date.today().year


@dataclass(frozen=True)
class Held:
    """The years each document holds statements for, by mode ("result", "plan")."""

    by_doc: dict[str, frozenset[tuple[int, str]]]

    def years(self, docs: list[str], mode: str) -> set[int]:
        # A part whose mode cannot be told (三、政府自身建设) does not say a result or plan is held for its year.
        return {y for d in docs for y, m in self.by_doc.get(d, ()) if not mode or m == mode}


def statement_years(section: list[str], meta: DocMeta) -> tuple[set[int], str]:
    """The years and mode of a passage's part: its top heading's years, else its document's, where a report's
    review without a year (过去一年工作回顾) is of the year before the report's latest."""
    frame = heading_frame(section, meta)
    head = clean_fragment(section[0]) if section else ""
    if YEAR_NIAN_RE.search(head) or not meta.years:
        return set(frame.years), frame.mode
    latest = max(meta.years)
    if frame.mode == "result" and meta.genre not in RESULT_GENRES:
        return {latest - 1}, frame.mode
    return {latest}, frame.mode


def held_years(chunks: list[Chunk], metas: dict[str, DocMeta]) -> Held:
    out: dict[str, set[tuple[int, str]]] = {}
    for c in chunks:
        years, mode = statement_years(c.section, metas[c.doc])
        out.setdefault(c.doc, set()).update((y, mode) for y in years)
    return Held({d: frozenset(v) for d, v in out.items()})


def _relative_spans(text: str) -> list[re.Match]:
    return [m for m in RELATIVE_RE.finditer(text) if not BASELINE_RE.search(text, max(0, m.start() - 3), m.end())]


def resolve_relative_years(text: str, this_year: int | None) -> str:
    """今年/去年/明年/前年 written out as years counted from `this_year` (left alone when it is None)."""
    if this_year is None:
        return text
    out, shift = [], 0
    for m in _relative_spans(text):
        out.append(text[shift : m.start()] + f"{this_year + RELATIVE_YEARS[m.group(0)]}年")
        shift = m.end()
    return "".join(out) + text[shift:]


def years_meant(texts: list[str], this_year: int) -> set[int]:
    """The years the relative words of these texts (a question and the turns before it) stand for."""
    return {this_year + RELATIVE_YEARS[m.group(0)] for t in texts for m in _relative_spans(t)}


def asked_mode(question: str) -> str:
    """Result or plan, as the question (in the staff member's words) asks: 去年/前年 alone ask for a result."""
    mode = question_frame(question).mode
    if mode:
        return mode
    words = [m.group(0) for m in _relative_spans(question)]
    return "result" if words and all(RELATIVE_YEARS[w] < 0 for w in words) else ""


@dataclass(frozen=True)
class TimeReading:
    text: str  # the standalone question, with the latest year held in place of a year meant but not held
    meant: tuple[int, ...] = ()  # years the question meant by a relative word
    latest: int | None = None  # the latest year held, used instead


def latest_instead(text: str, meant: set[int], mode: str, held: Held, docs: list[str]) -> TimeReading:
    """`text`'s years that a relative word meant, when the documents of the places asked (`docs`) hold nothing for
    them in the mode asked, replaced by the latest year they hold before it."""
    asked = sorted({y for y in years_in(text) if y in meant})
    if len(asked) != 1:
        return TimeReading(text, tuple(asked))
    year = asked[0]
    # Parts are told apart by their headings only; documents with no part in the mode asked (a news report of
    # the year's results that also states plans) fall back to any year, and the reader's checks of each sentence
    # still refuse a result given for a plan.
    available = held.years(docs, mode) or held.years(docs, "")
    earlier = [y for y in available if y <= year]
    if not available or year in available or not earlier or year - max(earlier) > MAX_FALLBACK_YEARS:
        return TimeReading(text, (year,))
    latest = max(earlier)
    return TimeReading(re.sub(rf"(?<!\d){year}(?=\s*年)", str(latest), text), (year,), latest)


def latest_held(standalone: str, asked: list[str], this_year: int, mode: str, held: Held | None,
                docs: list[str]) -> TimeReading:
    """latest_instead for a question and the turns before it (`asked`, in the staff member's words)."""
    if held is None:
        return TimeReading(standalone)
    return latest_instead(standalone, years_meant(asked, this_year), mode, held, docs)


def figure_time(sentence: str, section: list[str], meta: DocMeta) -> tuple[list[int], str]:
    """The year(s) a cited sentence's statement holds for (its own year, else its part's) and whether it states a
    result or a plan."""
    frame = sentence_frame(clean_fragment(sentence), section, meta)
    own = sorted(set(years_in(sentence, YEAR_NIAN_RE)))
    if len(own) == 1:
        return own, frame.mode
    years, _ = statement_years(section, meta)
    return sorted(years if len(years) == 1 or not frame.years else frame.years), frame.mode
