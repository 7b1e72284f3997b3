"""Passage reranking by the verifier (judge.runtime): the top passages of the fused ranking, each judged by its
window that shares most of the question's wording (what its best sentence says, with its heading), then ordered by
the verifier's probability plus a little of the first ranking (rerank_prior / (rank + 1)), so that two passages
the verifier cannot tell apart keep their order."""

from __future__ import annotations

from ..judge.pairs import context_text
from ..text.normalize import normalize_for_match
from ..text.sentences import split_passage
from .hits import Hit


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def passage_window(question: str, hit: Hit) -> str:
    """The passage's sentence sharing most character pairs with the question (its clean text)."""
    want = _bigrams(normalize_for_match(question))
    sents = split_passage(hit.chunk)
    if not sents:
        return hit.chunk.search_text
    return max(sents, key=lambda s: len(want & _bigrams(normalize_for_match(s.clean)))).clean


def rerank(question: str, hits: list[Hit], verifier, prior: float, off_frame: frozenset[int] = frozenset()) -> list[Hit]:
    """`off_frame`: positions of passages whose heading speaks of another year or mode than the one asked; the
    verifier reorders within each group but never lifts one of them above a passage of the part asked."""
    if verifier is None or len(hits) < 2:
        return hits
    contexts = [context_text(h.chunk.section, passage_window(question, h), title=h.meta.title) for h in hits]
    probs = verifier.probabilities(question, contexts)
    keyed = sorted(range(len(hits)), key=lambda i: (i in off_frame, -(float(probs[i]) + prior / (i + 1))))
    return [hits[i] for i in keyed]
