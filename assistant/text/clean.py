"""Search text from the original, with an offset map back to it.

The original is never changed: it is what staff see and what answers quote. Cleaning only decides,
character by character, what the search text keeps and how it is written (NFKC, Simplified), so that any
span of the search text maps to an exact span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .normalize import PINYIN_RE, TAG_RE, is_wide, line_view, strip_artifacts, to_simplified
from .structure import looks_broken

MARKDOWN_RE = re.compile(r"(?m)^\s{0,3}#{1,6}\s+|\*\*")  # heading marks and bold, in .md files

FURNITURE_RES = [
    re.compile(p)
    for p in (
        r"^[•·●◆\-*\s]*(上一篇|下一篇)([:：].{0,60})?$",
        r"^扫一扫.{0,20}$",
        r"^(分享到|打印本页|关闭窗口|返回顶部|【?字体[:：]?[大中小]).{0,30}$",
        r"^[—\-－–─]+\s*\d{1,4}\s*[—\-－–─]+$",
        r"^第\s*\d{1,4}\s*页(\s*[/，,]?\s*共\s*\d{1,4}\s*页)?$",
        r"^\d{1,4}\s*/\s*\d{1,4}$",
        r"^[•·●◆\s]+$",
    )
]
BYLINE_RES = [
    re.compile(p)
    for p in (
        r"^[（(]?\s*(全媒体|本报|特约)?(记者|通讯员|编辑|责任编辑|作者|文字|设计|图片|摄影|来源|审核|校对|供稿|撰稿|编审|终审|初审)\s*[:：/／]",
        r"^[□■]\s*(本报)?(记者|通讯员)",
        r"^\S{0,12}(日报|晚报|报|网|台)?\S{0,6}记者\s*[/／]",
        r"^(SOURCE|Source|source|原文链接|原文地址|北大法宝|【法宝引证码】)",
    )
]

SPACES = set(" \t\u3000\xa0\u2002\u2003\u2009\u200b\ufeff")


def is_furniture(view: str) -> bool:
    return any(r.search(view) for r in FURNITURE_RES)


def is_byline(view: str) -> bool:
    view = view.lstrip("•·●◆*-— ")
    return (len(view) <= 48 or view.lower().startswith("source:")) and any(r.search(view) for r in BYLINE_RES)


@dataclass
class CleanText:
    text: str  # search text
    offsets: list[int]  # offsets[i]: index in the original of text[i]
    original_length: int
    byline: list[str] = field(default_factory=list)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span covering search-text span [start, end)."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else self.original_length
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def clean(original: str) -> CleanText:
    n = len(original)
    keep = [True] * n
    for rx in (PINYIN_RE, TAG_RE):
        for m in rx.finditer(original):
            for i in range(m.start(), m.end()):
                keep[i] = False
    for m in MARKDOWN_RE.finditer(original):
        for i in range(m.start(), m.end()):
            keep[i] = False

    byline: list[str] = []
    pos = 0
    for line in original.split("\n"):
        end = pos + len(line)
        view = line_view(line)
        if view and (is_furniture(view) or is_byline(view)):
            if is_byline(view):
                byline.append(strip_artifacts(line))
            for i in range(pos, min(end + 1, n)):
                keep[i] = False
        pos = end + 1

    # Lines of kept characters, whitespace between wide characters removed.
    lines: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    for i, ch in enumerate(original):
        if not keep[i]:
            continue
        if ch == "\n":
            lines.append(current)
            current = []
        else:
            current.append((ch, i))
    lines.append(current)

    tidy: list[list[tuple[str, int]]] = []
    for line in lines:
        out: list[tuple[str, int]] = []
        j = 0
        while j < len(line):
            ch, i = line[j]
            if ch in SPACES:
                k = j
                while k < len(line) and line[k][0] in SPACES:
                    k += 1
                if out and k < len(line) and not (is_wide(out[-1][0]) or is_wide(line[k][0])):
                    out.append((" ", line[j][1]))
                j = k
                continue
            out.append((ch, i))
            j += 1
        if out:
            tidy.append(out)

    # Join lines that were wrapped mid-sentence; keep real paragraph breaks.
    chars: list[str] = []
    offsets: list[int] = []
    for idx, line in enumerate(tidy):
        for ch, i in line:
            normal = unicodedata.normalize("NFKC", ch)
            for c in normal:
                chars.append(c)
                offsets.append(i)
        if idx + 1 < len(tidy):
            text_line = "".join(c for c, _ in line)
            next_line = "".join(c for c, _ in tidy[idx + 1])
            if not looks_broken(text_line, next_line):
                chars.append("\n")
                offsets.append(line[-1][1] + 1 if line[-1][1] + 1 < n else line[-1][1])

    text = "".join(chars)
    simplified = to_simplified(text)
    if len(simplified) != len(text):
        # Rare phrase conversions change length: convert line by line, then character by character.
        parts = []
        for ln in text.split("\n"):
            s = to_simplified(ln)
            parts.append(s if len(s) == len(ln) else "".join(to_simplified(c)[:1] or c for c in ln))
        simplified = "\n".join(parts)
    return CleanText(text=simplified, offsets=offsets, original_length=n, byline=byline)
