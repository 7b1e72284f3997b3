"""Dialogue sets: JSONL, one dialogue a line, {"id", "turns": [{"question", "answers", "type", ...}, ...]}. Each turn
is asked with the conversation so far, as the web chat sends it (the user's questions and the answers shown), and
scored as a question; first turns and follow-ups are reported apart, since a follow-up is the usual second
question in a chat and must do as well as a first one."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .answers import answer_score, citation_correct, passage_matches, summarise
from .questions import Question, QuestionSetError, first_record, question_from

YEAR_GIVEN_RE = re.compile(r"(?:19|20)\d{2}\s*年")
RELATIVE_RE = re.compile(r"今年|去年|明年|前年|上半年|下半年")


@dataclass
class Dialogue:
    id: str
    turns: list[Question]


def is_dialogue_set(path: Path) -> bool:
    return isinstance(first_record(path).get("turns"), list)


def read_dialogues(path: Path) -> list[Dialogue]:
    out = []
    for no, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("turns"), list) or not row["turns"]:
                raise ValueError("每行应是一个含 turns（至少一轮）的 JSON 对象")
            did = str(row.get("id", no))
            out.append(Dialogue(did, [question_from(t, f"{did}#{i + 1}") for i, t in enumerate(row["turns"])]))
        except (ValueError, TypeError, AttributeError, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, ValueError) and not isinstance(exc, json.JSONDecodeError) \
                else "不是合法的 JSON"
            raise QuestionSetError(f"{Path(path).name} 第 {no} 行格式错误：{reason}") from exc
    if not out:
        raise QuestionSetError(f"{Path(path).name} 中没有对话")
    return out


def turn_count(dialogues: list[Dialogue]) -> int:
    return sum(len(d.turns) for d in dialogues)


def run_dialogues(assistant, dialogues: list[Dialogue], engine: str | None = None, progress=None) -> dict:
    results, done, total = [], 0, turn_count(dialogues)
    for d in dialogues:
        history: list[dict] = []
        for i, q in enumerate(d.turns):
            row = {"id": f"{d.id}#{i + 1}", "dialogue": d.id, "turn": i + 1, "question": q.question, "type": q.type,
                   "answerable": q.answerable, "gold_docs": q.docs, "answers": q.answers, "latency_ms": 0.0}
            try:
                ans = assistant.ask(q.question, history=list(history), engine=engine)
                cites = [c.to_dict() for c in ans.citations]
                rank = next((r for r, h in enumerate(ans.retrieved, 1)
                             if q.answerable and passage_matches(q, h.chunk.doc, h.chunk.text)), None)
                row.update(standalone=ans.standalone_question, answer=ans.answer, refused=ans.refused,
                           retrieved=[h.to_dict() for h in ans.retrieved[:5]],
                           citations=cites, hit_rank=rank, answered_by=ans.engine,
                           answer_latency_ms=round(ans.latency_ms, 2),
                           answer_score=round(answer_score(q, ans.answer), 4) if not ans.refused else 0.0,
                           citation_correct=(citation_correct(q, ans.answer, cites)
                                             if q.answerable and not ans.refused else False))
                answer_text = ans.answer
            except Exception as exc:  # one failing turn must not sink the run; the dialogue goes on
                row.update(answer="", refused=False, citations=[], retrieved=[], hit_rank=None, error=f"{type(exc).__name__}: {exc}",
                           answer_latency_ms=0.0, answer_score=0.0, citation_correct=False)
                answer_text = ""
            history += [{"role": "user", "content": q.question}, {"role": "assistant", "content": answer_text}]
            results.append(row)
            done += 1
            if progress:
                progress(done, total)
    summary = summarise(results)
    summary["dialogues"] = len(dialogues)
    summary["year_named"] = year_named(results)
    summary["first_turns"] = _part(r for r in results if r["turn"] == 1)
    summary["follow_ups"] = _part(r for r in results if r["turn"] > 1)
    return {"summary": summary, "results": results}


def year_named(rows: list[dict]) -> float | None:
    """Of the answers shown to questions that gave no year, or a relative one, the share that name a year (the year
    their figure is for); None when there are none."""
    asked = [r for r in rows if not r.get("refused") and r.get("answer")
             and (not YEAR_GIVEN_RE.search(r["question"]) or RELATIVE_RE.search(r["question"]))]
    if not asked:
        return None
    return round(sum(bool(YEAR_GIVEN_RE.search(r["answer"])) for r in asked) / len(asked), 4)


def _part(rows) -> dict:
    rows = list(rows)
    s = summarise(rows) if rows else {}
    s["year_named"] = year_named(rows)
    keep = ("year_named", "questions", "answerable", "unanswerable", "answer_accuracy", "wrong_answers_shown", "false_refusal_rate",
            "refusal_rate", "citation_accuracy", "hit@5")
    return {k: s[k] for k in keep if k in s}
