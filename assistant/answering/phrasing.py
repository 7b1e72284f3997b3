"""How the extractive engine says its answer: in Chinese punctuation (the matching text is NFKC-normalised, so
its commas are ASCII), and for a comparison, the verdict drawn from both sides' figures."""

from __future__ import annotations

import re

from .question_form import UNIT_GROUPS

# ASCII punctuation between Chinese text, never inside a figure (1,200 and 3:1 keep theirs).
_ASCII_TO_CHINESE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_PUNCT_RE = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;?!()]")
# Which way a comparison asks: 谁更多 / 哪个城市的占比更高 / 谁新增的学位多 (多少 is no direction).
MORE_RE = re.compile(r"(?:更|较|最)?(多|高|大|快|强|长)(?!少)(?=[^，,]{0,6}[？?]?$)|更(多|高|大)|较(多|高|大)")
LESS_RE = re.compile(r"(?:更|较|最)?(?<!多)(少|低|小|慢|弱|短)(?=[^，,]{0,6}[？?]?$)|更(少|低|小)|较(少|低|小)")
_FIGURE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿)?")
_SCALE = {"万": 1e4, "亿": 1e8}
NOT_COMPARABLE = "以上数字不是同一口径或单位，不能直接比较"


def chinese_punctuation(text: str) -> str:
    return _PUNCT_RE.sub(lambda m: _ASCII_TO_CHINESE[m.group(0)], text)


_UNIT_AFTER_RE = re.compile(r"\s*(?:余|多)?(人次|平方米|[人名位所个家座处间项条台套元%场次张辆份亩])")


def _unit_class(unit: str) -> str:
    """Units that count the same things compare (18所 with 2所, 2所 with 3个), others do not (2所 with 780万元)."""
    return next((group[0] for group in UNIT_GROUPS if unit in group), unit)


def figures_of(text: str, terms: tuple[str, ...] = ()) -> list[tuple[int, str, float]]:
    """Each figure a side states as (topic words in its clause, unit class, value scaled: 1.5万 → 15000)."""
    plain = text.replace(",", "")  # 1,312 is one figure
    # A term's character pairs count too, after the whole terms: 新增学位 is named by 增加学位1.76万个 more than by
    # 新建学校22所.
    pairs = {t[i : i + 2] for t in terms for i in range(len(t) - 1)}
    out = []
    for m in _FIGURE_RE.finditer(plain):
        value = float(m.group(1)) * _SCALE.get(m.group(2) or "", 1)
        start = max(plain.rfind(c, 0, m.start()) for c in "，、；。")  # the clause the figure is in
        clause = plain[start + 1 : m.end() + 4]
        topic = 100 * sum(t in clause for t in terms) + sum(p in clause for p in pairs)
        unit = _UNIT_AFTER_RE.match(plain, m.end())
        out.append((topic, _unit_class(unit.group(1)) if unit else "", value))
    return out


def side_values(texts: list[str], units: tuple[str, ...] = (), terms: tuple[str, ...] = ()) -> list[float | None]:
    """The figure each side states for the measure asked: in the unit asked, else in a unit every side states
    (株洲 18所 against 中方 780万元 and 2所 compares 18 with 2), in the clause naming most of the question's
    topic words (新增托位6870个，…新增学位8.4万个 asked about 学位 gives 8.4万)."""
    sides = [figures_of(t, terms) for t in texts]
    if any(not f for f in sides):
        return [None] * len(texts)
    if units:
        wanted = {_unit_class(u) for u in units}
    else:
        shared = set.intersection(*({u for _, u, _ in f if u} for f in sides))
        first = sorted(sides[0], key=lambda f: -f[0])
        wanted = {next((u for _, u, _ in first if u in shared), "")} if shared else set()
    out: list[float | None] = []
    for figures in sides:
        # Only figures in the unit compared: a side that states the measure in no such unit does not compare
        # (新增学位1.2万个 against 投入3亿元 gives no verdict).
        pool = [f for f in figures if f[1] in wanted]
        out.append(max(pool, key=lambda f: f[0])[2] if pool else None)  # max keeps the first of equal topic
    return out if all(v is not None for v in out) else [None] * len(texts)


def verdict(question: str, sides: list[tuple[str, str]], units: tuple[str, ...] = (),
            terms: tuple[str, ...] = ()) -> str:
    """"株洲更多" for 谁更多 / 哪个更高 …, from each side's (place, answer text); "" when the question asks for no
    verdict; NOT_COMPARABLE when a side states no figure of the measure in a unit the other's converts to."""
    more, less = MORE_RE.search(question), LESS_RE.search(question)
    if not (more or less) or len(sides) < 2:
        return ""
    values = list(zip([p for p, _ in sides], side_values([t for _, t in sides], units, terms)))
    if any(v is None for _, v in values):
        return NOT_COMPARABLE
    pick = max if more and not less else min
    best = pick(values, key=lambda pv: pv[1])
    if sum(1 for _, v in values if v == best[1]) > 1:
        return f"{'与'.join(p for p, _ in values)}相同"
    m = more if pick is max else less
    return f"{best[0]}更{next(g for g in m.groups() if g)}"
