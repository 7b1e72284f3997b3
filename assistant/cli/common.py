"""What the commands share: settings, which corpus and index a command works on, progress bars, bringing the
index up to date, opening the retriever or the assistant, and reading question or task sets."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from ..settings import Settings


def load_settings(args) -> Settings:
    return Settings()


def corpus_and_index(args, settings: Settings) -> tuple[list[Path], Path]:
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


def progress_bar(desc: str, unit: str = "段"):
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
    from ..ingest.build import build_index

    report = build_index(settings, corpora, index, progress=None if quiet else progress_bar("索引"))
    if not quiet:
        print_report(report)
    return report


def index_if_needed(args, settings: Settings, corpora: list[Path], index: Path) -> None:
    """A named corpus is brought up to date; a missing index is built first (a fresh install just works)."""
    from ..ingest.load import list_documents
    from ..ingest.store import IndexMissing, current_version

    if current_version(index) is None:
        if not any(c.is_dir() and list_documents(c) for c in corpora):
            raise IndexMissing(f"索引不存在，文档目录 {'、'.join(map(str, corpora))} 中也没有可索引的文档。"
                               "请把文档放进去后运行 assistant index。")
        print("首次使用，正在建立索引…", file=sys.stderr)
        ensure_index(settings, corpora, index, quiet=False)
    elif args.corpus:
        ensure_index(settings, corpora, index, quiet=True)


def indexed_corpus(args) -> tuple[Settings, list[Path], Path]:
    """Settings, corpora and index of a command that reads the index, the index brought up to date as needed."""
    settings = load_settings(args)
    corpora, index = corpus_and_index(args, settings)
    index_if_needed(args, settings, corpora, index)
    return settings, corpora, index


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


def open_retriever(settings: Settings, index: Path):
    from ..ingest.store import load_index
    from ..retrieval.hybrid import HybridRetriever

    return HybridRetriever.from_index(load_index(index, settings), settings)


def filters_from(args):
    from ..retrieval.filters import Filters

    return Filters(docs=args.doc or None, region=args.region or "", year=args.year, genre=args.genre or "")


def open_assistant(settings: Settings, index: Path):
    from ..answering.assistant import Assistant

    return Assistant(settings, index)


def write_json(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def asked(question: str | None, prompt: str, intro: str):
    """The question given on the command line; without one, each line typed at the prompt until an empty
    line or Ctrl-D (after `intro` on stderr)."""
    if question is not None:
        yield question
        return
    print(intro, file=sys.stderr)
    while True:
        try:
            q = input(prompt)
        except EOFError:
            return
        if not q.strip():
            return
        yield q
