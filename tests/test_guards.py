"""The guards in front of Gradio's own routes, driven as ASGI apps: sessions of removed users end, the upload cache
has a quota, Gradio's English errors reach users in Chinese. The same guards over HTTP: tests/test_web_login.py."""

import asyncio
import json

from assistant.web.auth import UsersFile
from assistant.web.guards import ChineseErrors, RevokedSessions, UploadQuota


class GradioLike:
    """Stands in for Gradio's app behind the guards: answers every request with `status` and an English body,
    and keeps its sessions in `tokens` as Gradio does."""

    def __init__(self, status=200, body=b'{"detail": "Incorrect credentials."}'):
        self.status, self.body, self.seen = status, body, []
        self.tokens = {"tok-li": "li", "tok-wang": "wang"}

    async def __call__(self, scope, receive, send):
        self.seen.append(scope["path"])
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"36")]})
        await send({"type": "http.response.body", "body": self.body})


def call(guard, inner, path, method="GET", cookie=None):
    headers = [(b"cookie", cookie.encode())] if cookie else []
    scope = {"type": "http", "method": method, "path": path, "headers": headers, "app": inner,
             "query_string": b"", "client": ("127.0.0.1", 5000)}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], dict(start["headers"]), body


def test_a_removed_users_session_ends_on_every_route(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    users.add("li", "long-enough-1")
    users.add("wang", "long-enough-2")
    inner = GradioLike()
    guard = RevokedSessions(inner, users)
    assert call(guard, inner, "/config", cookie="access-token-x=tok-li")[0] == 200
    users.remove("li")
    for path in ("/config", "/gradio_api/upload", "/gradio_api/file=/tmp/a.txt"):
        status, headers, body = call(guard, inner, path, cookie="access-token-unsecure-x=tok-li")
        assert status == 401 and "已被停用" in json.loads(body)["detail"]
        assert headers[b"set-cookie"].startswith(b"access-token-unsecure-x=;")
    status, headers, _ = call(guard, inner, "/", cookie="access-token-x=tok-li")
    assert status == 303 and headers[b"location"] == b"/"  # the page goes back to the login form
    assert inner.seen == ["/config"]
    # Others, and requests without a session (Gradio's own login check handles those), pass.
    assert call(guard, inner, "/config", cookie="access-token-x=tok-wang")[0] == 200
    assert call(guard, inner, "/config", cookie="access-token-x=unknown")[0] == 200
    assert call(guard, inner, "/config")[0] == 200


def test_without_login_nothing_is_checked(tmp_path):
    inner = GradioLike()
    assert call(RevokedSessions(inner, None), inner, "/config", cookie="access-token-x=tok-li")[0] == 200


def test_the_upload_cache_has_a_quota(tmp_path):
    inner = GradioLike()
    cache = tmp_path / "gradio"
    (cache / "a").mkdir(parents=True)
    guard = UploadQuota(inner, folder=lambda: str(cache), max_mb=0.01)  # about 10 KB
    (cache / "a" / "one.txt").write_bytes(b"x" * 5000)
    assert call(guard, inner, "/gradio_api/upload", method="POST")[0] == 200
    (cache / "a" / "two.txt").write_bytes(b"x" * 6000)
    status, _, body = call(guard, inner, "/gradio_api/upload", method="POST")
    assert status == 507 and "上传暂存空间已满" in json.loads(body)["detail"]
    assert call(guard, inner, "/config")[0] == 200  # only uploads are refused


def test_gradios_english_errors_reach_users_in_chinese():
    inner = GradioLike(status=400)
    status, headers, body = call(ChineseErrors(inner, max_file_mb=20), inner, "/login", method="POST")
    assert status == 400 and json.loads(body)["detail"] == "用户名或密码不正确。"
    assert int(headers[b"content-length"]) == len(body)
    big = GradioLike(status=413, body=b'{"detail": "File size exceeded maximum allowed size of 1 bytes."}')
    status, _, body = call(ChineseErrors(big, max_file_mb=20), big, "/gradio_api/upload", method="POST")
    assert status == 413 and "20 MB" in json.loads(body)["detail"]
    ok = GradioLike(status=400, body=b'{"detail": "other"}')  # other routes' answers are left as they are
    assert call(ChineseErrors(ok, max_file_mb=20), ok, "/gradio_api/queue/join", method="POST")[2] == b'{"detail": "other"}'
