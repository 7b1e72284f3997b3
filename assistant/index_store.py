"""The persistent index: build (incrementally, atomically) and load.

Layout of index/:
  CURRENT                 name of the active version folder (replaced atomically)
  v-<time>-<pid>/         one complete index: manifest.json, chunks.jsonl, dense.faiss
  .building-*/            a build in progress; left behind only by a crash, removed by the next build
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .chunk import CHUNKER_VERSION, chunk_document
from .embed import LocalEmbeddings
from .load import LoadError, list_documents, load_file
from .metadata import extract_metadata
from .schema import Chunk, DocMeta
from .settings import Settings
from .text.clean import clean
from .text.normalize import to_simplified
from .text.segment import segmenter_version, tokenize

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


class IndexMissing(RuntimeError):
    pass


@dataclass
class IndexData:
    path: Path
    manifest: dict
    chunks: list[Chunk]
    tokens: list[list[str]]
    metas: dict[str, DocMeta]
    faiss_index: object  # faiss.IndexFlatIP over normalised vectors, row i = chunks[i]


@dataclass
class BuildReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    meta_updated: list[str] = field(default_factory=list)  # same text, edited metadata (vectors reused)
    failed: list[tuple[str, str]] = field(default_factory=list)
    rebuilt_reason: str = ""
    chunks: int = 0
    embedded_chars: int = 0
    seconds: float = 0.0
    version: str = ""

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.meta_updated or self.rebuilt_reason)


def embed_text(meta: DocMeta, chunk: Chunk) -> str:
    """What the dense model sees: the document title and section path give a short passage its context."""
    head = to_simplified(" ".join([meta.title, *chunk.section]))
    return f"{head}\n{chunk.search_text}"


def sparse_text(chunk: Chunk) -> str:
    return to_simplified(" ".join(chunk.section)) + " " + chunk.search_text


def _signature(settings: Settings, emb: LocalEmbeddings) -> dict:
    return {
        "format": FORMAT_VERSION,
        "model": emb.name,
        "model_path": emb.path,
        "dimension": emb.dimension,
        "chunker": CHUNKER_VERSION,
        "chunk_size": settings.chunk_size,
        "chunk_min": settings.chunk_min,
        "chunk_overlap_sentences": settings.chunk_overlap_sentences,
        "segmenter": segmenter_version(),  # the stored BM25 tokens depend on the dictionary and stopwords
    }


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


def load_index(index_dir: Path) -> IndexData:
    import faiss

    path = current_version(index_dir)
    if path is None:
        raise IndexMissing(f"索引不存在：{index_dir}。请先运行 assistant index。")
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    chunks, tokens = [], []
    with (path / "chunks.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            tokens.append(row.pop("tokens"))
            chunks.append(Chunk(**row))
    metas = {name: DocMeta(**d["meta"]) for name, d in manifest["docs"].items()}
    index = faiss.read_index(str(path / "dense.faiss"))
    if index.ntotal != len(chunks):
        raise IndexMissing(f"索引文件不一致（{index.ntotal} 个向量，{len(chunks)} 个片段），请重新运行 assistant index。")
    return IndexData(path=path, manifest=manifest, chunks=chunks, tokens=tokens, metas=metas, faiss_index=index)


@contextmanager
def _lock(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError("另一个索引任务正在运行，请稍后再试。") from None
        yield


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _previous(index_dir: Path, signature: dict) -> tuple[IndexData | None, str]:
    try:
        old = load_index(index_dir)
    except IndexMissing:
        return None, ""
    except Exception as exc:  # unreadable old index: rebuild rather than fail
        log.warning("previous index unreadable, rebuilding: %r", exc)
        return None, "旧索引无法读取，全部重建"
    old_sig = old.manifest.get("signature", {})
    diffs = [k for k in signature if k != "model_path" and old_sig.get(k) != signature[k]]
    if diffs:
        names = {"model": "嵌入模型", "dimension": "向量维度", "chunker": "分块程序版本", "chunk_size": "分块大小",
                 "chunk_min": "最小分块", "chunk_overlap_sentences": "分块重叠", "format": "索引格式"}
        return None, "、".join(names.get(k, k) for k in diffs) + " 已变化，全部重建"
    return old, ""


def build_index(settings: Settings, corpus_dirs: list[Path] | None = None, index_dir: Path | None = None,
                progress=None, embeddings: LocalEmbeddings | None = None) -> BuildReport:
    """Bring index_dir up to date with corpus_dir. The active index is replaced only when the new one is complete.

    `progress(done, total, message)` is called while embedding, for a UI progress bar.
    """
    import faiss

    started = time.time()
    corpus_dirs = corpus_dirs or [settings.corpus_path]
    index_dir = index_dir or settings.index_path
    emb = embeddings or LocalEmbeddings.from_settings(settings)
    report = BuildReport()
    for folder in corpus_dirs:
        if not folder.is_dir():
            raise FileNotFoundError(f"文档目录不存在：{folder}")

    with _lock(index_dir):
        for stale in index_dir.glob(".building-*"):
            shutil.rmtree(stale, ignore_errors=True)
        signature = _signature(settings, emb)
        old, reason = _previous(index_dir, signature)
        report.rebuilt_reason = reason
        old_by_doc: dict[str, list[int]] = {}
        if old:
            for i, ch in enumerate(old.chunks):
                old_by_doc.setdefault(ch.doc, []).append(i)

        files, names = [], []
        for folder in corpus_dirs:
            for p in list_documents(folder):
                name = str(p.relative_to(folder))
                if name in names:
                    report.failed.append((str(p), f"与已有文档重名：{name}"))
                    continue
                files.append(p)
                names.append(name)

        kept: list[tuple[DocMeta, list[Chunk], list[list[str]], np.ndarray | None]] = []
        to_embed: list[tuple[int, str]] = []  # (position in kept, text)
        for path, name in zip(files, names):
            try:
                raw = load_file(path, settings.max_file_mb)
            except LoadError as exc:
                report.failed.append((name, exc.message))
                log.warning("skipped %s: %s", name, exc.message)
                continue
            raw.filename = name
            cleaned = clean(raw.text)
            meta = extract_metadata(raw, cleaned)
            previous = old.metas.get(name) if old else None
            if previous and previous.sha256 == raw.sha256 and previous.title == meta.title and name in old_by_doc:
                rows = old_by_doc[name]
                vecs = np.vstack([old.faiss_index.reconstruct(i) for i in rows]).astype("float32")
                kept.append((meta, [old.chunks[i] for i in rows], [old.tokens[i] for i in rows], vecs))
                report.unchanged.append(name)
                if previous != meta:
                    report.meta_updated.append(name)
                continue
            (report.changed if previous else report.added).append(name)
            chunks = chunk_document(cleaned, raw.text, name, raw.sha256[:12], settings.chunk_size,
                                    settings.chunk_min, settings.chunk_overlap_sentences)
            if not chunks:
                report.failed.append((name, "没有可索引的正文"))
                continue
            tokens = [tokenize(sparse_text(c)) for c in chunks]
            kept.append((meta, chunks, tokens, None))
            to_embed.extend((len(kept) - 1, embed_text(meta, c)) for c in chunks)
        if old:
            report.removed = sorted(set(old.metas) - set(names))

        if old and not report.changed_anything:
            report.version = old.path.name
            report.chunks = len(old.chunks)
            report.seconds = time.time() - started
            return report

        # Embed in batches so a progress bar can follow.
        texts = [t for _, t in to_embed]
        vectors = np.zeros((len(texts), emb.dimension), dtype="float32")
        step = emb.batch_size
        for s in range(0, len(texts), step):
            vectors[s : s + step] = emb.encode(texts[s : s + step])
            if progress:
                progress(min(s + step, len(texts)), len(texts), "正在计算向量")
        report.embedded_chars = sum(len(t) for t in texts)
        per_doc: dict[int, list[np.ndarray]] = {}
        for (pos, _), vec in zip(to_embed, vectors):
            per_doc.setdefault(pos, []).append(vec)

        all_chunks: list[Chunk] = []
        all_tokens: list[list[str]] = []
        all_vecs: list[np.ndarray] = []
        docs_manifest = {}
        for pos, (meta, chunks, tokens, vecs) in enumerate(kept):
            vecs = vecs if vecs is not None else np.vstack(per_doc[pos])
            all_chunks.extend(chunks)
            all_tokens.extend(tokens)
            all_vecs.append(vecs)
            docs_manifest[meta.filename] = {"sha256": meta.sha256, "chunks": len(chunks), "meta": meta.to_dict()}
        matrix = np.vstack(all_vecs) if all_vecs else np.zeros((0, emb.dimension), dtype="float32")
        index = faiss.IndexFlatIP(emb.dimension)
        if len(matrix):
            index.add(matrix)

        # Unique even for two builds in one second from one process (the previous version is still on disk).
        version = f"v-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
        building = index_dir / f".building-{version}"
        building.mkdir(parents=True)
        faiss.write_index(index, str(building / "dense.faiss"))
        with (building / "chunks.jsonl").open("w", encoding="utf-8") as fh:
            for ch, tok in zip(all_chunks, all_tokens):
                fh.write(json.dumps({**ch.to_dict(), "tokens": tok}, ensure_ascii=False) + "\n")
        manifest = {
            "signature": signature,
            "created": time.strftime("%Y-%m-%d %H:%M:%S"),
            "corpus": [str(c) for c in corpus_dirs],
            "docs": docs_manifest,
            "failed": [{"file": f, "error": e} for f, e in report.failed],
            "chunks": len(all_chunks),
        }
        (building / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        for f in building.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        final = index_dir / version
        os.rename(building, final)
        pointer_tmp = index_dir / f".CURRENT.{os.getpid()}"
        pointer_tmp.write_text(version, encoding="utf-8")
        with open(pointer_tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(pointer_tmp, index_dir / "CURRENT")  # the switch: readers see the old or the new, never half
        _fsync_dir(index_dir)
        for other in index_dir.glob("v-*"):
            # The previous version stays one build longer: a reader that loaded it just now can finish.
            if other.name != version and (not old or other != old.path):
                shutil.rmtree(other, ignore_errors=True)
        report.version = version
        report.chunks = len(all_chunks)
        report.seconds = time.time() - started
        return report
