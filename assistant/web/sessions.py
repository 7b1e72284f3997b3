"""Web sessions bound to the credential they were opened with. Gradio keeps a session as a token mapped to a
user name only; here each token also remembers a fingerprint of the user's entry in the users file (role, salt,
hash) when it logged in, and when it was last used. A session ends when that entry changes (a new password, a
new role, the user removed, even if added back with the same password, since that makes a new salt), and after
`session_idle_hours` without a request."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .auth import UsersFile

ENDED = {"credential": "账号的密码或权限已更改，或账号已被停用，请重新登录。",
         "idle": "长时间未操作，登录已过期，请重新登录。",
         "unknown": "登录已失效，请重新登录。"}


@dataclass
class Session:
    user: str
    credential: str
    last_seen: float


def credential(users: UsersFile, name: str) -> str | None:
    user = users.load().get(name)
    if user is None:
        return None
    return hashlib.sha256(f"{user.name}\0{user.role}\0{user.salt}\0{user.hash}".encode()).hexdigest()


@dataclass
class Sessions:
    users: UsersFile
    idle_seconds: float
    clock: Callable[[], float] = time.monotonic
    _open: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def opened(self, token: str, user: str) -> None:
        """A login has just made `token` for `user`."""
        cred = credential(self.users, user)
        if cred is not None:
            with self._lock:
                self._open[token] = Session(user, cred, self.clock())

    def check(self, token: str, user: str) -> str | None:
        """Why the session must end (a key of ENDED), or None; a session that may go on counts as used now."""
        with self._lock:
            session = self._open.get(token)
        if session is None or session.user != user:
            return "unknown"
        now = self.clock()
        if now - session.last_seen > self.idle_seconds:
            self.end(token)
            return "idle"
        if credential(self.users, user) != session.credential:
            self.end(token)
            return "credential"
        session.last_seen = now
        return None

    def end(self, token: str) -> None:
        with self._lock:
            self._open.pop(token, None)
