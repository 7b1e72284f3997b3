"""起草: a draft shown with its sources, saved as Word and Markdown; and the `draft` API endpoint."""

from __future__ import annotations

import re

import gradio as gr

from ..answering.validation import BadQuestion
from ..drafting.service import make_draft
from ..llm.chat import LLMUnavailable
from ..text.markup import escape_markdown
from .base import WebBase
from .render import draft_sources_html


def form_year(value) -> int | None:
    """The year box: empty for none, else a year of four digits (a number box would show 0 when empty)."""
    text = str(value if value is not None else "").strip()
    if not text or text == "0":
        return None
    if not re.fullmatch(r"(19|20)\d{2}", text):
        raise gr.Error(f"年份应为四位数字（如 2025），收到：{escape_markdown(text[:10])}")
    return int(text)


class DraftHandlers(WebBase):
    def draft(self, instruction, place, year, engine, request: gr.Request = None):
        from ..drafting.docx_export import write_docx

        self.require_user(request)
        try:
            draft = make_draft(self.assistant, instruction, self.engine(engine), place or "", form_year(year))
        except (BadQuestion, LLMUnavailable) as exc:
            raise gr.Error(str(exc)) from exc
        req = draft.request
        e = escape_markdown  # the topic and place come from the instruction, the warnings may quote it
        understood = (f"已按以下理解起草：地区 {e(req.place) or '（未指定）'}，年份 {req.year}，文种 {e(req.genre)}，"
                      f"主题 {e(req.topic) or '全面工作'}" + ("，提纲" if req.outline else "") + "。")
        notes = "\n".join(f"- ⚠ {e(w)}" for w in draft.warnings)
        info = f"{understood}\n\n待填项 {len(draft.placeholders)} 处（【待填：…】），引用往年原文 {len(draft.citations)} 句。" \
            + (f"\n\n{notes}" if notes else "")
        folder = self.user_folder(self.settings.drafts_path, request)
        stem = re.sub(r"[^\w\u4e00-\u9fff-]", "", draft.title)[:40] or "draft"
        md_path = folder / f"{stem}.md"
        md_path.write_text(draft.markdown(), encoding="utf-8")
        docx_path = write_docx(draft, folder / f"{stem}.docx")
        return (draft.markdown(with_sources=False, escape=escape_markdown), draft_sources_html(draft), info,
                self.hand_out(request, [str(docx_path), str(md_path)]))

    def draft_api(self, instruction: str, place: str = "", year: int | None = None, engine: str = "",
                  request: gr.Request = None) -> dict:
        """API `draft`: an instruction → the draft (title, paragraphs with sources, citations, placeholders, markdown)."""
        self.require_user(request)
        try:
            draft = make_draft(self.assistant, instruction, self.engine(engine) if engine else None, place or "",
                               year)
        except (BadQuestion, LLMUnavailable) as exc:
            raise gr.Error(str(exc)) from exc
        return draft.to_dict()
