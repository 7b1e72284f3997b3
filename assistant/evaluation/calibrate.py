"""Calibrating the reader on dev question sets: the weights of its score and the threshold below which it
declines (answering/reader.py).

For every question the reader's candidates are computed once (coverage, both similarities, passage rank,
conflicts, and whether the sentence holds a gold answer); a grid search then picks the weights that maximise
accuracy + refusal of the unanswerable, with false refusals above `max_false_refusals` penalised three-fold.
A five-fold cross-validation over questions estimates how the choice carries to questions it was not tuned on.
Run it on dev splits only; a test split is for the final figure.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from ..answering.evidence import gather_evidence
from ..answering.extractive import ExtractiveEngine
from ..answering.question_form import classify
from ..answering.reader import ReaderWeights, candidates, is_eligible, score
from ..answering.scope import unmatched_place
from ..text.normalize import normalize_for_match
from .questions import Question

GRID = {
    "lexical": (0.5, 1.0, 2.0),
    "semantic": (1.0, 2.0),
    "clause_semantic": (1.0, 2.0),
    "rank": (0.0, 0.1),
    "threshold": tuple(round(-0.2 + 0.04 * i, 2) for i in range(31)),
    "min_coverage": (0.0, 0.1, 0.15, 0.2),
    "measure": (0.0, 0.3, 0.5),
}


@dataclass
class Row:
    """One candidate sentence of one question, reduced to what the score and the decision need."""
    coverage: float
    similarity: float
    clause_similarity: float
    rank: int
    measure_coverage: float
    possible: bool  # no element, unit, year, mode, names or part conflict
    holds_answer: bool  # what would be shown (the trimmed window) holds a gold answer
    verified: float | None = None  # the verifier's probability (None: no verifier)


@dataclass
class Case:
    id: str
    answerable: bool
    unmatched: bool  # a place no document is about: declined before the reader
    rows: list[Row]


def collect(engine: ExtractiveEngine, questions: list[Question], progress=None) -> list[Case]:
    """The reader's candidates for every single-answer question (lists and comparisons are left out: they are
    decided per item and per side by the same reader)."""
    retriever = engine.retriever
    cases = []
    for i, q in enumerate(questions):
        if q.type in ("list", "comparison"):
            continue
        info = retriever.analyse(q.question)
        form = classify(info.text, info)
        hits = retriever.search(info.text, k=engine.settings.answer_k, info=info)
        ev = gather_evidence(hits, form, engine.terms)
        cands = candidates(info.text, ev, form, info.frame, engine.terms, retriever.embeddings,
                           engine.settings.reader_candidates, engine.verifier, engine.settings.answer_max_chars)
        gold = [normalize_for_match(a) for a in q.answers]
        rows = [Row(c.evidence.coverage, c.similarity, c.clause_similarity, c.evidence.rank, c.measure_coverage,
                    not c.conflict, any(g in normalize_for_match(c.window) for g in gold), c.verified)
                for c in cands]
        cases.append(Case(q.id, q.answerable, bool(unmatched_place(info, hits)), rows))
        if progress:
            progress(i + 1, len(questions))
    return cases


def _score(r: Row, w: ReaderWeights) -> float:
    return score(r.coverage, r.similarity, r.clause_similarity, r.rank, w, r.verified)


def _best_per_case(cases: list[Case], w: ReaderWeights) -> list[tuple[float, bool] | None]:
    """Each case's best eligible candidate under `w` (its score, whether it holds a gold answer); None if none."""
    out = []
    for case in cases:
        eligible = [] if case.unmatched else [r for r in case.rows
                                              if is_eligible(r.possible, r.coverage, r.measure_coverage, w,
                                                             r.verified)]
        best = max(eligible, key=lambda r: _score(r, w), default=None)
        out.append(None if best is None else (_score(best, w), best.holds_answer))
    return out


def _tally(cases: list[Case], best: list[tuple[float, bool] | None], threshold: float) -> dict:
    correct = declined_answerable = declined_unanswerable = wrong = 0
    for case, b in zip(cases, best):
        answered = b is not None and b[0] >= threshold
        if case.answerable:
            correct += answered and b[1]
            wrong += answered and not b[1]
            declined_answerable += not answered
        else:
            declined_unanswerable += not answered
            wrong += answered
    n_ans = sum(c.answerable for c in cases) or 1
    n_una = sum(not c.answerable for c in cases) or 1
    return {"accuracy": correct / n_ans, "false_refusals": declined_answerable / n_ans,
            "refusal": declined_unanswerable / n_una, "wrong_shown": wrong / (len(cases) or 1)}


def outcome(cases: list[Case], w: ReaderWeights) -> dict:
    """Accuracy (the chosen sentence holds a gold answer), false refusals and refusal of the unanswerable."""
    return _tally(cases, _best_per_case(cases, w), w.threshold)


def objective(m: dict, max_false_refusals: float) -> float:
    # Trust first: a wrong answer shown costs twice what a right one gains; false refusals past the limit thrice.
    return (m["accuracy"] + m["refusal"] - 2 * m.get("wrong_shown", 0.0)
            - 3 * max(0.0, m["false_refusals"] - max_false_refusals))


VERIFIER_GRID = {"verifier": (0.0, 0.25, 0.5, 1.0, 2.0, 4.0),
                 "gate": (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)}


def best_verifier_weights(cases: list[Case], base: ReaderWeights, max_false_refusals: float = 0.05) -> ReaderWeights:
    """The verifier's weight and gate, and the threshold, with the reader's other weights kept as they are."""
    fixed = {k: v for k, v in base.__dict__.items() if k not in ("verifier", "gate", "threshold")}
    best, best_value = base, objective(outcome(cases, base), max_false_refusals)
    for weight in VERIFIER_GRID["verifier"]:
        for gate in VERIFIER_GRID["gate"]:
            w = ReaderWeights(threshold=0.0, verifier=weight, gate=gate, **fixed)
            per_case = _best_per_case(cases, w)
            for t in GRID["threshold"]:
                value = objective(_tally(cases, per_case, t), max_false_refusals)
                if value > best_value:
                    best, best_value = ReaderWeights(threshold=t, verifier=weight, gate=gate, **fixed), value
    return best


def best_weights(cases: list[Case], max_false_refusals: float = 0.05) -> ReaderWeights:
    names = [k for k in GRID if k != "threshold"]
    best, best_value = None, float("-inf")
    for values in itertools.product(*(GRID[k] for k in names)):
        w = ReaderWeights(threshold=0.0, **dict(zip(names, values)))
        per_case = _best_per_case(cases, w)  # the threshold only decides which of these are answered
        for t in GRID["threshold"]:
            value = objective(_tally(cases, per_case, t), max_false_refusals)
            if value > best_value:
                best, best_value = ReaderWeights(threshold=t, **dict(zip(names, values))), value
    return best


def cross_validate(cases: list[Case], folds: int = 5, seed: int = 0, max_false_refusals: float = 0.05) -> dict:
    """Mean figures on each held-out fold, with the weights chosen on the other folds."""
    order = list(range(len(cases)))
    random.Random(seed).shuffle(order)
    parts = [order[i::folds] for i in range(folds)]
    totals = {"accuracy": 0.0, "false_refusals": 0.0, "refusal": 0.0, "wrong_shown": 0.0}
    for held in parts:
        held_set = set(held)
        train = [cases[i] for i in order if i not in held_set]
        w = best_weights(train, max_false_refusals)
        for k, v in outcome([cases[i] for i in held], w).items():
            totals[k] += v / folds
    return totals
