"""What a drafting instruction asks for: place, year, kind of document, topic, outline or not, and the figures
it gives (参照往年表述，为中方县起草2025年校园安全工作计划要点，新增学位3000个)."""

from __future__ import annotations

import datetime
import re

from ..retrieval.query import analyse
from ..text.gazetteer import short_name
from ..text.normalize import to_simplified
from ..text.patterns import YEAR_NIAN_RE, YEAR_NIAN_SHORT_RE, YEAR_RE, cn_number, years_in
from ..text.segment import words
from .rewrite import given_figures
from .schema import DraftError, DraftRequest
from .skeletons import named_parts, paper_genre

GENRE_WORDS = [("工作要点", "工作要点"), ("要点", "工作要点"), ("实施方案", "实施方案"), ("方案", "实施方案"),
               ("工作总结", "工作总结"), ("总结", "工作总结"), ("工作计划", "工作计划"), ("计划", "工作计划")]
FRAME_RE = re.compile(r"参照|参考|借鉴|往年|以往|过去|历年|表述|写法|风格|起草|草拟|撰写|拟写|写一份|写个|写|生成|一份|为|帮我|请|"
                      r"出一?个|弄一?个|整理一下|整理|情况$|向(?:[县市州省区](?:委|政府)|领导|上级)|"
                      r"给|的|初稿|草稿|提纲|框架|大纲|要点|工作计划|工作总结|工作要点|实施方案|计划|总结|方案|年度|全年|左右|以内|上下")


_NUM = r"(\d{1,2}|[一二两三四五六七八九十]{1,3})"
COUNT_RANGE_RE = re.compile(rf"{_NUM}\s*(?:至|到|-|－|~|～|—)\s*{_NUM}\s*(?:条|项|点|个|部分|方面)")
COUNT_ONE_RE = re.compile(rf"(?:写|列|分|共|拟)\s*{_NUM}\s*(?:条|项|点|个要点|个部分|个一级标题|部分|个方面|方面)")
LENGTH_RE = re.compile(r"(\d{3,5})\s*字")
PER_PART_RE = re.compile(r"每(?:个|条|项|一)[^，,；;。]*")
SECTION_RE = re.compile(r"(?:只写|仅写|写|中)[“\"「]([^”\"」]{2,12})[”\"」]部分")


# The sections of plans and summaries an instruction may ask for by name (写5条主要成效).
SECTION_NAMES = ("主要成效", "主要做法", "工作成效", "存在的问题", "存在问题", "下一步工作打算", "保障措施", "主要任务",
                 "主要举措", "工作目标")


TOPIC_SPAN_RE = re.compile(r"(?:起草|拟写|拟|撰写|草拟|写)(?:一份|一个|个)?(.+?)(?:工作计划|工作要点|实施方案|工作总结|"
                           r"计划|要点|方案|总结|提纲)")
ORG_RE = re.compile(r"教育体育局|教体局|教育局|教育系统|人民政府|政府")
SHAPE_RE = re.compile(r"每条[^，,；;。]*|每个[^，,；;。]*|[写列分共拟]?\s*(?<![\d.])\d{1,2}\s*[条项点个][^，,；;。]*")
# What kind of paper is asked for, not what it is about: 推进会讲话提纲, 专题调研提纲, 经验交流材料.
PAPER_RE = re.compile(r"推进会|座谈会|讲话|调研报告|专题调研|调研|经验交流材料|交流材料|汇报材料|汇报|材料|报告|专题")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else cn_number(text) or 0


def requested_shape(text: str) -> tuple[tuple[int, int] | None, int | None, str]:
    """The number of items (写6至8条 → (6, 8)), the length (约800字) and the section (只写“主要成效”部分) asked."""
    text = PER_PART_RE.sub("", text)  # 每个标题下列2至3个要点 is what each part holds, not how many parts
    count = None
    m = COUNT_RANGE_RE.search(text)
    if m:
        low, high = sorted((_number(m.group(1)), _number(m.group(2))))
        count = (low, high) if low else None
    else:
        m = COUNT_ONE_RE.search(text)
        if m and _number(m.group(1)):
            count = (_number(m.group(1)),) * 2
    length = LENGTH_RE.search(text)
    section = SECTION_RE.search(text)
    named = section.group(1) if section else next((n for n in SECTION_NAMES if n in text), "")
    return count, int(length.group(1)) if length else None, named


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
        if word in PER_PART_RE.sub("", text):  # 每个标题下列2至3个要点 asks for points, not a 工作要点
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
    paper = re.search(rf"((?:{PAPER_RE.pattern})+)(?:的)?(?:提纲|框架|大纲)", text)
    req.paper = paper.group(1) if req.outline and paper else ""
    # A paper of its own genre: 汇报提纲, 讲话提纲, 经验交流材料 (prose, or its outline).
    own = paper_genre(text)
    if own and (req.outline or own == "经验交流材料"):
        req.genre = own
        req.assumed = [a for a in req.assumed if not a.startswith("未指定文种")]
    req.count, req.length, req.section = requested_shape(text)
    req.parts = [p.title for p in named_parts(text)]
    if req.parts and not SECTION_RE.search(text):
        req.section = ""  # 包括工作目标、主要任务、保障措施三部分 names the parts, not the one section to write
    req.named_places = [p.name for p in info.places]
    shape_free = SHAPE_RE.sub("", COUNT_RANGE_RE.sub("", COUNT_ONE_RE.sub("", LENGTH_RE.sub("", text))))
    req.given = given_figures(drop_years(shape_free))
    # The topic is what is left once place, year, genre and the drafting frame are taken out, read from the
    # words between 起草 and the genre when the instruction has them (its shape and figures follow after).
    span = TOPIC_SPAN_RE.search(shape_free)
    rest = PAPER_RE.sub("", ORG_RE.sub("", span.group(1) if span else shape_free))
    rest = YEAR_RE.sub("", rest)
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
    if req.section and req.section not in SECTION_NAMES:
        req.topic = req.section  # 要点中“促进学生全面发展”部分: the section is the topic
    if not req.topic:
        req.assumed.append("未指定主题：按全面工作起草")
    return req
