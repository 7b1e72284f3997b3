"""HTML and Markdown for the web page: answers with linked marks, the sources panel, example questions."""

from __future__ import annotations

import html
import re

from ..answering.schema import Answer, Citation
from ..ingest.schema import DocMeta
from ..text.gazetteer import short_name
from ..text.markup import escape_markdown
from ..text.normalize import clean_fragment, strip_artifacts
from ..text.patterns import CITE_MARK_RE

# Opens the source a clicked [n] points at (the panel's entries are <details> elements).
HEAD_JS = """
<script>
function eduOpenSource(){
  const id = decodeURIComponent(location.hash.slice(1));
  const el = id && document.getElementById(id);
  if (el && el.tagName === 'DETAILS') { el.open = true; el.scrollIntoView({block: 'nearest'}); }
}
window.addEventListener('hashchange', eduOpenSource);
</script>
"""

CSS = """
.edu-sources details { border: 1px solid #ddd; border-radius: 6px; padding: 6px 10px; margin-bottom: 8px; }
.edu-sources summary { cursor: pointer; font-weight: 600; }
.edu-sources .meta { color: #666; font-size: 0.9em; margin: 4px 0; }
.edu-sources .para { white-space: pre-wrap; line-height: 1.7; }
.edu-sources mark { background: #ffe58f; padding: 0 2px; }
.edu-warn { color: #ad4e00; }
"""


def answer_markdown(answer: Answer) -> str:
    """The answer text with each [n] linking to its entry in the sources panel. The text itself (from documents,
    the model, or the question it echoes) is shown as text: no HTML, no image or link of its own."""
    pieces, last = [], 0
    known = {str(c.n) for c in answer.citations}
    for m in CITE_MARK_RE.finditer(answer.answer):
        if m.group(1) not in known:
            continue  # a [9] that names no source stays text
        pieces += [escape_markdown(answer.answer[last : m.start()]), f"[\\[{m.group(1)}\\]](#src-{m.group(1)})"]
        last = m.end()
    text = "".join(pieces) + escape_markdown(answer.answer[last:])
    if answer.standalone_question and answer.standalone_question.rstrip("?？") != answer.question.rstrip("?？"):
        text += f"\n\n<small>（理解为：{escape_markdown(answer.standalone_question)}）</small>"
    for w in answer.warnings:
        text += f"\n\n<span class='edu-warn'>⚠ {escape_markdown(w)}</span>"
    return text


def _paragraph(c: Citation) -> str:
    """The passage around the quote, readable (no glued pinyin), with the quoted sentence highlighted."""
    ctx, offset = c.context or c.quote, c.context_start
    a, b = c.start - offset, c.end - offset
    if not (0 <= a <= b <= len(ctx)) or ctx[a:b] != c.quote:
        return f"<mark>{html.escape(strip_artifacts(c.quote))}</mark>"
    before, quote, after = (strip_artifacts(x) for x in (ctx[:a], ctx[a:b], ctx[b:]))
    return f"{html.escape(before)}<mark>{html.escape(quote)}</mark>{html.escape(after)}"


def sources_html(answer: Answer | None) -> str:
    if answer is None:
        return "<div class='edu-sources'><p>提问后，这里显示每个引用 [n] 的出处。</p></div>"
    if answer.refused or not answer.citations:
        return "<div class='edu-sources'><p>没有引用。</p></div>"
    items = []
    for c in answer.citations:
        years = "、".join(map(str, c.years))
        meta = " · ".join(x for x in (c.region, years, c.section or "正文") if x)
        items.append(
            f"<details id='src-{c.n}' open><summary>[{c.n}] {html.escape(c.title)}</summary>"
            f"<div class='meta'>{html.escape(meta)} · {html.escape(c.doc)} 第 {c.start}–{c.end} 字</div>"
            f"<div class='para'>{_paragraph(c)}</div></details>")
    return "<div class='edu-sources'>" + "".join(items) + "</div>"


_FIGURE_SUBJECT = re.compile(r"(?:^|(?<=[，。；、,;：:\s]))([\u4e00-\u9fff]{3,14})(达到|达|为|共有|增至|提高到)\s*\d[\d.,]*\s*(%|万|亿|人|所|个|名)")
_LEADING = re.compile(r"^(全市|全县|全区|全省|其中|共|目前|截至|今年|去年|当年|年内|同时|并|和|及|使|让|将|已|我市|我县)+")


def example_questions(metas: dict[str, DocMeta], chunks, limit: int = 6) -> list[str]:
    """Questions the corpus can answer, made from its own figures: 忻州学前教育毛入园率达到多少？"""
    out: list[str] = []
    seen_docs: set[str] = set()
    for chunk in chunks:
        if chunk.doc in seen_docs or len(out) >= limit:
            continue
        meta = metas.get(chunk.doc)
        if not meta or not meta.region:
            continue
        m = _FIGURE_SUBJECT.search(chunk.search_text)
        if not m:
            continue
        subject = _LEADING.sub("", m.group(1))
        if len(subject) < 3:
            continue
        verb = "达到" if m.group(2) in ("达到", "达", "增至", "提高到") else "有"
        place = meta.region if meta.region.endswith(("县", "区", "旗")) else short_name(meta.region)
        out.append(f"{place}{subject}{verb}多少？")
        seen_docs.add(chunk.doc)
    return out


def draft_sources_html(draft) -> str:
    """Where each [n] of a draft comes from: the source document, its section and the reused sentence."""
    if not draft.citations:
        return "<div class='edu-sources'><p>没有引用往年原文。</p></div>"
    items = []
    for c in draft.citations:
        meta = " · ".join(x for x in (c.region, "、".join(map(str, c.years)), c.section or "正文") if x)
        items.append(f"<details id='draft-src-{c.n}'><summary>[{c.n}] {html.escape(c.title)}</summary>"
                     f"<div class='meta'>{html.escape(meta)} · {html.escape(c.doc)} 第 {c.start}–{c.end} 字</div>"
                     f"<div class='para'><mark>{html.escape(clean_fragment(c.quote))}</mark></div></details>")
    return "<div class='edu-sources'>" + "".join(items) + "</div>"
