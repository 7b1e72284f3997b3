"""Stage 2 — ingest: from files to the index.

Owns: reading files in any supported format and encoding (`load`), document metadata and sidecars
(`metadata`), structure-aware chunking and the text the models see of a chunk (`chunk`), the embedding model
and the integrity of its files (`embed`, `model_files`), its int8 ONNX export and how it is run (`onnx_export`,
`onnx_engine`), chunk vectors kept when a document changes (`vector_reuse`),
the index on disk (`store`) and the backend that holds
its vectors and search structures (the interface in `vector_store`, the choice in `backends`: `faiss_store` embedded with the BM25 weights of
`bm25_weights`, `milvus_store` on milvus-lite or a Milvus server), what an index was built with (`signature`), incremental atomic builds (`build`), and managing
the document library (`library`).
Its records (RawDocument, DocMeta, Chunk) are in `schema`.

May import: `assistant.settings` and `assistant.text`. Nothing from retrieval or any later stage.
"""
