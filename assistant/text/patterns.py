"""The patterns more than one stage reads text with, each defined once: years, figures, Chinese numerals,
citation marks, and breaks that never cut a figure.

Where two patterns look alike they mean different things; their names say which.
"""

from __future__ import annotations

import re

# --- Chinese numerals -------------------------------------------------------------------------------------------
CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
# Character classes (for use inside [...]) of the numerals each kind of text writes.
HEADING_NUMERALS = "一二三四五六七八九十百零〇"  # numbered headings: 一、 十二、 第一百零五条
COUNT_NUMERALS = "一二两三四五六七八九十"  # counts in questions: 哪六个, 七个方面
ORDINAL_NUMERALS = "一二三四五六七八九十"  # 第一中学; the 一、 of drafted sections


def cn_number(text: str) -> int | None:
    """Arabic or Chinese numerals as a number: 二十三 → 23, 一百零五 → 105, 十二 → 12, 两 → 2,
    二〇二四 → 2024 (digit by digit). None for anything else."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in CN_DIGITS and c not in CN_UNITS for c in text):
        return None
    if not any(c in CN_UNITS for c in text):
        value = 0
        for c in text:
            value = value * 10 + CN_DIGITS[c]
        return value
    total = section = 0
    digit: int | None = None
    for c in text:
        if c in CN_DIGITS:
            digit = CN_DIGITS[c]
        elif CN_UNITS[c] == 10_000:
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        else:  # 十 alone is 10: 十二
            section += (1 if digit is None else digit) * CN_UNITS[c]
            digit = None
    return total + section + (digit or 0)


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三, 105 → 一百零五 (0 < n < 10000), as headings are numbered."""
    digits = "〇一二三四五六七八九"
    if not 0 < n < 10_000:
        raise ValueError(f"no Chinese numeral for {n}")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
            out += ("" if unit == "十" and d == 1 and not out else digits[d]) + unit
            zero = False
        elif out:
            zero = True
    return out


# --- years -----------------------------------------------------------------------------------------------------
_YEAR_DIGITS = r"(?:19|20)\d{2}"
_YEAR_CN = r"[〇零一二三四五六七八九]{4}"  # 二〇二四年: only before 年
# What follows a number that counts or measures something: 2000个, 2000余所, 2000多 and 2000万 are not years
# (2024多少 still names a year).
_COUNTED = r"\s*(?:[个所名人次项元万亿%％‰家支座条册台套间辆份场亩天倍批余]|多(?!少)|千米|公里|小时|平方米)"
# A year named anywhere (questions, titles): 2024, 2024年, 二〇二四年. Never part of a longer number or
# a decimal, never a count. Group 1 holds digits, group 2 Chinese numerals; the match itself is the year alone.
YEAR_RE = re.compile(rf"(?<![\d.])({_YEAR_DIGITS})(?!\d|\.\d|{_COUNTED})|({_YEAR_CN})(?=\s*年)")
# A year as documents date things: followed by 年 (2024年, 二〇二四年).
YEAR_NIAN_RE = re.compile(rf"(?<![\d.])({_YEAR_DIGITS})(?=\s*年)|({_YEAR_CN})(?=\s*年)")
# A year with its 年, as taken out of a sentence (那2024年的目标呢 → 那的目标呢).
YEAR_WORD_RE = re.compile(rf"(?:{YEAR_RE.pattern})年?")
# A year with its 年 written in digits, two-digit years included (25年), as taken out of a drafting instruction.
YEAR_NIAN_SHORT_RE = re.compile(rf"(?:19|20)?\d{{2}}\s*年")


def year_value(m: re.Match) -> int:
    return int(m.group(1)) if m.group(1) else cn_number(m.group(2))


def years_in(text: str, pattern: re.Pattern = YEAR_RE) -> list[int]:
    """The years a text names, in order (repeats kept)."""
    return [year_value(m) for m in pattern.finditer(text)]


def is_year(text: str) -> bool:
    return bool(YEAR_RE.fullmatch(text))


# --- figures ---------------------------------------------------------------------------------------------------
# A question that asks for a figure: 多少, 几所, 比例 …
ASKS_FOR_FIGURE_RE = re.compile(r"多少|几[个所名项人次年万亿家支座种条]|多大|多高|多长|比例|占比|比重|百分之|率是|数量|人数|规模|几成|多少钱")
# Text that holds a figure of any kind: a digit, 百分之, or a count in Chinese numerals (六所, 三个).
# 一支队伍, 一个中心, 一类: a lone 一 before these measure words is an article, not a figure.
HAS_FIGURE_RE = re.compile(r"\d|百分之|[一二两三四五六七八九十百千]+[所名人次项元亩座家台]|"
                           r"(?:[二两三四五六七八九十百千]|[一二两三四五六七八九十百千]{2,})[个支条类套门]")
# The figures a sentence states, as compared between two statements of one measure (20.7万 vs 17万).
STATED_FIGURE_RE = re.compile(r"\d[\d,.]*\s*(?:%|万|亿)?")
# A figure in generated text, to be found again in the passage it cites: 2243, 1,200, 96.7%, 1.5万.
CLAIMED_FIGURE_RE = re.compile(r"\d+(?:[.,，]\d+)*\s*(?:%|％|‰|万|亿)?")
# A figure with what it counts, as drafting replaces it: groups value, multiplier, 余/多, measure word.
# A count written in Chinese numerals (三所, 十二个, 两万人): a lone 一 is an article (一批, 一个中心), 第三 an
# ordinal, and a numeral inside quotes part of a name (“两个维护”).
CN_COUNT_RE = re.compile(r"(?<![第“])(?:[二两三四五六七八九]|[一二两三四五六七八九十百千万]{2,})"
                         r"(?:所|名|个|项|家|座|条|台|套|间|支|批|场|人次|人|万人|万元|亿元)(?![^“]{0,6}”)")
FIGURE_WITH_UNIT_RE = re.compile(r"(?<![\d.【])(\d+(?:[.,]\d+)*)\s*(%|‰|万|亿)?\s*(余|多)?"
                                 r"(人次|万元|亿元|平方米|个百分点|个|所|名|人|位|项|家|支|座|条|册|台|次|套|元|间|辆|份|场|亩|天|小时|倍|批)?")


def break_outside_figures(marks: str) -> str:
    """A regex for one of `marks` (commas, colons …) that does not sit between two digits, so that cutting
    there never splits a figure such as 1,200 or 3:1."""
    return rf"(?<!\d)[{marks}](?!\d)|(?<=\d)[{marks}](?!\d)|(?<!\d)[{marks}](?=\d)"


# --- citation marks --------------------------------------------------------------------------------------------
# The checked form of a citation, as answers and drafts carry it: [1]. Group 1 is the number.
CITE_MARK_RE = re.compile(r"\[(\d+)\]")
# What a model may write for one: [1], 【2】, [1,3], with any space before it. Group 1 lists the numbers.
MODEL_CITE_MARK_RE = re.compile(r"\s*[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]")
