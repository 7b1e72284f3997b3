"""ASGI middlewares on Gradio's file routes, which none of our handlers sees:

- `UploadQuota`: an upload goes ahead only within its user's share of the staging area (`staging.Staging`); the
  paths Gradio answers with are recorded as that user's, and an upload that took the user past the share is
  removed again and refused;
- `OwnedFiles`: /file= serves a file only to those `file_access.FileAccess` allows.
"""

from __future__ import annotations

import json
import logging

from starlette.datastructures import Headers

from .auth import UsersFile
from .file_access import LOCAL, FileAccess
from .guards import is_upload, send_json, session_user
from .staging import Staging

log = logging.getLogger("assistant.files")


def _is_admin(users: UsersFile | None, user: str | None) -> bool:
    return users is None or users.role(user) == "admin"  # without login the one local user is the admin


class UploadQuota:
    def __init__(self, app, staging: Staging, users: UsersFile | None):
        self.app = app
        self.staging = staging
        self.users = users

    async def __call__(self, scope, receive, send):
        if not is_upload(scope):
            return await self.app(scope, receive, send)
        _token, user, _ = session_user(scope)
        owner = user or LOCAL
        admin = _is_admin(self.users, user)
        try:
            incoming = int(Headers(scope=scope).get("content-length") or 0)
        except ValueError:
            incoming = 0
        refusal = self.staging.refusal(owner, admin, incoming)
        if refusal:
            log.warning("upload refused for %s: %s", owner, refusal)
            return await send_json(send, 507, refusal)
        messages = []

        async def keep(message):
            messages.append(message)

        await self.app(scope, receive, keep)
        start = next((m for m in messages if m["type"] == "http.response.start"), None)
        if start is not None and start["status"] == 200:
            body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
            try:
                paths = [p for p in json.loads(body) if isinstance(p, str)]
            except (ValueError, TypeError):
                paths = []
            self.staging.record(owner, paths, incoming)
            share = self.staging.total_bytes if admin else self.staging.user_bytes
            if self.staging.usage(owner) > share:  # the request did not say its size, or several raced
                self.staging.release(paths, owner)
                return await send_json(send, 507, self.staging.refusal(owner, admin, 0) or "上传暂存空间已满。")
        for message in messages:
            await send(message)


FILE_ROUTE = "/file="


class OwnedFiles:
    def __init__(self, app, access: FileAccess, users: UsersFile | None):
        self.app = app
        self.access = access
        self.users = users

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if FILE_ROUTE not in path or self.users is None:
            return await self.app(scope, receive, send)
        _token, user, _ = session_user(scope)
        if user is None:  # Gradio's own login check refuses it
            return await self.app(scope, receive, send)
        target = path.split(FILE_ROUTE, 1)[1]
        if self.access.allowed(user, _is_admin(self.users, user), target):
            return await self.app(scope, receive, send)
        log.warning("file refused to %s: %s", user, target)
        await send_json(send, 404, "没有这个文件，或您无权查看。")
