"""Stage 7 — evaluation: how well retrieval, answers and drafts do on question and task sets.

Owns: reading question sets (`questions`), scoring retrieval and answers (`answers`), the readable report with
tables and charts (`report`), scoring drafts on a task set (`drafts`), calibrating the reader's weights
on dev sets (`calibrate`), and the cascade's thresholds from both engines' dev results (`cascade`).

May import: `assistant.settings`, `text`, `ingest`, `retrieval`, `llm`, `answering`, `drafting`. Nothing from web
or cli.
"""
