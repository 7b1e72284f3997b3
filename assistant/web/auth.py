"""The users file: names, roles and scrypt password hashes (never the passwords themselves)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROLES = ("staff", "admin")  # staff: ask, draft, evaluate; admin: also change the corpus
_N, _R, _P = 2**14, 8, 1


class UsersError(ValueError):
    """The message is for the user, in Chinese."""


@dataclass
class User:
    name: str
    role: str
    salt: str
    hash: str


def _hash(password: str, salt: bytes) -> str:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return base64.b64encode(digest).decode()


class UsersFile:
    def __init__(self, path: Path):
        self.path = Path(path)

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> dict[str, User]:
        if not self.path.exists():
            return {}
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            return {r["name"]: User(r["name"], r["role"], r["salt"], r["hash"]) for r in rows.get("users", [])}
        except (ValueError, KeyError, TypeError) as exc:
            raise UsersError(f"用户文件 {self.path} 格式错误：{exc}") from exc

    def _save(self, users: dict[str, User]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"users": [u.__dict__ for u in sorted(users.values(), key=lambda u: u.name)]}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".users.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)

    def add(self, name: str, password: str, role: str = "staff") -> None:
        name = name.strip()
        if not name:
            raise UsersError("用户名不能为空。")
        if role not in ROLES:
            raise UsersError(f"角色只能是 {'、'.join(ROLES)}。")
        if len(password) < 8:
            raise UsersError("密码至少 8 位。")
        users = self.load()
        salt = secrets.token_bytes(16)
        users[name] = User(name, role, base64.b64encode(salt).decode(), _hash(password, salt))
        self._save(users)

    def remove(self, name: str) -> bool:
        users = self.load()
        if users.pop(name, None) is None:
            return False
        self._save(users)
        return True

    def verify(self, name: str, password: str) -> User | None:
        user = self.load().get(name)
        if user is None:
            _hash(password, b"0" * 16)  # same cost whether or not the name exists
            return None
        ok = hmac.compare_digest(_hash(password, base64.b64decode(user.salt)), user.hash)
        return user if ok else None

    def role(self, name: str | None) -> str | None:
        user = self.load().get(name or "")
        return user.role if user else None
