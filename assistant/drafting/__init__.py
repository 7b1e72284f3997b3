"""Stage 6 — drafting: new plans, work points and summaries written from the corpus's past wording.

Owns: reading the instruction (`instruction`), finding the past items and sentences to reuse (`sources`),
composing the draft in the corpus's own structure (`compose`, with the draft's state in `state`), rewriting past
wording for the new place and year with placeholders for old figures (`rewrite`), polishing by the llm engine
(`polish`), the official-style Word file (`docx_export`), and the entry point the CLI and web page call
(`service.make_draft`). Its records (DraftRequest, Paragraph, Draft) are in `schema`.

May import: `assistant.settings`, `text`, `ingest`, `retrieval`, `llm`, `answering`. Nothing from evaluation,
web or cli. `polish` and `docx_export` import nothing from retrieval (rendering a draft loads no index).
"""
