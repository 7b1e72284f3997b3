"""ASGI middlewares in front of Gradio's own routes, which none of our handlers sees:

- `RevokedSessions`: a session of a user since removed from the users file ends at its next request, on every
  route (the page, /config, uploads, files), not only on our endpoints;
- `UploadQuota`: Gradio's upload cache holds at most `upload_cache_mb`; past it, uploads are refused until the
  clean-up (`delete_cache` in layout) has made room;
- `ChineseErrors`: the English errors of Gradio's login and upload routes reach users in Chinese.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

from starlette.requests import HTTPConnection

from .auth import UsersFile

log = logging.getLogger("assistant.login")

SESSION_COOKIE = "access-token"  # Gradio's session cookies: access-token-<id> and access-token-unsecure-<id>


async def send_json(send, status: int, detail: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


def session_user(scope) -> tuple[str | None, list[str]]:
    """The user a request's Gradio session belongs to, and the names of its session cookies. Gradio keeps its
    sessions in the app's public `tokens` map (token → user name); the app is in the ASGI scope."""
    jar = HTTPConnection(scope).cookies
    cookies = [name for name in jar if name.startswith(SESSION_COOKIE)]
    tokens = getattr(scope.get("app"), "tokens", None) or {}
    for name in cookies:
        user = tokens.get(jar[name])
        if user is not None:
            return user, cookies
    return None, cookies


class RevokedSessions:
    def __init__(self, app, users: UsersFile | None):
        self.app = app
        self.users = users

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.users is None:
            return await self.app(scope, receive, send)
        user, cookies = session_user(scope)
        if user is None or self.users.role(user) is not None:
            return await self.app(scope, receive, send)
        log.warning("session of removed user refused: %s %s", user, scope["path"])
        expire = [(b"set-cookie", f"{name}=; Max-Age=0; Path=/".encode()) for name in cookies]
        if scope["method"] == "GET" and scope["path"] == "/":  # the page: back to the login form
            await send({"type": "http.response.start", "status": 303, "headers": [(b"location", b"/"), *expire]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send_json(send, 401, "账号不存在或已被停用，请重新登录。", expire)


def folder_bytes(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name), follow_symlinks=False).st_size
            except OSError:  # removed by the clean-up meanwhile
                pass
    return total


def is_upload(scope) -> bool:
    return scope["type"] == "http" and scope["method"] == "POST" and scope["path"].rstrip("/").endswith("/upload")


class UploadQuota:
    def __init__(self, app, folder: Callable[[], str], max_mb: float):
        self.app = app
        self.folder = folder
        self.max_mb = max_mb

    async def __call__(self, scope, receive, send):
        if is_upload(scope) and folder_bytes(Path(self.folder())) >= self.max_mb * 1024 * 1024:
            log.warning("upload refused: upload cache over %.0f MB", self.max_mb)
            return await send_json(send, 507, f"服务器的上传暂存空间已满（上限 {self.max_mb:g} MB），"
                                              "请稍后再试，或请管理员清理。")
        await self.app(scope, receive, send)


class ChineseErrors:
    """Replaces the body of Gradio's own error answers it writes in English: a failed login (400) and an upload
    over the size limit (413)."""

    def __init__(self, app, max_file_mb: float):
        self.app = app
        self.messages = {("/login", 400): "用户名或密码不正确。",
                         ("upload", 413): f"文件超过大小上限（{max_file_mb:g} MB），未保存。"}

    def message(self, scope, status: int) -> str | None:
        path = scope["path"].rstrip("/")
        for (suffix, code), text in self.messages.items():
            if status == code and path.endswith(suffix):
                return text
        return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        replaced = False

        async def rewriting_send(message):
            nonlocal replaced
            if message["type"] == "http.response.start":
                text = self.message(scope, message["status"])
                if text is not None:
                    replaced = True
                    keep = [(k, v) for k, v in message.get("headers", [])
                            if k.lower() not in (b"content-type", b"content-length")]
                    return await send_json(send, message["status"], text, keep)
            elif message["type"] == "http.response.body" and replaced:
                return  # the English body is dropped; ours is already sent
            await send(message)

        await self.app(scope, receive, rewriting_send)
