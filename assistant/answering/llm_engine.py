"""The llm engine: a LangChain chat model on any OpenAI-compatible endpoint answers from numbered
passages; the answer streams, then is checked (verify.py) before it is shown as final. The chat model itself
(llm/chat.py) is shared with draft polishing."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from ..llm.chat import ChatModel, LLMUnavailable
from ..llm.server import exit_notice
from ..retrieval.filters import Filters
from ..retrieval.hits import Hit
from ..retrieval.hybrid import HybridRetriever
from ..retrieval.query import QueryInfo, analyse
from ..settings import Settings
from ..text.normalize import to_simplified
from .citations import refusal_text
from .conversation import Turn
from .schema import Answer
from .verify import check

log = logging.getLogger(__name__)


def format_passages(hits: list[Hit], limit: int) -> str:
    blocks = []
    for n, h in enumerate(hits, 1):
        section = " > ".join(h.chunk.section)
        head = f"[{n}]《{h.meta.title}》" + (f"（{section}）" if section else "")
        text = re.sub(r"\s+", "", h.chunk.search_text)[:limit]
        blocks.append(f"{head}\n{text}")
    return "\n\n".join(blocks)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class LLMEngine:
    name = "llm"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.chat = ChatModel(settings)  # shared with draft polishing

    # --- follow-ups -----------------------------------------------------------------------------------------------
    def condense(self, question: str, turns: list[Turn], metas) -> str | None:
        """The condense prompt's rewrite, or None when it is unusable (the caller then uses the rules)."""
        history = "\n".join(f"问：{t.question}\n答：{_squash(t.answer)[:120]}" for t in turns[-3:])
        try:
            out = self.chat.prompt_chain(None, "condense.txt").invoke(
                {"history": history, "question": question})
        except Exception as exc:  # noqa: BLE001 -- any failure of the model: the rules still work without it
            log.warning("condense failed: %s", exc)
            return None
        out = to_simplified(out.strip().splitlines()[0] if out.strip() else "").strip(" “”\"")
        out = re.sub(r"^(独立问题|问题)[:：]\s*", "", out)
        # Keep what the follow-up itself names; reject rambling or empty rewrites.
        own = analyse(question, metas)
        got = analyse(out, metas) if out else None
        if not out or len(out) > 3 * (len(question) + len(turns[-1].question)) or got is None:
            return None
        if any(p.short not in {q.short for q in got.places} for p in own.places) or not set(own.years) <= set(got.years):
            return None
        return out

    # --- answering --------------------------------------------------------------------------------------------------
    def stream(self, question: str, standalone: str, info: QueryInfo, retriever: HybridRetriever,
               filters: Filters | None = None) -> Iterator[str | Answer]:
        hits = retriever.search(standalone, k=self.settings.llm_passages, filters=filters, info=info)
        if not hits:
            yield Answer(question=question, answer=refusal_text(standalone), refused=True, engine=self.name)
            return
        chain = self.chat.prompt_chain("answer_system.txt", "answer_user.txt")
        inputs = {"passages": format_passages(hits, self.settings.llm_passage_chars), "question": standalone}
        text = ""
        try:
            for piece in chain.stream(inputs):
                text += piece
                yield piece
        except Exception as exc:
            log.warning("llm request failed: %s", exc)
            raise LLMUnavailable(exit_notice(self.settings, self.settings.llm_base_url) or
                                 f"大模型接口调用失败（{self.settings.llm_base_url}）：{type(exc).__name__}。"
                                 "请检查服务是否启动，或改用 extractive 引擎。") from exc
        checked = check(text, hits)
        if checked.refused:
            yield Answer(question=question, answer=refusal_text(standalone), refused=True, retrieved=hits,
                         engine=self.name)
            return
        yield Answer(question=question, answer=checked.answer, refused=False, citations=checked.citations,
                     retrieved=hits, engine=self.name, warnings=checked.warnings)
