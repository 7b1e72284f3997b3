"""教育局工作文档问答助手 — the pipeline, stage by stage. Each stage imports only the stages above it.

    settings     the one settings object (defaults < assistant.toml < ASSISTANT_* environment variables)
    text/        Chinese text: shared patterns (years, figures, numerals, citation marks), normalisation,
                 cleaning with offsets to the original, headings, sentences, jieba segmentation, places
    ingest/      files → index: load, metadata, chunk, embed, index store/signature/build, document library
    retrieval/   question → passages: what a question names, FAISS + BM25 fused by reciprocal rank
    llm/         models: the chat model and prompt files, the bundled GGUF model, its probe and server
    answering/   passages → cited answer: question form, conversation, extractive and llm engines, checks,
                 citations, the Assistant facade
    drafting/    past wording → new plan or summary: instruction, sources, composition, rewriting, polish,
                 Word export
    evaluation/  question and task sets scored; reports
    web/         the Gradio page: render, handlers, layout, launch, login
    cli/         the `assistant` command

resources/ holds the data files segmentation reads (domain dictionary, stopwords, synonyms).
"""

__version__ = "0.1.0"
