"""Stage 1 — text: Chinese text as every later stage reads it.

Owns: the patterns shared across the pipeline (`patterns`: years, figures, Chinese numerals, citation marks),
normalisation to the comparable form (`normalize`: NFKC, Simplified, no glued pinyin or tags), cleaning with
an offset map back to the original (`clean`), headings and line wrapping (`structure`), sentences and clauses
with their spans (`sentences`), jieba segmentation (`segment`), the table of administrative places
(`gazetteer`) and text made safe to show as Markdown (`markup`).

May import: `assistant.settings` and the standard library / third-party text tools (opencc, jieba). Nothing
from ingest, retrieval or any later stage.
"""
