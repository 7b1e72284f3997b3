"""The outline a draft is planned on before it is filled: the parts staff expect of each genre, or the parts the
instruction names (包括工作目标、主要任务、保障措施三部分 / 分主要做法、工作成效、存在问题及下步打算三块来写), in
that order. Each part says what fills it (`fill`): the overall approach, goals, measures, results, problems,
plans, safeguards, or a gap left for the writer when the corpus cannot say it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.patterns import cn_number


@dataclass(frozen=True)
class Part:
    title: str
    fill: str  # guide, goals, measures, results, problems, plans, safeguards, basics, requests, lessons
    then: str = ""  # a second kind under the same heading (存在问题及下步打算: problems, then plans)


PLAN = (Part("总体要求", "guide"), Part("主要任务", "measures"), Part("保障措施", "safeguards"))
SKELETONS = {
    "工作要点": PLAN, "工作计划": PLAN,
    "实施方案": (Part("指导思想", "guide"), Part("工作目标", "goals"), Part("主要任务", "measures"),
             Part("保障措施", "safeguards")),
    "工作总结": (Part("主要工作及成效", "results"), Part("存在问题", "problems"), Part("下一步打算", "plans")),
    "汇报提纲": (Part("基本情况", "basics"), Part("主要做法与成效", "results"), Part("存在问题", "problems"),
             Part("下一步打算", "plans"), Part("意见建议", "requests")),
    "经验交流材料": (Part("主要做法与成效", "results"), Part("几点体会", "lessons")),
    "讲话提纲": (Part("充分肯定取得的成绩", "results"), Part("清醒认识存在的问题", "problems"),
             Part("明确下一步重点任务", "plans"), Part("抓好工作落实", "safeguards")),
}
# Papers that are genres of their own (汇报提纲 is not a 工作计划 with headings only).
PAPER_GENRES = (("经验交流", "经验交流材料"), ("交流材料", "经验交流材料"), ("交流发言", "经验交流材料"),
                ("典型发言", "经验交流材料"), ("讲话", "讲话提纲"), ("汇报", "汇报提纲"))

# What a named part is for, by the words of its name; the first that matches wins.
FILL_WORDS = (("requests", r"建议|请求|支持"), ("lessons", r"体会|启示|经验"), ("problems", r"问题|困难|不足|短板|挑战"),
              ("plans", r"打算|下一步|下步|明年|今后|展望"), ("safeguards", r"保障|组织|要求|落实"),
              ("goals", r"目标"), ("guide", r"指导思想|总体要求|总体思路|原则|思路"),
              ("basics", r"基本情况|概况|总体情况|现状"), ("results", r"成效|成绩|成果|做法|主要工作|进展|亮点|情况"),
              ("measures", r"任务|举措|措施|重点|工作|内容|方式|对象|安排"))

_LIST_RE = re.compile(r"(?:包括|包含|分为|分成|分|按照|按|围绕|讲清楚|讲清|讲讲|讲|写清楚|写明)[“\"]?"
                      r"((?:[^，,。；;：:、]{2,14}[、和及与][^，,。；;：:]{2,60}?))[”\"]?"
                      r"(?:这|等)?(?:([一二两三四五六七八九十\d])个?(?:部分|块|方面|板块|层次)|(?=[，,。；;]|$))")
_SEP_RE = re.compile(r"[、]|(?<=[^，])(?:和|以及|与)(?=[^，]{2,})")


def part_for(title: str) -> Part:
    """A named part and what fills it: the first kind its words name (FILL_WORDS' order), then a second kind
    named elsewhere in the title (存在问题及下步打算: problems, then plans; 主要做法与成效 is one kind)."""
    found = {fill: m.start() for fill, words in FILL_WORDS if (m := re.search(words, title))}
    if not found:
        return Part(title, "measures")
    first = next(iter(found))
    others = sorted((at, fill) for fill, at in found.items() if fill not in (first, "measures"))
    return Part(title, first, others[0][1] if others else "")


def named_parts(text: str) -> list[Part]:
    """The parts an instruction names, in its order; [] when it names none (a count of parts alone, 分三个方面,
    names nothing)."""
    for m in _LIST_RE.finditer(text):
        names = [n.strip("“”\"《》 ") for n in _SEP_RE.split(m.group(1))]
        names = [re.sub(r"^(?:要|把|将)", "", n) for n in names if n]
        # A part's name is a heading: short, no figures, not a phrase about something (我们今年的做法).
        if len(names) < 2 or any(len(n) < 2 or len(n) > 14 or re.search(r"\d|的|我|我们", n) for n in names):
            continue
        count = m.group(2)
        number = int(count) if count and count.isdigit() else (cn_number(count) if count else None)
        if number and number != len(names):
            # 存在问题及下步打算 is one part: joined by 及, the count says so. Keep the 、-separated names.
            names = [n.strip() for n in m.group(1).split("、")]
            if number != len(names):
                continue
        if not count and not any(re.search(w, n) for n in names for _, w in FILL_WORDS[:-1]):
            continue  # 讲讲我们的做法和成效 names no parts: none of its words is a part's
        return [part_for(n) for n in names]
    return []


def paper_genre(text: str) -> str:
    """The genre of a paper named by the instruction (交流材料, 讲话提纲, 汇报提纲), or ""."""
    return next((genre for word, genre in PAPER_GENRES if word in text), "")


def skeleton(genre: str, named: list[Part]) -> tuple[Part, ...]:
    return tuple(named) if named else SKELETONS.get(genre, PLAN)
