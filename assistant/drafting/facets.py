"""The facets of a topic the corpus treats, wherever it treats them: numbered items (1.抓实安全责任。…),
一是/二是 runs and plain paragraphs of plans, summaries and reports alike.

Each sentence of the passages retrieved for the topic over the whole corpus becomes one or more statements (a
一是…；二是… run is cut at its ordinals). A statement is kept when it is of the kind the section wants (a plan
states measures, a summary results), speaks to the topic (its words or its meaning), and names no other place
where a statement without one says the same. Statements that say nearly the same thing (most of their character pairs shared) form one facet; the
facets are ordered by how well they fit the topic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..retrieval.hits import Hit
from ..text.normalize import to_simplified
from ..text.structure import heading_level
from .kinds import fits
from .places import foreign
from .sources import ITEM_RE, CorpusSources, Source

ORDINAL_RUN_RE = re.compile(r"[；;，,]?\s*(?:[一二三四五六七八九十]|其[一二三四五六七八九十])是")
LEADING_ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]|其[一二三四五六七八九十])是")
MIN_COVERAGE = 0.4  # a statement naming less of the topic stands only if its passage ranked near the top
SAME_FACET = 0.5  # share of character pairs above which two statements say the same thing


@dataclass
class Statement:
    text: str  # the clause or sentence reused
    source: Source  # the sentence it comes from (its citation)
    lead: str  # the heading it stood under when that was a numbered item (抓实安全责任), else ""
    relevance: float


@dataclass
class Facet:
    statements: list[Statement] = field(default_factory=list)

    @property
    def relevance(self) -> float:
        return self.statements[0].relevance

    @property
    def lead(self) -> str:
        return next((s.lead for s in self.statements if s.lead), "")


def statements_of(src: Source) -> list[str]:
    """A sentence as the statements it makes: 一是…；二是… cut at the ordinals, else the sentence."""
    text = src.sentence.clean.strip()
    parts = [p.strip(" ；;，,。") for p in ORDINAL_RUN_RE.split(text)]
    parts = [p for p in parts if len(p) >= 8]
    if len(parts) <= 1:
        return [LEADING_ORDINAL_RE.sub("", text)]
    return [p if p.endswith(("。", "！", "？")) else p + "。" for p in parts]


def item_lead(hit: Hit) -> str:
    """The lead phrase of the numbered item a passage sits under (1.抓实思想政治建设 → 抓实思想政治建设)."""
    label = to_simplified(hit.chunk.section[-1]) if hit.chunk.section else ""
    m = ITEM_RE.match(label)
    return re.sub(r"\s+", "", m.group(2)).rstrip("。") if m and len(m.group(2)) <= 24 else ""


def gather(corpus: CorpusSources, query: str, topic_words: list[str], wanted: str, allowed_places: set[str],
           k: int = 60) -> list[Facet]:
    """The topic's facets over the whole corpus, best first."""
    hits = corpus.hits(query, list(corpus.data.metas), k=k)
    candidates: list[tuple[str, Source, str]] = []
    seen: set[str] = set()
    for src in corpus.sentences(hits):
        lead = item_lead(src.hit)
        for text in statements_of(src):
            key = re.sub(r"\W", "", text)
            if key in seen or not (12 <= len(text) <= 160) or heading_level(text) or not fits(text, wanted):
                continue
            seen.add(key)
            candidates.append((text, src, lead))
    if not candidates:
        return []
    rank = {id(h): i for i, h in enumerate(hits)}
    idf = corpus.retriever.idf or {}
    weights = {w: max(idf.get(w, 9.0), 0.5) for w in topic_words}
    total = sum(weights.values()) or 1.0
    scored = []
    for text, src, lead in candidates:
        # How much of the topic the statement (or the item it stands under) names, rare words counting most:
        # 城乡一体化 names little of 托幼一体化.
        covered = sum(w for t, w in weights.items() if t in text + lead) / total
        position = rank.get(id(src.hit), len(hits))
        if topic_words and covered < MIN_COVERAGE and not (covered and position < len(hits) // 3):
            continue
        # Another place's name costs a statement: a general wording of the same measure travels better.
        relevance = 1.0 / (1 + position / 10) + covered - 0.3 * len(foreign(text, allowed_places))
        scored.append(Statement(text, src, lead, relevance))
    scored.sort(key=lambda st: -st.relevance)
    facets: list[Facet] = []
    heads: list[set[str]] = []
    for st in scored:
        grams = bigrams(st.text)
        match = next((f for f, h in zip(facets, heads) if overlap(h, grams) >= SAME_FACET), None)
        if match is None:
            facets.append(Facet([st]))
            heads.append(grams)
        elif len(match.statements) < 4:
            match.statements.append(st)
    return facets


def bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def overlap(a: set[str], b: set[str]) -> float:
    """Shared character pairs over the smaller statement's: 1.0 when one says all the other does."""
    return len(a & b) / max(1, min(len(a), len(b)))
