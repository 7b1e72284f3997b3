"""The index on disk: reading the active version, and switching to a new one atomically.

Layout of index/:
  CURRENT                 name of the active version folder (replaced atomically)
  v-<time>-<id>/          one complete index: manifest.json (with the backend's "store" entry), chunks.jsonl
                          (chunks and their BM25 tokens), terms.json (document frequencies), and the backend's
                          files (faiss: dense.faiss and bm25_*; milvus: none, its collection is named in the
                          manifest)
  .building-*/            a build in progress; left behind only by a crash, removed by the next build
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .schema import Chunk, DocMeta
from .backends import open_backend
from .vector_store import IndexMissing, Rows, StoreReader, StoreUnavailable, VectorStore, idf_table


@dataclass
class IndexData:
    path: Path
    manifest: dict
    chunks: list[Chunk]
    tokens: list[list[str]]  # empty unless asked for (a build reuses them)
    metas: dict[str, DocMeta]
    store: StoreReader  # the backend's search structures, row i = chunks[i]
    idf: dict[str, float]  # how rare each word is in the corpus, whichever backend searches


def current_version(index_dir: Path) -> Path | None:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return None
    path = index_dir / pointer.read_text(encoding="utf-8").strip()
    return path if (path / "manifest.json").exists() else None


def load_manifest(index_dir: Path) -> dict:
    """The active version's manifest ({} without an index): document metadata and chunk counts, cheaply."""
    path = current_version(index_dir)
    return json.loads((path / "manifest.json").read_text(encoding="utf-8")) if path else {}


class IndexWriteError(RuntimeError):
    """A new version could not be written; the active one is unchanged. The message is for the user."""


class IndexCorrupt(IndexMissing):
    """The active version's files cannot be read (truncated, overwritten); the next build replaces them."""


REBUILD_HINT = "请运行 assistant index 重新建立（会自动整体重建），或在网页“文档库”中点“重新建立索引”。"


def load_index(index_dir: Path, settings=None, with_tokens: bool = False) -> IndexData:
    """The active version, read with the backend its manifest names. Every chunk's tokens are kept only when
    `with_tokens` (a build reuses them): an answering process searches the backend's BM25, not the tokens."""
    path = current_version(index_dir)
    if path is None:
        raise IndexMissing(f"索引不存在：{index_dir}。请先运行 assistant index。")
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        entry = manifest.get("store") or {"kind": "faiss"}
        backend = open_backend(settings or _default_settings(), index_dir, entry["kind"])
        chunks, tokens = [], []
        with (path / "chunks.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                words = row.pop("tokens")
                if with_tokens:
                    tokens.append(words)
                chunks.append(Chunk(**row))
        metas = {name: DocMeta(**d["meta"]) for name, d in manifest["docs"].items()}
        terms = json.loads((path / "terms.json").read_text(encoding="utf-8"))
        reader = backend.open(path, entry)
        count = reader.count()
    except StoreUnavailable:
        raise
    except Exception as exc:  # truncated JSON, a faiss file cut short, a missing field: all one fault
        raise IndexCorrupt(f"索引文件已损坏（{path.name}：{type(exc).__name__}）。{REBUILD_HINT}") from exc
    if count != len(chunks):
        raise IndexCorrupt(f"索引文件不一致（{count} 个向量，{len(chunks)} 个片段）。{REBUILD_HINT}")
    return IndexData(path=path, manifest=manifest, chunks=chunks, tokens=tokens, metas=metas, store=reader,
                     idf=idf_table(terms["df"], terms["n"]))


def _default_settings():
    from ..settings import Settings

    return Settings()


@contextmanager
def build_lock(index_dir: Path):
    """One build at a time per index folder; stale build folders of a crashed build are cleared."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError("另一个索引任务正在运行，请稍后再试。") from None
        for stale in index_dir.glob(".building-*"):
            shutil.rmtree(stale, ignore_errors=True)
        yield


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_version(index_dir: Path, backend: VectorStore, rows: Rows, df: dict[str, int], manifest: dict,
                  keep: Path | None = None) -> str:
    """Write a complete new version beside the active one (the backend's part first), then switch CURRENT to it
    in one rename. Other versions are removed, except `keep` (the previous one, which a reader may have just
    loaded)."""
    # Unique even for two builds in one second from one process (the previous version is still on disk).
    version = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    building = index_dir / f".building-{version}"
    entry = None
    try:
        building.mkdir(parents=True)
        entry = backend.write(building, version, rows)
        with (building / "chunks.jsonl").open("w", encoding="utf-8") as fh:
            for ch, tok in zip(rows.chunks, rows.tokens):
                fh.write(json.dumps({**ch.to_dict(), "tokens": tok}, ensure_ascii=False) + "\n")
        (building / "terms.json").write_text(json.dumps({"n": len(rows.chunks), "df": df}, ensure_ascii=False),
                                             encoding="utf-8")
        manifest = {**manifest, "store": entry}
        (building / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        for f in building.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
    except StoreUnavailable:
        shutil.rmtree(building, ignore_errors=True)
        raise
    except (OSError, RuntimeError) as exc:  # disk full: nothing switches
        shutil.rmtree(building, ignore_errors=True)
        if entry:
            backend.discard(entry)
        raise IndexWriteError(f"写入新索引失败（{getattr(exc, 'strerror', None) or '磁盘空间不足或不可写'}），"
                              "索引未更新，仍使用原来的索引。请腾出磁盘空间后重新建立索引。") from exc
    final = index_dir / version
    os.rename(building, final)
    pointer_tmp = index_dir / f".CURRENT.{os.getpid()}"
    pointer_tmp.write_text(version, encoding="utf-8")
    with open(pointer_tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(pointer_tmp, index_dir / "CURRENT")  # the switch: readers see the old or the new, never half
    _fsync_dir(index_dir)
    backend.activate(entry)
    kept = [entry]
    for other in index_dir.glob("v-*"):
        # The previous version stays one build longer: a reader that loaded it just now can finish.
        if other.name == version:
            continue
        other_entry = _store_entry(other)
        if other == keep:
            kept.append(other_entry)
            continue
        if other_entry.get("kind") == backend.kind:
            backend.discard(other_entry)
        shutil.rmtree(other, ignore_errors=True)
    backend.sweep(kept)  # what a build killed midway left outside its folder
    return version


def _store_entry(version_dir: Path) -> dict:
    try:
        return json.loads((version_dir / "manifest.json").read_text(encoding="utf-8")).get("store") or {"kind": "faiss"}
    except (OSError, ValueError):
        return {}
