"""The llm engine's pass over a composed draft: smoother wording, the same placeholders, marks and facts.
Each paragraph is polished on its own (small local models need a tight context) and checked; a rewrite
that drops a placeholder or a mark, or adds a figure, is discarded and the extractive wording kept."""

from __future__ import annotations

import logging
import re

from ..llm.chat import ChatModel
from ..text.patterns import CITE_MARK_RE
from .schema import PLACEHOLDER_RE, Draft

log = logging.getLogger(__name__)


def _digits(text: str) -> set[str]:
    return set(re.findall(r"\d+", CITE_MARK_RE.sub("", PLACEHOLDER_RE.sub("", text))))


def acceptable(before: str, after: str) -> bool:
    if not after or not (0.6 * len(before) <= len(after) <= 1.6 * len(before) + 20):
        return False
    if sorted(PLACEHOLDER_RE.findall(before)) != sorted(PLACEHOLDER_RE.findall(after)):
        return False
    if sorted(CITE_MARK_RE.findall(before)) != sorted(CITE_MARK_RE.findall(after)):
        return False
    if not _digits(after) <= _digits(before):
        return False
    lead = re.match(r"^\d+\.[^。]{1,40}。", before)
    return not lead or after.startswith(lead.group(0))


def polish(draft: Draft, chat: ChatModel) -> Draft:
    chain = chat.prompt_chain(None, "draft_polish.txt")
    kept = changed = 0
    for para in draft.paragraphs:
        if para.kind not in ("item", "text", "lead") or len(para.text) < 30:
            continue
        try:
            out = chain.invoke({"paragraph": para.text}).strip()
        except Exception as exc:  # noqa: BLE001 -- the extractive draft stands on its own
            draft.warnings.append(f"大模型润色失败，保留原稿：{type(exc).__name__}")
            log.warning("polish failed: %s", exc)
            break
        out = out.splitlines()[0].strip() if out else ""
        if acceptable(para.text, out):
            para.text = out
            changed += 1
        else:
            kept += 1
    draft.engine = "llm"
    if kept:
        draft.warnings.append(f"{kept} 段润色结果改动了占位符、引用或数字，已保留原稿。")
    log.info("polish: %d changed, %d kept", changed, kept)
    return draft
