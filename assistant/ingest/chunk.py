"""Structure-aware chunking: headings become a section path, chunks follow sentence boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.clean import CleanText
from ..text.normalize import strip_artifacts, to_simplified
from ..text.patterns import YEAR_NIAN_RE, break_outside_figures
from ..text.sentences import search_sentences
from ..text.structure import heading_label, heading_level, is_title_line

FIRST_NUMBERED_RE = re.compile(r"\s*[一壹][、.．]")
DATELINE_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
from .schema import Chunk, DocMeta

SOFT_BREAK_RE = re.compile(break_outside_figures(",，:、"))
NUMBER_RUN_RE = re.compile(r"[\d.%:：,，万亿]+$")


@dataclass
class Line:
    text: str
    start: int  # offset in the search text


def _split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            lines.append(Line(raw, pos))
        pos += len(raw) + 1
    return lines


def _split_long(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Cut a sentence longer than `size` at commas, never inside a figure like 3.5% or 1:1."""
    pieces = []
    while end - start > size:
        window = text[start : start + size]
        cut = None
        for m in SOFT_BREAK_RE.finditer(window):
            if m.end() > size // 3:
                cut = m.end()
        if cut is None:
            cut = size
            run = NUMBER_RUN_RE.search(window[:cut])
            if run and run.start() > 0 and start + cut < len(text) and re.match(r"[\d.%:：,，]", text[start + cut]):
                cut = run.start()
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


def _part_lines(lines: list[Line]) -> set[int]:
    """Unnumbered title lines whose next numbered heading restarts the numbering at 一、 (the last such line
    naming a year, else the last), when it restarts more than once or the line names a year (2024年重点工作安排):
    a byline such as 国务院总理 before the only 一、 is no part heading."""
    out, titles = set(), []
    for no, line in enumerate(lines):
        level = heading_level(line.text)
        if not level and is_title_line(line.text):
            if not DATELINE_RE.search(line.text):  # （2024年1月29日在…会议上） heads the whole report
                titles.append(no)
        elif level == 1:
            if titles and FIRST_NUMBERED_RE.match(line.text):
                dated = [t for t in titles if YEAR_NIAN_RE.search(lines[t].text)]
                out.add((dated or titles)[-1])
            titles = []
    return out if len(out) >= 2 else {t for t in out if YEAR_NIAN_RE.search(lines[t].text)}


def chunk_document(clean: CleanText, original: str, doc: str, doc_key: str, size: int = 320,
                   min_size: int = 60, overlap: int = 1) -> list[Chunk]:
    text = clean.text
    lines = _split_lines(text)
    has_numbered_top = any(heading_level(ln.text) == 1 for ln in lines)
    parts = _part_lines(lines) if has_numbered_top else set()

    def original_label(line: Line, label_len: int) -> str:
        a, b = clean.span(line.start, line.start + label_len)
        return strip_artifacts(original[a:b])

    sections: list[tuple[list[str], list[tuple[int, int, int]]]] = []  # (path, [(start, end, paragraph_no)])
    path: dict[int, str] = {}
    current: list[tuple[int, int, int]] = []

    def flush():
        nonlocal current
        if current:
            sections.append(([path[k] for k in sorted(path)], current))
        current = []

    # Bare heading lines open the first chunk of their section, so a passage reads with its heading and
    # a question about the headings themselves ("哪七个关键词") finds them.
    pending: list[tuple[int, int, int]] = []
    for no, line in enumerate(lines):
        level = heading_level(line.text)
        titled = False
        if not level and is_title_line(line.text):
            if no == 0 and not DATELINE_RE.search(line.text):
                continue  # the document's own title, carried by its metadata (a dateline is content: 哪天作的报告)
            # A part heading (2023年工作回顾 over 一、二、…, then 2024年重点工作 over 一、 again) sits above the
            # numbered sections; other title lines sit below them.
            level, titled = (-1 if no in parts else 2 if has_numbered_top else 1), True
        if level:
            flush()
            label = line.text if titled else heading_label(line.text)
            path = {k: v for k, v in path.items() if k < level}
            path[level] = original_label(line, len(label)) if not label.endswith("…") else strip_artifacts(
                original[slice(*clean.span(line.start, line.start + len(label) - 1))]) + "…"
            if titled or len(line.text) <= len(label) + 1:
                pending.append((line.start, line.start + len(line.text), no))
                continue
        if pending:
            current.extend(pending)
            pending = []
        for s, e in search_sentences(line.text, line.start):
            for ps, pe in _split_long(text, s, e, size):
                current.append((ps, pe, no))
    flush()

    chunks: list[Chunk] = []
    for section, sents in sections:
        groups: list[list[tuple[int, int, int]]] = []
        group: list[tuple[int, int, int]] = []
        for sent in sents:
            length = sent[1] - group[0][0] if group else 0
            if group and length > size:
                groups.append(group)
                tail = group[-overlap:] if overlap else []
                # Overlap only inside one paragraph, and only short sentences.
                tail = [t for t in tail if t[2] == sent[2] and t[1] - t[0] <= size // 3]
                group = list(tail)
            group.append(sent)
        if group:
            if groups and group[-1][1] - group[0][0] < min_size:
                groups[-1].extend(s for s in group if s not in groups[-1])
            else:
                groups.append(group)
        for g in groups:
            s, e = g[0][0], g[-1][1]
            while e > s and text[e - 1] in " \n":
                e -= 1
            a, b = clean.span(s, e)
            chunks.append(Chunk(chunk_id=f"{doc_key}-{len(chunks):04d}", doc=doc, section=section, start=a, end=b,
                                text=original[a:b], search_text=text[s:e]))
    return chunks


def embed_text(meta: DocMeta, chunk: Chunk) -> str:
    """What the dense model sees: the document title and section path give a short passage its context."""
    head = to_simplified(" ".join([meta.title, *chunk.section]))
    return f"{head}\n{chunk.search_text}"


def sparse_text(chunk: Chunk) -> str:
    """What BM25 is given, before segmentation: the section path and the search text."""
    return to_simplified(" ".join(chunk.section)) + " " + chunk.search_text
