"""Chunk vectors that need not be computed again. build.py already keeps the vectors of unchanged documents; a
changed document is chunked again, and most of its chunks usually read exactly as before. Their vectors are taken
from the previous index by the text the model saw (the previous index is only reused when it was built with the
same model, engine and chunking, see signature.py, so the text decides the vector). With a batch-independent
engine the reused vector is bitwise the one that would be computed now."""

from __future__ import annotations

import numpy as np

from .chunk import embed_text
from .embed import LocalEmbeddings
from .store import IndexData


def previous_vectors(old: IndexData | None, wanted: set[str]) -> dict[str, np.ndarray]:
    """Vectors of the `wanted` texts that the previous index holds."""
    if old is None or not wanted:
        return {}
    rows, texts = [], []
    for i, chunk in enumerate(old.chunks):
        meta = old.metas.get(chunk.doc)
        text = embed_text(meta, chunk) if meta else None
        if text in wanted and text not in texts:
            rows.append(i)
            texts.append(text)
    return dict(zip(texts, old.store.vectors(rows))) if rows else {}


def embed_texts(emb: LocalEmbeddings, texts: list[str], known: dict[str, np.ndarray],
                progress=None) -> tuple[np.ndarray, int]:
    """Vectors of `texts`: those in `known` copied, the rest encoded in batches so a progress bar can follow.
    Returns the vectors and the number of characters encoded."""
    vectors = np.zeros((len(texts), emb.dimension), dtype="float32")
    todo = []
    for i, text in enumerate(texts):
        if text in known:
            vectors[i] = known[text]
        else:
            todo.append(i)
    step = emb.batch_size
    for s in range(0, len(todo), step):
        rows = todo[s : s + step]
        vectors[rows] = emb.encode([texts[i] for i in rows])
        if progress:
            progress(min(s + step, len(todo)), len(todo), "正在计算向量")
    return vectors, sum(len(texts[i]) for i in todo)
