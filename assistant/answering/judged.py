"""The reader's candidates as the verifier (judge.runtime) reads them, and its judgment of them.

A candidate is shown as its trimmed window (what the answer would quote), led by its document's title and heading
path (which carry the place, the year and whether it is a review or a plan). Training pairs are made by this same
function (evaluation.verifier_pairs), so the model is trained on exactly what it judges.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..judge.pairs import context_text
from .evidence import Evidence, TermWeights, trim_answer
from .question_form import QuestionForm

log = logging.getLogger(__name__)


def candidate_window(e: Evidence, form: QuestionForm, terms: TermWeights, limit: int) -> str:
    return trim_answer(e.sentence.clean, form, terms, limit)


def candidate_context(e: Evidence, window: str) -> str:
    return context_text(e.hit.chunk.section, window, title=e.hit.meta.title)


def open_verifier(settings):
    """The verifier the settings ask for (None when turned off). A damaged model is an error, never skipped:
    answering without the check it was calibrated with would show answers it would have refused."""
    if not settings.verifier:
        return None
    from ..judge.runtime import load_verifier

    return load_verifier(Path(settings.verifier_dir) if settings.verifier_dir else None)


def judge(verifier, question: str, contexts: list[str]) -> list[float]:
    """The verifier's probabilities for `contexts`; none (an empty list) when no verifier is loaded."""
    if verifier is None or not contexts:
        return []
    return [float(p) for p in verifier.probabilities(question, contexts)]
