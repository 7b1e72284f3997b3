"""Managing the document library: list, add (checked), delete, edit metadata, compare cleaned and original.

Changes touch corpus/ only; the index follows at the next (incremental, atomic) re-index, so questions
are answered from the previous index until then.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..settings import Settings
from ..text.clean import clean
from ..text.normalize import has_controls, invisible_chars, lookalike_key
from .chunk import chunk_document
from .load import SIDE_SUFFIX, SUPPORTED, LoadError, is_document, load_file
from .metadata import extract_metadata
from .store import load_manifest


class LibraryError(ValueError):
    """The message is for the user, in Chinese."""


@dataclass
class DocRow:
    name: str
    title: str
    region: str
    years: list[int]
    genre: str
    chunks: int  # 0 = not indexed yet
    size_kb: float


META_CHARS = 100  # a title, region or genre typed in the library tab


def _safe_name(name: str) -> str:
    """The name a file keeps in the corpus, in NFC; refused (never silently changed otherwise) when it holds a
    path, a control character or NUL, an invisible or format character, starts with a dot, or is too long."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    shown = repr(name)[1:-1][:60] or "（空）"
    hidden = invisible_chars(name)
    if hidden:
        codes = "、".join(sorted({f"U+{ord(c):04X}" for c in hidden}))
        raise LibraryError(f"文件名不合适：{shown} 含有看不见的字符（{codes}），请改名后再上传。")
    if (not name or "/" in name or "\\" in name or name.startswith(".") or has_controls(name)
            or name.endswith(SIDE_SUFFIX) or len(name) > 120):
        raise LibraryError(f"文件名不合适：{shown}（不能含路径、控制字符，不能以点开头，不超过 120 字）")
    return name


def _lookalike(settings: Settings, name: str) -> str | None:
    """An existing document whose name reads the same as `name` but is not it (case, full-width forms,
    invisible characters): staff could not tell which one an answer cites."""
    key = lookalike_key(name)
    folder = settings.corpus_path
    for path in folder.rglob("*") if folder.is_dir() else ():
        other = str(path.relative_to(folder))
        if other != name and is_document(path) and lookalike_key(other) == key:
            return other
    return None


def _doc_path(settings: Settings, name: str) -> Path:
    path = settings.corpus_path / _safe_name(name)
    if not is_document(path):
        raise LibraryError(f"文档库中没有 {name}。")
    return path


def list_docs(settings: Settings, index: Path | None = None) -> list[DocRow]:
    try:
        indexed = load_manifest(index or settings.index_path).get("docs", {})
    except (OSError, ValueError):  # an unreadable index: every document shows as not indexed until rebuilt
        indexed = {}
    rows = []
    folder = settings.corpus_path
    for path in sorted(p for p in folder.rglob("*") if is_document(p)):
        name = str(path.relative_to(folder))
        entry = indexed.get(name)
        meta = entry["meta"] if entry else {}
        rows.append(DocRow(name=name, title=meta.get("title", "（未索引）"), region=meta.get("region", ""),
                           years=list(meta.get("years", [])), genre=meta.get("genre", ""),
                           chunks=entry["chunks"] if entry else 0, size_kb=round(path.stat().st_size / 1024, 1)))
    return rows


def add_file(settings: Settings, source: Path, name: str | None = None, overwrite: bool = False) -> str:
    """Copies a file into the corpus after checking it reads as a document; returns its name."""
    source = Path(source)
    name = _safe_name(name or source.name)
    if Path(name).suffix.lower() not in SUPPORTED:
        raise LibraryError(f"不支持的文件类型：{Path(name).suffix or '（无扩展名）'}。支持 {'、'.join(SUPPORTED)}。")
    size_mb = source.stat().st_size / 2**20
    if size_mb > settings.max_file_mb:
        raise LibraryError(f"文件太大（{size_mb:.1f} MB），上限 {settings.max_file_mb:g} MB。")
    # Read it the way the indexer will, under its own name: a corrupt or empty file is refused now.
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / name
        shutil.copyfile(source, probe)
        try:
            raw = load_file(probe, settings.max_file_mb)
        except LoadError as exc:
            raise LibraryError(f"{name}：{exc.message}") from exc
    cleaned = clean(raw.text)
    # What the indexer would make of it: a document it can cut no passage from (only pictures, blanks, a title)
    # would sit in the library answering nothing.
    if not any(unicodedata.category(c)[0] in "LN" for c in cleaned.text) or not chunk_document(
            cleaned, raw.text, name, raw.sha256[:12], settings.chunk_size, settings.chunk_min,
            settings.chunk_overlap_sentences):
        raise LibraryError(f"{name}：没有可读的正文（可能只有图片、空白或一两句话），未加入。")
    similar = _lookalike(settings, name)
    if similar is not None:
        raise LibraryError(f"{name}：与文档库中的 {similar} 看起来是同一个名字（只差大小写、全角或看不见的字符），"
                           "请改用能区分的名字。")
    target = settings.corpus_path / name
    if target.exists() and not overwrite:
        raise LibraryError(f"文档库中已有同名文件 {name}；请先删除或改名后再上传。")
    settings.corpus_path.mkdir(parents=True, exist_ok=True)
    tmp_target = target.with_name(f".{name}.uploading")
    try:
        shutil.copyfile(source, tmp_target)
        os.replace(tmp_target, target)
    except OSError as exc:  # disk full, say: nothing half-written is left, the corpus is as it was
        tmp_target.unlink(missing_ok=True)
        raise LibraryError(f"{name}：保存失败（{exc.strerror or '磁盘已满或不可写'}），文档库未改动。") from exc
    return name


def delete_doc(settings: Settings, name: str) -> None:
    path = _doc_path(settings, name)
    path.unlink()
    path.with_name(path.name + SIDE_SUFFIX).unlink(missing_ok=True)


def read_meta(settings: Settings, name: str) -> dict:
    path = _doc_path(settings, name)
    raw = load_file(path, settings.max_file_mb)
    return extract_metadata(raw, clean(raw.text)).to_dict()


def set_meta(settings: Settings, name: str, title: str, region: str, years: str | list, genre: str) -> dict:
    """Writes the sidecar that overrides what extraction found; empty fields fall back to extraction."""
    path = _doc_path(settings, name)
    if isinstance(years, str):
        found = re.findall(r"(?:19|20)\d{2}", years)
        if years.strip() and not found:
            raise LibraryError(f"年份格式不对：{years}（例如 2023、2024）。")
        years = [int(y) for y in found]
    for label, value in (("标题", title), ("地区", region), ("体裁", genre)):
        if len(value) > META_CHARS or has_controls(value):
            raise LibraryError(f"{label}不能超过 {META_CHARS} 字，也不能含控制字符。")
    data = {k: v for k, v in {"title": title.strip(), "region": region.strip(), "years": years,
                              "genre": genre.strip()}.items() if v}
    side = path.with_name(path.name + SIDE_SUFFIX)
    if data:
        side.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        side.unlink(missing_ok=True)
    return data


def texts(settings: Settings, name: str) -> tuple[str, str]:
    """(original, cleaned search text) of a document, for side-by-side viewing."""
    path = _doc_path(settings, name)
    raw = load_file(path, settings.max_file_mb)
    return raw.text, clean(raw.text).text
