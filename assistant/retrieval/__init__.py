"""Stage 3 — retrieval: from a question to ranked passages.

Owns: what a question names (`query`: places and years, matched against document metadata), when and in which
mode (result or plan) a question, a heading or a sentence speaks (`frames`), the dense and sparse indexes of the
embedded backend (`dense`: FAISS inner product; `sparse`: BM25 by the weights stored at index time), the first
ranking by the index's backend, fused by reciprocal rank in-process or in Milvus (`rankers`), the hybrid
retriever that steers it by place, year and frame (`hybrid`, a LangChain BaseRetriever), the user's explicit
restrictions (`filters`) and the ranked passages it returns (`hits`).

May import: `assistant.settings`, `assistant.text`, `assistant.ingest`, `assistant.judge` (the verifier that
reranks, `rerank`). Nothing from llm, answering or later.
"""
