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


def tokenize(text: str, extra_dict: str = "") -> list[str]:
    """Search-mode tokens of already-normalised text: sub-words of long words included, stopwords dropped."""
    stop = _stopwords()
    out = []
    for tok in tokenizer(extra_dict).cut_for_search(text.lower()):
        tok = tok.strip()
        if tok and tok not in stop and _KEEP.search(tok):
            out.append(tok)
    return out
