"""Where sentences and clauses end, in both forms of a text.

- In the search text (`search_sentences`, used by the chunker) every end mark ends a sentence: NFKC has
  already turned ！？； into ! ? ;, so a genuine full-width mark and a stray ASCII one cannot be told apart.
- In the original (`split_passage`, used for answers and quotations) an ASCII ? or ! ends a sentence only
  before a space or the end of a line: inside Chinese text it is mojibake. A line end that is only wrapping
  does not end the sentence. Each sentence keeps its exact span in the original document.
- `clauses` cuts clean text after commas, colons and end marks, never inside a figure such as 1,200 or 3:1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from .normalize import clean_fragment
from .patterns import break_outside_figures
from .structure import looks_broken

CLOSERS = "”’」』)）"  # quotes and brackets that close after a sentence's end mark
SEARCH_SENTENCE_RE = re.compile(rf"[^。!?;\n]*(?:[。!?;]+[{CLOSERS}]*|$)")
QUOTE_SENTENCE_END_RE = re.compile(rf"(?:[。！？；;]|[!?](?=\s|$))+[{CLOSERS}]*")
CLAUSE_END_RE = re.compile(break_outside_figures("，,：:") + r"|[；;。！？]|[!?](?=\s|$)")


@dataclass(frozen=True)
class Sentence:
    doc: str
    start: int  # span in the original document
    end: int
    original: str
    clean: str  # Simplified, no glued pinyin, tags or line breaks: what answers are written from
    chunk_id: str
    position: int  # index of the sentence within its passage


class Passage(Protocol):
    """What a passage of the index offers (an ingest Chunk): its document, id, span start and original text."""

    doc: str
    chunk_id: str
    start: int
    text: str


def search_sentences(line: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of one line of search text, shifted by `offset`."""
    return [(offset + m.start(), offset + m.end()) for m in SEARCH_SENTENCE_RE.finditer(line) if m.end() > m.start()]


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of an original passage: at end punctuation, and at line ends that are not wrapping."""
    spans: list[tuple[int, int]] = []
    lines = text.split("\n")
    pos = 0
    start = 0
    for i, line in enumerate(lines):
        line_start = pos
        for m in QUOTE_SENTENCE_END_RE.finditer(line):
            spans.append((start, line_start + m.end()))
            start = line_start + m.end()
        pos += len(line) + 1
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        stripped = line.strip()
        if stripped and nxt and looks_broken(stripped, nxt):
            continue  # the sentence goes on in the next line
        if start < line_start + len(line):
            spans.append((start, line_start + len(line)))
        start = pos
    return spans


def split_passage(passage: Passage) -> tuple[Sentence, ...]:
    return _split(passage.doc, passage.chunk_id, passage.start, passage.text)


@lru_cache(maxsize=8192)
def _split(doc: str, chunk_id: str, chunk_start: int, text: str) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    for a, b in _quote_spans(text):
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail <= lead:
            continue
        cleaned = clean_fragment(piece)
        if not cleaned or not re.search(r"[\w\u4e00-\u9fff]", cleaned):
            continue
        out.append(Sentence(doc=doc, start=chunk_start + a + lead, end=chunk_start + a + trail,
                            original=piece[lead:trail], clean=cleaned, chunk_id=chunk_id, position=len(out)))
    return tuple(out)


def clauses(text: str) -> list[str]:
    """Clean text cut after commas, colons and end marks (never inside a figure such as 1,200 or 3:1)."""
    parts, start = [], 0
    for m in CLAUSE_END_RE.finditer(text):
        parts.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        parts.append(text[start:])
    return [p for p in parts if p.strip()]
