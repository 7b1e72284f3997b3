"""Run a question set through the retriever (and, given an assistant, the answer engine) and score it:
hit@1/5 and MRR@10 of retrieval, accuracy, citation accuracy and refusals of answers, per question type."""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from pathlib import Path

from ..retrieval.hybrid import HybridRetriever
from ..text.normalize import normalize_for_match
from .questions import Question


def passage_matches(q: Question, doc: str, text: str) -> bool:
    """A retrieved passage counts when it comes from a gold document and holds a gold answer."""
    if q.docs and Path(doc).name not in q.docs:
        return False
    norm = normalize_for_match(text)
    return any(normalize_for_match(a) in norm for a in q.answers)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[idx]


VERDICT_WORDS = r".{0,4}(?:更|较|最|高于|多于|大于|低于|少于|领先)"


def _found(q: Question, text: str) -> list[bool]:
    norm = normalize_for_match(text)
    return [normalize_for_match(a) in norm for a in q.answers]


def answer_score(q: Question, answer: str) -> float:
    """How much of the gold answer the answer holds. A list scores the share of its items; a comparison counts
    only with every side's figure and, when the set names one, the verdict stated (株洲更多); anything else
    needs one of its accepted forms."""
    if not q.answerable:
        return 0.0
    found = _found(q, answer)
    if q.type == "list":
        return sum(found) / len(found)
    if q.type == "comparison":
        verdict = str(q.extra.get("verdict") or "")
        stated = not verdict or re.search(re.escape(normalize_for_match(verdict)) + VERDICT_WORDS,
                                          normalize_for_match(answer)) is not None
        return 1.0 if all(found) and stated else 0.0
    return 1.0 if any(found) else 0.0


def citation_correct(q: Question, answer: str, citations: list[dict]) -> bool:
    """The quoted sentences themselves (not the passages around them) from a gold document hold what the
    answer got right: every gold item the answer states, or for single-answer questions one accepted form."""
    quotes = [c["quote"] for c in citations if not q.docs or Path(c["doc"]).name in q.docs]
    if not quotes:
        return False
    held = _found(q, " ".join(quotes))
    if q.type in ("list", "comparison"):
        stated = [h for h, f in zip(held, _found(q, answer)) if f]
        return bool(stated) and all(stated)
    return any(held)


def run_retrieval(retriever: HybridRetriever, questions: list[Question], depth: int = 10, progress=None,
                  assistant=None, engine: str | None = None) -> dict:
    """Scores retrieval for every question and, given an assistant, its answers too."""
    results = []
    for i, q in enumerate(questions):
        t0 = time.perf_counter()
        hits = retriever.search(q.question, k=depth)
        latency = (time.perf_counter() - t0) * 1000
        rank = next((r for r, h in enumerate(hits, 1) if q.answerable and passage_matches(q, h.chunk.doc, h.chunk.text)), None)
        row = {
            "id": q.id, "question": q.question, "type": q.type, "answerable": q.answerable,
            "gold_docs": q.docs, "answers": q.answers, "hit_rank": rank,
            "retrieved": [{"doc": h.chunk.doc, "section": " > ".join(h.chunk.section), "text": h.chunk.text,
                           "score": round(h.score, 6), "start": h.chunk.start, "end": h.chunk.end} for h in hits],
            "latency_ms": round(latency, 2),
        }
        if assistant is not None:
            try:
                ans = assistant.ask(q.question, engine=engine)
                cites = [c.to_dict() for c in ans.citations]
                row.update(answer=ans.answer, refused=ans.refused, citations=cites, support=round(ans.support, 3),
                           warnings=ans.warnings, answered_by=ans.engine, answer_latency_ms=round(ans.latency_ms, 2),
                           answer_score=round(answer_score(q, ans.answer), 4) if not ans.refused else 0.0,
                           citation_correct=(citation_correct(q, ans.answer, cites)
                                             if q.answerable and not ans.refused else False))
            except Exception as exc:  # one failing question must not sink the whole run
                row.update(answer="", refused=False, citations=[], error=f"{type(exc).__name__}: {exc}",
                           answer_latency_ms=0.0, answer_score=0.0, citation_correct=False)
        results.append(row)
        if progress:
            progress(i + 1, len(questions))
    return {"summary": summarise(results), "results": results}


def wrong_shown(rows: list[dict]) -> int:
    return sum(1 for r in rows if not r["refused"] and (not r["answerable"] or r["answer_score"] < 1.0))


def summarise(results: list[dict]) -> dict:
    answerable = [r for r in results if r["answerable"]]
    latencies = [r["latency_ms"] for r in results]

    def block(rows: list[dict]) -> dict:
        m = len(rows) or 1
        return {
            "questions": len(rows),
            "hit@1": round(sum(1 for r in rows if r["hit_rank"] == 1) / m, 4),
            "hit@5": round(sum(1 for r in rows if r["hit_rank"] and r["hit_rank"] <= 5) / m, 4),
            "mrr@10": round(sum(1 / r["hit_rank"] for r in rows if r["hit_rank"] and r["hit_rank"] <= 10) / m, 4),
        }

    with_answers = bool(results) and "answer" in results[0]

    def answers_block(rows: list[dict]) -> dict:
        ans = [r for r in rows if r["answerable"]]
        una = [r for r in rows if not r["answerable"]]
        correct = [r for r in ans if r["answer_score"] >= 1.0]
        return {
            # Trust first: an answer shown that is wrong (an answerable question answered wrongly or incompletely,
            # or a near miss answered instead of refused), over all questions.
            "wrong_answers_shown": round(wrong_shown(rows) / (len(rows) or 1), 4),
            "answer_accuracy": round(sum(r["answer_score"] for r in ans) / (len(ans) or 1), 4),
            "citation_accuracy": round(sum(1 for r in ans if r["citation_correct"]) / (len(ans) or 1), 4),
            "correct_cited": round(sum(1 for r in correct if r["citation_correct"]) / (len(correct) or 1), 4),
            "false_refusal_rate": round(sum(1 for r in ans if r["refused"]) / (len(ans) or 1), 4),
            "refusal_rate": round(sum(1 for r in una if r["refused"]) / len(una), 4) if una else None,
            "answer_latency_p50_ms": round(statistics.median([r["answer_latency_ms"] for r in rows]), 2) if rows else 0.0,
            "answer_latency_p95_ms": round(percentile([r["answer_latency_ms"] for r in rows], 95), 2),
            "answer_chars_p50": statistics.median([len(r["answer"]) for r in ans if not r["refused"]] or [0]),
            "errors": sum(1 for r in rows if r.get("error")),
            # which engine gave the final answer (the cascade, or the llm engine's extractive fallback)
            "answered_by": dict(Counter(r.get("answered_by", "") for r in rows if r.get("answered_by"))),
        }

    by_type = {}
    for t in sorted({r["type"] for r in results}):
        rows = [r for r in results if r["type"] == t]
        answerable_rows = [r for r in rows if r["answerable"]]
        entry = {"questions": len(rows), "answerable": len(answerable_rows)}
        if answerable_rows:
            entry.update({k: v for k, v in block(answerable_rows).items() if k != "questions"})
        if with_answers:
            entry.update(answers_block(rows))
        by_type[t or "(未分类)"] = entry
    summary = {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(results) - len(answerable),
        **{k: v for k, v in block(answerable).items() if k != "questions"},
        "latency_p50_ms": round(statistics.median(latencies), 2) if latencies else 0.0,
        "latency_p95_ms": round(percentile(latencies, 95), 2),
        "by_type": by_type,
    }
    if with_answers:
        summary.update(answers_block(results))
    return summary
