"""Building the index: incremental (only new and changed documents are cleaned, chunked and embedded again)
and atomic (the active index is replaced only when the new one is complete, see store.py)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..settings import Settings
from ..text.clean import clean
from ..text.segment import tokenize
from .chunk import chunk_document, embed_text, sparse_text
from .embed import LocalEmbeddings
from .load import LoadError, list_documents, load_file
from .metadata import extract_metadata
from .schema import Chunk, DocMeta
from .signature import changed, signature
from .store import IndexData, IndexMissing, build_lock, load_index, write_version
from .vector_reuse import embed_texts, previous_vectors
from .backends import open_backend
from .vector_store import Rows, document_frequencies

log = logging.getLogger(__name__)


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


def _previous(index_dir: Path, sig: dict, settings: Settings) -> tuple[IndexData | None, str]:
    try:
        old = load_index(index_dir, settings, with_tokens=True)
    except IndexMissing:
        return None, ""
    except Exception as exc:  # unreadable old index: rebuild rather than fail
        log.warning("previous index unreadable, rebuilding: %r", exc)
        return None, "旧索引无法读取，全部重建"
    reason = changed(old.manifest.get("signature", {}), sig)
    return (None, reason) if reason else (old, "")


def _documents(corpus_dirs: list[Path], report: BuildReport) -> tuple[list[Path], list[str]]:
    """Every document of every folder, named by its path inside its folder; a second file of one name is refused."""
    files, names = [], []
    for folder in corpus_dirs:
        for p in list_documents(folder):
            name = str(p.relative_to(folder))
            if name in names:
                report.failed.append((str(p), f"与已有文档重名：{name}"))
                continue
            files.append(p)
            names.append(name)
    return files, names


def build_index(settings: Settings, corpus_dirs: list[Path] | None = None, index_dir: Path | None = None,
                progress=None, embeddings: LocalEmbeddings | None = None) -> BuildReport:
    """Bring index_dir up to date with corpus_dir. The active index is replaced only when the new one is complete.

    `progress(done, total, message)` is called while embedding, for a UI progress bar.
    """
    started = time.time()
    corpus_dirs = corpus_dirs or [settings.corpus_path]
    index_dir = index_dir or settings.index_path
    emb = embeddings or LocalEmbeddings.from_settings(settings)
    report = BuildReport()
    for folder in corpus_dirs:
        if not folder.is_dir():
            raise FileNotFoundError(f"文档目录不存在：{folder}")

    with build_lock(index_dir):
        sig = signature(settings, emb)
        backend = open_backend(settings, index_dir)
        old, reason = _previous(index_dir, sig, settings)
        report.rebuilt_reason = reason
        old_by_doc: dict[str, list[int]] = {}
        if old:
            for i, ch in enumerate(old.chunks):
                old_by_doc.setdefault(ch.doc, []).append(i)
        files, names = _documents(corpus_dirs, report)

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
                vecs = old.store.vectors(rows)
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

        # Chunks the previous index already embedded (same text, same model) keep their vectors; the rest are
        # embedded in batches so a progress bar can follow.
        texts = [t for _, t in to_embed]
        vectors, report.embedded_chars = embed_texts(emb, texts, previous_vectors(old, set(texts)), progress)
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

        manifest = {
            "signature": sig,
            "created": time.strftime("%Y-%m-%d %H:%M:%S"),
            "corpus": [str(c) for c in corpus_dirs],
            "docs": docs_manifest,
            "failed": [{"file": f, "error": e} for f, e in report.failed],
            "chunks": len(all_chunks),
        }
        metas = {meta.filename: meta for meta, *_ in kept}
        report.version = write_version(index_dir, backend, Rows(all_chunks, all_tokens, matrix, metas),
                                       document_frequencies(all_tokens), manifest, keep=old.path if old else None)
        report.chunks = len(all_chunks)
        report.seconds = time.time() - started
        return report
