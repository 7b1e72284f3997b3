"""The llm engine's context: the few sentences most likely to hold the answer, each with its neighbours, grouped
by the passage they come from and numbered [1], [2]… A 2-core CPU reads a few hundred characters in a few
seconds where whole passages would take tens; a large remote model gets the same compact prompt.

Sentences are chosen by the reader's score (meaning and wording, `reader`), not by its eligibility: whether a
sentence answers the question asked is the model's decision here, checked afterwards by `verify`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..ingest.embed import LocalEmbeddings
from ..retrieval.hits import Hit
from ..retrieval.query import QueryInfo
from ..text.sentences import Sentence, split_passage
from .evidence import TermWeights, gather_evidence
from .question_form import classify
from .reader import ReaderWeights, candidates

SPACE_RE = re.compile(r"\s+")


@dataclass
class Passage:
    """Passage [n] as the model sees it: some sentences of one retrieved chunk, in document order."""

    n: int
    hit: Hit
    sentences: list[Sentence]

    @property
    def text(self) -> str:
        out, last = "", None
        for s in self.sentences:
            if last is not None and s.position != last + 1:
                out += "……"
            out += s.clean
            last = s.position
        return out

    def block(self) -> str:
        section = " > ".join(self.hit.chunk.section)
        head = f"[{self.n}]《{self.hit.meta.title}》" + (f"（{section}）" if section else "")
        return head + "\n" + SPACE_RE.sub("", self.text)


def whole_passages(hits: list[Hit], limit: int) -> list[Passage]:
    """Each hit's sentences from the start, up to `limit` characters (when no sentence selection is possible)."""
    out = []
    for n, h in enumerate(hits, 1):
        chosen, used = [], 0
        for s in split_passage(h.chunk):
            if chosen and used + len(s.clean) > limit:
                break
            chosen.append(s)
            used += len(s.clean)
        if chosen:
            out.append(Passage(n=len(out) + 1, hit=h, sentences=chosen))
    return out


def compact_passages(info: QueryInfo, hits: list[Hit], terms: TermWeights, embeddings: LocalEmbeddings,
                     weights: ReaderWeights, sentences: int, limit: int) -> list[Passage]:
    """The `sentences` best sentences with their neighbours, grouped per chunk; at most `limit` characters."""
    form = classify(info.text, info)
    evidence = gather_evidence(hits, form, terms)
    if not evidence:
        return []
    cands = candidates(info.text, evidence, form, info.frame, terms, embeddings, max(3 * sentences, 12))
    cands.sort(key=lambda c: -c.score(weights))
    picked: dict[str, tuple[Hit, set[int], int]] = {}  # chunk id → hit, sentence positions, order of its best
    used = 0
    for c in cands[:sentences]:
        s, hit = c.evidence.sentence, c.evidence.hit
        sents = split_passage(hit.chunk)
        _, positions, _ = picked.setdefault(hit.chunk.chunk_id, (hit, set(), len(picked)))
        for p in (s.position, s.position - 1, s.position + 1):
            if 0 <= p < len(sents) and p not in positions and (p == s.position or used + len(sents[p].clean) <= limit):
                positions.add(p)
                used += len(sents[p].clean)
        if used >= limit:
            break
    out = []
    for hit, positions, _ in sorted(picked.values(), key=lambda v: v[2]):
        sents = split_passage(hit.chunk)
        out.append(Passage(n=len(out) + 1, hit=hit, sentences=[sents[p] for p in sorted(positions)]))
    return out
