"""The web app's state and handlers in one object: each tab's handlers are in their own module."""

from __future__ import annotations

from .handlers_ask import AskHandlers
from .handlers_draft import DraftHandlers
from .handlers_eval import EvalHandlers
from .handlers_library import LibraryHandlers


class WebApp(AskHandlers, DraftHandlers, EvalHandlers, LibraryHandlers):
    """Settings, the assistant and the users file (base.WebBase), with the handlers of 问答, 起草, 评测 and 文档库."""
