"""Stage 10 — cli: the `assistant` command (console script `assistant = "assistant.cli:main"`, or
`python -m assistant.cli`).

Owns: the argument parser (`parser`), the entry point (`main`), what the commands share (`common`), and the
commands by group: `search` (index, search), `ask`, `drafting` (draft), `evaluation` (eval, eval-draft),
`serve` (serve, users), `models` (check, llm-server).

May import: every other stage. Nothing imports it.
"""

from .main import main

__all__ = ["main"]
