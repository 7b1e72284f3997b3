"""Evidence for the extractive engine: every sentence of the retrieved passages scored against the question,
and the best one trimmed to the clauses that answer.

A sentence scores by how much of the question's topic it covers within a few clauses (words weighted by their
rarity in the corpus, synonyms and partial matches counting less), whether it holds what the question asks for
(a figure, a date, a person, a name, a list), and how high its passage ranked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..retrieval.hits import Hit
from ..text.normalize import clean_fragment
from ..text.patterns import HAS_FIGURE_RE, STATED_FIGURE_RE
from ..text.segment import synonyms
from ..text.sentences import Sentence, clauses, split_passage
from .question_form import QuestionForm

DATE_RE = re.compile(r"\d{4}年\d{1,2}月|\d{1,2}月(底|前|份|\d{1,2}日)?|\d{4}年(底|前|内|上半年|下半年|秋季|春季)|年底|年内|秋季|春季")
NAME_MARK_RE = re.compile(r"《[^》]{2,40}》|“[^”]{2,30}”|[\u4e00-\u9fff]{2,12}(学校|大学|学院|中学|小学|幼儿园|一中|二中|三中|工程|计划|行动|项目|基地|平台|品牌|队|中心)")
LIST_SEP_RE = re.compile(r"[、；;]")
# A person named with a title: a common surname and one or two given-name characters next to the title
# (张伟局长, 局长张伟，, 李明同志). A title alone (名校长, 校长培养) names nobody.
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
            "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_TITLE = r"(?:同志|记者|通讯员|局长|副局长|书记|校长|主任|院长|市长|县长|州长|主席|委员|厅长|部长)"
PERSON_RE = re.compile(rf"[{SURNAMES}][\u4e00-\u9fff]{{1,2}}{_TITLE}|{_TITLE}[{SURNAMES}][\u4e00-\u9fff]{{1,2}}(?=[，,、。；;\s（(]|$)")
ELEMENT_KINDS = ("figure", "when", "who", "name", "list")  # question kinds whose answer holds a kind of element


@dataclass
class Evidence:
    sentence: Sentence
    hit: Hit
    rank: int
    coverage: float
    score: float
    matched: set[str] = field(default_factory=set)


def stated_figures(text: str) -> set[str]:
    return {m.group(0).strip() for m in STATED_FIGURE_RE.finditer(text)}


def has_unit(text: str, units: tuple[str, ...]) -> bool:
    return any(re.search(rf"\d\s*(?:余|多)?(?:万|亿)?\s*(?:余|多)?{re.escape(u)}", text) for u in units)  # 3400多万人次


def windows(text: str, size: int = 3) -> list[str]:
    """Runs of `size` consecutive clauses (the whole text when it has no more)."""
    parts = clauses(text)
    if len(parts) <= size:
        return [text]
    return ["".join(parts[i : i + size]) for i in range(len(parts) - size + 1)]


def has_element(text: str, kind: str) -> bool:
    """Whether text holds what a question of this kind asks for: a figure, a date, a person, a name, a list."""
    if kind == "figure":
        return bool(HAS_FIGURE_RE.search(text))
    if kind == "when":
        return bool(DATE_RE.search(text))
    if kind == "who":
        return bool(PERSON_RE.search(text))
    if kind == "name":
        return bool(NAME_MARK_RE.search(text))
    if kind == "list":
        return len(LIST_SEP_RE.findall(text)) >= 1
    return True


class TermWeights:
    """How much each topic word of a question counts (its rarity in the corpus), and how well a text has it."""

    def __init__(self, idf: dict[str, float]):
        self._idf = idf
        self._max_idf = max(idf.values()) if idf else 5.0

    def weight(self, term: str) -> float:
        # Words the corpus never uses weigh most: a question about them is likely unanswerable.
        w = self._idf.get(term)
        if w is None:
            return self._max_idf + 1.0
        return max(w, 0.2)

    @staticmethod
    def match(term: str, text: str) -> float:
        if term in text:
            return 1.0
        if any(len(s) >= 2 and s in text for s in synonyms().get(term, ())):
            return 0.8
        if len(term) >= 3:
            grams = {term[i : i + 2] for i in range(len(term) - 1)}
            share = sum(1 for g in grams if g in text) / len(grams)
            return 0.6 * share if share >= 0.5 else 0.0
        return 0.0


def gather_evidence(hits: list[Hit], form: QuestionForm, terms: TermWeights) -> list[Evidence]:
    """Every sentence of the passages as evidence, best first."""
    match = terms.match
    weights = {t: terms.weight(t) for t in form.terms}
    total = sum(weights.values()) or 1.0
    out = []
    for rank, hit in enumerate(hits):
        sents = split_passage(hit.chunk)
        heading = clean_fragment(" ".join(hit.chunk.section))
        for i, s in enumerate(sents):
            near = " ".join(x.clean for x in sents[max(0, i - 1) : i + 2])
            ctx = {t: 0.6 * max(match(t, heading), match(t, near)) for t in weights}
            # The topic words must meet within a few clauses, not just somewhere in a long sentence.
            got, matched = 0.0, set()
            for window in windows(s.clean):
                own = {t: match(t, window) for t in weights}
                value = sum(w * max(own[t], ctx[t]) for t, w in weights.items())
                if value > got:
                    got, matched = value, {t for t in weights if own[t] >= 1.0}
            coverage = got / total if form.terms else 0.0
            score = coverage + 0.08 / (rank + 1)
            if form.kind in ELEMENT_KINDS:
                score += 0.12 if has_element(s.clean, form.kind) else -0.25
            if form.kind == "figure" and form.units and has_unit(s.clean, form.units):
                score += 0.1  # 多少所 is answered by a figure in 所
            if len(s.clean) < 8:
                score -= 0.2  # a bare heading or fragment is rarely the answer
            out.append(Evidence(sentence=s, hit=hit, rank=rank, coverage=coverage, score=score, matched=matched))
    out.sort(key=lambda e: -e.score)
    return out


def trim_answer(text: str, form: QuestionForm, terms: TermWeights, limit: int) -> str:
    """The clauses of a sentence that answer, grown around the best one while they add topic words or the
    element asked for, within about `limit` characters; a list keeps its whole enumeration."""
    if len(text) <= limit:
        return text
    parts = clauses(text)
    if len(parts) <= 1:
        return text
    weights = {t: terms.weight(t) for t in form.terms}

    def value(p: str) -> float:
        v = sum(w * terms.match(t, p) for t, w in weights.items())
        if form.kind in ELEMENT_KINDS and has_element(p, form.kind):
            v += 0.5 * (max(weights.values()) if weights else 1.0)
        return v

    values = [value(p) for p in parts]
    best = max(range(len(parts)), key=lambda i: values[i])
    lo = hi = best
    need_element = form.kind in ("figure", "when", "who", "name") and not has_element(parts[best], form.kind)
    # Grow the window while neighbours add topic words or the element the question asks for.
    while True:
        length = sum(len(parts[i]) for i in range(lo, hi + 1))
        cands = []
        if lo > 0:
            cands.append((lo - 1, values[lo - 1]))
        if hi + 1 < len(parts):
            cands.append((hi + 1, values[hi + 1]))
        if not cands:
            break
        i, v = max(cands, key=lambda c: c[1])
        add = len(parts[i])
        if need_element and has_element(parts[i], form.kind):
            pass
        elif v <= 0 or length + add > limit:
            break
        lo, hi = min(lo, i), max(hi, i)
        if need_element and has_element(parts[i], form.kind):
            need_element = False
    if form.kind == "list":
        # Keep the whole enumeration the anchor clause belongs to.
        while hi + 1 < len(parts) and LIST_SEP_RE.search(parts[hi]) and len("".join(parts[lo : hi + 2])) <= 2 * limit:
            hi += 1
    return "".join(parts[lo : hi + 1])
