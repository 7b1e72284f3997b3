"""`assistant eval` and `assistant eval-draft`: a question or task set run and scored, with a report."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import corpus_and_index, ensure_index, load_settings, open_assistant, open_retriever, progress_bar, write_json


def _prepare(args, read, error: type[Exception], path: str, what: str):
    """Settings, corpora and index of the command, and its question or task set (None after saying why it
    cannot be read); with a set, the index is brought up to date first."""
    settings = load_settings(args)
    corpora, index = corpus_and_index(args, settings)
    try:
        items = read(Path(path))
    except (OSError, error) as exc:
        print(f"无法读取{what}：{exc}", file=sys.stderr)
        return settings, corpora, index, None
    ensure_index(settings, corpora, index, quiet=False)
    return settings, corpora, index, items


def cmd_eval(args) -> int:
    from ..evaluation.answers import run_retrieval
    from ..evaluation.dialogues import is_dialogue_set
    from ..evaluation.questions import QuestionSetError, read_questions

    if is_dialogue_set(Path(args.questions)):
        return _eval_dialogues(args)
    settings, corpora, index, questions = _prepare(args, read_questions, QuestionSetError, args.questions, "问题集")
    if questions is None:
        return 2
    assistant = None
    if args.retrieval_only:
        retriever = open_retriever(settings, index)
    else:
        assistant = open_assistant(settings, index)
        retriever = assistant.retriever
        assistant.ask("预热")  # the first question loads the model; keep it out of the latency figures
    retriever.search("预热")
    engine = args.engine or settings.engine
    result = run_retrieval(retriever, questions, progress=progress_bar("评测", "题"), assistant=assistant,
                           engine=engine)
    s = result["summary"]
    s["corpus"] = [str(c) for c in corpora]
    s["questions_file"] = str(args.questions)
    s["mode"] = "retrieval-only" if args.retrieval_only else "answers"
    s["engine"] = None if args.retrieval_only else engine
    out = write_json(Path(args.out), result)
    print(f"问题 {s['questions']}（可回答 {s['answerable']}，无答案 {s['unanswerable']}）")
    print(f"检索  hit@1 {s['hit@1']:.3f}  hit@5 {s['hit@5']:.3f}  MRR@10 {s['mrr@10']:.3f}  "
          f"延迟 p50 {s['latency_p50_ms']:.1f} ms  p95 {s['latency_p95_ms']:.1f} ms")
    if assistant is not None:
        refusal = "—" if s["refusal_rate"] is None else f"{s['refusal_rate']:.3f}"
        print(f"回答（{engine}）  错误答案展示率 {s['wrong_answers_shown']:.3f}  准确率 {s['answer_accuracy']:.3f}  引用正确 {s['citation_accuracy']:.3f}  "
              f"正确答案引用正确 {s['correct_cited']:.3f}  拒答率 {refusal}  误拒率 {s['false_refusal_rate']:.3f}  "
              f"延迟 p50 {s['answer_latency_p50_ms']:.1f} ms  p95 {s['answer_latency_p95_ms']:.1f} ms"
              + (f"  出错 {s['errors']}" if s["errors"] else ""))
    for t, b in s["by_type"].items():
        line = f"  {t:<12} n={b['questions']:<3}"
        if "hit@5" in b:
            line += f" hit@5 {b['hit@5']:.3f}"
        if "answer_accuracy" in b:
            line += f" 错答展示 {b['wrong_answers_shown']:.3f}"
            if not b.get("answerable", t != "unanswerable"):  # near_miss, unanswerable: refusals, not accuracy
                line += f" 拒答率 {b['refusal_rate']:.3f}"
            else:
                line += f" 准确率 {b['answer_accuracy']:.3f} 引用 {b['citation_accuracy']:.3f} 误拒 {b['false_refusal_rate']:.3f}"
        print(line)
    print(f"结果已写入 {out}")
    if args.report:
        from ..evaluation.report import write_report

        files = write_report(result, Path(args.report))
        print(f"报告已写入 {files[0].parent}（{', '.join(f.name for f in files)}）")
    return 0


def cmd_eval_draft(args) -> int:
    from ..drafting.service import make_draft
    from ..evaluation.drafts import TaskSetError, read_tasks, run_tasks

    settings, corpora, index, tasks = _prepare(args, read_tasks, TaskSetError, args.tasks, "任务集")
    if tasks is None:
        return 2
    assistant = open_assistant(settings, index)
    engine = args.engine or settings.engine
    result = run_tasks(lambda ins: make_draft(assistant, ins, engine), tasks, progress=progress_bar("起草", "篇"))
    result["summary"].update(engine=engine, corpus=[str(c) for c in corpora])
    out = write_json(Path(args.out), result)
    s = result["summary"]
    print(f"任务 {s['tasks']}  主题覆盖 {s['topic_coverage']:.3f}  结构完整 {s['structure_ok']:.3f}  "
          f"残留旧数字 {s['stale_figures']}  平均待填项 {s['placeholders_mean']}  出处完整 {s['provenance_ok']:.3f}  "
          f"p50 {s['latency_p50_ms']:.0f} ms" + (f"  出错 {s['errors']}" if s["errors"] else ""))
    for r in result["results"]:
        if r.get("error") or (r.get("topic_coverage") or 0) < 1 or r["stale_figures"]:
            print(f"  {r['id']} 覆盖 {r.get('topic_coverage')} 缺 {r.get('topics_missing', [])} 残留 {r['stale_figures']}"
                  + (f" 出错 {r['error']}" if r.get("error") else ""))
    print(f"结果已写入 {out}")
    return 0


def _eval_dialogues(args) -> int:
    """A dialogue set: every turn asked with the conversation so far; first turns and follow-ups reported apart."""
    from ..evaluation.dialogues import read_dialogues, run_dialogues, turn_count
    from ..evaluation.questions import QuestionSetError

    settings, corpora, index, dialogues = _prepare(args, read_dialogues, QuestionSetError, args.questions, "对话集")
    if dialogues is None:
        return 2
    if turn_count(dialogues) > settings.max_eval_questions:
        print(f"对话集太大（{turn_count(dialogues)} 轮），每次最多 {settings.max_eval_questions} 轮。", file=sys.stderr)
        return 2
    assistant = open_assistant(settings, index)
    assistant.ask("预热")
    engine = args.engine or settings.engine
    result = run_dialogues(assistant, dialogues, engine, progress=progress_bar("评测", "轮"))
    s = result["summary"]
    s.update(corpus=[str(c) for c in corpora], questions_file=str(args.questions), mode="dialogues", engine=engine)
    out = write_json(Path(args.out), result)
    print(f"对话 {s['dialogues']}，共 {s['questions']} 轮（可回答 {s['answerable']}，无答案 {s['unanswerable']}）")
    for name, part in (("首轮", s["first_turns"]), ("追问", s["follow_ups"])):
        if part:
            refusal = "—" if part.get("refusal_rate") is None else f"{part['refusal_rate']:.3f}"
            print(f"{name}  {part['questions']} 轮  准确率 {part['answer_accuracy']:.3f}  错误答案展示率 "
                  f"{part['wrong_answers_shown']:.3f}  误拒率 {part['false_refusal_rate']:.3f}  拒答率 {refusal}")
    named = "—" if s.get("year_named") is None else f"{s['year_named']:.3f}"
    print(f"全部  错误答案展示率 {s['wrong_answers_shown']:.3f}  准确率 {s['answer_accuracy']:.3f}  "
          f"写明年份 {named}  延迟 p50 {s['answer_latency_p50_ms']:.1f} ms")
    print(f"结果已写入 {out}")
    if args.report:
        from ..evaluation.report import write_report

        files = write_report(result, Path(args.report), title=f"对话评测报告：{Path(args.questions).name}")
        print(f"报告已写入 {files[0].parent}（{', '.join(f.name for f in files)}）")
    return 0
