"""`assistant calibrate-cascade`: choose the cascade's thresholds from dev results of both engines."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _rows(paths: list[str], allow_test: bool) -> list[dict] | None:
    from ..evaluation.questions import is_test_split

    rows = []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            source = data["summary"].get("questions_file", "")
            results = data["results"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            print(f"无法读取评测结果 {path}：{exc}", file=sys.stderr)
            return None
        if (is_test_split(path) or is_test_split(source)) and not allow_test:
            print(f"拒绝在测试集结果上校准：{path}（{source}；确需如此请加 --allow-test）", file=sys.stderr)
            return None
        rows += results
    return rows


def cmd_calibrate_cascade(args) -> int:
    from ..evaluation.cascade import best_thresholds, metrics, pair_results

    extractive, llm = _rows(args.extractive, args.allow_test), _rows(args.llm, args.allow_test)
    if extractive is None or llm is None:
        return 2
    pairs = pair_results(extractive, llm)
    if not pairs:
        print("两组结果没有共同的题目（按 id 对应）。", file=sys.stderr)
        return 2
    a, r, m = best_thresholds(pairs, args.max_false_refusals)

    def line(name: str, x: dict) -> str:
        return (f"{name}  准确率 {x['accuracy']:.3f}  误拒率 {x['false_refusals']:.3f}  拒答率 {x['refusal']:.3f}"
                f"  交给大模型 {x['to_llm']:.0%}")

    print(f"两种引擎都回答过的题 {len(pairs)} 道")
    print(line("只用抽取式", metrics([p.extractive for p in pairs])))
    print(line("只用大模型", metrics([p.llm for p in pairs], len(pairs))))
    print(line("级联（校准后）", m))
    print("写入 assistant.toml 即可使用：")
    print(f"cascade_answer_score = {a}")
    print(f"cascade_refusal_score = {r}")
    return 0
