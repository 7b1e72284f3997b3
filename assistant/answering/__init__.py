"""Stage 5 — answering: from a question (and the conversation so far) to a short answer with citations.

Owns: what a question may be (`validation`), what kind of answer it asks for and its topic words
(`question_form`), follow-ups made standalone (`conversation`), citations and the refusal sentence
(`citations`), the extractive engine, its evidence scoring, the reader's decisions (which sentence answers, whether it
answers the question asked: `reader`, with the frames of `retrieval.frames`) and how the answer is said (`phrasing`) (`extractive`, `evidence`), what no engine
can answer (`scope`), the llm engine, its compact context and the check of what a model wrote (`llm_engine`,
`context`, `verify`), and the `Assistant` facade that owns the loaded index and picks the engine, the cascade
included (`assistant`, with the cascade's rule in `cascade`). Its records (Answer, Citation) are in `schema`.

The verifier's judgment of each candidate (`judged`) and the deterministic answer-type guards (`answer_guards`)
decide, with the reader's score, which candidate answers and whether any does.

May import: `assistant.settings`, `assistant.text`, `assistant.ingest`, `assistant.judge`, `assistant.retrieval`,
`assistant.llm`.
Nothing from drafting, evaluation, web or cli.
"""
