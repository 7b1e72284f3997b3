"""Failed logins, throttled per user name and per client address: after `max_failures` failures in a row a name
(or an address) is locked for `lock_seconds`, and during the lock even the right password is refused, so a
script can neither guess passwords nor keep both cores busy hashing them. Locks are logged.

The name is checked in the login function Gradio calls; the address by an ASGI middleware in front of Gradio's
/login route, since Gradio hands the login function the name and password only."""

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


def locked_message(seconds: float) -> str:
    return f"登录失败次数过多，已暂时锁定，请 {int(seconds) + 1} 秒后再试。"


class AddressGuard:
    """ASGI middleware: a POST to /login from a locked client address is refused before Gradio sees it (no
    password is hashed); each answer to one from an open address counts toward or clears its failures."""

    def __init__(self, app, throttle: LoginThrottle):
        self.app = app
        self.throttle = throttle

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != "/login":
            return await self.app(scope, receive, send)
        key = "address:" + (scope.get("client") or ("?", 0))[0]
        left = self.throttle.wait(key)
        if left:
            body = json.dumps({"detail": locked_message(left)}, ensure_ascii=False).encode()
            await send({"type": "http.response.start", "status": 429,
                        "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                    (b"retry-after", str(int(left) + 1).encode())]})
            await send({"type": "http.response.body", "body": body})
            return

        async def counting_send(message):
            if message["type"] == "http.response.start":
                status = message["status"]
                if status == 200:
                    self.throttle.succeeded(key)
                elif status in (400, 401, 403):
                    self.throttle.failed(key)
            await send(message)

        await self.app(scope, receive, counting_send)
