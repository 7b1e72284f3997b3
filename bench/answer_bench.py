"""Answer benchmark: the extractive engine over the bundled corpus and bundled + ../shared/extra-corpus.

Prints answer accuracy, citation accuracy, refusal and false-refusal rates and answer latency p50/p95
against the targets of the answer issue (accuracy ≥0.90 / ≥0.80 with extra, refusal ≥0.90,
false refusals ≤3%, p50 ≤300 ms). Indexes are built (incrementally) under bench/out/.

    .venv/bin/python bench/answer_bench.py [--questions eval/questions.jsonl]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.assistant import Assistant
from assistant.evaluation.answers import run_retrieval
from assistant.evaluation.questions import read_questions
from assistant.ingest.build import build_index
from assistant.settings import Settings

EXTRA = ROOT.parent / "shared" / "extra-corpus"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", default=str(ROOT / "eval" / "questions.jsonl"))
    args = ap.parse_args()
    questions = read_questions(Path(args.questions))
    settings = Settings()
    runs = [("bundled", [settings.corpus_path], 0.90)]
    if EXTRA.is_dir():
        runs.append(("bundled+extra", [settings.corpus_path, EXTRA], 0.80))
    print("| corpus | accuracy (target) | citation acc | refusal (≥0.90) | false refusals (≤0.03) | p50 ms (≤300) | p95 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, corpora, target in runs:
        index = ROOT / "bench" / "out" / f"index-{name}"
        build_index(settings, corpora, index)
        assistant = Assistant(settings, index)
        assistant.ask("预热")
        s = run_retrieval(assistant.retriever, questions, assistant=assistant)["summary"]
        print(f"| {name} | {s['answer_accuracy']:.3f} (≥{target:.2f}) | {s['citation_accuracy']:.3f} | "
              f"{s['refusal_rate']:.3f} | {s['false_refusal_rate']:.3f} | {s['answer_latency_p50_ms']:.1f} | "
              f"{s['answer_latency_p95_ms']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
