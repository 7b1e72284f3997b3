"""Calibrating the cascade on dev results: when the extractive answer stands and when the llm engine decides.

Input: the per-question results of the same dev question sets run once with `--engine extractive` and once
with `--engine llm` (`assistant eval --out`). For each pair of thresholds the cascade's outcome is simulated
question by question (the extractive result where it is confident, the llm result elsewhere); the pair that
maximises accuracy + refusal of the unanswerable, with false refusals above `max_false_refusals` penalised
three-fold, is chosen. The share of questions handed to the model is reported: it is what the cascade costs.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..answering.cascade import keeps_extractive

ANSWER_GRID = tuple(round(0.10 + 0.02 * i, 2) for i in range(26))  # 0.10 … 0.60
REFUSAL_GRID = (0.0, 0.02, 0.05, 0.08, 0.1, 0.12, 0.14, 0.16, 1.0)  # 0: every refusal goes to the model


@dataclass(frozen=True)
class Outcome:
    answerable: bool
    score: float  # answer score, 0 when refused
    refused: bool


@dataclass(frozen=True)
class Pair:
    """One question as both engines answered it; `support` is the extractive reader's score."""
    extractive: Outcome
    llm: Outcome
    support: float


def _outcome(row: dict) -> Outcome:
    return Outcome(answerable=row["answerable"], score=float(row.get("answer_score", 0.0)),
                   refused=bool(row.get("refused")))


def pair_results(extractive: list[dict], llm: list[dict]) -> list[Pair]:
    """The questions both runs answered (matched by id), each with both outcomes."""
    by_id = {r["id"]: r for r in llm if "answer" in r and not r.get("error")}
    return [Pair(_outcome(r), _outcome(by_id[r["id"]]), float(r.get("support", 0.0)))
            for r in extractive if "answer" in r and not r.get("error") and r["id"] in by_id]


def metrics(outcomes: list[Outcome], handed: int = 0) -> dict:
    ans = [o for o in outcomes if o.answerable]
    una = [o for o in outcomes if not o.answerable]
    return {"accuracy": sum(o.score for o in ans) / (len(ans) or 1),
            "false_refusals": sum(o.refused for o in ans) / (len(ans) or 1),
            "refusal": sum(o.refused for o in una) / (len(una) or 1),
            "to_llm": handed / (len(outcomes) or 1)}


def simulate(pairs: list[Pair], answer_score: float, refusal_score: float) -> dict:
    chosen, handed = [], 0
    for p in pairs:
        if keeps_extractive(p.support, p.extractive.refused, answer_score, refusal_score):
            chosen.append(p.extractive)
        else:
            chosen.append(p.llm)
            handed += 1
    return metrics(chosen, handed)


def objective(m: dict, max_false_refusals: float) -> float:
    return m["accuracy"] + m["refusal"] - 3 * max(0.0, m["false_refusals"] - max_false_refusals)


def best_thresholds(pairs: list[Pair], max_false_refusals: float) -> tuple[float, float, dict]:
    """The (answer_score, refusal_score) pair with the best objective; ties go to fewer questions handed over."""
    best = None
    for a in ANSWER_GRID:
        for r in REFUSAL_GRID:
            m = simulate(pairs, a, r)
            key = (round(objective(m, max_false_refusals), 6), -m["to_llm"])
            if best is None or key > best[0]:
                best = (key, a, r, m)
    assert best is not None
    return best[1], best[2], best[3]
