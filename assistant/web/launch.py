"""`assistant serve`: the page on a host and port, with login when a users file exists."""

from __future__ import annotations

from pathlib import Path

from ..answering.assistant import Assistant
from ..settings import Settings
from .app import WebApp
from .auth import UsersFile
from .layout import build
from .render import CSS, HEAD_JS


def launch(settings: Settings, host: str, port: int, index: Path | None = None, block: bool = True,
           corpora: list[Path] | None = None):
    """Starts the server. Beyond loopback a users file is required (checked by the caller)."""
    users = UsersFile(settings.users_path)
    assistant = Assistant(settings, index)
    app = WebApp(settings, assistant, users, corpora)
    demo = build(app)
    demo.queue(default_concurrency_limit=4)
    auth = app.login if app.users else None
    demo.launch(server_name=host, server_port=port, auth=auth, auth_message="请用管理员分配的账号登录。",
                prevent_thread_lock=not block, show_error=True, quiet=False, head=HEAD_JS, css=CSS,
                allowed_paths=[str(settings.eval_path / "results"), str(settings.drafts_path)],
                footer_links=["api"])
    return demo
