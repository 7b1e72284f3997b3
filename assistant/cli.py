"""`assistant` command line: index, search, ask, draft, eval, eval-draft, serve, users, llm-server, check."""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from pathlib import Path

from .settings import Settings

log = logging.getLogger("assistant")


def _settings(args) -> Settings:
    return Settings()


def _corpus_and_index(args, settings: Settings) -> tuple[list[Path], Path]:
    corpora = [Path(c).resolve() for c in (args.corpus or [])] or [settings.corpus_path]
    if args.index:
        index = Path(args.index).resolve()
    elif args.corpus and corpora != [settings.corpus_path]:
        # Another corpus gets its own index beside the default one, reused across runs.
        key = hashlib.sha1("|".join(map(str, corpora)).encode()).hexdigest()[:10]
        index = settings.index_path.parent / f"{settings.index_path.name}-{key}"
    else:
        index = settings.index_path
    return corpora, index


def _progress_bar(desc: str, unit: str = "段"):
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int, message: str = ""):
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=message or desc, unit=unit, file=sys.stderr, leave=False,
                       disable=not sys.stderr.isatty())
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def ensure_index(settings: Settings, corpora: list[Path], index: Path, quiet: bool = False):
    from .ingest.build import build_index

    report = build_index(settings, corpora, index, progress=None if quiet else _progress_bar("索引"))
    if not quiet:
        print_report(report)
    return report


def _index_if_needed(args, settings: Settings, corpora: list[Path], index: Path) -> None:
    """A named corpus is brought up to date; a missing index is built first (a fresh install just works)."""
    from .ingest.load import list_documents
    from .ingest.store import IndexMissing, current_version

    if current_version(index) is None:
        if not any(c.is_dir() and list_documents(c) for c in corpora):
            raise IndexMissing(f"索引不存在，文档目录 {'、'.join(map(str, corpora))} 中也没有可索引的文档。"
                               "请把文档放进去后运行 assistant index。")
        print("首次使用，正在建立索引…", file=sys.stderr)
        ensure_index(settings, corpora, index, quiet=False)
    elif args.corpus:
        ensure_index(settings, corpora, index, quiet=True)


def print_report(report) -> None:
    err = sys.stderr
    if report.rebuilt_reason:
        print(f"注意：{report.rebuilt_reason}。", file=err)
    for name, message in report.failed:
        print(f"未能读取 {name}：{message}", file=err)
    if not report.changed_anything:
        print(f"索引已是最新（{len(report.unchanged)} 个文档，{report.chunks} 个片段）。", file=err)
        return
    rate = report.embedded_chars / report.seconds if report.seconds else 0
    if report.meta_updated:
        print(f"元数据已更新：{'、'.join(report.meta_updated)}", file=err)
    print(f"索引完成：新增 {len(report.added)}，更新 {len(report.changed)}，删除 {len(report.removed)}，"
          f"未变 {len(report.unchanged)}；共 {report.chunks} 个片段，用时 {report.seconds:.1f} 秒"
          f"（{rate:,.0f} 字/秒）。", file=err)


def cmd_index(args) -> int:
    settings = _settings(args)
    corpora, index = _corpus_and_index(args, settings)
    report = ensure_index(settings, corpora, index)
    return 1 if report.failed and not report.chunks else 0


def _retriever(settings: Settings, index: Path):
    from .ingest.store import load_index
    from .retrieval.hybrid import HybridRetriever

    return HybridRetriever.from_index(load_index(index), settings)


def _filters(args):
    from .retrieval.filters import Filters

    return Filters(docs=args.doc or None, region=args.region or "", year=args.year, genre=args.genre or "")


def _print_hits(question: str, hits, as_json: bool, latency_ms: float, unmatched: list[str]) -> None:
    from .text.normalize import strip_artifacts

    if as_json:
        print(json.dumps({"question": question, "latency_ms": round(latency_ms, 1), "unmatched_places": unmatched,
                          "hits": [h.to_dict() for h in hits]}, ensure_ascii=False, indent=1))
        return
    if unmatched:
        print(f"注意：文档库中没有关于{'、'.join(unmatched)}的文档，以下段落来自其他地区，仅供参考。\n")
    if not hits:
        print("没有找到相关段落。")
        return
    for n, h in enumerate(hits, 1):
        section = " > ".join(h.chunk.section) or "（正文）"
        years = "、".join(map(str, h.meta.years))
        print(f"[{n}] {h.meta.title}（{h.chunk.doc}）")
        print(f"    {h.meta.region} {years} {h.meta.genre} | {section} | 得分 {h.score:.4f}")
        # Readable form for the terminal (no glued pinyin or tags); --json keeps the exact original span.
        for line in h.chunk.text.strip().splitlines():
            if line.strip():
                print(f"    {strip_artifacts(line)}")
        print()


def _check_question(q: str, settings: Settings) -> str | None:
    from .answering.validation import BadQuestion, check_question

    try:
        check_question(q, settings)
    except BadQuestion as exc:
        return str(exc)
    return None


def cmd_search(args) -> int:
    settings = _settings(args)
    corpora, index = _corpus_and_index(args, settings)
    _index_if_needed(args, settings, corpora, index)
    retriever = _retriever(settings, index)
    filters = _filters(args)
    questions = [args.question] if args.question is not None else None
    if questions is None:
        print("输入问题后回车检索，空行或 Ctrl-D 退出。", file=sys.stderr)
    while True:
        if questions is not None:
            if not questions:
                return 0
            q = questions.pop()
        else:
            try:
                q = input("问题> ")
            except EOFError:
                return 0
            if not q.strip():
                return 0
        problem = _check_question(q, settings)
        if problem:
            print(problem, file=sys.stderr)
            if questions is not None:
                return 2
            continue
        t0 = time.perf_counter()
        info = retriever.analyse(q)
        hits = retriever.search(q, k=args.k, filters=filters, info=info)
        latency = (time.perf_counter() - t0) * 1000
        _print_hits(q, hits, args.json, latency, [] if info.place_docs else info.unmatched_places)


def cmd_eval(args) -> int:
    from .evaluation.answers import run_retrieval
    from .evaluation.questions import QuestionSetError, read_questions

    settings = _settings(args)
    corpora, index = _corpus_and_index(args, settings)
    try:
        questions = read_questions(Path(args.questions))
    except (OSError, QuestionSetError) as exc:
        print(f"无法读取问题集：{exc}", file=sys.stderr)
        return 2
    ensure_index(settings, corpora, index, quiet=False)
    assistant = None
    if args.retrieval_only:
        retriever = _retriever(settings, index)
    else:
        assistant = _assistant(settings, index)
        retriever = assistant.retriever
        assistant.ask("预热")  # the first question loads the model; keep it out of the latency figures
    retriever.search("预热")
    engine = args.engine or settings.engine
    result = run_retrieval(retriever, questions, progress=_progress_bar("评测", "题"), assistant=assistant,
                           engine=engine)
    s = result["summary"]
    s["corpus"] = [str(c) for c in corpora]
    s["mode"] = "retrieval-only" if args.retrieval_only else "answers"
    s["engine"] = None if args.retrieval_only else engine
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"问题 {s['questions']}（可回答 {s['answerable']}，无答案 {s['unanswerable']}）")
    print(f"检索  hit@1 {s['hit@1']:.3f}  hit@5 {s['hit@5']:.3f}  MRR@10 {s['mrr@10']:.3f}  "
          f"延迟 p50 {s['latency_p50_ms']:.1f} ms  p95 {s['latency_p95_ms']:.1f} ms")
    if assistant is not None:
        refusal = "—" if s["refusal_rate"] is None else f"{s['refusal_rate']:.3f}"
        print(f"回答（{engine}）  准确率 {s['answer_accuracy']:.3f}  引用正确 {s['citation_accuracy']:.3f}  "
              f"正确答案引用正确 {s['correct_cited']:.3f}  拒答率 {refusal}  误拒率 {s['false_refusal_rate']:.3f}  "
              f"延迟 p50 {s['answer_latency_p50_ms']:.1f} ms  p95 {s['answer_latency_p95_ms']:.1f} ms"
              + (f"  出错 {s['errors']}" if s["errors"] else ""))
    for t, b in s["by_type"].items():
        line = f"  {t:<12} n={b['questions']:<3}"
        if "hit@5" in b:
            line += f" hit@5 {b['hit@5']:.3f}"
        if "answer_accuracy" in b:
            if t == "unanswerable":
                line += f" 拒答率 {b['refusal_rate']:.3f}"
            else:
                line += f" 准确率 {b['answer_accuracy']:.3f} 引用 {b['citation_accuracy']:.3f} 误拒 {b['false_refusal_rate']:.3f}"
        print(line)
    print(f"结果已写入 {out}")
    if args.report:
        from .evaluation.report import write_report

        files = write_report(result, Path(args.report))
        print(f"报告已写入 {files[0].parent}（{', '.join(f.name for f in files)}）")
    return 0


def _assistant(settings: Settings, index: Path):
    from .answering.assistant import Assistant

    return Assistant(settings, index)


def _print_answer(answer, as_json: bool, streamed: bool = False) -> None:
    from .text.normalize import strip_artifacts

    if as_json:
        d = answer.to_dict()
        print(json.dumps(d, ensure_ascii=False, indent=1))
        return
    if streamed:
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr)
    print(answer.answer)
    if answer.standalone_question and answer.standalone_question != answer.question:
        print(f"（理解为：{answer.standalone_question}）")
    for w in answer.warnings:
        print(f"⚠ {w}")
    if answer.citations:
        print("\n来源：")
    for c in answer.citations:
        years = "、".join(map(str, c.years))
        where = " ".join(x for x in (c.region, years) if x)
        print(f"[{c.n}] {c.title}（{where}）｜{c.section or '正文'}")
        print(f"    “{strip_artifacts(c.quote)}”  （{c.doc} 第 {c.start}–{c.end} 字）")
    print()


def cmd_ask(args) -> int:
    from .answering.validation import BadQuestion
    from .llm.chat import LLMUnavailable
    from .answering.schema import Answer

    settings = _settings(args)
    corpora, index = _corpus_and_index(args, settings)
    _index_if_needed(args, settings, corpora, index)
    assistant = _assistant(settings, index)
    filters = _filters(args)
    history: list[tuple[str, str]] = []
    interactive = args.question is None
    if interactive:
        print("输入问题后回车，可以接着追问；输入“新对话”清空上下文，空行或 Ctrl-D 退出。", file=sys.stderr)
    while True:
        if interactive:
            try:
                q = input("问> ")
            except EOFError:
                return 0
            if not q.strip():
                return 0
            if q.strip() in ("新对话", "/new"):
                history.clear()
                continue
        else:
            q = args.question
        try:
            answer = None
            streamed = False
            for event in assistant.stream(q, history, filters, args.engine):
                if isinstance(event, Answer):
                    answer = event
                elif not args.json and sys.stderr.isatty():
                    streamed = True
                    print(event, end="", flush=True, file=sys.stderr)
        except (BadQuestion, LLMUnavailable) as exc:
            print(str(exc), file=sys.stderr)
            if not interactive:
                return 2
            continue
        assert answer is not None
        _print_answer(answer, args.json, streamed)
        history.append((q, answer.answer))
        if not interactive:
            return 0


def cmd_draft(args) -> int:
    from .answering.validation import BadQuestion
    from .drafting.service import make_draft

    settings = _settings(args)
    corpora, index = _corpus_and_index(args, settings)
    _index_if_needed(args, settings, corpora, index)
    assistant = _assistant(settings, index)
    try:
        draft = make_draft(assistant, args.instruction, args.engine, args.place or "", args.year)
    except BadQuestion as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.docx:
        from .drafting.docx_export import write_docx

        print(f"Word 文件：{write_docx(draft, Path(args.docx))}", file=sys.stderr)
    if args.md:
        Path(args.md).parent.mkdir(parents=True, exist_ok=True)
        Path(args.md).write_text(draft.markdown(), encoding="utf-8")
        print(f"Markdown 文件：{args.md}", file=sys.stderr)
    if args.json:
        print(json.dumps(draft.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(draft.markdown())
        for w in draft.warnings:
            print(f"⚠ {w}", file=sys.stderr)
        print(f"待填项 {len(draft.placeholders)} 处；引用原文 {len(draft.citations)} 句。", file=sys.stderr)
    return 0


def cmd_eval_draft(args) -> int:
    from .evaluation.drafts import TaskSetError, read_tasks, run_tasks
    from .drafting.service import make_draft

    settings = _settings(args)
    corpora, index = _corpus_and_index(args, settings)
    try:
        tasks = read_tasks(Path(args.tasks))
    except (OSError, TaskSetError) as exc:
        print(f"无法读取任务集：{exc}", file=sys.stderr)
        return 2
    ensure_index(settings, corpora, index, quiet=False)
    assistant = _assistant(settings, index)
    engine = args.engine or settings.engine
    result = run_tasks(lambda ins: make_draft(assistant, ins, engine), tasks, progress=_progress_bar("起草", "篇"))
    result["summary"].update(engine=engine, corpus=[str(c) for c in corpora])
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
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


def cmd_serve(args) -> int:
    from .web.auth import UsersFile
    from .llm.server import is_loopback
    from .web.launch import launch

    settings = _settings(args)
    users = UsersFile(settings.users_path)
    if not is_loopback(args.host) and not users.exists():
        print(f"拒绝启动：监听 {args.host} 会让网络上的其他人访问，必须启用登录，但用户文件 {users.path} 不存在。\n"
              f"请先添加管理员：.venv/bin/assistant users add 用户名 --role admin", file=sys.stderr)
        return 2
    if users.exists() and not users.load():
        print(f"拒绝启动：用户文件 {users.path} 中没有任何用户。", file=sys.stderr)
        return 2
    corpora, index = _corpus_and_index(args, settings)
    _index_if_needed(args, settings, corpora, index)
    print(f"网页地址：http://{args.host}:{args.port}"
          + ("（需要登录）" if users.exists() else "（本机访问，无需登录）"), file=sys.stderr)
    launch(settings, args.host, args.port, index, corpora=corpora)
    return 0


def cmd_users(args) -> int:
    import getpass

    from .web.auth import UsersError, UsersFile

    settings = _settings(args)
    users = UsersFile(settings.users_path)
    try:
        if args.action == "add":
            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                password = getpass.getpass("密码：")
                if getpass.getpass("再输入一次：") != password:
                    print("两次输入的密码不一致。", file=sys.stderr)
                    return 2
            users.add(args.name, password, args.role)
            print(f"已保存用户 {args.name}（{args.role}）到 {users.path}。")
        elif args.action == "remove":
            if not users.remove(args.name):
                print(f"没有用户 {args.name}。", file=sys.stderr)
                return 1
            print(f"已删除用户 {args.name}。")
        else:
            for u in users.load().values():
                print(f"{u.name}\t{u.role}")
    except UsersError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


def cmd_check(args) -> int:
    from .ingest.model_files import ModelFilesDamaged, verify_embedding_folder
    from .settings import bundled_m3e_path

    settings = _settings(args)
    try:
        print(verify_embedding_folder(settings.model_path, bundled_m3e_path()))
    except ModelFilesDamaged as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if not args.llm:
        return 0
    from .llm.probe import probe
    from .llm.server import resolve_model
    from .llm.local_model import ModelUnavailable

    try:
        path = resolve_model(settings, args.model or settings.local_model)
    except ModelUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 2
    result = probe(path, settings.model_cache_dir)
    print(result.message, file=sys.stdout if result.ok else sys.stderr)
    return 0 if result.ok else 3


def cmd_llm_server(args) -> int:
    from .llm.server import run
    from .llm.local_model import ModelUnavailable

    settings = _settings(args)
    try:
        return run(settings, args.model or settings.local_model, args.host, args.port or settings.llm_server_port,
                   args.api_key or "")
    except ModelUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="教育局工作文档问答助手")
    p.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    sub = p.add_subparsers(dest="command", required=True)

    def corpus_opts(sp):
        sp.add_argument("--corpus", action="append", metavar="DIR", help="文档目录（可重复；默认 corpus/）")
        sp.add_argument("--index", metavar="DIR", help="索引目录（默认 index/）")

    def filter_opts(sp):
        sp.add_argument("--region", help="只看这个地区的文档")
        sp.add_argument("--year", type=int, help="只看涉及这一年的文档")
        sp.add_argument("--genre", help="只看这类文档（如 工作要点、工作总结）")
        sp.add_argument("--doc", action="append", help="只在这些文档（文件名）中检索")

    sp = sub.add_parser("index", help="建立或增量更新索引")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_index)

    sp = sub.add_parser("search", help="检索相关段落（不带问题则进入交互模式）")
    sp.add_argument("question", nargs="?")
    sp.add_argument("--k", type=int, default=5)
    sp.add_argument("--json", action="store_true")
    filter_opts(sp)
    corpus_opts(sp)
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("ask", help="提问，得到带引用的简短回答（不带问题则进入对话模式，可追问）")
    sp.add_argument("question", nargs="?")
    sp.add_argument("--engine", choices=["extractive", "llm"], help="回答引擎（默认取设置 engine）")
    sp.add_argument("--json", action="store_true")
    filter_opts(sp)
    corpus_opts(sp)
    sp.set_defaults(func=cmd_ask)

    sp = sub.add_parser("eval", help="用问题集评测检索与回答")
    sp.add_argument("questions")
    sp.add_argument("--out", required=True, help="结果 JSON")
    sp.add_argument("--report", metavar="DIR", help="另写一份可读报告（Markdown、HTML、图表）到此目录")
    sp.add_argument("--engine", choices=["extractive", "llm"])
    sp.add_argument("--retrieval-only", action="store_true", help="只评测检索")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_eval)

    sp = sub.add_parser("draft", help="参照往年表述起草工作计划、要点或总结（每段注明出处）")
    sp.add_argument("instruction", help="例如：参照往年表述，为中方县起草2025年校园安全工作计划要点")
    sp.add_argument("--engine", choices=["extractive", "llm"], help="llm：在抽取式草稿上由大模型润色")
    sp.add_argument("--place", help="地区（指令中没有写时）")
    sp.add_argument("--year", type=int, help="年份（指令中没有写时）")
    sp.add_argument("--docx", metavar="OUT.docx", help="另存为公文格式的 Word 文件")
    sp.add_argument("--md", metavar="OUT.md", help="另存为 Markdown")
    sp.add_argument("--json", action="store_true")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_draft)

    sp = sub.add_parser("eval-draft", help="用起草任务集评测草稿")
    sp.add_argument("tasks")
    sp.add_argument("--out", required=True)
    sp.add_argument("--engine", choices=["extractive", "llm"])
    corpus_opts(sp)
    sp.set_defaults(func=cmd_eval_draft)

    sp = sub.add_parser("serve", help="启动网页（默认 http://127.0.0.1:7860）")
    sp.add_argument("--host", default="127.0.0.1", help="监听地址；非本机地址必须先用 assistant users add 建立用户")
    sp.add_argument("--port", type=int, default=7860)
    corpus_opts(sp)
    sp.set_defaults(func=cmd_serve)

    sp = sub.add_parser("users", help="管理网页登录用户（密码只保存哈希）")
    sp.add_argument("action", choices=["add", "remove", "list"])
    sp.add_argument("name", nargs="?", default="")
    sp.add_argument("--role", choices=["staff", "admin"], default="staff",
                    help="staff：问答、起草、评测；admin：另可修改文档库")
    sp.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（脚本用）")
    sp.set_defaults(func=cmd_users)

    sp = sub.add_parser("llm-server", help="启动内置本地模型的 OpenAI 兼容服务（需安装 .[llm]）")
    sp.add_argument("--model", help="0.5b、1.5b 或 .gguf 文件路径（默认取设置 local_model）")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int)
    sp.add_argument("--api-key", help="要求调用方提供此密钥")
    sp.set_defaults(func=cmd_llm_server)

    sp = sub.add_parser("check", help="校验嵌入模型文件；--llm 另在子进程中试运行本地模型，确认编译版本能在本机 CPU 上运行")
    sp.add_argument("--llm", action="store_true", help="同时自检本地大模型（需安装 .[llm]）")
    sp.add_argument("--model", help="0.5b、1.5b 或 .gguf 文件路径（默认取设置 local_model）")
    sp.set_defaults(func=cmd_check)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args) or 0
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into head and the like
        sys.stderr.close()
        return 0
    except Exception as exc:
        from .ingest.embed import ModelMissing
        from .ingest.store import IndexMissing

        if isinstance(exc, (IndexMissing, ModelMissing, FileNotFoundError, RuntimeError)):
            print(str(exc), file=sys.stderr)
            log.debug("details", exc_info=True)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
