"""Checks a generated answer against the numbered passages it was given: marks that name no passage are
removed, a figure that does not occur in the passage its sentence cites is flagged (and the answer marked
unverified, so it is never shown as the answer), and every kept mark becomes a citation of the shown sentence
closest to what was said."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.normalize import normalize_for_match
from ..text.patterns import CLAIMED_FIGURE_RE, FIGURE_WITH_UNIT_RE, MODEL_CITE_MARK_RE
from ..text.sentences import Sentence
from .citations import make_citation
from .context import Passage
from .question_form import UNIT_GROUPS
from .schema import Citation

SENTENCE_END_RE = re.compile(r"(?<=[。！？!?；;])")
REFUSAL_RE = re.compile(r"(资料|材料|文档|上述)中?(并)?(没有|未)(找到|提供|提及|包含|涉及|给出)|无法(从|根据)|无法回答|没有相关信息")


@dataclass
class Checked:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: bool = False
    unverified: bool = False  # a figure is not in the passage its sentence cites


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def best_sentence(claim: str, passage: Passage) -> Sentence | None:
    """The shown sentence of a passage that shares most with a claim (its figures count double)."""
    sents = passage.sentences
    if not sents:
        return None
    want = _bigrams(normalize_for_match(MODEL_CITE_MARK_RE.sub("", claim)))
    figures = {f.replace(",", "") for f in CLAIMED_FIGURE_RE.findall(claim)}

    def score(s: Sentence) -> float:
        norm = normalize_for_match(s.clean)
        return len(want & _bigrams(norm)) + 2 * sum(1 for f in figures if f and f in norm.replace(",", ""))

    return max(sents, key=score)


def _best_passage(claim: str, passages: list[Passage]) -> tuple[int, float]:
    want = _bigrams(normalize_for_match(claim))
    if not want:
        return 1, 0.0
    shares = [len(want & _bigrams(normalize_for_match(p.text))) / len(want) for p in passages]
    best = max(range(len(passages)), key=lambda i: shares[i])
    return best + 1, shares[best]


def _add_mark(sentence: str, n: int | None) -> str:
    body = sentence.rstrip()
    end = body[-1] if body and body[-1] in "。！？!?；;" else ""
    body = body[: len(body) - len(end)] if end else body
    return f"{body}{f'[{n}]' if n else '⚠'}{end}"


def unfound_figures(claim: str, source: str) -> list[str]:
    """The figures of a claim (with their measure word) that the source does not state: 3位 is not found in a
    passage that only has 3 inside 2023 or 3所; 1,200人 is found as 1200名."""
    source = normalize_for_match(source).replace(",", "")
    missing = []
    for m in FIGURE_WITH_UNIT_RE.finditer(claim):
        value = normalize_for_match(m.group(1)).replace(",", "")  # full-width digits too
        mult, unit = m.group(2) or "", m.group(4) or ""
        units = next((g for g in UNIT_GROUPS if unit in g), (unit,)) if unit else ("",)
        pattern = (rf"(?<![\d.]){re.escape(value)}(?![\d.]\d)\s*{re.escape(mult)}\s*(?:余|多)?\s*"
                   rf"(?:{'|'.join(re.escape(u) for u in units)})")
        if not re.search(pattern, source):
            missing.append(m.group(0).strip())
    return missing


def says_nothing_new(answer: str, question: str) -> bool:
    """An answer made only of the question's own words (株洲市教育局局长是[1]。) answers nothing."""
    said = _bigrams(normalize_for_match(MODEL_CITE_MARK_RE.sub("", answer)).replace("⚠", ""))
    return len(said - _bigrams(normalize_for_match(question))) < 2


def is_refusal(text: str) -> bool:
    return bool(REFUSAL_RE.search(text)) and len(MODEL_CITE_MARK_RE.findall(text)) == 0


MARK_AFTER_END_RE = re.compile(r"([。！？!?；;])\s*((?:\[\d+(?:\s*[,，、]\s*\d+)*\]\s*)+)")


def check(text: str, passages: list[Passage]) -> Checked:
    # 学位3310个。[1] → 学位3310个[1]。: a mark written after the full stop belongs to the sentence before it.
    text = MARK_AFTER_END_RE.sub(lambda m: m.group(2).replace(" ", "") + m.group(1), text.strip())
    if not text or is_refusal(text):
        return Checked(answer=text, refused=True)
    out = Checked(answer="")
    renumber: dict[int, int] = {}
    pieces = []
    def renumbered(m: re.Match, cited: list[int]) -> str:
        marks = []
        for raw in re.split(r"[,，、]", m.group(1)):
            n = int(raw.strip())
            if not 1 <= n <= len(passages):
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
            sources = "".join(passages[n - 1].text for n in cited)
            for fig in unfound_figures(MODEL_CITE_MARK_RE.sub("", sentence), sources):
                out.warnings.append(f"数字“{fig}”未在所引资料中找到，请核对。")
                out.unverified = True
                sentence = sentence.replace(fig, f"{fig}⚠", 1)
        pieces.append((sentence, cited))
    # A sentence without a mark gets the passage it plainly comes from, or a flag when none supports it.
    for i, (sentence, cited) in enumerate(pieces):
        plain = MODEL_CITE_MARK_RE.sub("", sentence).strip()
        if cited or len(normalize_for_match(plain)) < 6:
            continue
        n, share = _best_passage(plain, passages)
        if share < 0.6 and FIGURE_WITH_UNIT_RE.search(plain):
            # A small model often leaves the mark out: a claim whose figures a passage states needs less of
            # its wording (0.3) to be attributed to it.
            stating = [j for j, p in enumerate(passages) if not unfound_figures(plain, p.text)]
            if stating:
                k, share = _best_passage(plain, [passages[j] for j in stating])
                n, share = stating[k - 1] + 1, share + 0.3
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
        passage = passages[n - 1]
        s = best_sentence(claims.get(n, ""), passage)
        if s is not None:
            out.citations.append(make_citation(new, s, passage.hit))
    return out
