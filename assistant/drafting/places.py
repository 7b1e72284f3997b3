"""Places in a draft that are not its own: any city, county or province other than the target place, the places
above it, and the places the instruction itself names; and the local names no gazetteer holds, a school named
by a proper noun (蒋家小学) or the towns a sentence lists (泸阳、铜湾等乡镇). Shared by the rewriter (which turns them into labelled
placeholders) and the draft evaluation (which counts any left as leaks)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import jieba.posseg

from ..text.gazetteer import Place, load_gazetteer, short_name, standalone_mentions

# What a place names when it is part of a name: 武汉都市圈, 黄石港区, 湖北师范大学.
KIND_SUFFIXES = (("都市圈", "都市圈名称"), ("经济圈", "经济圈名称"), ("城市群", "城市群名称"), ("大学", "学校名称"),
                 ("学院", "学校名称"), ("中学", "学校名称"), ("小学", "学校名称"), ("幼儿园", "学校名称"), ("新区", "地名"))


@dataclass(frozen=True)
class Mention:
    place: Place
    start: int
    end: int


def own_places(target: str, named: list[str] = ()) -> set[str]:
    """Codes of the places a draft may name: the target, the places above it, and the places named."""
    gaz = load_gazetteer()
    codes: set[str] = set()
    for name in [target, *named]:
        if not name:
            continue
        for place in gaz.by_name.get(name) or gaz.by_name.get(short_name(name), []):
            codes |= gaz.lineage(place)
    return codes


def mentions(text: str) -> list[Mention]:
    """Places the text names (`standalone_mentions`), a county's short form only written with its 县/区/市:
    县域 short forms such as 新建 or 东方 are ordinary words. One mention per stretch of text."""
    out, seen = [], set()
    for place, start, end in standalone_mentions(text):
        if (start, end) in seen or (place.level == 3 and text[start:end] == place.short != place.name):
            continue
        seen.add((start, end))
        out.append(Mention(place, start, end))
    return out


def foreign(text: str, allowed: set[str]) -> list[Mention]:
    """The mentions of places outside `allowed` (codes from `own_places`)."""
    return [m for m in mentions(text) if m.place.code not in allowed]


def placeholder_for(text: str, m: Mention) -> str:
    after = text[m.end : m.end + 4]
    label = next((label for suffix, label in KIND_SUFFIXES if after.startswith(suffix)), "地名")
    return f"【待填：{label}】"


# A school named by a proper noun (蒋家小学, 中兴中学, 桐木中学): jieba tags the noun as a place or person name.
PROPER_TAGS = {"ns", "nr", "nrt", "nrfg", "nz", "z"}
SCHOOL_WORDS = {"中学", "小学", "学校", "幼儿园", "高中", "初中", "一中", "二中", "三中", "四中", "五中", "职中"}
NOT_NAMES = ("普惠", "续建", "城镇", "城区", "全市", "全县", "乡村", "农村", "薄弱", "示范", "特色", "优质", "公办", "民办")
# Towns listed by name before what they are (泸阳、铜湾、新路河等乡镇).
LISTED_RE = re.compile(r"(?:[\u4e00-\u9fff]{2,4}、)+[\u4e00-\u9fff]{2,4}(?=等(?:\d+个)?(?:乡镇|镇|乡|村|街道|社区|片区))")


@dataclass(frozen=True)
class LocalName:
    start: int
    end: int
    label: str  # what a placeholder for it says: 学校名称, 乡镇名称


def local_names(text: str) -> list[LocalName]:
    """Names of one place's own schools and towns that the gazetteer cannot know, left to right."""
    out = []
    for m in LISTED_RE.finditer(text):
        first = m.group(0).split("、")[0]
        # The list starts where its first name does: 向泸阳 → 泸阳 (the last word before the first 、).
        start = m.start() + len(first) - len(list(jieba.cut(first))[-1])
        names = text[start : m.end()].split("、")
        # Names, not kinds of place (城区、乡镇等片区): most are tagged as proper nouns, none is in the gazetteer.
        proper = sum(next(iter(jieba.posseg.cut(n))).flag in PROPER_TAGS for n in names)
        if proper * 2 >= len(names) and not any(load_gazetteer().find(n) for n in names):
            out.append(LocalName(start, m.end(), "乡镇名称"))
    pos, prev = 0, None
    for tok in jieba.posseg.cut(text):
        start = text.find(tok.word, pos)
        pos = start + len(tok.word)
        if (tok.word in SCHOOL_WORDS and prev is not None and prev[1] in PROPER_TAGS and len(prev[0]) >= 2
                and not prev[0].startswith(NOT_NAMES) and prev[2] + len(prev[0]) == start):
            out.append(LocalName(prev[2], pos, "学校名称"))
        prev = (tok.word, tok.flag, start)
    out.sort(key=lambda n: n.start)
    kept: list[LocalName] = []
    for n in out:
        if not kept or n.start >= kept[-1].end:
            kept.append(n)
    return kept
