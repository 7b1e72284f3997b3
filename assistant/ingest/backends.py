"""The choice of backend for an index version: above both backends, so that neither the interface
(`vector_store`) nor a backend imports the other back."""

from __future__ import annotations

from pathlib import Path

from .faiss_store import FaissStore
from .vector_store import KINDS, StoreUnavailable, VectorStore


def open_backend(settings, index_dir: Path, kind: str | None = None) -> VectorStore:
    """The backend of `kind` (by default the one the settings name, `vector_store`): new versions are built in
    the settings' backend, and a version is read with the backend its manifest names."""
    kind = (kind or settings.vector_store or "faiss").strip().lower()
    if kind == "faiss":
        return FaissStore(getattr(settings, "faiss_index", "flat"))
    if kind == "milvus":
        from .milvus_store import MilvusStore  # pymilvus is imported only when Milvus is chosen

        return MilvusStore.from_settings(settings, index_dir)
    raise StoreUnavailable(f"未知的索引后端：{settings.vector_store}（可选 {'、'.join(KINDS)}）。")
