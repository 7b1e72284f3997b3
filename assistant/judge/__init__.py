"""Stage 2b — judge: learned judgments of text pairs, below retrieval, answering and drafting, which all use them.

Owns: the pair as the model reads it (`pairs`: a question and a candidate window with its heading), the training
records written by annotators and the split of their documents (`records`), training a cross-encoder through
sentence-transformers' CrossEncoder and its trainer (`train`), the int8 ONNX export with its checksums (`export`),
the shipped model's files and their integrity (`model`), and running it (`runtime`: the verifier's probability that
a window states what a question asks).

May import: `assistant.settings`, `assistant.text`, `assistant.ingest` (ONNX Runtime options and file checksums).
Nothing from retrieval or any later stage: callers hand it plain strings.
"""
