"""`assistant calibrate`: choose the reader's weights and threshold on dev question sets, and say how well
the choice carries to questions it was not tuned on (cross-validation)."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import corpus_and_index, ensure_index, load_settings, open_retriever, progress_bar


def cmd_calibrate(args) -> int:
    from ..answering.extractive import ExtractiveEngine
    from ..evaluation.calibrate import best_verifier_weights, best_weights, collect, cross_validate, outcome
    from ..evaluation.questions import QuestionSetError, is_test_split, read_questions

    settings = load_settings(args)
    corpora, index = corpus_and_index(args, settings)
    questions = []
    for path in args.questions:
        if is_test_split(path) and not args.allow_test:
            print(f"拒绝在测试集上校准：{path}（测试集只用于最后报告；确需如此请加 --allow-test）", file=sys.stderr)
            return 2
        try:
            questions += read_questions(Path(path))
        except (OSError, QuestionSetError) as exc:
            print(f"无法读取问题集：{exc}", file=sys.stderr)
            return 2
    ensure_index(settings, corpora, index, quiet=False)
    engine = ExtractiveEngine(open_retriever(settings, index), settings)
    cases = collect(engine, questions, progress=progress_bar("计算候选句", "题"))
    current = outcome(cases, engine.weights)
    if args.verifier_only:
        chosen = best_verifier_weights(cases, engine.weights, args.max_false_refusals)
        held_out = None
    else:
        chosen = best_weights(cases, args.max_false_refusals)
        held_out = cross_validate(cases, max_false_refusals=args.max_false_refusals)
    fitted = outcome(cases, chosen)

    def line(name: str, m: dict) -> str:
        return (f"{name}  准确率 {m['accuracy']:.3f}  误拒率 {m['false_refusals']:.3f}  拒答率 {m['refusal']:.3f}"
                f"  错误答案展示率 {m['wrong_shown']:.3f}")

    print(f"单一答案的问题 {len(cases)} 道（列举、对比题不参与校准）")
    print(line("当前设置      ", current))
    print(line("校准后（同集） ", fitted))
    if held_out is not None:
        print(line("交叉验证（留出）", held_out))
    print("写入 assistant.toml 即可使用：")
    for key, value in chosen.as_settings().items():
        print(f"{key} = {value}")
    return 0
