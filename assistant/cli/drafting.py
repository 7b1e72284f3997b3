"""`assistant draft`: a plan, work points or a summary from past wording, as Markdown, JSON or Word."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .common import indexed_corpus, open_assistant


def cmd_draft(args) -> int:
    from ..answering.validation import BadQuestion
    from ..drafting.service import make_draft

    settings, _, index = indexed_corpus(args)
    assistant = open_assistant(settings, index)
    try:
        draft = make_draft(assistant, args.instruction, args.engine, args.place or "", args.year)
    except BadQuestion as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.docx:
        from ..drafting.docx_export import write_docx

        print(f"Word 文件：{write_docx(draft, Path(args.docx))}", file=sys.stderr)
    if args.md:
        Path(args.md).parent.mkdir(parents=True, exist_ok=True)
        Path(args.md).write_text(draft.markdown(), encoding="utf-8")
        print(f"Markdown 文件：{args.md}", file=sys.stderr)
    if args.json:
        print(json.dumps(draft.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(draft.markdown())
        for w in draft.warnings:
            print(f"⚠ {w}", file=sys.stderr)
        print(f"待填项 {len(draft.placeholders)} 处；引用原文 {len(draft.citations)} 句。", file=sys.stderr)
    return 0
