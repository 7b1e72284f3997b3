"""Document structure read from lines: numbered headings and their levels, title-like lines, and lines that a
PDF or web page wrapped in mid-sentence. The cleaner, the chunker, metadata and drafting share these rules."""

from __future__ import annotations

import re

from .normalize import is_wide
from .patterns import HEADING_NUMERALS

_N = HEADING_NUMERALS
HEADING_PATTERNS: list[tuple[int, re.Pattern]] = [
    (1, re.compile(rf"^[{_N}]{{1,3}}(?:、|\.(?!\d))")),
    (1, re.compile(rf"^第[{_N}\d]{{1,3}}[章节部分篇]")),
    (1, re.compile(rf"^关键词[{_N}\d]{{1,3}}")),
    (2, re.compile(rf"^[(][{_N}]{{1,3}}[)]")),
    (2, re.compile(rf"^第[{_N}\d]{{1,4}}条")),
    (3, re.compile(r"^\d{1,2}[.、](?![\d%])")),
    (4, re.compile(r"^[(]\d{1,2}[)]")),
    (4, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
]
# Any heading: a wrapped line never swallows the heading that follows it.
HEADING_START = re.compile("|".join(p.pattern for _, p in HEADING_PATTERNS))
# Marks that end a line on purpose (a sentence, a clause leading into a list).
TERMINAL = set("。！？!?；;…：:—")


def heading_level(text: str) -> int:
    for level, rx in HEADING_PATTERNS:
        if rx.match(text):
            return level
    return 0


def is_title_line(text: str) -> bool:
    """An unnumbered short line that names what follows (news sub-heads, summary topics)."""
    if len(text) > 32 or len(text) < 4:
        return False
    if re.search(r"[。,，;；!?]", text) or text.endswith((":", "：")):
        return False
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def heading_label(text: str, limit: int = 40) -> str:
    """The lead phrase of a heading line that runs on into body text (`1.抓实思想政治建设。…`)."""
    m = re.match(r"^(.+?)[。:：;；]", text)
    label = m.group(1) if m else text
    return label if len(label) <= limit else label[: limit - 1] + "…"


def looks_broken(line: str, next_line: str) -> bool:
    """A line that stops mid-sentence (PDF or HTML wrapping), so the next one continues it."""
    if len(line) < 20 or not any(p in line for p in "，,。；、："):
        return False
    last = line[-1]
    if last in TERMINAL or (last in "”」』)）" and len(line) > 1 and line[-2] in TERMINAL):
        return False
    if HEADING_START.match(next_line):
        return False
    return is_wide(next_line[0]) or next_line[0].isalnum()
