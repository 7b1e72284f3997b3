"""Every answer to a question that gave no year, or a relative one, says which year its figure is for
(2023年的数据：…), and says so plainly when it is the latest year held rather than the one meant."""

from __future__ import annotations

from ..ingest.schema import DocMeta
from ..text.patterns import YEAR_NIAN_RE, years_in
from .relative_time import TimeReading, figure_time
from .schema import Answer


def note(years: list[int], latest: int | None, mode: str) -> str:
    if not years:
        return ""
    what = "计划" if mode == "plan" else "数据"
    named = "、".join(str(y) for y in years) if len(years) <= 3 else f"{years[0]}—{years[-1]}"
    if latest is not None:
        return f"资料中最新的是{named}年的{what}："
    return f"{named}年的{what}："


def with_year(answer: Answer, question: str, timing: TimeReading, mode: str, metas: dict[str, DocMeta]) -> None:
    """Puts the year in front of `answer`'s text when `question` (as typed) named no year as a number."""
    if answer.refused or not answer.citations:
        return
    if years_in(question, YEAR_NIAN_RE) and timing.latest is None:
        return  # the staff member gave the year: the answer is for it
    years: set[int] = set()
    modes: set[str] = set()
    for c in answer.citations:
        meta = metas.get(c.doc)
        if meta is not None:
            got, stated = figure_time(c.quote, c.section.split(" > ") if c.section else [], meta)
            years.update(got)
            modes.add(stated)
    # What the cited sentences state, else what was asked.
    mode = modes.pop() if len(modes) == 1 and "" not in modes else mode
    ordered = sorted(years)
    if timing.latest is None and ordered and all(f"{y}年" in answer.answer[:12] for y in ordered):
        return  # the answer already opens with its year
    answer.answer = note(ordered, timing.latest, mode) + answer.answer
