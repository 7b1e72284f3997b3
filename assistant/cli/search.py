"""`assistant index` and `assistant search`: build or update the index; the passages for a question."""

from __future__ import annotations

import json
import sys
import time

from ..answering.validation import BadQuestion, check_question
from .common import asked, corpus_and_index, ensure_index, filters_from, indexed_corpus, load_settings, open_retriever


def cmd_index(args) -> int:
    settings = load_settings(args)
    corpora, index = corpus_and_index(args, settings)
    report = ensure_index(settings, corpora, index)
    return 1 if report.failed and not report.chunks else 0


def print_hits(question: str, hits, as_json: bool, latency_ms: float, unmatched: list[str]) -> None:
    from ..text.normalize import strip_artifacts

    if as_json:
        print(json.dumps({"question": question, "latency_ms": round(latency_ms, 1), "unmatched_places": unmatched,
                          "hits": [h.to_dict() for h in hits]}, ensure_ascii=False, indent=1))
        return
    if unmatched:
        print(f"注意：文档库中没有关于{'、'.join(unmatched)}的文档，以下段落来自其他地区，仅供参考。\n")
    if not hits:
        print("没有找到相关段落。")
        return
    for n, h in enumerate(hits, 1):
        section = " > ".join(h.chunk.section) or "（正文）"
        years = "、".join(map(str, h.meta.years))
        print(f"[{n}] {h.meta.title}（{h.chunk.doc}）")
        print(f"    {h.meta.region} {years} {h.meta.genre} | {section} | 得分 {h.score:.4f}")
        # Readable form for the terminal (no glued pinyin or tags); --json keeps the exact original span.
        for line in h.chunk.text.strip().splitlines():
            if line.strip():
                print(f"    {strip_artifacts(line)}")
        print()


def cmd_search(args) -> int:
    settings, _, index = indexed_corpus(args)
    retriever = open_retriever(settings, index)
    filters = filters_from(args)
    for q in asked(args.question, "问题> ", "输入问题后回车检索，空行或 Ctrl-D 退出。"):
        try:
            check_question(q, settings)
        except BadQuestion as exc:
            print(str(exc), file=sys.stderr)
            if args.question is not None:
                return 2
            continue
        t0 = time.perf_counter()
        info = retriever.analyse(q)
        hits = retriever.search(q, k=args.k, filters=filters, info=info)
        latency = (time.perf_counter() - t0) * 1000
        print_hits(q, hits, args.json, latency, [] if info.place_docs else info.unmatched_places)
    return 0
