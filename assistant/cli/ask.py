"""`assistant ask`: a cited answer, or a conversation with follow-ups when no question is given."""

from __future__ import annotations

import json
import sys

from .common import asked, filters_from, indexed_corpus, open_assistant


def print_answer(answer, as_json: bool, streamed: bool = False) -> None:
    from ..text.normalize import strip_artifacts

    if as_json:
        d = answer.to_dict()
        print(json.dumps(d, ensure_ascii=False, indent=1))
        return
    if streamed:
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr)
    print(answer.answer)
    if answer.standalone_question and answer.standalone_question != answer.question:
        print(f"（理解为：{answer.standalone_question}）")
    for w in answer.warnings:
        print(f"⚠ {w}")
    if answer.citations:
        print("\n来源：")
    for c in answer.citations:
        years = "、".join(map(str, c.years))
        where = " ".join(x for x in (c.region, years) if x)
        print(f"[{c.n}] {c.title}（{where}）｜{c.section or '正文'}")
        print(f"    “{strip_artifacts(c.quote)}”  （{c.doc} 第 {c.start}–{c.end} 字）")
    print()


def cmd_ask(args) -> int:
    from ..answering.schema import Answer
    from ..answering.validation import BadQuestion
    from ..llm.chat import LLMUnavailable

    settings, _, index = indexed_corpus(args)
    assistant = open_assistant(settings, index)
    filters = filters_from(args)
    history: list[tuple[str, str]] = []
    interactive = args.question is None
    for q in asked(args.question, "问> ", "输入问题后回车，可以接着追问；输入“新对话”清空上下文，空行或 Ctrl-D 退出。"):
        if interactive and q.strip() in ("新对话", "/new"):
            history.clear()
            continue
        try:
            answer = None
            streamed = False
            for event in assistant.stream(q, history, filters, args.engine):
                if isinstance(event, Answer):
                    answer = event
                elif not args.json and sys.stderr.isatty():
                    streamed = True
                    print(event, end="", flush=True, file=sys.stderr)
        except (BadQuestion, LLMUnavailable) as exc:
            print(str(exc), file=sys.stderr)
            if not interactive:
                return 2
            continue
        assert answer is not None
        print_answer(answer, args.json, streamed)
        history.append((q, answer.answer))
    return 0
