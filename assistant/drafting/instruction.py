"""What a drafting instruction asks for: place, year, kind of document, topic, outline or not, and the figures
it gives (参照往年表述，为中方县起草2025年校园安全工作计划要点，新增学位3000个)."""

from __future__ import annotations

import datetime
import re

from ..retrieval.query import analyse
from ..text.gazetteer import short_name
from ..text.normalize import to_simplified
from ..text.patterns import YEAR_NIAN_RE, YEAR_NIAN_SHORT_RE, YEAR_RE, years_in
from ..text.segment import words
from .rewrite import given_figures
from .schema import DraftError, DraftRequest

GENRE_WORDS = [("工作要点", "工作要点"), ("要点", "工作要点"), ("实施方案", "实施方案"), ("方案", "实施方案"),
               ("工作总结", "工作总结"), ("总结", "工作总结"), ("工作计划", "工作计划"), ("计划", "工作计划")]
FRAME_RE = re.compile(r"参照|参考|借鉴|往年|以往|过去|历年|表述|写法|风格|起草|草拟|撰写|拟写|写一份|写个|写|生成|一份|为|帮我|请|"
                      r"给|的|初稿|草稿|提纲|框架|大纲|要点|工作计划|工作总结|工作要点|实施方案|计划|总结|方案|年度|全年")


def drop_years(text: str) -> str:
    """Text without its years and their 年 (2025年 …): what is left says what is asked, or what a heading is about."""
    return re.sub(rf"(?:{YEAR_NIAN_RE.pattern})\s*年", "", text)


def parse_instruction(instruction: str, metas) -> DraftRequest:
    text = to_simplified(instruction.strip())
    if not text:
        raise DraftError("请写明要起草什么，例如：参照往年表述，为中方县起草2025年校园安全工作计划要点。")
    req = DraftRequest(instruction=text)
    info = analyse(text, metas)
    if info.places:
        p = info.places[0]
        region = next((m.region for m in metas.values() if m.region and short_name(m.region) == p.short), "")
        req.place = region or p.name
    else:
        req.assumed.append("未指定地区：地名处留空，可在文中替换")
    years = years_in(text)
    for word, genre in GENRE_WORDS:
        if word in text:
            req.genre = genre
            break
    else:
        req.assumed.append("未指定文种：按工作计划起草")
    latest = max((y for m in metas.values() for y in m.years), default=datetime.date.today().year)
    if years:
        req.year = years[0]
    else:
        req.year = latest if req.genre == "工作总结" else latest + 1
        req.assumed.append(f"未指定年份：按 {req.year} 年起草")
    req.outline = bool(re.search(r"提纲|框架|大纲", text))
    req.given = given_figures(drop_years(text))
    # The topic is what is left once place, year, genre and the drafting frame are taken out.
    rest = YEAR_RE.sub("", text)
    rest = YEAR_NIAN_SHORT_RE.sub("", rest)
    for p in info.places:
        for name in sorted({p.name, p.short}, key=len, reverse=True):
            rest = rest.replace(name, "")
    for key in req.given:
        rest = rest.replace(key, "")
    rest = re.sub(r"\d+(?:\.\d+)?\s*(?:%|万|亿)?[\u4e00-\u9fff]?", "", rest)
    rest = FRAME_RE.sub(" ", rest)
    topic = "".join(w for w in words(rest) if len(w) >= 2)
    req.topic = re.sub(r"(工作|教育工作)$", "", topic) if topic not in ("教育", "教育工作") else ""
    if not req.topic:
        req.assumed.append("未指定主题：按全面工作起草")
    return req
