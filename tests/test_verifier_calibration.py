"""Calibrating the verifier's weight and gate: trust first, so a gate that refuses the wrong answers the reader
would show is chosen over one that shows them, while false refusals stay within the limit."""

from assistant.answering.reader import ReaderWeights
from assistant.evaluation.calibrate import Case, Row, best_verifier_weights, outcome

BASE = ReaderWeights(lexical=0.5, semantic=1.0, clause_semantic=1.0, rank=0.0, threshold=0.18, min_coverage=0.0,
                     measure=0.0)


def row(coverage, holds, verified):
    return Row(coverage=coverage, similarity=0.9, clause_similarity=0.9, rank=0, measure_coverage=1.0, possible=True,
               holds_answer=holds, verified=verified)


def cases():
    out = []
    for i in range(20):  # answerable: the right sentence is lexically weaker, but the verifier is sure of it
        out.append(Case(f"a{i}", True, False, [row(0.8, False, 0.05), row(0.5, True, 0.95)]))
    for i in range(10):  # near misses: a lexically strong sentence that the verifier rejects
        out.append(Case(f"n{i}", False, False, [row(0.9, False, 0.1)]))
    return out


def test_without_the_verifier_the_reader_shows_wrong_answers():
    m = outcome(cases(), BASE)
    assert m["accuracy"] == 0.0 and m["wrong_shown"] == 1.0


def test_the_chosen_weight_and_gate_answer_right_and_refuse_near_misses():
    chosen = best_verifier_weights(cases(), BASE)
    m = outcome(cases(), chosen)
    assert m["accuracy"] == 1.0 and m["refusal"] == 1.0 and m["wrong_shown"] == 0.0
    assert chosen.gate > 0.1 and chosen.verifier >= 0.0
    # The reader's own weights are kept.
    assert (chosen.lexical, chosen.semantic, chosen.clause_semantic) == (BASE.lexical, BASE.semantic, BASE.clause_semantic)
