"""Follow-up rewriting benchmark: what making a follow-up standalone adds to an extractive answer, on 2 cores.
Target of the conversation issue: ≤ 20 ms p50.

    .venv/bin/python bench/rewrite_bench.py [--dialogues eval/dialogues_dev.jsonl] [--corpus DIR …] [--index DIR]

Each follow-up is rewritten with the conversation so far, exactly as the web chat does (`Assistant.standalone`, which
also rewrites the earlier turns), with the answers the gold data gives as the earlier answers. Indexes are built
(incrementally) under bench/out/. Use a dev set: the test sets are for the final figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.assistant import Assistant  # noqa: E402
from assistant.evaluation.dialogues import read_dialogues  # noqa: E402
from assistant.ingest.build import build_index  # noqa: E402
from assistant.settings import Settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dialogues", default=str(ROOT / "eval" / "dialogues_dev.jsonl"))
    ap.add_argument("--corpus", action="append", default=None)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--index", help="an index of these corpora to reuse (default: one of its own under bench/out/)")
    args = ap.parse_args()
    shared = ROOT.parent / "shared"
    corpora = [Path(c).resolve() for c in (args.corpus or [str(ROOT / "corpus"), str(shared / "extra-corpus"),
                                                            str(shared / "train-corpus")])]
    index = Path(args.index) if args.index else \
        ROOT / "bench" / "out" / f"index-rewrite-{'-'.join(c.name for c in corpora)}"
    settings = Settings()
    build_index(settings, corpora, index)
    assistant = Assistant(settings, index)
    assistant.metas  # loads the index outside the timing
    cases = []
    for d in read_dialogues(Path(args.dialogues)):
        history: list[dict] = []
        for q in d.turns:
            if history:
                cases.append((q.question, list(history)))
            history += [{"role": "user", "content": q.question},
                        {"role": "assistant", "content": "；".join(q.answers) or "资料中没有找到相关信息。"}]
    timings = []
    for _ in range(args.repeat):
        for question, history in cases:
            t = time.perf_counter()
            assistant.standalone(question, history)
            timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"| follow-ups | rewrite p50 ms (≤20) | p95 ms |\n|---|---|---|\n"
          f"| {len(cases)} | {statistics.median(timings):.1f} | {p95:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
