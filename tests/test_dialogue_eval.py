"""Dialogue sets: read with their errors named, each turn asked with the conversation so far, first turns and
follow-ups reported apart."""

import json

import pytest

from assistant.evaluation.dialogues import is_dialogue_set, read_dialogues, run_dialogues
from assistant.evaluation.questions import QuestionSetError


def test_dialogue_sets_are_read_and_told_apart(tmp_path):
    good = tmp_path / "d.jsonl"
    good.write_text(json.dumps({"id": "a", "turns": [{"question": "中方县2023年在编教师多少人？", "answers": ["2243人"]},
                                                     {"question": "其中小学呢？", "answers": ["620人"]}]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    assert is_dialogue_set(good)
    (d,) = read_dialogues(good)
    assert [t.id for t in d.turns] == ["a#1", "a#2"] and d.turns[1].answers == ["620人"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b", "turns": []}\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match="第 1 行"):
        read_dialogues(bad)
    bad.write_text('{"id": "c", "turns": [{"answers": []}]}\n', encoding="utf-8")
    with pytest.raises(QuestionSetError, match="question"):
        read_dialogues(bad)


@pytest.mark.slow
def test_each_turn_is_asked_with_the_conversation_so_far(assistant, tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "z", "turns": [
        {"question": "中方县2023年在编教师多少人？", "answers": ["2243人", "2243"], "type": "figure"},
        {"question": "其中小学有多少人？", "answers": ["620人", "620"], "type": "figure"},
        {"question": "其中男教师有多少人？", "answers": [], "type": "unanswerable"}]}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    result = run_dialogues(assistant, read_dialogues(path))
    rows = result["results"]
    assert [r["turn"] for r in rows] == [1, 2, 3]
    assert "中方" in rows[1]["standalone"]  # the follow-up was read with the first turn
    s = result["summary"]
    assert s["dialogues"] == 1 and s["first_turns"]["questions"] == 1 and s["follow_ups"]["questions"] == 2
    assert s["first_turns"]["answer_accuracy"] == 1.0
