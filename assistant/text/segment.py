"""Chinese word segmentation for BM25 and query analysis: jieba with a domain dictionary and stopwords."""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

_KEEP = re.compile(r"[\w\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def segmenter_version() -> str:
    import hashlib

    h = hashlib.sha256()
    for name in ("userdict.txt", "stopwords.txt"):
        h.update(resources.files("assistant.resources").joinpath(name).read_bytes())
    return h.hexdigest()[:12]


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    text = resources.files("assistant.resources").joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(text.split())


@lru_cache(maxsize=4)
def tokenizer(extra_dict: str = ""):
    """A private jieba instance (the module-level one is shared with anything else that imports jieba)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.initialize()
    with resources.as_file(resources.files("assistant.resources").joinpath("userdict.txt")) as path:
        tk.load_userdict(str(path))
    if extra_dict and Path(extra_dict).exists():
        tk.load_userdict(extra_dict)
    return tk


def _kept(tokens) -> list[str]:
    stop = _stopwords()
    return [t for t in (tok.strip() for tok in tokens) if t and t not in stop and _KEEP.search(t)]


def word_bounds(text: str) -> set[int]:
    """The offsets where the segmenter's words begin and end (and the text's two ends)."""
    bounds = {0, len(text)}
    for _, start, end in tokenizer().tokenize(text):
        bounds |= {start, end}
    return bounds


def tokenize(text: str, extra_dict: str = "") -> list[str]:
    """Search-mode tokens of already-normalised text: sub-words of long words included, stopwords dropped."""
    return _kept(tokenizer(extra_dict).cut_for_search(text.lower()))


def words(text: str, extra_dict: str = "") -> list[str]:
    """Whole words (jieba's precise mode), stopwords dropped: the units a question's topic is made of."""
    return _kept(tokenizer(extra_dict).cut(text.lower()))


@lru_cache(maxsize=1)
def _tagger():
    import jieba.posseg

    return jieba.posseg.POSTokenizer(tokenizer())


def leading_nouns(text: str) -> list[str]:
    """The nouns a phrase opens with, up to its first word of another kind: 教师参加培训 → 教师;
    幼儿园学位 → 幼儿园, 学位 (what a count is of, not what was done)."""
    out = []
    for pair in _tagger().cut(text):
        if not (pair.flag.startswith("n") or pair.flag in ("j", "s")):  # 中小学 is tagged j, 高中 s
            break
        out.append(pair.word)
    return out


def trailing_nouns(text: str, places: bool = True) -> list[str]:
    """The nouns a phrase closes with, back to its last word of another kind: 新增的初中学位 → 初中, 学位 (the
    distinguishing and place words that qualify a noun count too: 公办, 初中, 城区). `places=False` stops at a
    place name (荆州在校生 → 在校生): what is counted, not where."""
    out: list[str] = []
    for pair in reversed(list(_tagger().cut(text))):
        if not (pair.flag.startswith("n") or pair.flag in ("b", "f", "s", "j")) or (not places and pair.flag == "ns"):
            break
        out.insert(0, pair.word)
    return out


@lru_cache(maxsize=1)
def synonyms() -> dict[str, frozenset[str]]:
    """Words used interchangeably in these documents (新增/增加), one group per line."""
    text = resources.files("assistant.resources").joinpath("synonyms.txt").read_text(encoding="utf-8")
    table: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        group = line.split("#", 1)[0].split()
        for w in group:
            table[w] = frozenset(group) - {w}
    return table
