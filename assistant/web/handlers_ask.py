"""问答: the chat (streaming, with the sources panel) and the `ask` and `search` API endpoints."""

from __future__ import annotations

import json

import gradio as gr

from ..answering.schema import Answer
from ..answering.validation import BadQuestion, check_question
from ..ingest.store import IndexMissing
from ..llm.chat import LLMUnavailable
from ..text.markup import escape_markdown
from .base import WebBase
from .render import answer_markdown, sources_html


class AskHandlers(WebBase):
    def chat(self, message, history, region, year, genre, engine, request: gr.Request = None):
        question = message if isinstance(message, str) else (message or {}).get("text", "")
        try:
            self.require_user(request)
            answer = None
            text = ""
            for event in self.assistant.stream(question, history, self.filters(region, year, genre), self.engine(engine)):
                if isinstance(event, Answer):
                    answer = event
                else:
                    text += event
                    yield text + " ▌", sources_html(None)
        except (BadQuestion, LLMUnavailable, IndexMissing, gr.Error) as exc:
            yield f"⚠ {escape_markdown(getattr(exc, 'message', None) or str(exc))}", sources_html(None)
            return
        assert answer is not None
        yield answer_markdown(answer), sources_html(answer)

    def ask_api(self, question: str, history: str | list | None = None, region: str = "", year: str = "",
                genre: str = "", engine: str = "", request: gr.Request = None) -> tuple[str, dict]:
        """API `ask`: question, optional history (JSON list of [问, 答] pairs or role/content messages) and
        filters → (answer, {"refused", "citations", …})."""
        self.require_user(request)
        if isinstance(history, str):
            if len(history) > self.settings.max_history_chars:
                raise gr.Error(f"对话记录太长（{len(history)} 字，上限 {self.settings.max_history_chars} 字）。")
            try:
                history = json.loads(history) if history.strip() else []
            except (ValueError, RecursionError) as exc:
                raise gr.Error("history 不是合法的 JSON（应为 [[问, 答], …] 或 role/content 消息列表）。") from exc
        try:
            answer = self.assistant.ask(question, history or [], self.filters(region, year, genre),
                                        self.engine(engine) if engine else None)
        except (BadQuestion, LLMUnavailable, IndexMissing) as exc:
            raise gr.Error(str(exc)) from exc
        d = answer.to_dict()
        return answer.answer, {k: d[k] for k in ("refused", "citations", "standalone_question", "warnings",
                                                 "engine", "latency_ms")}

    def search_api(self, question: str, k: int = 5, region: str = "", year: str = "", genre: str = "",
                   request: gr.Request = None) -> list[dict]:
        """API `search`: the passages for a question, with document, section, exact span and score."""
        self.require_user(request)
        try:
            question = check_question(question, self.settings)
        except BadQuestion as exc:
            raise gr.Error(str(exc)) from exc
        try:
            k = max(1, min(int(k or 5), 50))
        except (TypeError, ValueError) as exc:
            raise gr.Error("k 应是 1 到 50 之间的整数。") from exc
        try:
            hits = self.assistant.retriever.search(question, k=k, filters=self.filters(region, year, genre))
        except IndexMissing as exc:
            raise gr.Error(str(exc)) from exc
        return [h.to_dict() for h in hits]
