"""What a follow-up refers to in the answer before it: the figure it gave (其中… asks a part of that whole) and
the items it named (其中第一所, 后者), read from the answer's own text."""

from __future__ import annotations

import re

# The figure a previous answer gives: 整合33所…, 新增托位6870个.
ANSWER_FIGURE_RE = re.compile(r"\d+(?:\.\d+)?\s*(?:余|多)?(?:万|亿)?\s*(?:个|所|家|座|项|支|条|类|种|处|间|批|名|人|元|亩|台|套|%)")
YEAR_NOTE_RE = re.compile(r"^(?:资料中最新的是)?[\d、—]+年的(?:数据|计划)：")
ORDINALS = {"第一": 0, "第二": 1, "第三": 2, "第四": 3, "前者": 0, "后者": -1, "最后一": -1}
ORDINAL_RE = re.compile(r"(?:其中的?|这|那)?(第一|第二|第三|第四|前者|后者|最后一)(?:所|个|家|项|条|座|位|种|类)?")
# Words that open an enumeration's first item (建成A、B): the item starts after the last of them.
LEAD_VERB_RE = re.compile(r".*(?:建成|新建|改建|扩建|依托|推进|实施|开工|完成|启动|建设|打造|引进|支持|实现|加快|包括|"
                          r"培育|创建|获评|入选|成立|举办|开设|设立|整合|组建|有|是|为|与|同)")
LEAD_COUNT_RE = re.compile(r"^\d+(?:\.\d+)?(?:万|亿)?[所个家项条座位种类]")
ITEM_END_RE = re.compile(r"[，,。；;：:等]|(?:共|合计|两|三|四|五|\d)|(?:培养|开展|实施|推进|投入|建成|完成|实现|获得|入选|"
                         r"成为|落户|开工|启用|被|为|列入)")


def answer_text(answer: str) -> str:
    """The answer's words: without the year it names first, its citation marks and its sources."""
    text = YEAR_NOTE_RE.sub("", answer.split("来源：", 1)[0].strip())
    return re.sub(r"\[\d+\]", "", text)


def answer_figure(answer: str) -> str:
    m = ANSWER_FIGURE_RE.search(answer_text(answer))
    return re.sub(r"\s+", "", m.group(0)) if m else ""


def answer_items(answer: str) -> list[str]:
    """The items of the answer's first enumeration (A、B、C or A和B), in order; [] when it has none."""
    for clause in re.split(r"[，,。；;]", answer_text(answer)):
        parts = re.split(r"、|和|及", clause)
        if len(parts) < 2:
            continue
        items = [LEAD_COUNT_RE.sub("", LEAD_VERB_RE.sub("", parts[0]))] + parts[1:-1] \
            + [ITEM_END_RE.split(parts[-1], 1)[0]]
        items = [i.strip("“”\"' ") for i in items]
        if 2 <= len(items) <= 8 and all(2 <= len(i) <= 24 for i in items):
            return items
    return []


def resolve_ordinal(question: str, previous_answer: str) -> str:
    """其中第一所今年要往什么方向建 → 山东大学今年要往什么方向建, when the previous answer named the items."""
    m = ORDINAL_RE.search(question)
    if not m or not previous_answer:
        return question
    items = answer_items(previous_answer)
    index = ORDINALS[m.group(1)]
    if not items or index >= len(items):
        return question
    return question[: m.start()] + items[index] + question[m.end() :].lstrip("的")
