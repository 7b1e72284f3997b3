"""A draft and the request it answers: paragraphs with the [n] marks of the past sentences they reuse."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from ..answering.schema import Citation
from ..text.normalize import clean_fragment

# A visible gap for staff to fill: an old figure, a school of the old place, a year (待填); a part of the outline
# the corpus has nothing for (待补充).
PLACEHOLDER_RE = re.compile(r"【待(?:填|补充)：[^】]{1,30}】")


def gap(part: str) -> str:
    """A part of the outline left for the writer: the corpus says nothing of it that belongs there."""
    return f"【待补充：{part[:28]}】"


class DraftError(ValueError):
    """The message is for the user, in Chinese."""


@dataclass
class DraftRequest:
    instruction: str
    place: str = ""
    year: int = 0
    genre: str = "工作计划"
    topic: str = ""
    outline: bool = False  # 提纲: headings and lead phrases only
    paper: str = ""  # the paper an outline is for: 推进会讲话, 汇报, 调研报告 ("" when none is named)
    given: dict[str, str] = field(default_factory=dict)
    named_places: list[str] = field(default_factory=list)  # places the instruction names: they may appear
    count: tuple[int, int] | None = None  # 写6至8条 → (6, 8); 写6条 → (6, 6)
    length: int | None = None  # 约800字
    section: str = ""  # 只写“主要成效”部分
    parts: list[str] = field(default_factory=list)  # the parts the instruction names, in its order
    assumed: list[str] = field(default_factory=list)  # what was not in the instruction and was defaulted


@dataclass
class Paragraph:
    kind: str  # title | lead | heading | item | text
    text: str  # with [n] marks where the wording came from
    level: int = 0  # 1 = 一、 heading, 2 = numbered item
    sources: list[int] = field(default_factory=list)


@dataclass
class Draft:
    request: DraftRequest
    title: str
    paragraphs: list[Paragraph]
    citations: list[Citation]
    warnings: list[str] = field(default_factory=list)
    engine: str = "extractive"

    @property
    def placeholders(self) -> list[str]:
        return [m.group(0) for p in self.paragraphs for m in PLACEHOLDER_RE.finditer(p.text)]

    def markdown(self, with_sources: bool = True, escape: Callable[[str], str] = str) -> str:
        """The draft as Markdown; `escape` (text.markup.escape_markdown for a page) keeps its wording, which comes
        from documents, models and the instruction, from being read as Markdown or HTML of its own."""
        out = [f"# {escape(self.title)}", ""]
        for p in self.paragraphs:
            if p.kind == "title":
                continue
            if p.kind == "heading":
                out += [f"## {escape(p.text)}", ""]
            elif p.kind == "item":
                lead, _, rest = p.text.partition("。")
                # The full stop goes outside the bold run: CommonMark cannot close ** that follows punctuation and
                # is followed by a Chinese character (**一是……。**全面……), which showed as literal asterisks.
                out += [f"**{escape(lead)}**。{escape(rest)}" if rest or p.text.endswith("。") else f"**{escape(p.text)}**", ""]
            else:
                out += [escape(p.text), ""]
        if with_sources and self.citations:
            out += ["---", "", "**来源**", ""]
            for c in self.citations:
                out.append(escape(f"[{c.n}] {c.title}｜{c.section or '正文'}｜“{clean_fragment(c.quote)[:120]}”"
                                  f"（{c.doc} 第 {c.start}–{c.end} 字）"))
                out.append("")
        return "\n".join(out).rstrip() + "\n"

    def plain_text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    def to_dict(self) -> dict:
        return {"title": self.title, "request": asdict(self.request), "engine": self.engine,
                "paragraphs": [asdict(p) for p in self.paragraphs], "citations": [c.to_dict() for c in self.citations],
                "placeholders": self.placeholders, "warnings": self.warnings, "markdown": self.markdown()}
