"""What one draft accumulates while it is composed: its paragraphs, the citations of the past sentences it
reuses, and which sentences are used already. One explicit object, passed to the functions that write each part."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..answering.citations import make_citation
from ..answering.phrasing import chinese_punctuation
from ..answering.schema import Citation
from ..text.gazetteer import short_name
from ..text.patterns import CITE_MARK_RE
from .rewrite import Rewriter
from .schema import PLACEHOLDER_RE, DraftRequest, Paragraph
from .sources import CorpusSources, Source


@dataclass
class DraftState:
    request: DraftRequest
    corpus: CorpusSources
    rewriter: Rewriter
    topic_words: list[str]  # words that say what the draft is about (synonyms included)
    query: str  # what is searched for items and goals
    paragraphs: list[Paragraph] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    used: set[tuple[str, int]] = field(default_factory=set)  # (doc, start) of sentences reused already
    warnings: list[str] = field(default_factory=list)  # what the draft could not do as asked

    @property
    def home(self) -> str:
        """The target place's short name (中方), to prefer its own past documents; "" when none is given."""
        return short_name(self.request.place) if self.request.place else ""

    def add(self, kind: str, text: str, level: int = 0, sources: list[int] | None = None) -> None:
        self.paragraphs.append(Paragraph(kind, text, level, sources or []))

    def cite(self, src: Source) -> int:
        """The [n] of a source sentence, numbered in order of first use."""
        s = src.sentence
        for c in self.citations:
            if c.doc == s.doc and c.start == s.start:
                return c.n
        self.citations.append(make_citation(len(self.citations) + 1, s, src.hit))
        return self.citations[-1].n

    def reuse(self, sources: list[Source], limit: int = 3) -> tuple[str, list[int]]:
        """Up to `limit` sentences not used yet, rewritten for the new place and year, each ending in its [n]."""
        parts, marks = [], []
        fresh = [s for s in sources if (s.sentence.doc, s.sentence.start) not in self.used]
        for src in fresh[:limit]:
            text, n = self.reuse_text(src.sentence.clean, src)
            parts.append(text)
            marks += n
        return "".join(parts), marks

    def reuse_text(self, text: str, src: Source) -> tuple[str, list[int]]:
        """A statement from a source sentence (the sentence, or one 一是… of its run), rewritten, ending in the
        sentence's [n]; ("", []) when rewriting leaves nothing of it."""
        self.used.add((src.sentence.doc, src.sentence.start))
        doc = src.sentence.doc
        out = chinese_punctuation(self.rewriter.apply(text, self.corpus.region(doc), self.corpus.src_year(doc)).strip())
        if not out:
            return "", []
        n = self.cite(src)
        return f"{out.rstrip('，,；;')}{'' if out.endswith(('。', '！', '？')) else '。'}[{n}]", [n]

    def body_chars(self) -> int:
        """Characters the draft says so far, without title, headings, placeholders or marks (a length asked)."""
        body = "".join(p.text for p in self.paragraphs if p.kind in ("item", "text", "lead"))
        return len(re.sub(r"\s", "", CITE_MARK_RE.sub("", PLACEHOLDER_RE.sub("", body))))
