"""Chinese administrative places (province, city, county), for document regions and places named in questions.

The list is the adcode table shipped inside the `cpca` package (MIT), read as a file: importing cpca would pull
pandas and pyahocorasick for nothing. Without the table no place could be recognised, so its absence is an error
(`GazetteerMissing`), never an empty gazetteer.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

NATIONAL_WORDS = ("全国", "我国", "中国", "国务院")
_STRIP = re.compile(r"(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|林区|地区|新区|市|县|区|州|盟|省|旗)$")
# The peoples named in autonomous prefectures and counties (凉山彝族自治州 → 凉山, 黔东南苗族侗族自治州 → 黔东南).
_ETHNIC = re.compile(r"(?:(?:土家|布依|景颇|傈僳|哈尼|纳西|独龙|普米|蒙古|朝鲜|哈萨克|柯尔克孜|维吾尔|锡伯|仫佬|毛南|仡佬|撒拉|保安"
                     r"|东乡|裕固|达斡尔|鄂温克|鄂伦春|拉祜|阿昌|德昂|布朗|基诺|门巴|珞巴|高山|塔吉克|乌孜别克|塔塔尔|赫哲"
                     r"|[彝苗侗藏羌回壮傣白怒满瑶畲水黎土佤京])族)+$")
# Short forms that are ordinary words far more often than places.
_AMBIGUOUS_SHORT = {"公安", "中方", "城区", "郊区", "矿区", "开发", "新城", "长安", "和平", "通州", "朝阳", "普陀", "宝山",
                    "东区", "西区", "南区", "北区", "新华", "红旗", "向阳", "永安", "太平", "江南", "江北", "河东", "河西",
                    "城中", "城东", "城西", "城南", "城北", "市中", "铁西", "铁东", "青山", "白云", "东风", "新市", "高新",
                    "全州"}  # 全州上下: the whole prefecture


# Official names that are also plain words ("城区" is a district of 大同 and the 城区 of every city).
_GENERIC_FULL = {"城区", "郊区", "矿区", "市辖区", "市中区", "新区", "高新区", "开发区"}


@dataclass(frozen=True)
class Place:
    code: str
    name: str  # full name: 株洲市
    short: str  # 株洲
    level: int  # 1 province, 2 city, 3 county
    parent: str  # code of the enclosing place, "" for provinces


def short_name(name: str) -> str:
    base = _STRIP.sub("", name)
    base = _ETHNIC.sub("", base) if name.endswith(("自治州", "自治县", "自治旗")) else base
    return base if len(base) >= 2 else name


class GazetteerMissing(RuntimeError):
    """The table of places is not installed; the message is for the user, in Chinese."""


REINSTALL_CPCA = ".venv/bin/pip install cpca==0.5.5"


def _table_path() -> Path:
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerMissing(f"未安装行政区划表（Python 包 cpca），无法识别地名。请运行：{REINSTALL_CPCA}")
    path = Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"
    if not path.is_file():
        raise GazetteerMissing(f"行政区划表文件缺失：{path}。请重新安装：{REINSTALL_CPCA} --force-reinstall")
    return path


@dataclass
class Gazetteer:
    places: dict[str, Place]
    by_name: dict[str, list[Place]]  # full and (unambiguous) short names → places
    max_len: int

    def find(self, text: str) -> list[tuple[Place, int, int]]:
        """Place mentions in text, longest match first, as (place, start, end)."""
        out = []
        i, n = 0, len(text)
        while i < n:
            hit = None
            for length in range(min(self.max_len, n - i), 1, -1):
                cands = self.by_name.get(text[i : i + length])
                if cands:
                    hit = (cands, length)
                    break
            if hit:
                cands, length = hit
                # A city before the county of the same short name (湘潭市, 湘潭县): asked by its short name, the city.
                out.extend((p, i, i + length) for p in sorted(cands, key=lambda p: p.level))
                i += length
            else:
                i += 1
        return out

    def parent_of(self, place: Place) -> Place | None:
        return self.places.get(place.parent)

    def lineage(self, place: Place) -> set[str]:
        """Codes of the place and of every place above it (county, city, province)."""
        out: set[str] = set()
        p: Place | None = place
        while p is not None:
            out.add(p.code)
            p = self.parent_of(p)
        return out

    def count(self, text: str, weight: float = 1.0, counter: Counter | None = None) -> Counter:
        """Mentions per place code; a short name shared by several places counts for each."""
        counter = counter if counter is not None else Counter()
        mentions = self.find(text)
        full_seen = {p.code for p, s, e in mentions if text[s:e] != p.short}
        for place, s, e in mentions:
            is_full = text[s:e] != place.short
            # County short forms ("公安") are common words: count them only beside a full mention.
            if not is_full and place.level == 3 and place.code not in full_seen:
                continue
            counter[place.code] += weight
        return counter


def standalone_mentions(text: str) -> list[tuple[Place, int, int]]:
    """The places a text names, as (place, start, end): a full name anywhere, a short form only as a word of its
    own (相比如何 does not name 比如县). Places written together (山西大同) are one word to the segmenter, so
    where another place ends or begins counts as a word edge too."""
    from .segment import word_bounds

    found = load_gazetteer().find(text)
    if not found:
        return []
    bounds = word_bounds(text)
    # A match may start where a word or another place ends, and end where a word or another place begins.
    may_start = bounds | {e for _, _, e in found}
    may_end = bounds | {s for _, s, _ in found}
    return [(place, start, end) for place, start, end in found
            if text[start:end] != place.short or (start in may_start and end in may_end)]


_SUFFIX_AT = re.compile(_STRIP.pattern.removesuffix("$"))  # the same suffixes, matched where a name ends


def named_as_word(short: str, text: str) -> bool:
    """A short form as a word of its own (中方县, 那中方呢), not inside one (高中方面 holds 中方): it starts on a
    word edge and ends on one or before a place suffix."""
    from .segment import word_bounds

    if short not in text:
        return False
    bounds = word_bounds(text)
    return any(m.start() in bounds and (m.end() in bounds or _SUFFIX_AT.match(text, m.end()))
               for m in re.finditer(re.escape(short), text))


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    places: dict[str, Place] = {}
    with _table_path().open(encoding="utf-8") as fh:
        rows = [(r["adcode"], r["name"]) for r in csv.DictReader(fh)]
    if not rows:
        raise GazetteerMissing(f"行政区划表是空的。请重新安装：{REINSTALL_CPCA} --force-reinstall")
    codes = {code for code, _ in rows}
    for code, name in rows:
        if name in _GENERIC_FULL:
            continue
        if code[2:] == "0" * 10:
            level, parent = 1, ""
        elif code[4:] == "0" * 8:
            level, parent = 2, code[:2] + "0" * 10
        else:
            level = 3
            city = code[:4] + "0" * 8
            parent = city if city in codes else code[:2] + "0" * 10
        places[code] = Place(code, name, short_name(name), level, parent)
    by_name: dict[str, list[Place]] = {}
    for p in places.values():
        by_name.setdefault(p.name, []).append(p)
        # 凉山彝族自治州 is written 凉山州 in running text; 黔东南苗族侗族自治州, 黔东南州.
        if p.name.endswith(("自治州", "自治县")) and p.short != p.name:
            by_name.setdefault(p.short + p.name[-1], []).append(p)
    for p in places.values():
        if p.short != p.name and p.short not in _AMBIGUOUS_SHORT and p.short not in by_name:
            by_name.setdefault(p.short, []).append(p)
        elif p.short in by_name and p.short != p.name and all(q.short == p.short for q in by_name[p.short]):
            if p not in by_name[p.short]:
                by_name[p.short].append(p)
    max_len = max((len(k) for k in by_name), default=2)
    return Gazetteer(places, by_name, max_len)
