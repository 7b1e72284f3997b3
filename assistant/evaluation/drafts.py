"""Scoring drafts on a task set: topic coverage, structure, stale figures (must be none), placeholders,
provenance."""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..drafting.rewrite import stale_figures
from ..drafting.schema import PLACEHOLDER_RE, Draft
from ..text.normalize import normalize_for_match
from ..text.patterns import CITE_MARK_RE


@dataclass
class DraftTask:
    id: str
    instruction: str
    expected_topics: list[str] = field(default_factory=list)


class TaskSetError(ValueError):
    pass


def read_tasks(path: Path) -> list[DraftTask]:
    tasks = []
    for no, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            tasks.append(DraftTask(id=str(row.get("id", no)), instruction=row["instruction"],
                                   expected_topics=[str(t) for t in row.get("expected_topics", [])]))
        except (ValueError, KeyError, TypeError) as exc:
            raise TaskSetError(f"{Path(path).name} 第 {no} 行格式错误：{exc}") from exc
    if not tasks:
        raise TaskSetError(f"{Path(path).name} 中没有任务")
    return tasks


def score_draft(task: DraftTask, draft: Draft) -> dict:
    body = PLACEHOLDER_RE.sub("", draft.plain_text())
    norm = normalize_for_match(body)
    found = [t for t in task.expected_topics if normalize_for_match(t) in norm]
    headings = [p for p in draft.paragraphs if p.kind == "heading"]
    items = [p for p in draft.paragraphs if p.kind == "item"]
    stale = stale_figures(draft.plain_text(), set(draft.request.given.values()))
    numbers = set(range(1, len(draft.citations) + 1))
    marks = {int(m) for p in draft.paragraphs for m in CITE_MARK_RE.findall(p.text)}
    # Paragraphs that reuse wording (not the ones that are only a placeholder to fill in) must name their sources.
    reused = [p for p in draft.paragraphs if p.kind in ("item", "text", "lead")
              and len(re.sub(r"^[^：]{0,8}：", "", PLACEHOLDER_RE.sub("", p.text)).strip()) >= 6]
    return {
        "id": task.id, "instruction": task.instruction, "title": draft.title,
        "topic_coverage": round(len(found) / len(task.expected_topics), 4) if task.expected_topics else None,
        "topics_found": found, "topics_missing": [t for t in task.expected_topics if t not in found],
        "sections": len(headings), "items": len(items),
        "structure_ok": len(headings) >= 2 and len(items) >= 2,
        "stale_figures": stale, "placeholders": len(draft.placeholders),
        "provenance_ok": marks <= numbers and all(p.sources for p in reused),
        "citations": len(draft.citations), "warnings": draft.warnings,
    }


def run_tasks(make_draft, tasks: list[DraftTask], progress=None) -> dict:
    """make_draft(instruction) -> Draft."""
    results = []
    for i, task in enumerate(tasks):
        t0 = time.perf_counter()
        try:
            draft = make_draft(task.instruction)
            row = score_draft(task, draft)
            row["markdown"] = draft.markdown()
        except Exception as exc:  # noqa: BLE001 -- one failing task must not sink the run
            row = {"id": task.id, "instruction": task.instruction, "error": f"{type(exc).__name__}: {exc}",
                   "topic_coverage": 0.0, "structure_ok": False, "stale_figures": [], "placeholders": 0,
                   "provenance_ok": False}
        row["latency_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        results.append(row)
        if progress:
            progress(i + 1, len(tasks))
    cover = [r["topic_coverage"] for r in results if r.get("topic_coverage") is not None]
    summary = {
        "tasks": len(results),
        "topic_coverage": round(statistics.mean(cover), 4) if cover else None,
        "structure_ok": round(sum(r["structure_ok"] for r in results) / len(results), 4),
        "stale_figures": sum(len(r["stale_figures"]) for r in results),
        "placeholders_mean": round(statistics.mean(r["placeholders"] for r in results), 2),
        "provenance_ok": round(sum(r["provenance_ok"] for r in results) / len(results), 4),
        "latency_p50_ms": round(statistics.median(r["latency_ms"] for r in results), 1),
        "errors": sum(1 for r in results if r.get("error")),
    }
    return {"summary": summary, "results": results}
