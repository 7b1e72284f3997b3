"""ASGI middleware in front of every route, Gradio's own included, when login is on:

- a login's new session is bound to the user's credential (`sessions.Sessions`);
- a session whose credential changed, whose user was removed, or that sat idle too long ends at its next request:
  its token leaves Gradio's `tokens` map, its cookies are expired, the page goes back to the login form;
- without a session only what the login form needs is served (the page, its assets, /login). Gradio leaves some
  of its routes open (heartbeat, streams, cancel, startup events); here they are not.
"""

from __future__ import annotations

import logging

from starlette.datastructures import MutableHeaders
from starlette.requests import cookie_parser

from .auth import UsersFile
from .guards import SESSION_COOKIE, send_json, session_user
from .sessions import ENDED, Sessions

log = logging.getLogger("assistant.login")

_OPEN_EXACT = {"", "/", "/login", "/logout", "/favicon.ico", "/theme.css", "/manifest.json", "/robots.txt",
               "/login_check", "/user", "/token", "/app_id", "/pwa_icon",
               "/startup-events"}  # Gradio calls it itself at launch; it runs the startup events once
_OPEN_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon/")
_API = "/gradio_api"


def open_without_login(path: str) -> bool:
    path = path.rstrip("/")
    if path.startswith(_API + "/") or path == _API:
        path = path[len(_API):]
    return path in _OPEN_EXACT or path.startswith(_OPEN_PREFIXES)


def _new_token(headers) -> str | None:
    for value in MutableHeaders(raw=headers).getlist("set-cookie"):
        for name, token in cookie_parser(value.split(";", 1)[0]).items():
            if name.startswith(SESSION_COOKIE) and token:
                return token
    return None


class SessionGuard:
    def __init__(self, app, users: UsersFile | None, sessions: Sessions | None):
        self.app = app
        self.users = users
        self.sessions = sessions

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.users is None or self.sessions is None:
            return await self.app(scope, receive, send)
        if scope["method"] == "POST" and scope["path"].rstrip("/") == "/login":
            return await self.app(scope, receive, self._binding(scope, send))
        token, user, cookies = session_user(scope)
        if user is not None:
            reason = self.sessions.check(token, user)
            if reason is None:
                return await self.app(scope, receive, send)
            getattr(scope.get("app"), "tokens", {}).pop(token, None)  # Gradio's own logout does the same
            log.warning("session ended (%s): %s %s", reason, user, scope["path"])
            return await self._refuse(scope, send, ENDED[reason], cookies)
        if open_without_login(scope["path"]):
            return await self.app(scope, receive, send)
        return await self._refuse(scope, send, "请先登录。", cookies)

    def _binding(self, scope, send):
        async def binding_send(message):
            if message["type"] == "http.response.start" and message["status"] == 200:
                token = _new_token(message.get("headers", []))
                user = getattr(scope.get("app"), "tokens", {}).get(token) if token else None
                if user is not None:
                    self.sessions.opened(token, user)
            await send(message)
        return binding_send

    @staticmethod
    async def _refuse(scope, send, detail: str, cookies: list[str]) -> None:
        expire = [(b"set-cookie", f"{name}=; Max-Age=0; Path=/".encode()) for name in cookies]
        if scope["method"] in ("GET", "HEAD") and scope["path"] == "/":  # the page: back to the login form
            await send({"type": "http.response.start", "status": 303, "headers": [(b"location", b"/"), *expire]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send_json(send, 401, detail, expire)
