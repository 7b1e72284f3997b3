"""The cascade's one rule, shared by the `Assistant` and its calibration (`evaluation.cascade`): the extractive
result stands when its reader score says the engine is sure either way; the cases between go to the llm engine."""

from __future__ import annotations


def keeps_extractive(support: float, refused: bool, answer_score: float, refusal_score: float) -> bool:
    """A well-supported answer (score ≥ answer_score), or a refusal far from any answer (< refusal_score)."""
    return support < refusal_score if refused else support >= answer_score
