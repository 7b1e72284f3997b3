"""Answer evaluation and the readable report, on the real index and question set."""

import json
from pathlib import Path

import pytest

from assistant.evaluation.answers import run_retrieval
from assistant.evaluation.questions import read_questions
from assistant.evaluation.report import write_report

from .conftest import ROOT

pytestmark = pytest.mark.slow


def test_eval_scores_answers_and_writes_a_report(assistant, tmp_path):
    questions = read_questions(ROOT / "eval" / "questions.jsonl")
    sample = [q for q in questions if q.type in ("list", "comparison", "unanswerable")][:12]
    sample += [q for q in questions if q.type == "figure"][:6]
    result = run_retrieval(assistant.retriever, sample, assistant=assistant)
    s = result["summary"]
    for key in ("answer_accuracy", "citation_accuracy", "refusal_rate", "false_refusal_rate",
                "answer_latency_p50_ms", "answer_latency_p95_ms"):
        assert key in s
    unanswerable = [r for r in result["results"] if not r["answerable"]]
    assert s["refusal_rate"] == round(sum(r["refused"] for r in unanswerable) / len(unanswerable), 4)
    assert s["refusal_rate"] >= 0.5
    assert s["answer_accuracy"] >= 0.8
    row = next(r for r in result["results"] if r["answerable"])
    assert {"answer", "refused", "citations"} <= set(row)
    assert "answer_accuracy" in s["by_type"]["comparison"]

    # A deliberately wrong gold answer shows up among the failures.
    broken = sample[-1]
    broken.answers = ["不可能出现的答案"]
    result = run_retrieval(assistant.retriever, sample, assistant=assistant)
    files = write_report(result, tmp_path / "report")
    names = {f.name for f in files}
    assert {"report.md", "report.html", "results.json", "accuracy_by_type.png", "latency.png"} <= names
    for f in files:
        assert f.stat().st_size > 0
    assert (tmp_path / "report" / "accuracy_by_type.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "答案准确率" in md and "不可能出现的答案" in md and broken.id in md
    assert "<table>" in (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8"))["summary"]


def test_question_set_is_large_enough():
    questions = read_questions(Path(ROOT / "eval" / "questions.jsonl"))
    assert len(questions) >= 100
    assert sum(1 for q in questions if not q.answerable) >= 15
