"""Question sets: JSONL, one question a line with its gold answers and documents; no answers = unanswerable."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Question:
    id: str
    question: str
    answers: list[str]
    docs: list[str]
    type: str = ""
    evidence: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


class QuestionSetError(ValueError):
    pass


TEST_SPLIT_RE = re.compile(r"^test\d*$")


def is_test_split(path: str | Path) -> bool:
    """Whether a file holds a held-out split (named …_test… or …_test2…): never calibrated or tuned on."""
    return any(TEST_SPLIT_RE.match(part) for part in Path(path).stem.split("_"))


def question_from(row, default_id: str) -> Question:
    """One question (or one dialogue turn) from its JSON object; ValueError says what is wrong, in Chinese."""
    if not isinstance(row, dict) or not isinstance(row.get("question"), str) or not row["question"].strip():
        raise ValueError("每行应是一个含 question 文字的 JSON 对象")
    doc = row.get("doc") or []
    docs = [doc] if isinstance(doc, str) else list(doc)
    answers = row.get("answers") or []
    answers = [answers] if isinstance(answers, str) else [str(a) for a in answers]
    return Question(id=str(row.get("id", default_id)), question=row["question"], answers=answers,
                    docs=[Path(d).name for d in docs], type=row.get("type", ""), evidence=row.get("evidence", ""),
                    extra={k: v for k, v in row.items() if k not in
                           {"id", "question", "answers", "doc", "type", "evidence"}})


def first_record(path: Path) -> dict:
    """A JSONL file's first record ({} when it has none or cannot be read): what kind of set the file holds."""
    try:
        with Path(path).open(encoding="utf-8-sig") as fh:
            row = json.loads(next((line for line in fh if line.strip()), "{}"))
    except (OSError, ValueError):
        return {}
    return row if isinstance(row, dict) else {}


def is_question_set(path: Path) -> bool:
    """Whether a JSONL file's first record is a question (not a drafting task or a dialogue)."""
    row = first_record(path)
    return isinstance(row.get("question"), str) and "instruction" not in row


def read_questions(path: Path) -> list[Question]:
    questions = []
    for no, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            questions.append(question_from(json.loads(line), str(no)))
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            reason = str(exc) if isinstance(exc, ValueError) and not isinstance(exc, json.JSONDecodeError) \
                else "不是合法的 JSON"
            raise QuestionSetError(f"{path.name} 第 {no} 行格式错误：{reason}") from exc
    if not questions:
        raise QuestionSetError(f"{path.name} 中没有问题")
    return questions
