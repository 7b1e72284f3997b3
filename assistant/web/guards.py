"""What the ASGI middlewares in front of Gradio's own routes share (the session a request belongs to, a JSON
answer), and `ChineseErrors`: the English errors of Gradio's login and upload routes reach users in Chinese.
The others: `session_guard`, `file_guards`, `headers`."""

from __future__ import annotations

import json

from starlette.requests import HTTPConnection

SESSION_COOKIE = "access-token"  # Gradio's session cookies: access-token-<id> and access-token-unsecure-<id>


async def send_json(send, status: int, detail: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


def session_user(scope) -> tuple[str | None, str | None, list[str]]:
    """The token and user of a request's Gradio session, and the names of its session cookies. Gradio keeps its
    sessions in the app's public `tokens` map (token → user name); the app is in the ASGI scope."""
    jar = HTTPConnection(scope).cookies
    cookies = [name for name in jar if name.startswith(SESSION_COOKIE)]
    tokens = getattr(scope.get("app"), "tokens", None) or {}
    for name in cookies:
        user = tokens.get(jar[name])
        if user is not None:
            return jar[name], user, cookies
    return None, None, cookies


def is_upload(scope) -> bool:
    return scope["type"] == "http" and scope["method"] == "POST" and scope["path"].rstrip("/").endswith("/upload")


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
