"""The assistant as the CLI, the web app and the evaluation use it: question (+ history) → cited answer.

It owns the loaded index and reloads it when `assistant index` (or the web app) swaps in a new version,
so answering goes on from the old index until the swap. Drafting builds on it (drafting/service.py).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from collections.abc import Iterator
from pathlib import Path

from ..ingest.index_files import altered, snapshot
from ..ingest.store import REBUILD_HINT, IndexCorrupt, IndexMissing, StoreUnavailable, current_version, load_index
from ..llm.chat import LLMUnavailable
from ..retrieval.filters import Filters
from ..retrieval.hybrid import HybridRetriever
from ..retrieval.query import normalise_question
from ..settings import Settings
from .cascade import keeps_extractive
from .conversation import condense, slots_kept, turns_from_history
from .extractive import ExtractiveEngine
from .relative_time import asked_mode, current_year, held_years, latest_held, resolve_relative_years
from .year_statement import with_year
from .schema import Answer
from .validation import BadQuestion, check_history, check_places, check_question

log = logging.getLogger(__name__)

ENGINES = ("extractive", "llm", "cascade")


class Assistant:
    def __init__(self, settings: Settings, index_path: Path | None = None, embeddings=None):
        self.settings = settings
        self.index_path = Path(index_path or settings.index_path)
        self._embeddings = embeddings
        self._lock = threading.Lock()
        self._version: Path | None = None
        self._unreadable: Path | None = None  # a version that failed to load (the one loaded keeps answering)
        self._retriever: HybridRetriever | None = None
        self._extractive: ExtractiveEngine | None = None
        self._llm = None
        self._held = None  # the years each document holds statements for (relative_time.Held)
        self._files = {}  # the loaded version's files as read (index_files)

    # --- index --------------------------------------------------------------------------------------------------
    @property
    def retriever(self) -> HybridRetriever:
        self.refresh()
        assert self._retriever is not None
        return self._retriever

    def refresh(self) -> None:
        """Load the index, or the newer version a re-index has swapped in."""
        version = current_version(self.index_path)
        if self._retriever is not None and version in (self._version, self._unreadable):
            return
        with self._lock:
            if self._retriever is not None and version in (self._version, self._unreadable):
                return
            try:
                data = load_index(self.index_path, self.settings)
            except (IndexCorrupt, StoreUnavailable):
                if self._retriever is None:
                    raise
                # The loaded index keeps answering; the broken version is not read again on every question.
                log.exception("index %s unreadable; still answering from %s", version, self._version)
                self._unreadable = version
                return
            emb = self._embeddings or (self._retriever.embeddings if self._retriever else None)
            retriever = HybridRetriever.from_index(data, self.settings, emb)
            self._embeddings = retriever.embeddings
            self._retriever, self._version = retriever, version
            self._extractive = ExtractiveEngine(retriever, self.settings)
            self._held = held_years(data.chunks, data.metas)
            self._files = snapshot(version)
            log.info("index %s loaded: %d chunks", version, len(data.chunks))

    @property
    def embeddings(self):
        """The embedding model answers use, for a re-index to share; None before any index has loaded (the build
        then loads its own)."""
        return self._embeddings

    def index_problem(self) -> str | None:
        """What is wrong with the index, in Chinese, or None: it cannot be read (the page still starts and an
        admin rebuilds it there), or files of the version being answered from were changed under it."""
        try:
            self.refresh()
        except IndexMissing as exc:
            return str(exc)
        version = current_version(self.index_path)
        if self._unreadable is not None and version == self._unreadable:
            return f"最新的索引无法读取，仍在使用上一版索引回答。{REBUILD_HINT}"
        changed = altered(self._version, self._files) if self._version else []
        if changed:
            log.error("index files changed under the server: %s", ", ".join(changed))
            return (f"索引文件在运行中被改动或截断（{'、'.join(changed[:3])}）。回答仍使用已读入内存的索引，"
                    f"但重启后将无法读取。{REBUILD_HINT}")
        return None

    def warm_up(self) -> None:
        """Loads the index and the models and answers one question, so that the first staff member to ask after a
        start does not wait for them (under load, every question queued behind that first one waited ~10 s)."""
        try:
            self.ask("今年的重点工作有哪些？")
        except IndexMissing as exc:  # the page still starts and says so; an index built later is loaded then
            log.warning("not warmed up: %s", exc)

    @property
    def metas(self):
        return self.retriever.data.metas

    # --- engines ------------------------------------------------------------------------------------------------
    def llm_configured(self) -> bool:
        return bool(self.settings.llm_base_url)

    def engine_name(self, engine: str | None) -> str:
        """The engine to use: the one asked for, else the settings' default; BadQuestion when unusable."""
        name = (engine or self.settings.engine or "extractive").strip().lower()
        if name not in ENGINES:
            raise BadQuestion(f"未知的回答引擎：{name}（可选 extractive、llm、cascade）。")
        if name == "llm" and not self.llm_configured():
            raise BadQuestion("尚未配置大模型接口（llm_base_url），请使用 extractive 引擎或先配置。")
        return name

    def llm_engine(self):
        if self._llm is None:
            from .llm_engine import LLMEngine

            self.refresh()  # the extractive engine holds the loaded verifier
            self._llm = LLMEngine(self.settings, self._extractive.verifier if self._extractive else None)
        return self._llm

    def confident(self, answer: Answer) -> bool:
        """Whether the cascade keeps an extractive answer: a well-supported answer, or a refusal far from any."""
        return keeps_extractive(answer.support, answer.refused, self.settings.cascade_answer_score,
                                self.settings.cascade_refusal_score)

    # --- asking ---------------------------------------------------------------------------------------------------
    @property
    def this_year(self) -> int:
        return current_year(self.settings.today)

    def standalone(self, question: str, history=None, engine: str = "extractive", dated: bool = True) -> str:
        """`dated`: 今年/去年 counted from today; else left as written (the documents' own, when they give none)."""
        year = self.this_year if dated else None
        turns = self._condensed_turns(history, year)
        earlier = [t.standalone or t.question for t in turns]
        last = turns[-1].answer if turns else ""
        rules = condense(question, earlier, self.metas, year, last)
        if engine != "extractive" and self.llm_configured() and earlier:
            rewrite = self.llm_engine().condense(question, turns_from_history(history), self.metas)
            if rewrite and slots_kept(rewrite, rules, self.metas, year):
                return resolve_relative_years(normalise_question(rewrite), year)
        return rules

    def _condensed_turns(self, history, year: int | None):
        turns = turns_from_history(history)
        earlier: list[str] = []
        for i, t in enumerate(turns):
            t.standalone = condense(t.question, earlier, self.metas, year, turns[i - 1].answer if i else "")
            earlier.append(t.standalone)
        return turns

    def ask(self, question: str, history=None, filters: Filters | None = None, engine: str | None = None) -> Answer:
        final = None
        for event in self.stream(question, history, filters, engine):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        return final

    def stream(self, question: str, history=None, filters: Filters | None = None,
               engine: str | None = None) -> Iterator[str | Answer]:
        """Yields pieces of answer text as they come (llm), then the finished, checked Answer."""
        t0 = time.perf_counter()
        question = check_question(question, self.settings)
        history = check_history(history, self.settings)
        name = self.engine_name(engine)
        retriever = self.retriever
        standalone = self.standalone(question, history, name)
        info = retriever.analyse(standalone)
        if self._held is not None and not self._held.years(info.place_docs or list(self.metas), ""):
            standalone = self.standalone(question, history, name, dated=False)  # undated documents
            info = retriever.analyse(standalone)
        mode = asked_mode(standalone) or asked_mode(question)
        timing = latest_held(standalone, [question, *(t.question for t in turns_from_history(history))],
                             self.this_year, mode, self._held, info.place_docs or list(self.metas))
        if timing.latest is not None:
            standalone = timing.text
            info = retriever.analyse(standalone)
        if mode and not info.frame.mode:  # 去年 asks for a result even once it is written as a year
            info.frame = replace(info.frame, mode=mode)
        check_places(info.places, self.settings)
        extractive = self._extractive
        assert extractive is not None

        def extracted() -> Answer:
            return extractive.answer(question, info, filters, topic=standalone)

        answer = extracted() if name != "llm" else None
        if answer is None or (name == "cascade" and self.llm_configured() and not self.confident(answer)):
            # The model decides by itself whether the passages answer; the extractive answer is its fallback
            # when the model's figures cannot be verified.
            first = answer

            def fallback() -> Answer | None:
                # Only an extractive answer the reader is sure of replaces the model's unverifiable one.
                got = first or extracted()
                return got if not got.refused and self.confident(got) else None

            answer = None
            try:
                for event in self.llm_engine().stream(question, standalone, info, retriever, filters,
                                                      fallback=fallback):
                    if isinstance(event, Answer):
                        answer = event
                    else:
                        yield event
            except LLMUnavailable as exc:
                # The model is down, too slow or failing: the extractive answer is offered, with the reason.
                answer = first or extracted()
                answer.warnings = [f"{exc} 以下是抽取式引擎的回答。"] + answer.warnings
            assert answer is not None
        answer.standalone_question = standalone
        with_year(answer, question, timing, mode, self.metas)
        answer.latency_ms = (time.perf_counter() - t0) * 1000
        yield answer
