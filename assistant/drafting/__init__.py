"""Stage 6 — drafting: new plans, work points and summaries written from the corpus's past wording.

Owns: reading the instruction and the shape it asks for (`instruction`), the facets of a topic gathered from
the whole corpus (`facets`), what kind of statement a sentence is (`kinds`), the places a draft may not carry over
(`places`), the index as drafting reads it (`sources`), composing the draft (`compose`, with the draft's state in
`state`), rewriting past wording for the new place and year with placeholders for old figures and other places
(`rewrite`), polishing by the llm engine (`polish`), the official-style Word file (`docx_export`), and the entry
point the CLI and web page call (`service.make_draft`). Its records (DraftRequest, Paragraph, Draft) are in
`schema`.

May import: `assistant.settings`, `text`, `ingest`, `retrieval`, `llm`, `answering`. Nothing from evaluation,
web or cli. `polish` and `docx_export` import nothing from retrieval (rendering a draft loads no index).
"""
