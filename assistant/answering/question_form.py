"""What kind of answer a question asks for, and the words that carry its topic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..retrieval.query import QueryInfo
from ..text.gazetteer import short_name
from ..text.patterns import ASKS_FOR_FIGURE_RE, COUNT_NUMERALS, cn_number, is_year, years_in
from ..text.segment import leading_nouns, words

# With two places named: 哪个…更高, 谁发得多, 哪边查得多, 分别, 各有 ask for both sides.
COMPARISON_RE = re.compile(r"哪个.{0,12}(更|最|较)|哪个.{0,8}[多高低少大](一些|一点|些)|哪个[多高低少大]|相比|比较|对比|谁|哪边|哪里|哪家|哪一方|哪.{0,4}(更高|更多|更低|更少|更大)|分别|各有|各自|各")
WHEN_RE = re.compile(r"什么时候|何时|哪一年|哪年|几月|什么时间|时间节点|截至何时|哪一?天|几号|几日|什么日子|日期")
LIST_RE = re.compile(rf"哪些|哪几|有哪|分别是|包括什么|包含什么|([{COUNT_NUMERALS}\d]+)[个项条类方](?:面)?|几个方面|几方面")
WHO_RE = re.compile(r"是谁|谁是|哪位|谁担任|由谁")
NAME_RE = re.compile(r"哪所|哪支|哪家|哪个|哪位|谁|叫什么|名称|什么(工程|文件|项目|计划|品牌|活动|理念|机制|模式|平台|称号|奖)")
COUNTED_RE = re.compile(rf"哪([{COUNT_NUMERALS}百零\d]+)[个项条类]([\u4e00-\u9fff]{{1,8}})")

# Words that shape a question but say nothing about its topic.
QUESTION_WORDS = frozenset(["多少", "几", "几个", "几所", "几名", "哪些", "哪几", "哪", "哪个", "哪所", "哪支", "哪家", "哪位", "哪年", "几月", "几号", "几日", "哪天", "哪一天", "那次", "这次", "什么", "什么样", "什么时候", "何时", "谁", "怎么", "怎样", "如何", "是否", "吗", "呢", "吧", "分别", "各", "各有", "各自", "具体", "指", "是", "有", "了", "的", "在", "和", "与", "及", "对", "为", "都", "也", "还", "又", "被", "把", "将", "要", "中", "里", "上", "请问", "一共", "共", "总共", "一下", "情况", "怎么样", "相比", "比较", "对比", "更", "更高", "更多", "更低", "更少", "最", "较", "哪个", "城市", "地方", "方面", "内容", "包括", "包含", "提到", "提出", "表述", "说", "讲", "概括", "用", "通过", "那", "那么", "这", "这个", "它", "它们", "其", "这些", "那些", "该", "所", "个", "名", "人", "年", "月", "今年", "去年", "明年", "同期", "当年", "时候", "时间", "第几", "第几个", "几个", "叫", "叫做", "称为", "分为", "分成", "主要", "哪方面", "哪一", "哪一个", "有没有", "多大", "多高", "多长", "多远", "要求", "提出", "计划", "打算", "达到", "到", "准备", "预计", "力争", "争取", "将要", "实际", "已经", "目前", "现在", "最后", "来着", "大概", "大约", "左右"])
# Counting words and units belong to the question's form: 第几个, 六个, 多少亿元.
FORM_TOKEN_RE = re.compile(r"第?[几一二两三四五六七八九十百千万\d]+[个项条类所名位家支座种次]?|亿元|万元|元|人次|万人|%|百分比|百分之")


@dataclass
class QuestionForm:
    kind: str  # figure | when | who | list | name | comparison | fact
    count: int | None = None  # 哪六个行动 → 6
    category: str = ""  # 哪六个行动 → 行动
    terms: list[str] = field(default_factory=list)  # topic words, place names and years left out
    units: tuple[str, ...] = ()  # 多少所 → ("所",): the unit a figure answer is written in
    years: list[int] = field(default_factory=list)  # years the question names
    rates: tuple[str, ...] = ()  # 巩固率是多少 → ("巩固率",): a named rate is answered by that rate only
    measure: tuple[str, ...] = ()  # 多少个幼儿园学位 → (幼儿园, 学位): what the counted things are
    year_asked: bool = False  # 哪一年: a bare year (2022年) answers a when-question
    day_asked: bool = False  # 哪一天, 几月几号: only a day (1月29日) answers it
    asks_change: bool = False  # 提高了多少: a change answers it; otherwise a level (提高60元 does not)


UNIT_RE = re.compile(r"(?:多少|几)(万|亿)?(所|人次|人|名|个|家|支|座|项|条|册|台|次|套|元|间|辆|份|场|平方米|亩|千米|公里|小时|天)")
RATE_RE = re.compile(r"比例|占比|比重|率|百分之|百分比")
# A named rate (巩固率, 录取率, 入园率): two characters before 率, not a bare 率/比率/效率.
NAMED_RATE_RE = re.compile(r"([\u4e00-\u9fff]{2})率")
GENERIC_RATE_ENDS = "比效概频税汇"  # 占比率, 效率…: no particular measure
# The things a count is of, named right after the measure word: 多少个幼儿园学位, 几张养老床位.
COUNT_OF_RE = re.compile(r"(?:多少|(?<![那这哪])几)(?:万|亿)?(?:所|人次|人|名|个|家|支|座|项|条|册|台|次|套|间|辆|份|场|张|位)"
                        r"([\u4e00-\u9fff]{2,10})")
YEAR_ASKED_RE = re.compile(r"哪一年|哪年|哪个年份|什么年份|何年|是哪年")
CHANGE_ASKED_RE = re.compile(r"增加|提高|增长|上调|下降|减少|降低|提升|下调|涨|降|多了|少了|增幅|增量|变化|调了|加了|幅度")
DAY_ASKED_RE = re.compile(r"哪一?天|几号|几月几日|几日|什么日子|日期")
MONEY_RE = re.compile(r"多少钱|花了多少|投入(?:了)?多少|多少(?:资金|经费|补贴|补助)|(?:资金|经费|补贴|补助|投资)(?:是|有|为)?多少")


# Measure words that count the same things: 几家养老院 is answered by 162个, 几所 by 所 or 个, 多少人 by 名.
# 个 is the general classifier: a question in 个 accepts any count of things.
UNIT_GROUPS = (("人", "名", "位", "人次"), ("所", "个", "家", "座", "处", "间"), ("元", "万元", "亿元"))
COUNT_UNITS = ("个", "所", "家", "座", "处", "间", "项", "条", "支", "册", "台", "套", "辆", "份", "场", "次", "批", "名", "人")


# 录取人数增长了多少, 投入增长了多少: a change asked without a measure word may be stated as a percentage.
CHANGE_BY_RE = re.compile(r"(?:增加|提高|增长|上涨|下降|减少|降低|提升)了?(?:多少|几)(?![万亿]?[所人名个家支座项条元])")


def question_units(text: str) -> tuple[str, ...]:
    m = UNIT_RE.search(re.sub(r"哪几", "", text))  # 哪几所大学 asks for names, not a count
    if m:
        unit = m.group(2)
        if unit == "个":
            return COUNT_UNITS
        return next((group for group in UNIT_GROUPS if unit in group), (unit,))
    by_share = ("%",) if CHANGE_BY_RE.search(text) else ()
    if MONEY_RE.search(text):
        return ("元",) + by_share
    if RATE_RE.search(text):
        return ("%", ":")  # a share is written as a percentage or a ratio (8:1)
    if re.search(r"人数|人次", text):
        return UNIT_GROUPS[0] + by_share  # 就业人数谁更多, 覆盖的人次: a count of people
    return ()


def topic_terms(text: str, info: QueryInfo | None = None) -> list[str]:
    drop = set(QUESTION_WORDS)
    if info:
        for p in info.places:
            drop |= {p.name, p.short, short_name(p.name)}
    out: list[str] = []
    for tok in words(text):
        if tok in drop or len(tok) < 2 or is_year(tok) or FORM_TOKEN_RE.fullmatch(tok):
            continue
        if info and any(tok in (p.name, p.short) or (len(tok) >= 2 and tok in p.name) for p in info.places):
            continue
        if tok not in out:
            out.append(tok)
    return out


def classify(text: str, info: QueryInfo | None = None) -> QuestionForm:
    terms = topic_terms(text, info)
    places = len(info.places) if info else 0
    counted = COUNTED_RE.search(text)
    count = cn_number(counted.group(1)) if counted else None
    category = ""
    if counted:  # the noun right after the count: 哪七个关键词概括… → 关键词
        following = words(counted.group(2))
        category = following[0] if following else counted.group(2)[:2]
    if places >= 2 and COMPARISON_RE.search(text):
        kind = "comparison"
    elif counted or (LIST_RE.search(text) and not ASKS_FOR_FIGURE_RE.search(re.sub(r"哪几", "", text))):
        kind = "list"
    elif WHO_RE.search(text):
        kind = "who"
    elif WHEN_RE.search(text):
        kind = "when"
    elif ASKS_FOR_FIGURE_RE.search(text):
        kind = "figure"
    elif NAME_RE.search(text):
        kind = "name"
    else:
        kind = "fact"
    rates, measure = _named_measure(text, terms) if kind == "figure" else ((), ())
    return QuestionForm(kind=kind, count=count, category=category, terms=terms, units=question_units(text),
                        years=list(info.years) if info else years_in(text), rates=rates, measure=measure,
                        year_asked=kind == "when" and bool(YEAR_ASKED_RE.search(text)),
                        day_asked=kind == "when" and bool(DAY_ASKED_RE.search(text)),
                        asks_change=bool(CHANGE_ASKED_RE.search(text)))


def _named_measure(text: str, terms: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The rates a figure question names (巩固率) and the topic words of what it counts (幼儿园, 学位)."""
    rates = tuple(m.group(0) for m in NAMED_RATE_RE.finditer(text) if m.group(1)[-1] not in GENERIC_RATE_ENDS)
    counted = [w for m in COUNT_OF_RE.finditer(text) for w in leading_nouns(m.group(1))]
    return rates, tuple(t for t in terms if len(t) >= 2 and t in counted)
