"""The facets of a topic the corpus treats, wherever it treats them: numbered items (1.抓实安全责任。…),
一是/二是 runs and plain paragraphs of plans, summaries and reports alike.

Each sentence of the passages retrieved for the topic over the whole corpus becomes one or more statements (a
一是…；二是… run is cut at its ordinals). A statement is kept when it is of the kind the section wants (a plan
states measures, a summary results) and speaks to the topic (its words, or those of the heading it stands under);
a statement naming another place ranks below one that does not. Statements that say nearly the same thing (most
of their character pairs shared) form one facet; the facets are ordered by how well they fit the topic and by
what each adds that those before it have not said."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..retrieval.frames import sentence_frame
from ..retrieval.hits import Hit
from ..text.gazetteer import short_name
from ..text.normalize import to_simplified
from ..text.segment import synonyms, words
from ..text.sentences import split_passage
from ..text.structure import heading_level
from .kinds import as_measure, fits, reports_work
from .places import foreign
from .sources import ITEM_RE, CorpusSources, Source

ORDINAL_RUN_RE = re.compile(r"[；;，,]?\s*(?:[一二三四五六七八九十]|其[一二三四五六七八九十])是")
LEADING_ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]|其[一二三四五六七八九十])是")
MIN_COVERAGE = 0.4  # a statement naming less of the topic stands only if its passage ranked near the top
SAME_FACET = 0.8  # share of character pairs above which two statements say the same thing (dev tasks)
CONTINUED = 0.5  # what naming the topic in the sentence or two before counts for (dev tasks)
HOME = 0.6  # what coming from the target place's own documents adds (dev tasks)
PER_DOC = 8  # passages one document may give a topic's facets (dev tasks)
RECAST = 0.1  # what being recast from the other kind costs a statement (dev tasks)
NEW_WORDS = 0.4
SPREAD = 0.2  # what each facet already taken from the same document costs the next (dev tasks)  # what saying something new is worth beside fitting the topic (chosen on the dev tasks)


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
           home: str = "", k: int = 60) -> list[Facet]:
    """The topic's facets over the whole corpus, best first; the target place's own past documents (`home`, its
    short name) first among equals: 参照往年 means its own years before anyone else's."""
    idf = corpus.retriever.idf or {}
    groups = word_groups(topic_words, idf)
    hits = spread(corpus.hits(query, list(corpus.data.metas), k=k * 2), k)
    candidates: list[tuple[str, Source, str, bool]] = []
    seen: set[str] = set()
    for src in corpus.sentences(hits):
        lead = item_lead(src.hit)
        for text in statements_of(src):
            key = re.sub(r"\W", "", text)
            if key in seen or not (12 <= len(text) <= 160) or heading_level(text):
                continue
            mode = sentence_frame(text, src.hit.chunk.section, src.hit.meta).mode
            native = fits(text, wanted, mode)
            if not native:
                text = as_measure(text) if wanted == "measure" else text if reports_work(text, mode) else ""
                if not text or (key := re.sub(r"\W", "", text)) in seen:
                    continue
            seen.add(key)
            candidates.append((text, src, lead, native))
    if not candidates:
        return []
    rank = {id(h): i for i, h in enumerate(hits)}
    total = sum(w for _, w in groups) or 1.0

    def cover(where: str) -> float:
        return sum(w for group, w in groups if any(t in where for t in group)) / total
    scored = []
    for text, src, lead, native in candidates:
        # How much of the topic the statement (or the item it stands under) names, rare words counting most:
        # 城乡一体化 names little of 托幼一体化.
        where = text + lead + to_simplified(" ".join(src.hit.chunk.section))  # under a heading on the topic
        covered = cover(where)
        position = rank.get(id(src.hit), len(hits))
        if covered < MIN_COVERAGE and position < len(hits) // 3:
            # A sentence that goes on from one naming the topic (“双减”成效明显 … 取缔无证黑机构500所) speaks to it.
            before = split_passage(src.hit.chunk)[max(0, src.sentence.position - 2) : src.sentence.position]
            covered = max(covered, CONTINUED * cover(" ".join(b.clean for b in before)))
        if topic_words and covered < MIN_COVERAGE and not (covered and position < len(hits) // 3):
            continue
        # Another place's name costs a statement: a general wording of the same measure travels better.
        # A statement of the kind wanted as it stands ranks above one recast from the other kind.
        relevance = 1.0 / (1 + position / 10) + covered - 0.3 * len(foreign(text, allowed_places)) \
            - (0 if native else RECAST) + (HOME if home and short_name(corpus.region(src.sentence.doc)) == home else 0)
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
    return by_coverage(facets, idf)


def spread(hits: list[Hit], k: int) -> list[Hit]:
    """The best `k` passages, no document giving more than its share: one document that treats the topic at
    length (a province's 美育 action plan) would otherwise speak for the whole corpus."""
    taken: dict[str, int] = {}
    out = []
    for h in hits:
        if taken.get(h.chunk.doc, 0) < PER_DOC:
            taken[h.chunk.doc] = taken.get(h.chunk.doc, 0) + 1
            out.append(h)
    return out[:k]


def word_groups(topic_words: list[str], idf: dict[str, float]) -> list[tuple[frozenset[str], float]]:
    """The topic's words with their synonyms as one group each (学生 or 学子 names the same thing once), weighted
    by its commonest member in the corpus (the usual spelling says how telling the word is)."""
    table = synonyms()
    groups: list[frozenset[str]] = []
    for w in topic_words:
        group = frozenset({w} | (table.get(w, frozenset()) & set(topic_words)))
        if group not in groups:
            groups.append(group)
    return [(g, min((max(idf[w], 0.5) for w in g if w in idf), default=9.0)) for g in groups]


def by_coverage(facets: list[Facet], idf: dict[str, float]) -> list[Facet]:
    """Facets in the order that covers most of what the corpus says about the topic: each next one adds the
    most words not yet said that recur across the topic's statements and are rare in the corpus at large
    (防溺水, 强制报告, 心理健康 for 校园安全), so the draft moves on rather than saying one thing six ways."""
    vocab: dict[str, int] = {}
    facet_words = []
    for f in facets:
        found = {w for w in words(f.statements[0].text + f.lead) if len(w) >= 2 and not w.isdigit()}
        facet_words.append(found)
        for w in found:
            vocab[w] = vocab.get(w, 0) + 1
    weight = {w: min(n, 4) * idf.get(w, 1.0) for w, n in vocab.items() if n >= 2}
    order, said, left = [], set(), list(range(len(facets)))
    while left:
        gains = {i: sum(weight.get(w, 0) for w in facet_words[i] - said) for i in left}
        top = max(gains.values()) or 1.0
        best = max(left, key=lambda i: facets[i].relevance + NEW_WORDS * gains[i] / top)
        left.remove(best)
        order.append(facets[best])
        said |= facet_words[best]
    return order


def bigrams(text: str) -> set[str]:
    chars = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def overlap(a: set[str], b: set[str]) -> float:
    """Shared character pairs over the smaller statement's: 1.0 when one says all the other does."""
    return len(a & b) / max(1, min(len(a), len(b)))
