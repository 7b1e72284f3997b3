"""Training and dev pairs for the verifier, made from annotators' records (judge.records) by the answering
pipeline itself: each question is retrieved and read as the extractive engine reads it, and the reader's best
candidates become pairs in the form the verifier will judge (answering.judged).

- gold: the annotated sentence's window, when it states every answer (1);
- retrieved: the other candidates of the question's retrieval (0, unless one states the answer, in which case a
  candidate of the gold document is a positive and one of another document is left out as ambiguous);
- near_miss: the annotated sentence and the retrieved candidates for a question they do not answer (0).

A question that names no place may be about any document: another document's candidate is then left out, since
it may well answer it (去年新增学位多少个 and 毕节's 新增学位4.3万个), and a negative that reads as an answer
teaches the model that answers are unlikely.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..answering.evidence import Evidence, TermWeights, gather_evidence
from ..answering.judged import candidate_context, candidate_window
from ..answering.question_form import classify
from ..judge.pairs import Pair
from ..judge.records import Record
from ..retrieval.hits import Hit
from ..retrieval.hybrid import HybridRetriever
from ..text.normalize import normalize_for_match
from ..text.sentences import split_passage


@dataclass(frozen=True)
class PairConfig:
    per_question: int = 5  # candidates read per question (the gold one included)
    answer_chars: int = 100


def _states(window: str, answers: tuple[str, ...]) -> bool:
    norm = normalize_for_match(window)
    return all(normalize_for_match(a) in norm for a in answers)


def _gold_evidence(retriever: HybridRetriever, rec: Record) -> Evidence | None:
    """The annotated sentence as the index splits it: the sentence of its document sharing most of it."""
    want = normalize_for_match(rec.sentence)
    best, best_share = None, 0.0
    for chunk in retriever.data.chunks:
        if chunk.doc != rec.doc:
            continue
        for s in split_passage(chunk):
            norm = normalize_for_match(s.clean)
            if len(norm) < 6:
                continue
            share = len(norm) / max(len(want), 1) if norm in want else (1.0 if want in norm else 0.0)
            if share > best_share:
                hit = Hit(chunk=chunk, meta=retriever.data.metas[chunk.doc], score=1.0)
                best, best_share = Evidence(sentence=s, hit=hit, rank=0, coverage=1.0, score=1.0), share
    return best


def question_pairs(retriever: HybridRetriever, terms: TermWeights, question: str, answers: tuple[str, ...],
                   doc: str, gold: Evidence | None, config: PairConfig) -> list[Pair]:
    """Pairs for one question: `answers` empty means a near miss, which nothing here answers."""
    info = retriever.analyse(question)
    form = classify(info.text, info)
    placed = bool(info.places)
    hits = retriever.search(info.text, k=8, info=info)
    evidence = gather_evidence(hits, form, terms)[: config.per_question * 2]
    out: list[Pair] = []
    seen: set[str] = set()

    def add(e: Evidence, origin: str) -> None:
        window = candidate_window(e, form, terms, config.answer_chars)
        context = candidate_context(e, window)
        if context in seen:
            return
        stated = bool(answers) and _states(window, answers)
        if e.sentence.doc != doc and (stated or not placed):
            return  # another document states it too, or may: neither a clean positive nor a negative
        seen.add(context)
        label = 1.0 if stated else 0.0
        out.append(Pair(question, context, label, doc=doc, origin="gold" if stated else origin))

    if gold is not None:
        add(gold, "near_miss" if not answers else "other_window")
    for e in evidence:
        if len(out) >= config.per_question:
            break
        add(e, "near_miss" if not answers else "retrieved")
    return out


def make_pairs(retriever: HybridRetriever, records: list[Record], config: PairConfig | None = None,
               progress=None) -> list[Pair]:
    config = config or PairConfig()
    terms = TermWeights(retriever.idf or {})
    out: list[Pair] = []
    for i, rec in enumerate(records):
        gold = _gold_evidence(retriever, rec)
        for asked in rec.questions:
            out.extend(question_pairs(retriever, terms, asked.question, asked.answers, rec.doc, gold, config))
        for miss in rec.near_misses:
            out.extend(question_pairs(retriever, terms, miss.question, (), rec.doc, gold, config))
        if progress:
            progress(i + 1, len(records))
    return out
