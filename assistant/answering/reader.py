"""The reader's two decisions about the evidence: which sentence answers, and whether it answers the question
as asked. (How to say it is `phrasing`.)

Which sentence: lexical coverage of the question's topic (evidence.py) is joined by meaning: m3e similarity
between the question and each candidate sentence, and between the question and its best two-clause window, so
that a paraphrase (新招引进来的老师 for 引进教师) still finds its sentence; the passage's rank counts a little.

Whether it answers: a candidate is eligible only when it holds what the question asks for (a figure, and in the
unit asked: 多少人 is not answered by a share), speaks of the year asked, and in the mode asked (a plan is not
a result). The best eligible candidate must then score above a threshold, else the engine declines.

The weights and the threshold are settings, calibrated on the dev question sets with `assistant calibrate`
(never on a test split); see `assistant/settings.py` for the values and their rationale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..ingest.embed import LocalEmbeddings
from ..settings import Settings
from ..text.patterns import YEAR_NIAN_RE
from ..text.sentences import clauses
from .answer_guards import guard
from .evidence import Evidence, TermWeights, has_element, has_unit, windows
from .judged import candidate_context, candidate_window, judge
from ..retrieval.frames import QuestionFrame, frame_conflict, sentence_frame
from .question_form import QuestionForm

NEEDS_ELEMENT = ("figure", "when", "who")  # evidence without a figure / date / person does not answer
SIMILARITY_BASE = 0.7  # m3e cosine of unrelated Chinese sentences sits near this; only the excess counts
FIGURE_AT_RE = re.compile(r"\d+(?:\.\d+)?")
CHANGE_BEFORE_RE = re.compile(r"(?:增加|提高|增长|上调|下降|减少|降低|提升|下调)了?(?:约|近|超过)?$")
DAY_RE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")
ASKING_RE = re.compile(r"多少|几|什么|哪|谁|是否|何时")


@dataclass(frozen=True)
class ReaderWeights:
    lexical: float
    semantic: float
    clause_semantic: float
    rank: float
    threshold: float
    min_coverage: float  # a sentence sharing less of the question's topic than this never answers
    measure: float  # nor one holding less than this share of what is asked (the words of the asking clause)
    verifier: float = 0.0  # weight of the verifier's probability (above 0.5 adds, below subtracts)
    gate: float = 0.0  # a candidate the verifier gives less than this never answers

    @classmethod
    def from_settings(cls, settings: Settings) -> "ReaderWeights":
        return cls(**{name: getattr(settings, key) for name, key in SETTING_NAMES.items()})

    def as_settings(self) -> dict[str, float]:
        return {key: getattr(self, name) for name, key in SETTING_NAMES.items()}


SETTING_NAMES = {"lexical": "reader_lexical_weight", "semantic": "reader_semantic_weight",
                 "clause_semantic": "reader_clause_semantic_weight", "rank": "reader_rank_weight",
                 "threshold": "reader_threshold", "min_coverage": "reader_min_coverage",
                 "measure": "reader_measure_coverage", "verifier": "verifier_weight", "gate": "verifier_gate"}


@dataclass
class Candidate:
    evidence: Evidence
    similarity: float  # question · sentence
    clause_similarity: float  # question · best two-clause window
    measure_coverage: float  # share of what is asked (the asking clause's topic words) the sentence holds
    conflict: str  # "" when the sentence can answer, else why not: element, unit, measure, year, mode, names, part
    window: str = ""  # what the answer would quote (the sentence trimmed)
    verified: float | None = None  # the verifier's probability that the window states what is asked (None: no verifier)

    def eligible(self, w: ReaderWeights) -> bool:
        return is_eligible(not self.conflict, self.evidence.coverage, self.measure_coverage, w, self.verified)

    def score(self, w: ReaderWeights) -> float:
        return score(self.evidence.coverage, self.similarity, self.clause_similarity, self.evidence.rank, w,
                     self.verified)


def score(coverage: float, similarity: float, clause_similarity: float, rank: int, w: ReaderWeights,
          verified: float | None = None) -> float:
    judged = w.verifier * (verified - 0.5) if verified is not None else 0.0
    return (w.lexical * coverage + w.semantic * (similarity - SIMILARITY_BASE)
            + w.clause_semantic * (clause_similarity - SIMILARITY_BASE) + w.rank / (rank + 1) + judged)


def is_eligible(conflict_free: bool, coverage: float, measure_coverage: float, w: ReaderWeights,
                verified: float | None = None) -> bool:
    return (conflict_free and coverage >= w.min_coverage and measure_coverage >= w.measure
            and (verified is None or verified >= w.gate))


def only_changes(text: str, units: tuple[str, ...]) -> bool:
    """Whether every figure the sentence states (in the unit asked) is a change, not a level: 提高60元, 增长8%
    (提高至1050元 is a level)."""
    figures = [m for m in FIGURE_AT_RE.finditer(text)
               if not units or any(text[m.end():].lstrip("余多万亿 ").startswith(u) for u in units)]
    return bool(figures) and all(CHANGE_BEFORE_RE.search(text[max(0, m.start() - 4):m.start()]) for m in figures)


def conflict_of(e: Evidence, form: QuestionForm, frame: QuestionFrame, terms: TermWeights) -> str:
    text = e.sentence.clean
    if form.kind == "when" and (form.year_asked or form.day_asked):
        if not (DAY_RE if form.day_asked else YEAR_NIAN_RE).search(text):
            return "element"
    elif form.kind in NEEDS_ELEMENT and not has_element(text, form.kind):
        return "element"
    if form.kind == "figure" and form.units and not has_unit(text, form.units):
        return "unit"
    if form.rates and not any(r in text for r in form.rates):
        return "measure"  # 巩固率 is not answered by 入学率
    if form.kind == "figure" and not form.asks_change and only_changes(text, form.units):
        return "measure"  # 每人每年最多能贷多少 is not answered by 最高额度增加4000元
    if form.measure and measure_coverage(e, list(form.measure), terms) < 0.75:
        return "measure"  # 多少个幼儿园学位 is not answered by 新增公办学位1.5万个
    conflict = frame_conflict(frame, sentence_frame(text, e.hit.chunk.section, e.hit.meta))
    # A plan is not a result for a measure or a fact (新增学位17万个 planned is not how many were added); for a
    # name, a person or a date the mode of the sentence does not change what it says (准备拿哪所学院升格).
    return "" if conflict == "mode" and form.kind in ("name", "who", "when") else conflict


def asked_terms(text: str, form: QuestionForm) -> list[str]:
    """What the question asks about, in its own words: the topic words of the clause with the question word
    (荆州市有多少名在读研究生 → 在读, 研究生; 今年新盖的加上扩建的，总共添了多少个学位 → 添, 学位)."""
    clause = next((c for c in clauses(text) if ASKING_RE.search(c)), text)
    return [t for t in form.terms if t in clause] or list(form.terms)


def measure_coverage(e: Evidence, asked: list[str], terms: TermWeights) -> float:
    if not asked:
        return 1.0
    where = e.sentence.clean + " " + " ".join(e.hit.chunk.section)
    total = sum(terms.weight(t) for t in asked)
    return sum(terms.weight(t) * terms.match(t, where) for t in asked) / total


def candidates(question: str, evidence: list[Evidence], form: QuestionForm, frame: QuestionFrame,
               terms: TermWeights, embeddings: LocalEmbeddings, limit: int, verifier=None,
               answer_chars: int = 100) -> list[Candidate]:
    """The `limit` lexically best sentences that can answer (no conflict), with their similarities to the
    question and, given a verifier, its probability for each window that can answer; when fewer can, the best of
    the rest with their conflicts (the refusal's support)."""
    conflicts = [conflict_of(e, form, frame, terms) for e in evidence]
    order = sorted(range(len(evidence)), key=lambda i: bool(conflicts[i]))  # stable: lexical order within
    top = [evidence[i] for i in order[:limit]]
    top_conflicts = [conflicts[i] for i in order[:limit]]
    if not top:
        return []
    shown = [candidate_window(e, form, terms, answer_chars) for e in top]
    top_conflicts = [c or guard(question, w, form, terms) for c, w in zip(top_conflicts, shown)]
    spans = [windows(e.sentence.clean, 2) for e in top]
    question_vector = embeddings.encode_recent([question])[0]
    vectors = embeddings.encode_recent([e.sentence.clean for e in top] + [w for ws in spans for w in ws])
    sims = vectors @ question_vector
    sentence_sims, window_sims = sims[: len(top)], sims[len(top):]
    judged_at = [i for i, c in enumerate(top_conflicts) if not c]
    probs = judge(verifier, question, [candidate_context(top[i], shown[i]) for i in judged_at])
    verified: list[float | None] = [None] * len(top)
    for i, p in zip(judged_at, probs):
        verified[i] = p
    asked = asked_terms(question, form)
    out, at = [], 0
    for j, (e, ws, sim, conflict) in enumerate(zip(top, spans, sentence_sims, top_conflicts)):
        best_window = float(np.max(window_sims[at : at + len(ws)]))
        at += len(ws)
        out.append(Candidate(e, float(sim), best_window, measure_coverage(e, asked, terms), conflict, shown[j],
                             verified[j] if verifier is not None else None))
    return out


def best_score(cands: list[Candidate], weights: ReaderWeights) -> float:
    """The score of the best eligible candidate, whatever the threshold (0 when none is eligible)."""
    return max((c.score(weights) for c in cands if c.eligible(weights)), default=0.0)


def choose(cands: list[Candidate], weights: ReaderWeights) -> list[Candidate]:
    """The eligible candidates, best first; empty when none scores above the threshold (the engine declines)."""
    eligible = sorted((c for c in cands if c.eligible(weights)), key=lambda c: -c.score(weights))
    if not eligible or eligible[0].score(weights) < weights.threshold:
        return []
    return eligible
