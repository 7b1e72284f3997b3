"""Verifier benchmark: answer latency with the verifier (candidates, gate and passage reranking) against without
it, and the verifier's own cost per pair, on 2 cores. Target of the verifier issue: answer p50 ≤ 300 ms with the
verifier included.

    .venv/bin/python bench/verifier_bench.py [--questions eval/verifier_dev.jsonl] [--corpus ../shared/train-corpus]

Indexes are built (incrementally) under bench/out/. Use a dev set: the test sets are for the final figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.assistant import Assistant  # noqa: E402
from assistant.evaluation.answers import run_retrieval  # noqa: E402
from assistant.evaluation.questions import read_questions  # noqa: E402
from assistant.ingest.build import build_index  # noqa: E402
from assistant.judge.runtime import load_verifier  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def pair_cost(n: int = 200) -> tuple[float, float]:
    """ms per pair, one at a time and 15 at once (the reader's candidates)."""
    v = load_verifier()
    q = "去年新增了多少个学位？"
    ctx = [f"某市报告 > 一、2023年工作回顾｜新改扩建中小学幼儿园{i}所，新增学位{i}万个，全市中小学教师队伍建设进一步加强。"
           for i in range(n)]
    t = time.perf_counter()
    for c in ctx[:50]:
        v.logits(q, [c])
    single = (time.perf_counter() - t) * 1000 / 50
    t = time.perf_counter()
    for i in range(50, n, 15):
        v.logits(q, ctx[i : i + 15])
    batch = (time.perf_counter() - t) * 1000 / (n - 50)
    return single, batch


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(ROOT / "eval" / "verifier_dev.jsonl"))
    ap.add_argument("--corpus", action="append", default=None)
    args = ap.parse_args()
    questions = read_questions(Path(args.questions))
    corpora = [Path(c).resolve() for c in (args.corpus or [str(ROOT.parent / "shared" / "train-corpus")])]
    single, batch = pair_cost()
    print(f"verifier: {single:.1f} ms per pair alone, {batch:.1f} ms per pair in runs of 15 (2 threads)")
    print("| verifier | questions | answer p50 ms (≤300) | p95 ms | accuracy | wrong answers shown |")
    print("|---|---|---|---|---|---|")
    index = ROOT / "bench" / "out" / f"index-verifier-{'-'.join(c.name for c in corpora)}"
    build_index(Settings(), corpora, index)
    for on in (False, True):
        settings = Settings(verifier=on)
        assistant = Assistant(settings, index)
        assistant.ask("预热")
        s = run_retrieval(assistant.retriever, questions, assistant=assistant)["summary"]
        lat = (s["answer_latency_p50_ms"], s["answer_latency_p95_ms"])
        print(f"| {'on' if on else 'off'} | {s['questions']} | {lat[0]:.1f} | {lat[1]:.1f} | "
              f"{s['answer_accuracy']:.3f} | {s['wrong_answers_shown']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
