"""Filling a planned outline (`skeletons`): each part is written from the statements of its own kind only (the
overall approach, goals, measures, results, problems, plans, safeguards). A part the corpus has nothing for stays
a labelled gap (【待补充：…】) and never borrows from another part or another topic."""

from __future__ import annotations

import re

from ..text.patterns import cn_numeral
from .compose import GOAL_RE, GUIDE_RE, SAFEGUARD_RE, states_problem, wanted_items, write_facets
from .kinds import fits
from .schema import gap
from .skeletons import Part
from .sources import PLAN_GENRES, SUMMARY_GENRES, topic_weight
from .state import DraftState

BASIC_RE = re.compile(r"\d")  # 基本情况: statements of the present state with their figures


def write_parts(state: DraftState, parts: tuple[Part, ...], outline: bool) -> None:
    for i, part in enumerate(parts, 1):
        state.add("heading", f"{cn_numeral(i)}、{part.title}", 1)
        wrote = _fill(state, part.fill, outline)
        if part.then:
            wrote = _fill(state, part.then, outline) or wrote
        if not wrote:
            state.add("text", gap(part.title), 0)


def _fill(state: DraftState, kind: str, outline: bool) -> bool:
    """Writes what the corpus says of `kind` for the draft's topic; False when it says nothing."""
    corpus, words = state.corpus, state.topic_words
    plans, summaries = corpus.docs(PLAN_GENRES), corpus.docs(SUMMARY_GENRES)
    per_item = 1 if outline else None
    if kind == "measures":
        return bool(write_facets(state, "measure", wanted_items(state.request, 4 if outline else 6), per_item=per_item))
    if kind == "results":
        return bool(write_facets(state, "result", wanted_items(state.request, 4 if outline else 5), per_item=per_item))
    if kind == "plans":
        return bool(write_facets(state, "measure", 3, per_item=per_item))
    if kind == "guide":
        return _say(state, corpus.find(plans, GUIDE_RE, words, 1), 1)
    if kind == "safeguards":
        found = [g for g in corpus.find(plans + summaries, SAFEGUARD_RE, words, 6) if fits(g.sentence.clean, "measure")]
        return _say(state, found, 1 if outline else 3)
    hits = corpus.hits(state.query, summaries if kind in ("problems", "basics") else plans)
    sentences = corpus.sentences(hits)
    if kind == "goals":
        chosen = [s for s in sentences if GOAL_RE.search(s.sentence.clean) and topic_weight(s.sentence.clean, words)]
    elif kind == "problems":
        chosen = [s for s in sentences if states_problem(s.sentence.clean, " ".join(s.hit.chunk.section))]
    elif kind == "basics":
        chosen = [s for s in sentences if BASIC_RE.search(s.sentence.clean) and fits(s.sentence.clean, "result")
                  and topic_weight(s.sentence.clean, words)]
    else:  # requests, lessons: what the writer knows and the corpus does not say
        return False
    return _say(state, chosen, 1 if outline else 2)


def _say(state: DraftState, sources, limit: int) -> bool:
    text, marks = state.reuse(sources, limit) if sources else ("", [])
    if text:
        state.add("text", text, 0, marks)
    return bool(text)
