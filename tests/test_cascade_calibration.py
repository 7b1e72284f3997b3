"""The cascade's thresholds are chosen from both engines' dev results, never from a test split."""

import json
import subprocess
import sys

from assistant.evaluation.cascade import best_thresholds, pair_results, simulate


def row(id_, answerable, score, refused, support=0.0):
    return {"id": id_, "answerable": answerable, "answer": "…", "answer_score": score, "refused": refused,
            "support": support}


EXTRACTIVE = [row("a", True, 1.0, False, 0.5),   # sure and right: keep
              row("b", True, 0.0, False, 0.2),   # unsure and wrong: the model is right
              row("c", False, 0.0, True, 0.0),   # a structural refusal: keep
              row("d", True, 0.0, True, 0.1)]    # a near refusal: the model answers
LLM = [row("a", True, 0.0, True), row("b", True, 1.0, False), row("c", False, 0.0, False), row("d", True, 1.0, False)]


def test_simulation_takes_each_engine_where_it_decides():
    pairs = pair_results(EXTRACTIVE, LLM)
    m = simulate(pairs, answer_score=0.3, refusal_score=0.05)
    assert m["accuracy"] == 1.0 and m["refusal"] == 1.0 and m["to_llm"] == 0.5
    alone = simulate(pairs, answer_score=-1, refusal_score=1.0)  # everything kept: the extractive engine alone
    assert alone["accuracy"] == 1 / 3 and alone["to_llm"] == 0.0


def test_best_thresholds_beat_either_engine_alone():
    a, r, m = best_thresholds(pair_results(EXTRACTIVE, LLM), max_false_refusals=0.05)
    assert 0.2 < a <= 0.5 and 0.0 < r <= 0.1
    assert m["accuracy"] == 1.0 and m["refusal"] == 1.0


def test_cli_refuses_results_of_a_test_split(tmp_path):
    ext, llm = tmp_path / "e.json", tmp_path / "l.json"
    for path, rows in ((ext, EXTRACTIVE), (llm, LLM)):
        path.write_text(json.dumps({"summary": {"questions_file": "eval/staff_bundled_test.jsonl"}, "results": rows}))
    cmd = [sys.executable, "-m", "assistant.cli", "calibrate-cascade", "--extractive", str(ext), "--llm", str(llm)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 2 and "测试集" in out.stderr
    for path, rows in ((ext, EXTRACTIVE), (llm, LLM)):
        path.write_text(json.dumps({"summary": {"questions_file": "eval/staff_bundled_dev.jsonl"}, "results": rows}))
    out = subprocess.run(cmd, capture_output=True, text=True)
    assert out.returncode == 0 and "cascade_answer_score = " in out.stdout


def test_every_held_out_split_is_recognised():
    from assistant.evaluation.questions import is_test_split

    assert is_test_split("eval/staff_bundled_test.jsonl") and is_test_split("eval/staff_extra_test2.jsonl")
    assert not is_test_split("eval/staff_bundled_dev.jsonl") and not is_test_split("../shared/dev-questions.jsonl")
    assert not is_test_split("eval/latest.jsonl")
