"""Failed logins, throttled per user name and per client address: after `max_failures` failures in a row a name
(or an address) is locked for `lock_seconds`, and during the lock even the right password is refused, so a
script can neither guess passwords nor keep both cores busy hashing them. Locks are logged. A user's lock does
not apply at the addresses that user has logged in from, so that anyone sending failures in the user's name
cannot lock the user out.

Both are checked by an ASGI middleware in front of Gradio's /login route (`LoginGuard`), which reads the name
from the form: Gradio hands its login function the name and password only, not the address."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger("assistant.login")


@dataclass
class LoginThrottle:
    max_failures: int = 10
    lock_seconds: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, int] = field(default_factory=dict)
    _locked_until: dict[str, float] = field(default_factory=dict)
    _known: dict[str, list[str]] = field(default_factory=dict)  # user name → addresses it logged in from
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, key: str) -> float:
        """Seconds left on the key's lock (0 when not locked)."""
        with self._lock:
            left = self._locked_until.get(key, 0.0) - self.clock()
            if left <= 0 and key in self._locked_until:
                del self._locked_until[key]
                self._failures.pop(key, None)
            return max(0.0, left)

    def failed(self, key: str) -> None:
        with self._lock:
            n = self._failures.get(key, 0) + 1
            self._failures[key] = n
            if n >= self.max_failures and key not in self._locked_until:
                self._locked_until[key] = self.clock() + self.lock_seconds
                log.warning("login locked for %.0f s after %d failures: %s", self.lock_seconds, n, key)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def remember(self, name: str, address: str) -> None:
        """An address `name` has logged in from: its own user lock does not apply there."""
        with self._lock:
            seen = self._known.setdefault(name, [])
            if address not in seen:
                seen.append(address)
                del seen[:-20]  # the last few offices and homes are enough

    def known(self, name: str, address: str) -> bool:
        with self._lock:
            return address in self._known.get(name, ())


def locked_message(seconds: float) -> str:
    return f"登录失败次数过多，已暂时锁定，请 {int(seconds) + 1} 秒后再试。"


class LoginGuard:
    """ASGI middleware in front of Gradio's /login: a locked client address, or a locked user name from an address
    that user has not logged in from before, is refused before Gradio sees it (429, no password is hashed). Each
    answer counts toward or clears the failures of both. The exemption for a user's known addresses means that
    failures sent from elsewhere (anyone can send them) cannot keep the user out of the office they work from."""

    MAX_BODY = 64 * 1024  # a login form is a few hundred bytes

    def __init__(self, app, throttle: LoginThrottle):
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != "/login":
            return await self.app(scope, receive, send)
        address = (scope.get("client") or ("?", 0))[0]
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if len(body) > self.MAX_BODY:
                return await _refuse(send, 413, "登录请求过大。")
            if not message.get("more_body"):
                break
        name = await _form_name(scope, body)
        user_key, address_key = "user:" + name, "address:" + address
        left = max(self.throttle.wait(address_key),
                   0.0 if self.throttle.known(name, address) else self.throttle.wait(user_key))
        if left:
            return await _refuse(send, 429, locked_message(left), [(b"retry-after", str(int(left) + 1).encode())])
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return {"type": "http.disconnect"}
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def counting_send(message):
            if message["type"] == "http.response.start":
                status = message["status"]
                if status == 200:
                    self.throttle.succeeded(address_key)
                    self.throttle.succeeded(user_key)
                    self.throttle.remember(name, address)
                elif status in (400, 401, 403):
                    self.throttle.failed(address_key)
                    self.throttle.failed(user_key)
            await send(message)

        await self.app(scope, replay, counting_send)


async def _form_name(scope, body: bytes) -> str:
    """The user name of a login form, urlencoded or multipart (Gradio's page sends FormData)."""
    from starlette.requests import Request

    async def once():
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, once).form()
        name = str(form.get("username") or "").strip()
        await form.close()
        return name[:200]
    except Exception:  # noqa: BLE001 -- a malformed form is Gradio's to refuse; it names no user
        return ""


async def _refuse(send, status: int, detail: str, headers=()) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})
