"""Scoring drafts on a task set: topic coverage of the body (never the title or the fixed headings), foreign-place
leaks and stale figures (both must be none), whether the requested count and length were honoured, whether each
sentence is of the kind its section wants (a plan states measures, a summary results), structure, provenance."""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..drafting.kinds import statement_kind
from ..drafting.places import foreign, local_names, own_places
from ..drafting.rewrite import stale_figures
from ..drafting.schema import PLACEHOLDER_RE, Draft
from ..text.gazetteer import short_name
from ..text.normalize import clean_fragment, normalize_for_match
from ..text.patterns import CITE_MARK_RE


@dataclass
class DraftTask:
    id: str
    instruction: str
    expected_topics: list[str] = field(default_factory=list)
    count: tuple[int, int] | None = None  # 6至8条 → (6, 8)
    length: int | None = None  # 约800字
    section: str = ""  # 只写“主要成效”部分
    genre: str = ""
    place: str = ""
    split: str = ""
    parts: list[str] = field(default_factory=list)  # the parts the instruction names, in its order

    @property
    def wanted_kind(self) -> str:
        """The kind of statement the body should hold: results for a summary, measures for a plan."""
        return "result" if self.genre == "工作总结" or "成效" in self.section else "measure"


class TaskSetError(ValueError):
    pass


def read_tasks(path: Path) -> list[DraftTask]:
    tasks = []
    for no, line in enumerate(Path(path).read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            count = row.get("count")
            tasks.append(DraftTask(id=str(row.get("id", no)), instruction=row["instruction"],
                                   expected_topics=[str(t) for t in row.get("expected_topics", [])],
                                   count=(int(count[0]), int(count[1])) if count else None,
                                   length=int(row["length"]) if row.get("length") else None,
                                   section=str(row.get("section") or ""), genre=str(row.get("genre") or ""),
                                   place=str(row.get("place") or ""), split=str(row.get("split") or ""),
                                   parts=[str(p) for p in row.get("parts") or []]))
        except (ValueError, KeyError, TypeError) as exc:
            raise TaskSetError(f"{Path(path).name} 第 {no} 行格式错误：{exc}") from exc
    if not tasks:
        raise TaskSetError(f"{Path(path).name} 中没有任务")
    return tasks


BODY_KINDS = ("item", "text", "lead")
LABEL_RE = re.compile(r"^[^：。]{0,8}：")  # 主要目标：… — a fixed label, not content


def body_text(draft: Draft) -> str:
    """What the draft says, without its title, its headings, fixed labels, placeholders or marks."""
    parts = [LABEL_RE.sub("", PLACEHOLDER_RE.sub("", p.text)) for p in draft.paragraphs if p.kind in BODY_KINDS]
    return CITE_MARK_RE.sub("", "\n".join(parts))


def count_honoured(task: DraftTask, items: int) -> bool | None:
    if not task.count:
        return None
    low, high = task.count
    return low <= items <= high


def length_honoured(task: DraftTask, chars: int) -> bool | None:
    """约800字 is met within a quarter either way."""
    if not task.length:
        return None
    return abs(chars - task.length) <= task.length * 0.25


def parts_honoured(task: DraftTask, headings: list[str]) -> bool | None:
    """The parts named are the draft's top-level headings, in their order (一、工作目标 … for 工作目标)."""
    if not task.parts:
        return None
    tops = [re.sub(r"^[一二三四五六七八九十]+、", "", h) for h in headings if re.match(r"^[一二三四五六七八九十]+、", h)]
    return len(tops) == len(task.parts) and all(normalize_for_match(p) in normalize_for_match(t)
                                                for p, t in zip(task.parts, tops))


def kind_share(task: DraftTask, body: str) -> float | None:
    """The share of body sentences whose kind fits what the task wants (neither kind counts as fitting)."""
    sentences = [s for s in re.split(r"(?<=[。！？])", body) if len(s.strip()) >= 6]
    if not sentences:
        return None
    wrong = "measure" if task.wanted_kind == "result" else "result"
    return round(sum(statement_kind(s) != wrong for s in sentences) / len(sentences), 4)


def score_draft(task: DraftTask, draft: Draft) -> dict:
    body = body_text(draft)
    norm = normalize_for_match(body)
    found = [t for t in task.expected_topics if normalize_for_match(t) in norm]
    headings = [p for p in draft.paragraphs if p.kind == "heading"]
    items = [p for p in draft.paragraphs if p.kind == "item"]
    stale = stale_figures(draft.plain_text(), set(draft.request.given.values()))
    allowed = own_places(task.place or draft.request.place, draft.request.named_places)
    # Another place's name, or a local name (a school, a town) that is not the target place's own.
    # A local name is the target's own when it has it in its name or a cited sentence of its own documents says it.
    own = short_name(task.place or draft.request.place or "") or "\0"
    own_text = "".join(clean_fragment(c.quote) for c in draft.citations if own in c.region)
    leaks = sorted({body[m.start:m.end] for m in foreign(body, allowed)}
                   | {name for n in local_names(body) if own not in (name := body[n.start:n.end]) and name not in own_text})
    numbers = set(range(1, len(draft.citations) + 1))
    marks = {int(m) for p in draft.paragraphs for m in CITE_MARK_RE.findall(p.text)}
    # Paragraphs that reuse wording (not the ones that are only a placeholder to fill in) must name their sources.
    reused = [p for p in draft.paragraphs if p.kind in BODY_KINDS
              and len(LABEL_RE.sub("", PLACEHOLDER_RE.sub("", p.text)).strip()) >= 6]
    chars = len(re.sub(r"\s", "", body))
    return {
        "id": task.id, "instruction": task.instruction, "title": draft.title,
        "topic_coverage": round(len(found) / len(task.expected_topics), 4) if task.expected_topics else None,
        "topics_found": found, "topics_missing": [t for t in task.expected_topics if t not in found],
        "sections": len(headings), "items": len(items), "body_chars": chars,
        # An outline's count is of its parts (分4个部分), any other draft's of its items.
        "count_honoured": count_honoured(task, len(headings) if task.genre == "提纲" or draft.request.outline
                                         else len(items)), "length_honoured": length_honoured(task, chars),
        "kind_share": kind_share(task, body), "leaks": leaks,
        "parts_honoured": parts_honoured(task, [p.text for p in headings]),
        # A counted list or one section asked for is one heading's worth; a whole plan has its parts.
        "structure_ok": len(items) >= 2 and (len(headings) >= 2 or bool(task.count or task.section)),
        "stale_figures": stale, "placeholders": len(draft.placeholders),
        "provenance_ok": marks <= numbers and all(p.sources for p in reused),
        "citations": len(draft.citations), "warnings": draft.warnings,
    }


def _share(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return round(sum(values) / len(values), 4) if values else None


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
                   "provenance_ok": False, "leaks": [], "count_honoured": False if task.count else None,
                   "length_honoured": False if task.length else None, "kind_share": None,
                   "parts_honoured": False if task.parts else None}
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
        "leaks": sum(len(r["leaks"]) for r in results),
        "count_honoured": _share(results, "count_honoured"),
        "length_honoured": _share(results, "length_honoured"),
        "parts_honoured": _share(results, "parts_honoured"),
        "kind_share": _share(results, "kind_share"),
        "placeholders_mean": round(statistics.mean(r["placeholders"] for r in results), 2),
        "provenance_ok": round(sum(r["provenance_ok"] for r in results) / len(results), 4),
        "latency_p50_ms": round(statistics.median(r["latency_ms"] for r in results), 1),
        "errors": sum(1 for r in results if r.get("error")),
    }
    return {"summary": summary, "results": results}
