"""Past wording made fit for a new document: place and year substituted, figures turned into visible
placeholders (【待填：新增学位数】) unless the instruction gives them, specific names of the old place removed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.gazetteer import load_gazetteer, short_name
from ..text.patterns import (
    CITE_MARK_RE,
    CN_COUNT_RE,
    FIGURE_WITH_UNIT_RE,
    ORDINAL_NUMERALS,
    YEAR_NIAN_RE,
    is_year,
    year_value,
)
from ..text.segment import synonyms, tokenizer, words
from .places import foreign, local_names, own_places, placeholder_for
from .schema import PLACEHOLDER_RE
DATE_RE = re.compile(r"(?<![\d年])\d{1,2}\s*月\s*\d{1,2}\s*[日号]|(?<![\d年])\d{1,2}\s*月(?:份|底|初|中旬|下旬|上旬)?(?=[，,。；;前后起以])")
ABBREVIATION_VERBS = "留在来聚驻返赴"  # 留汉, 驻肥, 来厦: a verb, then one character of a place's name
# Institutions named after a place: 黄石三中, 湖北师范大学 … (generic ones like 各级各类学校 are not names).
NAME_RE = re.compile(rf"(?<![\d个所名])[\u4e00-\u9fff]{{2,10}}?(?:第[{ORDINAL_NUMERALS}]+)?(?:中学|小学|学校|大学|学院|幼儿园|一中|二中|三中|四中|五中|职中)(?!全会)")
GENERIC_PREFIX = ("中小", "各级各类", "义务教育", "普通", "职业", "公办", "民办", "乡村", "农村", "城区", "特殊教育",
                  "高级", "初级", "薄弱", "寄宿制", "新建", "改扩建", "新改扩建", "示范", "优质", "全市", "全县", "全区", "所有",
                  "各类", "各", "中等职业", "高等", "高职", "本科", "城镇", "乡镇", "县域", "市直", "县直", "九年一贯制",
                  "十二年一贯制", "完全", "标准化", "智慧", "数字", "平安", "文明", "绿色", "健康", "书香", "特色", "品牌")
VERBS = {"达到", "达", "为", "超过", "不低于", "不少于", "提高", "提升", "下降", "降低", "增加", "减少", "增长", "完成",
         "实现", "确保", "力争", "累计", "共", "共有", "新增", "新建", "建成", "培训", "覆盖", "占比", "比例"}
LEAD_WORDS = {"重点", "抓好", "支持", "推进", "建设", "完成", "实施", "开展", "加快", "推动", "创建", "改造", "新建", "扩建",
              "启动", "确保", "指导", "依托", "组织", "举办", "打造", "建成", "投入", "全面", "积极", "持续", "做好",
              "加强", "规范", "提升", "深化", "完善", "落实", "引导", "鼓励", "优化", "扩大", "巩固", "申报", "争创"}
LEVEL_WORDS = {  # county ↔ city wording of the same things
    "county": [("全市", "全县"), ("我市", "我县"), ("市委", "县委"), ("市政府", "县政府"), ("市教育局", "县教育局"),
               ("市级", "县级"), ("市直", "县直"), ("市域", "县域"), ("本市", "本县")],
}


@dataclass
class Rewriter:
    place: str  # target place, e.g. 中方县 ("" = keep the wording general)
    year: int  # target year
    given: dict[str, str] = field(default_factory=dict)  # figures the instruction gives: 新增学位 → 3000个
    allowed: set[str] | None = None  # codes of the places the draft may name; None: the target and those above it

    def __post_init__(self):
        if self.allowed is None:
            self.allowed = own_places(self.place)

    def level(self) -> str:
        return "county" if self.place.endswith(("县", "区", "旗")) else "city"

    def apply(self, text: str, src_place: str, src_year: int | None) -> str:
        text = self._places(text, src_place)
        text = self._years(text, src_year)
        text = self._figures(text)
        return text

    # --- place --------------------------------------------------------------------------------------------------
    def _places(self, text: str, src_place: str) -> str:
        src_short = short_name(src_place) if src_place else ""

        other_place = bool(self.place and src_place and short_name(self.place) != src_short)

        def name(m: re.Match) -> str:
            matched = m.group(0)
            # The name is the last word or two before the suffix (重点抓好|黄石三中 → 黄石三中).
            toks = words(matched)
            if toks and toks[-1].startswith(GENERIC_PREFIX):  # 加强|中小学校: a kind of school, not a name
                return matched
            full = ""
            while toks and len(full) < 6 and not (full and (toks[-1] in LEAD_WORDS or toks[-1] in "和及与的在对把将等为")):
                full = toks.pop() + full
            if not full or not matched.endswith(full):
                full = matched
            head = matched[: len(matched) - len(full)]
            if full.startswith(GENERIC_PREFIX) or full in ("学校", "小学", "中学", "大学", "学院", "幼儿园") \
                    or len(full) <= 3 and not (src_short and src_short in full):
                return matched
            # A named institution of the old place is not the new place's: leave a placeholder. A name is
            # told by a place in it (黄石三中, 湖北师范大学), a road or town (沿湖路小学) or a number (第一中学).
            prefix = re.sub(rf"(第[{ORDINAL_NUMERALS}]+)?(中学|小学|学校|大学|学院|幼儿园|一中|二中|三中|四中|五中|职中)$",
                            "", full)
            named = bool(load_gazetteer().find(prefix)) or bool(re.search(rf"[市县区镇乡村路街]|第[{ORDINAL_NUMERALS}]", full)) \
                or bool(re.search(r"[一二三四五]中$", full))
            if named and (other_place or (src_short and src_short in full) or re.search(r"[镇乡村路街]", prefix)):
                return head + "【待填：学校名称】"
            return matched

        text = NAME_RE.sub(name, text)
        if other_place or not self.place:  # the old place's own schools and towns (蒋家小学, 泸阳、铜湾等乡镇)
            for n in reversed(local_names(text)):
                text = text[: n.start] + f"【待填：{n.label}】" + text[n.end :]
        if self.place and src_place:
            text = self._swap_places(text, src_place)
        # Any other place (武汉都市圈, 株洲经验) is not the new place's: a labelled placeholder.
        for m in reversed(foreign(text, self.allowed)):
            text = text[: m.start] + placeholder_for(text, m) + text[m.end :]
        if src_short and src_short != (short_name(self.place) if self.place else ""):
            text = _abbreviations(text, src_short)
        if self.place:
            pairs = LEVEL_WORDS["county"]
            for city, county in pairs:
                text = text.replace(city, county) if self.level() == "county" else text.replace(county, city)
        return text

    def _swap_places(self, text: str, src_place: str) -> str:
        """The old place becomes the new one; its districts and counties (黄石港区, 大冶市) become placeholders,
        since the new place has its own. Other places are left to `_places`, which puts placeholders in."""
        gaz = load_gazetteer()
        src_short = short_name(src_place)
        src_codes = {p.code for p in gaz.by_name.get(src_place, []) + gaz.by_name.get(src_short, [])
                     if p.level <= 2 and short_name(p.name) == src_short}
        target_short = short_name(self.place)
        out, last = [], 0
        for place, start, end in gaz.find(text):
            surface = text[start:end]
            if place.code in src_codes:
                new = self.place if surface == place.name else target_short
            elif place.parent in src_codes and self.place and target_short != src_short:
                new = "【待填：区县名称】"
            else:
                continue
            if start < last:
                continue
            out.append(text[last:start])
            out.append(new)
            last = end
        out.append(text[last:])
        return "".join(out)

    # --- years --------------------------------------------------------------------------------------------------
    def _years(self, text: str, src_year: int | None) -> str:
        if not src_year:
            return YEAR_NIAN_RE.sub(lambda m: str(self.year) if year_value(m) >= self.year - 1 else m.group(0), text)

        def shift(m: re.Match) -> str:
            y = year_value(m)
            if abs(y - src_year) <= 1:  # the document's own year and its neighbours move with it
                return str(self.year + (y - src_year))
            if y > src_year:  # an old target date
                return "【待填：年份】"
            return m.group(0)  # history stays history

        return YEAR_NIAN_RE.sub(shift, text)

    # --- figures ------------------------------------------------------------------------------------------------
    def _label(self, before: str, after: str, unit: str) -> str:
        """What a figure counts, in a few words: the noun before it, or after it (完成12个新改扩建项目)."""
        clause = re.split(r"[，,。；;：:、（(]", before)[-1]
        change = ""
        cmp = re.search(r"(较|比|同比|相比)", clause)
        if cmp:  # 近视检出率较上年度下降0.5% → 近视检出率降幅
            change = "降幅" if re.search(r"下降|降低|减少", clause[cmp.start() :]) else "增幅"
            clause = clause[: cmp.start()]
        toks = [t for t in words(clause) if not re.search(r"\d", t)]
        ends_with_verb = bool(toks) and toks[-1] in VERBS
        while toks and toks[-1] in VERBS:
            toks.pop()
        if (ends_with_verb or not toks) and not change:
            following = [t for t in words(re.split(r"[，,。；;：:、（(]", after)[0]) if not re.search(r"\d", t)]
            if following:
                return "".join(following[:2]) + ("数" if unit not in ("%", "‰") else "比例")
        label = "".join(toks[-2:]) if toks else ""
        label = re.sub(r"^(全市|全县|全区|我市|我县|其中|共有|共|有|年内|今年|去年)", "", label) or "数字"
        if change:
            return label + change
        if unit in ("%", "‰") and not label.endswith(("率", "比", "比例", "占比")):
            return label + "比例"
        if unit in ("元", "万元", "亿元"):
            return label if label.endswith(("金额", "经费", "资金", "投入")) else label + "金额"
        if not label.endswith(("数", "量", "额", "率", "比例", "名称")):
            return label + "数"
        return label

    def _figures(self, text: str) -> str:
        return self._chinese_figures(self._arabic_figures(text))

    def _chinese_figures(self, text: str) -> str:
        """三所, 十二个: a count in words is as stale as one in digits."""
        out, last = [], 0
        for m in CN_COUNT_RE.finditer(text):
            if text.rfind("【", 0, m.start()) > text.rfind("】", 0, m.start()):
                continue
            out.append(text[last : m.start()])
            unit = re.sub(r"^[一二两三四五六七八九十百千万]+", "", m.group(0))
            label = self._label(text[: m.start()], text[m.end() :], unit)
            out.append(self._given(label) or f"【待填：{label}】")
            last = m.end()
        out.append(text[last:])
        return "".join(out)

    def _arabic_figures(self, text: str) -> str:
        # A date is one fact: 8月26日 becomes one placeholder, not a month count and a day count.
        text = DATE_RE.sub("【待填：日期】", text)
        out, last = [], 0
        for m in FIGURE_WITH_UNIT_RE.finditer(text):
            if _is_list_number(text, m) or text.rfind("【", 0, m.start()) > text.rfind("】", 0, m.start()) \
                    or in_slogan(text, m.start(), m.end()):
                continue  # structure, a placeholder already, or a slogan's name (“四个100%”, “1+N”)
            if is_year(m.group(1)) and re.match(r"\s*年", text[m.end(1) : m.end(1) + 3]):
                continue  # a year, already settled
            out.append(text[last : m.start()])
            if text[: m.start()].endswith("第"):  # 第40个教师节: an ordinal keeps its measure word
                out.append("【待填：届次】" + (m.group(4) or ""))
                last = m.end()
                continue
            label = self._label(text[: m.start()], text[m.end() :], m.group(4) or m.group(2) or "")
            value = self._given(label)
            out.append(value if value else f"【待填：{label}】")
            last = m.end()
        out.append(text[last:])
        return "".join(out)

    def _given(self, label: str) -> str | None:
        core = _canonical(re.sub(r"(数|比例|金额|降幅|增幅)$", "", label))
        for key, value in self.given.items():
            k = _canonical(key)
            if k and core and (k in core or core in k):
                return value
        return None


def _abbreviations(text: str, src_short: str) -> str:
    """The old place's one-character name after a verb (留汉就业, 驻肥单位, 来厦创业) is the old place too; a
    character that begins a longer word (在中小学) is not."""
    ends = {end for _, _, end in tokenizer().tokenize(text)}
    out, last = [], 0
    for m in re.finditer(rf"(?<=[{ABBREVIATION_VERBS}])[{re.escape(src_short)}](?=[\u4e00-\u9fff])", text):
        if m.end() in ends:
            out += [text[last : m.start()], "【待填：地名简称】"]
            last = m.end()
    return "".join(out) + text[last:]


def _canonical(text: str) -> str:
    """Synonyms written one way (增加 → 新增), so a given figure finds the placeholder it fills."""
    for word, others in synonyms().items():
        head = min([word, *others])
        if word != head and word in text:
            text = text.replace(word, head)
    return text


def in_slogan(text: str, start: int, end: int) -> bool:
    """Whether a figure is part of a short quoted name (“四个100%”, “1+N”, “5+2”), which is no figure to update."""
    opening = text.rfind("“", 0, start)
    if opening < 0 or text.rfind("”", opening, start) >= 0:
        return False
    closing = text.find("”", end)
    return closing >= 0 and closing - opening <= 12


def _is_list_number(text: str, m: re.Match) -> bool:
    """1. 2. at the start of an item, （3）, 第…条 are structure, not figures."""
    before = text[: m.start()]
    after = text[m.end() : m.end() + 1]
    trimmed = before.rstrip(" \t")
    at_start = not trimmed.strip() or trimmed.endswith(("\n", "：", ":"))
    return (at_start and after in (".", "．", "、", ")", "）")) or before.endswith(("（", "("))


GIVEN_RE = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:为|达到|达|是)?\s*(\d+(?:\.\d+)?\s*(?:%|万|亿)?\s*[\u4e00-\u9fff]?)")


def given_figures(instruction: str) -> dict[str, str]:
    """Figures the instruction states (新增学位3000个), by the words before them. Years are not figures."""
    found = {}
    for m in GIVEN_RE.finditer(instruction):
        value = m.group(2).strip()
        if re.fullmatch(r"(?:19|20)\d{2}\s*年?", value):
            continue
        label = re.sub(r"^(其中|并且|并|且|要求|目标|计划|为|和|及|，)", "", m.group(1))
        found[label] = value
    return found


def stale_figures(text: str, allowed: set[str] | None = None) -> list[str]:
    """Figures left in a draft, in digits or in words (三所), that are not years, list numbers, placeholders or
    given values."""
    allowed = allowed or set()
    bare = PLACEHOLDER_RE.sub("", text)
    bare = CITE_MARK_RE.sub("", bare)
    out = []
    for m in FIGURE_WITH_UNIT_RE.finditer(bare):
        if _is_list_number(bare, m) or re.match(r"\s*年", bare[m.end(1) : m.end(1) + 2]) \
                or in_slogan(bare, m.start(), m.end()):
            continue
        if any(m.group(0).strip() in a or m.group(1) in a for a in allowed):
            continue
        out.append(m.group(0).strip())
    out += [m.group(0) for m in CN_COUNT_RE.finditer(bare) if not any(m.group(0) in a for a in allowed)]
    return out
