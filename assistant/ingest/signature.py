"""What an index was built with. When any of it differs from the running code and settings, the old chunks,
tokens and vectors are not reused: the index is rebuilt, and the reason is reported."""

from __future__ import annotations

import hashlib
from pathlib import Path

FORMAT_VERSION = 3  # 2: term statistics (terms.json) and the backend's entry in the manifest; 3: stored BM25
PACKAGE = Path(__file__).resolve().parent.parent
# The source files that decide a chunk's text, its search text and its BM25 tokens: reading and decoding,
# cleaning and normalising, headings, sentences, segmentation, chunking, and the patterns they share.
# An index built by other versions of any of them is rebuilt, never silently reused.
CHUNK_CODE = ("ingest/load.py", "text/normalize.py", "text/clean.py", "text/structure.py", "text/patterns.py",
              "text/sentences.py", "text/segment.py", "ingest/chunk.py")

NAMES = {"model": "嵌入模型", "dimension": "向量维度", "code": "清洗或分块程序", "chunk_size": "分块大小",
         "chunk_min": "最小分块", "chunk_overlap_sentences": "分块重叠", "format": "索引格式", "segmenter": "分词词典",
         "store": "索引后端", "faiss_index": "向量索引类型"}


def code_version(root: Path = PACKAGE, files: tuple[str, ...] = CHUNK_CODE) -> str:
    """sha256 over the source of the modules in `files` (paths relative to the package)."""
    h = hashlib.sha256()
    for rel in files:
        h.update(rel.encode() + b"\0" + (Path(root) / rel).read_bytes() + b"\0")
    return h.hexdigest()[:16]


def signature(settings, emb) -> dict:
    from ..text.segment import segmenter_version

    return {
        "format": FORMAT_VERSION,
        "model": emb.name,
        "model_path": emb.path,
        "dimension": emb.dimension,
        "code": code_version(),
        "chunk_size": settings.chunk_size,
        "chunk_min": settings.chunk_min,
        "chunk_overlap_sentences": settings.chunk_overlap_sentences,
        "segmenter": segmenter_version(),  # the stored BM25 tokens depend on the dictionary and stopwords
        "store": (settings.vector_store or "faiss").strip().lower(),
        "faiss_index": (settings.faiss_index or "flat").strip().lower(),  # flat or hnsw: another dense.faiss
    }


def changed(old: dict, new: dict) -> str:
    """Why an index built with `old` cannot be reused under `new` ("" when it can)."""
    diffs = [k for k in new if k != "model_path" and old.get(k) != new[k]]
    return "、".join(NAMES.get(k, k) for k in diffs) + " 已变化，全部重建" if diffs else ""
