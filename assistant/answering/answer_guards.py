"""Deterministic checks of what an answer would quote against what the question asks: cheap and certain, applied
to the trimmed window (what is shown), after the reader's checks of the whole sentence.

- a question asking 多少/几 is never answered by text without a figure, in a compatible unit when it names one;
- a question asking for names (哪几所, 叫什么, 有哪些) is never answered by a count alone (新建学校8所);
- a question about a part (多少个初中学位) is never answered by the whole (新增学位1.2万个), named without the part,
  nor by text whose only figures are those the question itself gives.
"""

from __future__ import annotations

import re

from ..text.patterns import HAS_FIGURE_RE
from ..text.segment import leading_nouns, trailing_nouns
from .evidence import TermWeights, has_unit
from .question_form import QuestionForm

NAMES_ASKED_RE = re.compile(r"哪几(?:所|个|家|座|项|支|条|类|种)|哪些|叫什么|名字|名称|是哪(?:所|家|个|座)|都有啥|有啥")
COUNT_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:余|多)?(?:万|亿)?\s*(?:所|个|家|座|项|支|条|类|种|处|间|批|名|人)")
ASK_FIGURE_RE = re.compile(r"多少|几")
MEASURE_WORD_RE = re.compile(r"(?:个|所|家|座|项|支|条|类|种|处|间|批|名|位|人|元|亩|台|套|本)+")
# Words between what is counted and the question word: 幼儿园单独是几所, 小学学位占多少, 学位一共有多少.
# 目标/计划 say which figure (a plan), not what it counts: 每千人托位数的目标是多少 counts 托位数.
FILLER_END_RE = re.compile(r"(?:单独|一共|总共|共|大概|大约|约|到底|究竟|具体|占了?|有|是|为|达到|达|的|里|中|目标|计划|预期)+$")
# A share's head (学校占比, 覆盖率): the window may state it without the word (学校达90.43%); the rate check covers it.
SHARE_HEAD_RE = re.compile(r"(?:比|率|比例|比重)$")
ITEM_SEP_RE = re.compile(r"[、]|“[^”]{2,30}”|《[^》]{2,40}》")


def asks_names(question: str, form: QuestionForm) -> bool:
    return form.kind in ("list", "name") and bool(NAMES_ASKED_RE.search(question)) and not form.count


def count_alone(window: str) -> bool:
    """The window counts things but names none: 新改扩建中小学27所 (not 建成一中、二中2所, not “智慧校园”3所)."""
    if not COUNT_RE.search(window):
        return False
    return not ITEM_SEP_RE.search(COUNT_RE.sub("", window))


def counted(question: str, form: QuestionForm) -> list[str]:
    """What a figure question counts, as nouns: those right after 几/多少 and a measure word (有几所幼儿园 →
    幼儿园), else those right before 有多少/是多少/几 (初中学位有多少个 → 初中, 学位), else the question's measure."""
    m = ASK_FIGURE_RE.search(question)
    if m:
        word = MEASURE_WORD_RE.match(question, m.end())
        after = leading_nouns(question[word.end() : word.end() + 12]) if word else []
        if after:
            return after
        before = trailing_nouns(FILLER_END_RE.sub("", question[max(0, m.start() - 14) : m.start()]), places=False)
        before = [w for w in before if len(w) >= 2]
        if before:
            return before
    return list(form.measure)


def part_missing(question: str, window: str, form: QuestionForm, terms: TermWeights) -> bool:
    """What is counted has a qualifier (初中 of 初中学位) the window lacks while it has the head (学位)."""
    nouns = counted(question, form)
    if len(nouns) < 2:
        return False
    head, qualifiers = nouns[-1], nouns[:-1]
    if SHARE_HEAD_RE.search(head) or terms.match(head, window) < 1.0:
        return False
    # The qualifier must qualify the head (初中学位, 初中阶段新增学位), not occur anywhere (乐至第三幼儿园…新增学位).
    return any(not re.search(rf"{re.escape(q)}[\u4e00-\u9fff]{{0,6}}{re.escape(head)}", window) for q in qualifiers)


NUMBER_RE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])(?!\s*年)")


def restates(question: str, window: str) -> bool:
    """The window's figures are only those the question already gives (22所里幼儿园几所 answered by 22所): it
    names the whole the question starts from, not the part it asks."""
    given = set(NUMBER_RE.findall(question.replace(",", "")))
    stated = set(NUMBER_RE.findall(window.replace(",", "")))
    return bool(given) and bool(stated) and stated <= given


def guard(question: str, window: str, form: QuestionForm, terms: TermWeights) -> str:
    """Why the window cannot be shown as the answer ("" when it can)."""
    if form.kind == "figure":
        if not HAS_FIGURE_RE.search(window):
            return "element"
        if form.units and not has_unit(window, form.units):
            return "unit"
        nouns = counted(question, form)
        if nouns and terms.match(nouns[-1], window) < 0.8:
            return "measure"  # 多少个学位 is not answered by 新建学校8所
        if part_missing(question, window, form, terms) or restates(question, window):
            return "part"
    if asks_names(question, form) and count_alone(window):
        return "names"
    return ""
