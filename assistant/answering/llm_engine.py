"""The llm engine: a LangChain chat model on any OpenAI-compatible endpoint reads a compact context (the best
sentences with their neighbours, `context`) and answers or declines; the answer streams, then is checked
(`verify`) before it is shown as final. A figure the check cannot find in its cited passage is never shown
as the answer: the engine falls back to the extractive answer when there is one, else declines.
The chat model itself (llm/chat.py) is shared with draft polishing."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator

from ..judge.pairs import context_text
from ..llm.chat import ChatModel, LLMUnavailable
from ..llm.server import exit_notice
from ..retrieval.filters import Filters
from ..retrieval.hits import Hit
from ..retrieval.hybrid import HybridRetriever
from ..retrieval.query import QueryInfo, analyse
from ..settings import Settings
from ..text.normalize import to_simplified
from .citations import refusal_text
from .context import Passage, compact_passages, whole_passages
from .conversation import Turn
from .evidence import TermWeights
from .judged import judge
from .reader import ReaderWeights
from .schema import Answer
from .scope import decided_before_search, unmatched_place, unsupported_year
from .verify import check, says_nothing_new

FALLBACK_NOTE = "大模型的回答中有数字在所引资料里找不到，未予采用；以下为直接摘录的答案。"
DECLINED_NOTE = "大模型的回答中有数字在所引资料里找不到，未予采用。"
UNSOURCED_NOTE = "大模型的回答没有标明出自哪段资料（可能是服务返回了异常内容），未予采用。"
UNSOURCED_FALLBACK = UNSOURCED_NOTE.rstrip("。") + "；以下为直接摘录的答案。"
UNSUPPORTED_NOTE = "大模型的回答所引的原文经核验并不回答这个问题，未予采用。"
UNSUPPORTED_FALLBACK = UNSUPPORTED_NOTE.rstrip("。") + "；以下为直接摘录的答案。"

log = logging.getLogger(__name__)


def format_passages(passages: list[Passage]) -> str:
    return "\n\n".join(p.block() for p in passages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class LLMEngine:
    name = "llm"

    def __init__(self, settings: Settings, verifier=None):
        self.settings = settings
        self.chat = ChatModel(settings)  # shared with draft polishing
        self.verifier = verifier  # judge.runtime.Verifier: a cited sentence must state what is asked

    def supported(self, question: str, citations) -> bool:
        """Whether some cited sentence states what is asked, by the verifier (always, with no verifier)."""
        if self.verifier is None or not citations:
            return True
        contexts = [context_text(c.section.split(" > ") if c.section else [], to_simplified(c.quote), c.title)
                    for c in citations]
        return max(judge(self.verifier, question, contexts)) >= self.settings.verifier_gate

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
    def passages(self, info: QueryInfo, hits: list[Hit], retriever: HybridRetriever) -> list[Passage]:
        found = compact_passages(info, hits, TermWeights(retriever.idf or {}), retriever.embeddings,
                                 ReaderWeights.from_settings(self.settings), self.settings.llm_sentences,
                                 self.settings.llm_context_chars)
        return found or whole_passages(hits[:2], self.settings.llm_passage_chars)

    def stream(self, question: str, standalone: str, info: QueryInfo, retriever: HybridRetriever,
               filters: Filters | None = None,
               fallback: Callable[[], Answer | None] | None = None) -> Iterator[str | Answer]:
        """Pieces of the model's text as it writes, then the checked Answer. `fallback` gives the extractive
        answer (None when there is none to trust), used when the model's figures cannot be verified."""
        def refused(hits: list[Hit], note: str = "") -> Answer:
            return Answer(question=question, answer=refusal_text(standalone), refused=True, retrieved=hits,
                          engine=self.name, warnings=[note] if note else [])

        if decided_before_search(info):
            yield refused([])
            return
        hits = retriever.search(standalone, k=self.settings.llm_passages, filters=filters, info=info)
        if not hits or unmatched_place(info, hits) or unsupported_year(info, hits, retriever.data.metas):
            yield refused(hits)
            return
        passages = self.passages(info, hits, retriever)
        chain = self.chat.prompt_chain("answer_system.txt", "answer_user.txt")
        inputs = {"passages": format_passages(passages), "question": standalone}
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
        checked = check(text, passages)
        if checked.refused or checked.citations and says_nothing_new(checked.answer, standalone):
            yield refused(hits)
            return
        # No mark that names a passage (garbage, or prose with no sources), or a figure no passage holds: the
        # model's text is not used; the extractive answer is offered when the reader is sure of it.
        unsupported = bool(checked.citations) and not checked.unverified and not self.supported(standalone,
                                                                                              checked.citations)
        if not checked.citations or checked.unverified or unsupported:
            declined, instead = (UNSOURCED_NOTE, UNSOURCED_FALLBACK) if not checked.citations \
                else (UNSUPPORTED_NOTE, UNSUPPORTED_FALLBACK) if unsupported else (DECLINED_NOTE, FALLBACK_NOTE)
            answer = fallback() if fallback else None
            if answer is not None and not answer.refused:
                answer.warnings = [instead] + answer.warnings
                yield answer
            else:
                yield refused(hits, declined)
            return
        yield Answer(question=question, answer=checked.answer, refused=False, citations=checked.citations,
                     retrieved=hits, engine=self.name, warnings=checked.warnings)
