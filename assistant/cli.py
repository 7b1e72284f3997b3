"""`assistant` command line: index, search, eval."""

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
    from .index_store import build_index

    report = build_index(settings, corpora, index, progress=None if quiet else _progress_bar("索引"))
    if not quiet:
        print_report(report)
    return report


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
    print(f"索引完成：新增 {len(report.added)}，更新 {len(report.changed)}，删除 {len(report.removed)}，"
          f"未变 {len(report.unchanged)}；共 {report.chunks} 个片段，用时 {report.seconds:.1f} 秒"
          f"（{rate:,.0f} 字/秒）。", file=err)


def cmd_index(args) -> int:
    settings = _settings(args)
    corpora, index = _corpus_and_index(args, settings)
    report = ensure_index(settings, corpora, index)
    return 1 if report.failed and not report.chunks else 0


def _retriever(settings: Settings, index: Path):
    from .index_store import load_index
    from .retrieve import HybridRetriever

    return HybridRetriever.from_index(load_index(index), settings)


def _filters(args):
    from .retrieve import Filters

    return Filters(docs=args.doc or None, region=args.region or "", year=args.year, genre=args.genre or "")


def _print_hits(question: str, hits, as_json: bool, latency_ms: float, unmatched: list[str]) -> None:
    from .clean import strip_artifacts

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


def _check_question(q: str) -> str | None:
    if not q.strip():
        return "问题不能为空。"
    if len(q) > 2000:
        return f"问题太长（{len(q)} 字），请精简到 2000 字以内。"
    return None


def cmd_search(args) -> int:
    settings = _settings(args)
    corpora, index = _corpus_and_index(args, settings)
    if args.corpus:
        ensure_index(settings, corpora, index, quiet=True)
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
        problem = _check_question(q)
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
    from .evaluate import QuestionSetError, read_questions, run_retrieval

    settings = _settings(args)
    corpora, index = _corpus_and_index(args, settings)
    try:
        questions = read_questions(Path(args.questions))
    except (OSError, QuestionSetError) as exc:
        print(f"无法读取问题集：{exc}", file=sys.stderr)
        return 2
    ensure_index(settings, corpora, index, quiet=False)
    retriever = _retriever(settings, index)
    retriever.search("预热")  # first query loads the model; keep it out of the latency figures
    result = run_retrieval(retriever, questions, progress=_progress_bar("评测", "题"))
    result["summary"]["corpus"] = [str(c) for c in corpora]
    result["summary"]["mode"] = "retrieval-only"
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    s = result["summary"]
    print(f"问题 {s['questions']}（可回答 {s['answerable']}）  hit@1 {s['hit@1']:.3f}  hit@5 {s['hit@5']:.3f}  "
          f"MRR@10 {s['mrr@10']:.3f}  延迟 p50 {s['latency_p50_ms']:.1f} ms  p95 {s['latency_p95_ms']:.1f} ms")
    for t, b in s["by_type"].items():
        print(f"  {t:<10} n={b['questions']:<3} hit@1 {b['hit@1']:.3f}  hit@5 {b['hit@5']:.3f}  MRR {b['mrr@10']:.3f}")
    print(f"结果已写入 {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="教育局工作文档问答助手")
    p.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    sub = p.add_subparsers(dest="command", required=True)

    def corpus_opts(sp):
        sp.add_argument("--corpus", action="append", metavar="DIR", help="文档目录（可重复；默认 corpus/）")
        sp.add_argument("--index", metavar="DIR", help="索引目录（默认 index/）")

    sp = sub.add_parser("index", help="建立或增量更新索引")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_index)

    sp = sub.add_parser("search", help="检索相关段落（不带问题则进入交互模式）")
    sp.add_argument("question", nargs="?")
    sp.add_argument("--k", type=int, default=5)
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--region")
    sp.add_argument("--year", type=int)
    sp.add_argument("--genre")
    sp.add_argument("--doc", action="append", help="只在这些文档（文件名）中检索")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("eval", help="用问题集评测")
    sp.add_argument("questions")
    sp.add_argument("--out", required=True)
    sp.add_argument("--retrieval-only", action="store_true", help="只评测检索")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_eval)
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
    except Exception as exc:
        from .embed import ModelMissing
        from .index_store import IndexMissing

        if isinstance(exc, (IndexMissing, ModelMissing, FileNotFoundError, RuntimeError)):
            print(str(exc), file=sys.stderr)
            log.debug("details", exc_info=True)
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
