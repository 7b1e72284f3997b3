"""A draft as a Word file in the style of Chinese official documents (after GB/T 9704): title in a
小标宋 face at 二号 (22 pt), centred; body 仿宋_GB2312 三号 (16 pt) with 28 pt line spacing and a two-character
first-line indent; 一、 headings in 黑体, numbered items led in 楷体; margins 3.7/3.5/2.8/2.6 cm.
Provenance goes into an appendix table: paragraph, source document, the reused sentence."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from ..text.normalize import clean_fragment, strip_controls
from ..text.patterns import CITE_MARK_RE
from .schema import Draft

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)  # Chinese text uses the East Asian font slot


def _style(doc: Document, name: str, font: str, size: float, bold: bool = False) -> None:
    style = doc.styles[name]
    style.font.name = font
    style.font.size = Pt(size)
    style.font.bold = bold
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _body(doc: Document, text: str, lead: str = "", lead_font: str = H2_FONT, style: str = "Normal"):
    p = doc.add_paragraph(style=style)
    p.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    if lead:
        _font(p.add_run(lead), lead_font, 16)
    for piece in CITE_MARK_RE.split(text):
        if not piece:
            continue
        if piece.isdigit():  # provenance marks as small superscripts
            run = p.add_run(f"[{piece}]")
            _font(run, BODY_FONT, 10)
            run.font.superscript = True
        else:
            _font(p.add_run(piece), BODY_FONT, 16)
    return p


def _word_safe(draft: Draft) -> Draft:
    """The draft without the control characters a document's text may carry (a Word line break \\x0b, ESC):
    Word files cannot hold them."""
    paragraphs = [replace(p, text=strip_controls(p.text)) for p in draft.paragraphs]
    citations = [replace(c, title=strip_controls(c.title), section=strip_controls(c.section),
                         quote=strip_controls(c.quote)) for c in draft.citations]
    return replace(draft, title=strip_controls(draft.title), paragraphs=paragraphs, citations=citations)


def write_docx(draft: Draft, path: Path) -> Path:
    draft = _word_safe(draft)
    doc = Document()
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _style(doc, "Normal", BODY_FONT, 16)
    _style(doc, "Title", TITLE_FONT, 22)
    _style(doc, "Heading 1", H1_FONT, 16)
    _style(doc, "Heading 2", H2_FONT, 16)
    for name in ("Title", "Heading 1", "Heading 2"):
        st = doc.styles[name]
        st.font.color.rgb = None
        st.paragraph_format.keep_with_next = True

    title = doc.add_paragraph(style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(28)
    _font(title.add_run(draft.title), TITLE_FONT, 22)

    for para in draft.paragraphs:
        if para.kind == "title":
            continue
        if para.kind == "heading":
            h = doc.add_paragraph(style="Heading 1")
            h.paragraph_format.first_line_indent = Pt(32)
            _font(h.add_run(para.text), H1_FONT, 16)
        elif para.kind == "item":
            lead, sep, rest = para.text.partition("。")
            # The lead phrase in 楷体, as a level-2 heading would be; the rest is body text.
            _body(doc, rest, lead=lead + sep, style="Normal")
        else:
            _body(doc, para.text)

    if draft.citations:
        doc.add_page_break()
        h = doc.add_paragraph(style="Heading 1")
        _font(h.add_run("附：文字来源"), H1_FONT, 16)
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, ("编号", "来源文档", "章节", "原文")):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), H1_FONT, 10.5)
        for c in draft.citations:
            row = table.add_row().cells
            values = (f"[{c.n}]", f"{c.title}（{c.doc}）", c.section or "正文",
                      f"{clean_fragment(c.quote)}（第 {c.start}–{c.end} 字）")
            for cell, text in zip(row, values):
                cell.text = ""
                _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
