"""Document metadata: title, region, years, genre, extracted from the text and overridable by a sidecar file.

A sidecar is `<file name>.meta.json` beside the document, holding any of the DocMeta fields.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from pathlib import Path

from ..text.clean import CleanText, is_furniture
from ..text.gazetteer import load_gazetteer
from ..text.normalize import line_view, strip_artifacts, to_simplified
from ..text.patterns import YEAR_NIAN_RE, years_in
from ..text.structure import heading_level
from .schema import DocMeta, RawDocument

log = logging.getLogger(__name__)

GENRE_RULES: list[tuple[str, str]] = [
    ("政府工作报告", r"政府工作报告"),
    ("工作总结及计划", r"总结.{0,8}(计划|要点|打算)"),
    ("工作要点", r"要点"),
    ("实施方案", r"(行动计划|实施方案|方案|意见|通知)"),
    ("工作计划", r"计划"),
    ("工作总结", r"总结"),
    ("新闻报道", r"(纪实|综述|报道|关键词|巡礼|记者)"),
]


def _title(lines: list[str]) -> str:
    """First line when it reads as a title; otherwise a head-line directly followed by a `——` subtitle."""
    def title_like(s: str) -> bool:
        return 4 <= len(s) <= 60 and not re.search(r"[。;；]$|[:：]$", s) and "。" not in s and not heading_level(s)

    views = [line_view(ln) for ln in lines[:40]]
    content = [(ln, v) for ln, v in zip(lines[:40], views) if v and not is_furniture(v)]
    if content and title_like(content[0][1]):
        first = strip_artifacts(content[0][0])
        if len(content) > 1 and content[1][1].startswith("——") and len(content[1][1]) <= 40:
            first += strip_artifacts(content[1][0])
        return first
    for (ln, v), (nxt, nv) in zip(content[:15], content[1:16]):
        if title_like(v) and nv.startswith("——") and len(nv) <= 40:
            return strip_artifacts(ln) + strip_artifacts(nxt)
    return ""


def _places(search_text: str, title: str, extra: str = "") -> list[tuple[str, float]]:
    """Rank the places a document is about. A city also gains from its counties' mentions; a province, named
    in passing by nearly every city report, counts for less."""
    gaz = load_gazetteer()
    own: Counter[str] = Counter()
    for source, weight in ((search_text, 1.0), (to_simplified(title), 8.0), (to_simplified(extra), 3.0)):
        gaz.count(source, weight, own)
    scored: Counter[str] = Counter()
    for code, c in own.items():
        place = gaz.places[code]
        scored[code] += c * (0.3 if place.level == 1 else 1.0)
        if place.level == 3 and place.parent in gaz.places:
            scored[place.parent] += 0.3 * c
    head = to_simplified(title) + search_text[:2000]
    if "全国人民代表大会" in head or "代表国务院" in head:
        scored["national"] += 1000
    if not scored:
        return []
    best, best_score = scored.most_common(1)[0]
    region = "全国" if best == "national" else gaz.places[best].name
    # After the region, the places mentioned most, counties included (a question may name one of them).
    others = [(gaz.places[c].name, s) for c, s in own.most_common(8) if gaz.places[c].name != region]
    return [(region, best_score)] + others


# A heading that says which year a part of the document is about: 一、2023年工作回顾, 二、2024年重点工作.
YEAR_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]\s*)?(20\d{2})年(?:[^。，,；]{0,6})"
                             r"(?:工作回顾|回顾|工作安排|重点工作|主要工作|目标任务|主要任务|工作计划|工作打算|工作要点|工作思路)")


def _years(search_text: str, title: str) -> list[int]:
    in_title = sorted(set(years_in(to_simplified(title))))
    if in_title:
        return in_title
    # A report reviewing 2023 and planning 2024 is about both, however often each is named.
    headings = (YEAR_HEADING_RE.match(line.strip()) for line in search_text.split("\n") if len(line.strip()) <= 40)
    headed = {int(m.group(1)) for m in headings if m}
    counts = Counter(years_in(search_text, YEAR_NIAN_RE))
    if not counts:
        return sorted(headed)
    top = counts.most_common(1)[0][1]
    return sorted(headed | {y for y, c in counts.items() if c >= max(2, 0.4 * top)})


def _genre(search_text: str, title: str, byline: list[str]) -> str:
    head = to_simplified(title)
    for genre, rx in GENRE_RULES:
        if re.search(rx, head):
            return genre
    body = search_text[:3000]
    if "各位代表" in body:
        return "政府工作报告"
    if re.search(r"(记者|通讯员|编辑|日报|晚报)", " ".join(byline) + body[:400]):
        return "新闻报道"
    if re.search(r"(主要目标|总体思路|指导思想)", body) and re.search(r"(重点|主要任务|工作任务)", body):
        return "工作要点"
    if re.search(r"(回顾|取得|完成了|成效)", body) and re.search(r"20\d{2}年", body):
        return "工作总结"
    return "其他"


def read_sidecar(path: Path) -> dict:
    side = path.with_name(path.name + ".meta.json")
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
        return {k: v for k, v in data.items() if k in DocMeta.__dataclass_fields__}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable sidecar %s: %s", side, exc)
        return {}


def extract_metadata(raw: RawDocument, clean: CleanText) -> DocMeta:
    lines = raw.text.split("\n")
    title = _title(lines)
    places = _places(clean.text, title, " ".join(clean.byline) + " " + raw.filename)
    region = places[0][0] if places else ""
    years = _years(clean.text, title)
    genre = _genre(clean.text, title, clean.byline)
    if not title:
        title = f"{region}{'、'.join(str(y) for y in years)}{'年' if years else ''}{genre if genre != '其他' else '文档'}"
    meta = DocMeta(title=title, region=region, places=[p for p, _ in places], years=years, genre=genre,
                   filename=raw.filename, sha256=raw.sha256, byline=clean.byline)
    for key, value in read_sidecar(Path(raw.path)).items():
        setattr(meta, key, value)
    if meta.region and meta.region not in meta.places:
        meta.places.insert(0, meta.region)
    return meta
