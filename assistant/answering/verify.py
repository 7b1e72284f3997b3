"""Checks a generated answer against the numbered passages it was given: marks that name no passage are
removed, a figure that does not occur in the passage its sentence cites is flagged, and every kept mark
becomes a citation of the passage sentence closest to what was said."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..retrieval.hits import Hit
from ..text.normalize import normalize_for_match
from ..text.patterns import CLAIMED_FIGURE_RE, MODEL_CITE_MARK_RE
from ..text.sentences import Sentence, split_passage
from .citations import make_citation
from .schema import Citation

SENTENCE_END_RE = re.compile(r"(?<=[。！？!?；;])")
REFUSAL_RE = re.compile(r"(资料|材料|文档|上述)中?(并)?(没有|未)(找到|提供|提及|包含|涉及|给出)|无法(从|根据)|无法回答|没有相关信息")


@dataclass
class Checked:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: bool = False


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def best_sentence(claim: str, hit: Hit) -> Sentence | None:
    """The sentence of a passage that shares most with a claim (its figures count double)."""
    sents = split_passage(hit.chunk)
    if not sents:
        return None
    want = _bigrams(normalize_for_match(MODEL_CITE_MARK_RE.sub("", claim)))
    figures = {f.replace(",", "") for f in CLAIMED_FIGURE_RE.findall(claim)}

    def score(s: Sentence) -> float:
        norm = normalize_for_match(s.clean)
        return len(want & _bigrams(norm)) + 2 * sum(1 for f in figures if f and f in norm.replace(",", ""))

    return max(sents, key=score)


def _best_passage(claim: str, hits: list[Hit]) -> tuple[int, float]:
    want = _bigrams(normalize_for_match(claim))
    if not want:
        return 1, 0.0
    shares = [len(want & _bigrams(normalize_for_match(h.chunk.text))) / len(want) for h in hits]
    best = max(range(len(hits)), key=lambda i: shares[i])
    return best + 1, shares[best]


def _add_mark(sentence: str, n: int | None) -> str:
    body = sentence.rstrip()
    end = body[-1] if body and body[-1] in "。！？!?；;" else ""
    body = body[: len(body) - len(end)] if end else body
    return f"{body}{f'[{n}]' if n else '⚠'}{end}"


def is_refusal(text: str) -> bool:
    return bool(REFUSAL_RE.search(text)) and len(MODEL_CITE_MARK_RE.findall(text)) == 0


def check(text: str, hits: list[Hit]) -> Checked:
    text = text.strip()
    if not text or is_refusal(text):
        return Checked(answer=text, refused=True)
    out = Checked(answer="")
    renumber: dict[int, int] = {}
    pieces = []
    def renumbered(m: re.Match, cited: list[int]) -> str:
        marks = []
        for raw in re.split(r"[,，、]", m.group(1)):
            n = int(raw.strip())
            if not 1 <= n <= len(hits):
                out.warnings.append(f"已删除无效引用 [{n}]：没有第 {n} 条资料。")
                continue
            cited.append(n)
            if n not in renumber:
                renumber[n] = len(renumber) + 1
            marks.append(f"[{renumber[n]}]")
        return "".join(marks)

    for sentence in [s for s in SENTENCE_END_RE.split(text) if s.strip()]:
        cited: list[int] = []
        sentence = MODEL_CITE_MARK_RE.sub(lambda m, c=cited: renumbered(m, c), sentence)
        # A figure must occur in a passage the sentence cites.
        if cited:
            sources = "".join(normalize_for_match(hits[n - 1].chunk.text) for n in cited).replace(",", "")
            for fig in {f.strip() for f in CLAIMED_FIGURE_RE.findall(MODEL_CITE_MARK_RE.sub("", sentence))}:
                digits = normalize_for_match(fig).replace(",", "").replace("，", "")
                if digits and re.search(r"\d", digits) and digits not in sources:
                    out.warnings.append(f"数字“{fig}”未在所引资料中找到，请核对。")
                    sentence = sentence.replace(fig, f"{fig}⚠", 1)
        pieces.append((sentence, cited))
    # A sentence without a mark gets the passage it plainly comes from, or a flag when none supports it.
    for i, (sentence, cited) in enumerate(pieces):
        plain = MODEL_CITE_MARK_RE.sub("", sentence).strip()
        if cited or len(normalize_for_match(plain)) < 6:
            continue
        n, share = _best_passage(plain, hits)
        if share >= 0.6:
            if n not in renumber:
                renumber[n] = len(renumber) + 1
            pieces[i] = (_add_mark(sentence, renumber[n]), [n])
        else:
            out.warnings.append(f"“{plain[:30]}”在资料中找不到依据，请核对。")
            pieces[i] = (_add_mark(sentence, None), [])
    out.answer = "".join(p for p, _ in pieces).strip()
    claims: dict[int, str] = {}
    for sentence, cited in pieces:
        for n in cited:
            claims[n] = claims.get(n, "") + sentence
    for n, new in sorted(renumber.items(), key=lambda kv: kv[1]):
        hit = hits[n - 1]
        s = best_sentence(claims.get(n, ""), hit)
        if s is not None:
            out.citations.append(make_citation(new, s, hit))
    return out
