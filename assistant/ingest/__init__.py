"""Stage 2 — ingest: from files to the index.

Owns: reading files in any supported format and encoding (`load`), document metadata and sidecars
(`metadata`), structure-aware chunking and the text the models see of a chunk (`chunk`), the embedding model
and the integrity of its files (`embed`, `model_files`), the index on disk (`store`), what an index was built
with (`signature`), incremental atomic builds (`build`), and managing the document library (`library`).
Its records (RawDocument, DocMeta, Chunk) are in `schema`.

May import: `assistant.settings` and `assistant.text`. Nothing from retrieval or any later stage.
"""
