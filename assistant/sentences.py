"""Sentences and clauses of a passage, each with its exact span in the original document and a clean
(Simplified, artifact-free) form for matching and for writing answers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .chunk import HEADING_START
from .clean import PINYIN_RE, TAG_RE, _looks_broken, to_simplified
from .schema import Chunk

# ASCII ? and ! end a sentence only before a space or the end: inside Chinese text they are mojibake.
_END = re.compile(r"(?:[。！？；;]|[!?](?=\s|$))+[”’」』)）]*")
_CLAUSE_END = re.compile(r"(?<!\d)[，,：:](?!\d)|(?<=\d)[，,：:](?!\d)|(?<!\d)[，,：:](?=\d)|[；;。！？]|[!?](?=\s|$)")
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Sentence:
    doc: str
    start: int  # span in the original document
    end: int
    original: str
    clean: str  # Simplified, no glued pinyin, tags or line breaks: what answers are written from
    chunk_id: str
    position: int  # index of the sentence within its chunk


def clean_fragment(text: str) -> str:
    text = TAG_RE.sub("", PINYIN_RE.sub("", text))
    text = unicodedata.normalize("NFKC", text)
    # Breaks and spaces inside Chinese text are PDF/HTML wrapping; between Latin words keep one space.
    text = re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text)
    return to_simplified(_WS.sub(" ", text)).strip()


def _raw_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a passage: at end punctuation, and at line ends that are not wrapping."""
    spans: list[tuple[int, int]] = []
    lines = text.split("\n")
    pos = 0
    start = 0
    for i, line in enumerate(lines):
        line_start = pos
        for m in _END.finditer(line):
            spans.append((start, line_start + m.end()))
            start = line_start + m.end()
        pos += len(line) + 1
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        stripped = line.strip()
        if stripped and nxt and _looks_broken(stripped, nxt, HEADING_START):
            continue  # the sentence goes on in the next line
        if start < line_start + len(line):
            spans.append((start, line_start + len(line)))
        start = pos
    return spans


def split_chunk(chunk: Chunk) -> tuple[Sentence, ...]:
    return _split(chunk.doc, chunk.chunk_id, chunk.start, chunk.text)


@lru_cache(maxsize=8192)
def _split(doc: str, chunk_id: str, chunk_start: int, text: str) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    for a, b in _raw_spans(text):
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
    for m in _CLAUSE_END.finditer(text):
        parts.append(text[start : m.end()])
        start = m.end()
    if start < len(text):
        parts.append(text[start:])
    return [p for p in parts if p.strip()]
