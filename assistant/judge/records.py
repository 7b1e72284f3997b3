"""What annotators wrote for the verifier, and which documents each split may use.

A record is one sentence of a training document, copied verbatim, with the colloquial questions it answers (each
with its answer, a verbatim part of the sentence) and near-miss questions it does not answer (a part of its total,
another year, plan for result, another measure or unit, names for a count, …). The split assigns whole documents
to train, dev or test: a model that has seen a document's questions has seen the document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

SPLITS = ("train", "dev", "test")


class BadRecords(ValueError):
    """The message is for the user, in Chinese."""


@dataclass(frozen=True)
class Asked:
    question: str
    answers: tuple[str, ...]  # every one must be stated for the question to be answered
    type: str = ""


@dataclass(frozen=True)
class NearMiss:
    question: str
    kind: str = ""
    why: str = ""


@dataclass
class Record:
    doc: str
    sentence: str
    questions: list[Asked] = field(default_factory=list)
    near_misses: list[NearMiss] = field(default_factory=list)


def _asked(raw: dict) -> Asked:
    answers = raw.get("answers") or [raw.get("answer", "")]
    if isinstance(answers, str):
        answers = [answers]
    return Asked(str(raw.get("q", "")).strip(), tuple(a.strip() for a in answers if str(a).strip()),
                 str(raw.get("type", "")))


def read_records(paths: list[Path]) -> list[Record]:
    """Records from JSONL files; a line that is not a record is named with its file and line number."""
    out = []
    for path in paths:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                rec = Record(doc=str(raw["doc"]), sentence=str(raw["sentence"]),
                             questions=[a for a in map(_asked, raw.get("questions") or []) if a.question and a.answers],
                             near_misses=[NearMiss(str(m.get("q", "")).strip(), str(m.get("kind", "")),
                                                   str(m.get("why", ""))) for m in raw.get("near_misses") or []
                                          if str(m.get("q", "")).strip()])
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BadRecords(f"{path} 第 {n} 行不是有效的训练记录：{exc}") from exc
            out.append(rec)
    return out


def read_split(path: Path) -> dict[str, str]:
    """Document file name → train / dev / test."""
    split = json.loads(Path(path).read_text(encoding="utf-8"))
    wrong = {d: s for d, s in split.items() if s not in SPLITS}
    if wrong:
        raise BadRecords(f"{path} 中的划分只能是 {'、'.join(SPLITS)}：{wrong}")
    return split


def in_split(records: list[Record], split: dict[str, str], name: str) -> list[Record]:
    return [r for r in records if split.get(r.doc) == name]
