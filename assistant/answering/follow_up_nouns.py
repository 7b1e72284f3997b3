"""What a follow-up counts or narrows to, taken from the question before it.

- 建成投用的有几所？ after 有多少所学校完成了改扩建？ counts 学校: the noun is carried to where it is asked;
- 中小学呢？ after 新增了多少学位？ asks the same of 中小学 (a kind of school or a stage of schooling), while
  公办幼儿园呢？ after 普惠性幼儿园覆盖率… replaces the kind of 幼儿园 the previous question named.
"""

from __future__ import annotations

import re

from ..text.segment import leading_nouns, trailing_nouns, words

COUNT_ASK_RE = re.compile(r"(?:几|多少)([所个项家座条名])")
# Words between what is counted and 几/多少 in 学校有几所, 学校是哪几所.
LINK_BEFORE_RE = re.compile(r"(?:一共|总共|共|分别|都|又|还)?(?:有|是|为|建了|达)(?:哪)?$")
QUESTION_WORD_RE = re.compile(r"多少|几|哪|什么|啥|怎么|如何|吗|是否|为何|为什么")
# A kind of school or a stage of schooling: what narrows a figure without being a figure itself.
SCHOOLING_RE = re.compile(r"(?:学校?|园|院校?|教育|阶段|学段|高中|初中|中职|高职)(?:方面|阶段|领域)?$")
ASPECT_WORDS = ("阶段", "方面", "领域", "学段")
INSTITUTION_RE = re.compile(r"(?:学校?|园|院校?)$")


def carry_counted(question: str, previous: str) -> str:
    """The previous question's counted noun put into a follow-up that asks 几所/多少个 of nothing."""
    m = COUNT_ASK_RE.search(question)
    if not m or leading_nouns(question[m.end() : m.end() + 8]):
        return question
    if trailing_nouns(LINK_BEFORE_RE.sub("", question[max(0, m.start() - 12) : m.start()]), places=False):
        return question  # 学校有几所 already names what it counts
    noun = _counted_noun(previous, m.group(1))
    if not noun or noun in question:
        return question
    link = LINK_BEFORE_RE.search(question[: m.start()])
    if not link:
        return question  # 整合多少所 counts what its own verb acts on, which may not be what was counted before
    return question[: link.start()] + noun + question[link.start() :]


def narrowed(body: str, rest: str) -> str:
    """中小学呢 → the previous question (`rest`: without its place and years) asked of 中小学; "" when the
    follow-up is not a bare kind of school or stage."""
    body = body.strip(" ？?，,")
    if not body or not rest or QUESTION_WORD_RE.search(body) or not SCHOOLING_RE.search(body):
        return ""
    nouns = trailing_nouns(body, places=False)
    if "".join(nouns) != body:
        return ""
    aspect = nouns[-1] if nouns[-1] in ASPECT_WORDS and len(nouns) > 1 else ""
    head = nouns[-2] if aspect else nouns[-1]
    at = rest.find(aspect) if aspect else -1
    if at > 0:  # 县域高中方面呢 after 义务教育方面有什么计划: one aspect for another
        # what the aspect was of: trailing nouns, or the last word (义务教育 is not tagged a noun)
        before = "".join(trailing_nouns(rest[:at], places=False)) or (words(rest[:at]) or [""])[-1]
        if len(before) >= 2 and rest[:at].endswith(before) and before + aspect != body:
            return rest.replace(before + aspect, body, 1)
    counted = _counted_noun(rest, "")
    for noun in words(rest):
        # 普惠性幼儿园 → 公办幼儿园; 学校 → 幼儿园 (another kind of what the previous question counted).
        if len(noun) >= 2 and noun != body and noun in rest and (
                noun.endswith(head) or (noun == counted and INSTITUTION_RE.search(noun) and INSTITUTION_RE.search(head))):
            return rest.replace(noun, body, 1)
    return body + rest


def _counted_noun(question: str, unit: str) -> str:
    """The noun a question counts with `unit` (多少所学校 → 学校; 学校有几所 → 学校); any unit when unit is ""."""
    for m in COUNT_ASK_RE.finditer(question):
        if unit and m.group(1) != unit:
            continue
        after = leading_nouns(question[m.end() : m.end() + 12])
        if after:
            return after[-1] if len(after) == 1 else "".join(after)
        before = trailing_nouns(LINK_BEFORE_RE.sub("", question[max(0, m.start() - 12) : m.start()]), places=False)
        if before:
            return before[-1]
    return ""
