"""How the extractive engine says its answer: in Chinese punctuation (the matching text is NFKC-normalised, so
its commas are ASCII), and for a comparison, the verdict drawn from both sides' figures."""

from __future__ import annotations

import re

# ASCII punctuation between Chinese text, never inside a figure (1,200 and 3:1 keep theirs).
_ASCII_TO_CHINESE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_PUNCT_RE = re.compile(r"(?<!\d)[,:]|[,:](?!\d)|[;?!()]")
# Which way a comparison asks: 谁更多 / 哪个城市的占比更高 / 谁新增的学位多 (多少 is no direction).
MORE_RE = re.compile(r"(?:更|较|最)?(多|高|大|快|强|长)(?!少)(?=[^，,]{0,6}[？?]?$)|更(多|高|大)|较(多|高|大)")
LESS_RE = re.compile(r"(?:更|较|最)?(?<!多)(少|低|小|慢|弱|短)(?=[^，,]{0,6}[？?]?$)|更(少|低|小)|较(少|低|小)")
_FIGURE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿)?")
_SCALE = {"万": 1e4, "亿": 1e8}


def chinese_punctuation(text: str) -> str:
    return _PUNCT_RE.sub(lambda m: _ASCII_TO_CHINESE[m.group(0)], text)


def figure_value(text: str, units: tuple[str, ...] = (), terms: tuple[str, ...] = ()) -> float | None:
    """The figure a side states, scaled (1.5万 → 15000): in the clause naming most of the question's topic words
    (新增托位6870个，…新增学位8.4万个 asked about 学位 gives 8.4万), the first in the unit asked, else the first."""
    plain = text.replace(",", "")  # 1,312 is one figure
    found = []
    for m in _FIGURE_RE.finditer(plain):
        value = float(m.group(1)) * _SCALE.get(m.group(2) or "", 1)
        start = max(plain.rfind(c, 0, m.start()) for c in "，、；。")  # the clause the figure is in
        topic = sum(t in plain[start + 1 : m.end() + 4] for t in terms)
        in_unit = plain[m.end(): m.end() + 3].lstrip("余多").startswith(units or ("\0",))
        found.append((topic, in_unit, value))
    if not found:
        return None
    best_topic = max(t for t, _, _ in found)
    found = [f for f in found if f[0] == best_topic]
    return next((v for _, in_unit, v in found if in_unit), found[0][2])


def verdict(question: str, sides: list[tuple[str, str]], units: tuple[str, ...] = (),
            terms: tuple[str, ...] = ()) -> str:
    """"株洲更多" for 谁更多 / 哪个更高 …, from each side's (place, answer text); "" when the question asks for no
    verdict, a side has no figure, or the figures tie."""
    more, less = MORE_RE.search(question), LESS_RE.search(question)
    if not (more or less) or len(sides) < 2:
        return ""
    values = [(place, figure_value(text, units, terms)) for place, text in sides]
    if any(v is None for _, v in values):
        return ""
    pick = max if more and not less else min
    best = pick(values, key=lambda pv: pv[1])
    if sum(1 for _, v in values if v == best[1]) > 1:
        return f"{'与'.join(p for p, _ in values)}相同"
    m = more if pick is max else less
    return f"{best[0]}更{next(g for g in m.groups() if g)}"
