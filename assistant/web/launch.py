"""`assistant serve`: the page on a host and port, with login when a users file exists. The rules that keep it
safe live here, not only in the CLI: no listening beyond loopback without login, failed logins throttled per
address, uploads capped while they stream in, and the guards in front of Gradio's own routes (`guards`)."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.middleware import Middleware

from ..answering.assistant import Assistant
from ..llm.server import is_loopback
from ..settings import Settings
from .app import WebApp
from .auth import UsersFile
from .layout import build
from .render import CSS, HEAD_JS
from .file_guards import OwnedFiles, UploadQuota
from .guards import ChineseErrors
from .headers import SameOrigin, SecurityHeaders
from .session_guard import SessionGuard
from .throttle import LoginGuard


class UnsafeLaunch(RuntimeError):
    """The message is for the operator, in Chinese."""


def check_safe(settings: Settings, host: str) -> UsersFile:
    """The users file, when the page may listen on `host`: beyond loopback only with login, and a users file that
    exists has at least one user. Raises UnsafeLaunch otherwise."""
    users = UsersFile(settings.users_path)
    if not is_loopback(host) and not users.exists():
        raise UnsafeLaunch(f"拒绝启动：监听 {host} 会让网络上的其他人访问，必须启用登录，但用户文件 {users.path} 不存在。\n"
                           "请先添加管理员：.venv/bin/assistant users add 用户名 --role admin")
    if users.exists() and not users.load():
        raise UnsafeLaunch(f"拒绝启动：用户文件 {users.path} 中没有任何用户。")
    return users


def launch(settings: Settings, host: str, port: int, index: Path | None = None, block: bool = True,
           corpora: list[Path] | None = None):
    """Starts the server. Beyond loopback a users file with at least one user is required."""
    users = check_safe(settings, host)
    # Uvicorn (which Gradio starts) reads the proxies it trusts from here; its own default trusts 127.0.0.1, so
    # that anything on the machine could choose its client address and slip past the login throttle.
    os.environ["FORWARDED_ALLOW_IPS"] = settings.forwarded_allow_ips
    # Gradio stages uploads and the files it serves in this folder: this server's own, emptied at start.
    os.environ["GRADIO_TEMP_DIR"] = str(settings.staging_path)
    assistant = Assistant(settings, index)
    assistant.warm_up()
    app = WebApp(settings, assistant, users, corpora)
    app.staging.clear()
    demo = build(app)
    demo.queue(default_concurrency_limit=4)
    auth = app.login if app.users else None
    # Outermost first: headers on every answer, refusals included.
    middleware = [Middleware(SecurityHeaders), Middleware(SameOrigin),
                  Middleware(ChineseErrors, max_file_mb=settings.max_file_mb),
                  Middleware(LoginGuard, throttle=app.throttle),
                  Middleware(SessionGuard, users=app.users, sessions=app.sessions),
                  Middleware(UploadQuota, staging=app.staging, users=app.users),
                  Middleware(OwnedFiles, access=app.files, users=app.users)]
    demo.launch(server_name=host, server_port=port, auth=auth, auth_message="请用管理员分配的账号登录。",
                prevent_thread_lock=not block, show_error=False, quiet=False, head=HEAD_JS, css=CSS,
                allowed_paths=[str(settings.results_path), str(settings.drafts_path)],
                footer_links=["api"],
                # Gradio stops an upload larger than this while it streams in: it never reaches the disk.
                max_file_size=f"{int(settings.max_file_mb * 1024)}kb",
                # FastAPI's own schema at /openapi.json would answer without login; Gradio's is behind it.
                app_kwargs={"middleware": middleware, "openapi_url": None})
    return demo
