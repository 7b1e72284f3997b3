"""Places in a draft that are not its own: any city, county or province other than the target place, the places
above it, and the places the instruction itself names. Shared by the rewriter (which turns them into labelled
placeholders) and the draft evaluation (which counts any left as leaks)."""

from __future__ import annotations

from dataclasses import dataclass

from ..text.gazetteer import Place, load_gazetteer, short_name, standalone_mentions

# What a place names when it is part of a name: 武汉都市圈, 黄石港区, 湖北师范大学.
KIND_SUFFIXES = (("都市圈", "都市圈名称"), ("经济圈", "经济圈名称"), ("城市群", "城市群名称"), ("大学", "学校名称"),
                 ("学院", "学校名称"), ("中学", "学校名称"), ("小学", "学校名称"), ("幼儿园", "学校名称"), ("新区", "地名"))


@dataclass(frozen=True)
class Mention:
    place: Place
    start: int
    end: int


def _ancestors(place: Place) -> set[str]:
    gaz = load_gazetteer()
    out, p = set(), place
    while p is not None:
        out.add(p.code)
        p = gaz.parent_of(p)
    return out


def own_places(target: str, named: list[str] = ()) -> set[str]:
    """Codes of the places a draft may name: the target, the places above it, and the places named."""
    gaz = load_gazetteer()
    codes: set[str] = set()
    for name in [target, *named]:
        if not name:
            continue
        for place in gaz.by_name.get(name) or gaz.by_name.get(short_name(name), []):
            codes |= _ancestors(place)
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
