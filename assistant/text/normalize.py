"""The forms text is compared and shown in: NFKC, Simplified, without glued pinyin, tags or wrapping.

The original is never changed (it is what answers quote); these functions make the forms that are matched
against each other and written into answers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
# 系統(tǒng): romanisation glued after a character by a broken converter; needs a tone mark to count,
# so a real "(a)" in the text survives.
PINYIN_RE = re.compile(rf"(?<=[^\x00-\x7f]|\?)[(（][a-zü{_TONED}]{{1,8}}[)）]")
TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,200})?/?>")

CJK_RANGES = ("\u3400\u4dbf", "\u4e00\u9fff", "\uf900\ufaff", "\u3000\u303f", "\uff00\uffef", "\u2000\u206f")
_WS = re.compile(r"\s+")


def is_wide(ch: str) -> bool:
    """CJK characters and the punctuation written with them."""
    return any(lo <= ch <= hi for lo, hi in CJK_RANGES) or ch in "“”‘’、，。；：？！（）《》【】"


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


def strip_artifacts(text: str) -> str:
    """Display form of a short original fragment (headings): no glued pinyin, tags or breaks inside words."""
    text = TAG_RE.sub("", PINYIN_RE.sub("", text))
    text = re.sub(r"(?<=\S)[ \t\u3000\xa0]+(?=\S)", lambda m: "" if _wide_near(text, m) else " ", text)
    return text.strip()


def _wide_near(text: str, m: re.Match) -> bool:
    return is_wide(text[m.start() - 1]) or is_wide(text[m.end()])


def normalize_for_match(text: str) -> str:
    """How answers and passages are compared: NFKC, Simplified, no glued pinyin, no whitespace."""
    text = PINYIN_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    return re.sub(r"\s+", "", text).lower()


def line_view(line: str) -> str:
    """A line as the pattern matchers read it."""
    return to_simplified(unicodedata.normalize("NFKC", TAG_RE.sub("", PINYIN_RE.sub("", line)))).strip()


# Control characters (a Word line break \x0b, ESC, NUL), bidirectional overrides (U+202E shows evil\u202eexe.txt
# as "eviltxt.exe") and line/paragraph separators: never part of what a text says, and invalid in a Word file.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    return CONTROL_RE.sub("", text)


def has_controls(text: str) -> bool:
    """Whether a one-line value (a file name, a title) holds any control character, line breaks and tabs too."""
    return bool(CONTROL_RE.search(text)) or any(ord(c) < 32 for c in text)


# Characters that are not Cf or Zs and still show as nothing or as a blank: Hangul fillers, variation selectors,
# the combining grapheme joiner, Mongolian free variation selectors, the Braille blank.
BLANK_LOOKING = set("\u115f\u1160\u3164\uffa0\u034f\u2800\u180b\u180c\u180d\u180e\u180f\u17b4\u17b5") \
    | {chr(c) for c in range(0xFE00, 0xFE10)} | {chr(c) for c in range(0xE0100, 0xE01F0)}
# Cyrillic and Greek letters drawn like Latin ones (о for o): a name spelled with them reads as the Latin one.
HOMOGLYPHS = str.maketrans("аеорсхуіѕјԁһԛԝАВЕКМНОРСТХУІЅЈαοντιρκχΑΒΕΖΗΙΚΜΝΟΡΤΥΧօսոհıᎠᎡᎢᎥᎪᎫᎬᎷᏃᏚᏞ",
                           "aeopcxyisjdhqwABEKMHOPCTXYISJaovtipkxABEZHIKMNOPTYXounhiDRTiAJEMZSL")


def invisible_chars(text: str) -> list[str]:
    """The characters of a name that show as nothing or as a plain space (Unicode Cf, such as U+200B, U+FEFF,
    U+00AD, U+061C; Zs other than the ordinary space; fillers and selectors that draw nothing): two names that
    differ only by them look the same."""
    # Co (private use) and Cn (unassigned) draw as nothing or as a box, depending on the font.
    return [c for c in text if unicodedata.category(c) in ("Cf", "Co", "Cn")
            or (unicodedata.category(c) == "Zs" and c != " ") or c in BLANK_LOOKING]


def lookalike_key(name: str) -> str:
    """What a name looks like to a reader: NFKC (full-width letters, compatibility forms), no invisible
    characters, Cyrillic and Greek look-alikes read as Latin, case folded. Two names with the same key are one
    name to the person choosing between them."""
    visible = "".join(c for c in unicodedata.normalize("NFKC", name) if not invisible_chars(c))
    return visible.translate(HOMOGLYPHS).casefold()


def clean_fragment(text: str) -> str:
    """A sentence of the original as answers are written from it: Simplified, no glued pinyin, tags, breaks or
    control characters."""
    text = TAG_RE.sub("", PINYIN_RE.sub("", strip_controls(text)))
    text = unicodedata.normalize("NFKC", text)
    # Breaks and spaces inside Chinese text are PDF/HTML wrapping; between Latin words keep one space.
    text = re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text)
    return to_simplified(_WS.sub(" ", text)).strip()
