"""The guards in front of Gradio's own routes, driven as ASGI apps: sessions bound to the credential, per-user
upload shares, who may fetch a served file, security headers, cross-site requests, Gradio's English errors in
Chinese. The same guards over HTTP: tests/test_web_login.py and tests/test_web_hardening.py."""

import asyncio
import json

from assistant.web.auth import UsersFile
from assistant.web.file_access import FileAccess, owner_id
from assistant.web.file_guards import OwnedFiles, UploadQuota
from assistant.web.guards import ChineseErrors
from assistant.web.headers import SameOrigin, SecurityHeaders
from assistant.web.session_guard import SessionGuard
from assistant.web.sessions import Sessions
from assistant.web.staging import Staging


class GradioLike:
    """Stands in for Gradio's app behind the guards: answers every request with `status` and `body`, keeps its
    sessions in `tokens` as Gradio does, and makes a session at POST /login."""

    def __init__(self, status=200, body=b'{"detail": "Incorrect credentials."}', content_type=b"application/json"):
        self.status, self.body, self.content_type, self.seen = status, body, content_type, []
        self.tokens = {}

    async def __call__(self, scope, receive, send):
        self.seen.append(scope["path"])
        headers = [(b"content-type", self.content_type), (b"content-length", str(len(self.body)).encode())]
        if scope["path"] == "/login" and self.status == 200:
            user = dict(scope["headers"]).get(b"x-test-user", b"li").decode()
            token = f"tok-{user}-{len(self.tokens)}"
            self.tokens[token] = user
            headers.append((b"set-cookie", f"access-token-x={token}; HttpOnly; Path=/".encode()))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": self.body})


def call(guard, inner, path, method="GET", cookie=None, headers=()):
    raw = [(b"cookie", cookie.encode())] if cookie else []
    raw += [(k.encode(), v.encode()) for k, v in headers]
    scope = {"type": "http", "method": method, "path": path, "headers": raw, "app": inner,
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


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def login(guard, inner, user):
    status, headers, _ = call(guard, inner, "/login", method="POST", headers=[("x-test-user", user)])
    assert status == 200
    return "access-token-x=" + headers[b"set-cookie"].decode().split("=", 1)[1].split(";")[0]


def test_a_session_ends_when_its_credential_changes_or_it_sits_idle(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    users.add("li", "long-enough-1")
    users.add("wang", "long-enough-2")
    clock = Clock()
    inner = GradioLike()
    guard = SessionGuard(inner, users, Sessions(users, idle_seconds=3600, clock=clock))

    li = login(guard, inner, "li")
    assert call(guard, inner, "/config", cookie=li)[0] == 200
    users.add("li", "a-new-password")  # a password reset revokes the sessions it was meant to revoke
    status, headers, body = call(guard, inner, "/gradio_api/upload", cookie=li)
    assert status == 401 and "密码或权限已更改" in json.loads(body)["detail"]
    assert headers[b"set-cookie"].startswith(b"access-token-x=;")
    assert li.split("=")[1] not in inner.tokens  # the token itself is gone, not only refused here

    li = login(guard, inner, "li")
    users.remove("li")
    users.add("li", "a-new-password")  # removed and added back, no request in between: a new salt
    assert call(guard, inner, "/config", cookie=li)[0] == 401

    li = login(guard, inner, "li")
    users.add("li", "a-new-password", "admin")  # a new role too
    assert call(guard, inner, "/config", cookie=li)[0] == 401

    wang, page = login(guard, inner, "wang"), login(guard, inner, "wang")
    clock.now += 3000
    assert call(guard, inner, "/config", cookie=wang)[0] == 200  # used: the idle time starts again
    clock.now += 3601
    status, _, body = call(guard, inner, "/config", cookie=wang)
    assert status == 401 and "长时间未操作" in json.loads(body)["detail"]
    status, headers, _ = call(guard, inner, "/", cookie=page)
    assert status == 303 and headers[b"location"] == b"/"  # the page goes back to the login form
    assert call(guard, inner, "/", cookie=page)[0] == 200  # which is served: the token is gone


def test_without_a_session_only_the_login_form_is_served(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    users.add("li", "long-enough-1")
    inner = GradioLike()
    guard = SessionGuard(inner, users, Sessions(users, idle_seconds=3600))
    for path in ("/", "/assets/index.js", "/gradio_api/theme.css", "/favicon.ico"):
        assert call(guard, inner, path)[0] == 200, path
    for path in ("/gradio_api/heartbeat/abc", "/gradio_api/openapi.json", "/gradio_api/cancel",
                 "/gradio_api/stream/x/y/1/playlist.m3u8", "/config"):
        status, _, body = call(guard, inner, path)
        assert status == 401 and json.loads(body)["detail"] == "请先登录。", path
    status, _, _ = call(guard, inner, "/config", cookie="access-token-x=forged")
    assert status == 401
    assert call(SessionGuard(inner, None, None), inner, "/config")[0] == 200  # no login: nothing checked


def upload_app(paths, tmp_path):
    """Gradio's upload route: writes the files and answers with their paths."""
    async def app(scope, receive, send):
        for p, size in paths:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(b"x" * size)
        body = json.dumps([str(p) for p, _ in paths]).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})
    app.tokens = {"tok-li": "li", "tok-wang": "wang", "tok-boss": "boss"}
    return app


def test_each_user_has_a_share_of_the_staging_area_and_the_admin_is_never_blocked(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    users.add("li", "long-enough-1")
    users.add("wang", "long-enough-2")
    users.add("boss", "long-enough-3", "admin")
    area = tmp_path / "staging"
    staging = Staging(area, user_bytes=10_000, total_bytes=15_000, max_age=3600)
    staging.clear()

    def upload(user, name, size, length=None):
        inner = upload_app([(area / name / "f.txt", size)], tmp_path)
        guard = UploadQuota(inner, staging, users)
        return call(guard, inner, "/gradio_api/upload", method="POST", cookie=f"access-token-x=tok-{user}",
                    headers=[("content-length", str(length if length is not None else size))])

    assert upload("li", "a", 6000)[0] == 200
    status, _, body = upload("li", "b", 6000)  # declared: refused before anything is written
    assert status == 507 and "10 MB" not in json.loads(body)["detail"] and not (area / "b").exists()
    status, _, _ = upload("li", "c", 6000, length=0)  # undeclared: written, then removed again
    assert status == 507 and not (area / "c" / "f.txt").exists()
    assert upload("wang", "d", 6000)[0] == 200  # another user's share is untouched by li's
    status, _, body = upload("wang", "e", 3500)  # staff together: the whole area is 15 000 bytes
    assert status == 507 and "暂存空间已满" in json.loads(body)["detail"]
    assert upload("boss", "f", 9000)[0] == 200  # the admin's library upload goes ahead of a full area
    staging.release([area / "a" / "f.txt"])  # read by a handler: removed at once
    assert not (area / "a").exists() and staging.usage("li") == 0
    assert upload("li", "g", 3000)[0] == 507  # the area is still full (wang and the admin)
    staging.release([area / "f" / "f.txt"])
    assert upload("li", "g", 3000)[0] == 200


def test_unread_uploads_expire(tmp_path):
    clock = Clock()
    staging = Staging(tmp_path / "s", user_bytes=100, total_bytes=1000, max_age=60, clock=clock)
    staging.clear()
    f = tmp_path / "s" / "a" / "x.txt"
    f.parent.mkdir()
    f.write_bytes(b"x" * 80)
    staging.record("li", [str(f)], 80)
    assert staging.refusal("li", False, 50) is not None
    clock.now += 61
    assert staging.refusal("li", False, 50) is None and not f.exists()


def test_served_files_go_to_their_owner_and_admins_only(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    users.add("li", "long-enough-1")
    users.add("wang", "long-enough-2")
    users.add("boss", "long-enough-3", "admin")
    drafts, results, area = tmp_path / "drafts", tmp_path / "results", tmp_path / "staging"
    staging = Staging(area, 10_000, 10_000, 3600)
    staging.clear()
    access = FileAccess([drafts, results], staging)
    mine = drafts / owner_id("li") / "t1" / "计划.docx"
    mine.parent.mkdir(parents=True)
    mine.write_bytes(b"li's draft")
    copy = area / "hash1" / "计划.docx"  # Gradio's copy, which the page links to
    copy.parent.mkdir(parents=True)
    copy.write_bytes(b"li's draft")
    access.returned("li", [mine])
    stray = area / "hash2" / "other.html"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"<script>")
    inner = GradioLike()
    inner.tokens = {"tok-li": "li", "tok-wang": "wang", "tok-boss": "boss"}
    guard = OwnedFiles(inner, access, users)
    for target in (mine, copy):
        assert call(guard, inner, f"/gradio_api/file={target}", cookie="access-token-x=tok-li")[0] == 200
        status, _, body = call(guard, inner, f"/gradio_api/file={target}", cookie="access-token-x=tok-wang")
        assert status == 404 and "无权" in json.loads(body)["detail"]
        assert call(guard, inner, f"/gradio_api/file={target}", cookie="access-token-x=tok-boss")[0] == 200
    assert call(guard, inner, f"/gradio_api/file={stray}", cookie="access-token-x=tok-li")[0] == 404
    walk = f"/gradio_api/file={drafts}/{owner_id('li')}/../{owner_id('wang')}/x.docx"
    assert call(guard, inner, walk, cookie="access-token-x=tok-li")[0] == 404


def test_every_answer_carries_security_headers_and_html_files_are_downloads():
    inner = GradioLike(body=b"<html><script>alert(1)</script></html>", content_type=b"text/html; charset=utf-8")
    status, headers, _ = call(SecurityHeaders(inner), inner, "/")
    assert headers[b"x-frame-options"] == b"DENY" and headers[b"x-content-type-options"] == b"nosniff"
    assert b"frame-ancestors 'none'" in headers[b"content-security-policy"] and b"referrer-policy" in headers
    _, headers, _ = call(SecurityHeaders(inner), inner, "/gradio_api/file=/data/report.html")
    assert headers[b"content-disposition"] == b"attachment"
    assert b"sandbox" in headers[b"content-security-policy"] and b"script-src" not in headers[b"content-security-policy"]


def test_requests_from_another_site_are_refused():
    inner = GradioLike()
    guard = SameOrigin(inner)
    status, _, body = call(guard, inner, "/login", method="POST",
                           headers=[("host", "10.0.0.5:7860"), ("origin", "http://evil.example")])
    assert status == 403 and "其他网站" in json.loads(body)["detail"]
    assert call(guard, inner, "/login", method="POST", headers=[("host", "10.0.0.5:7860"), ("origin", "null")])[0] == 403
    assert call(guard, inner, "/gradio_api/queue/join", method="POST",
                headers=[("host", "a:1"), ("sec-fetch-site", "cross-site")])[0] == 403
    assert call(guard, inner, "/login", method="POST",
                headers=[("host", "10.0.0.5:7860"), ("origin", "http://10.0.0.5:7860")])[0] == 200
    assert call(guard, inner, "/login", method="POST",  # behind a TLS proxy
                headers=[("host", "edu.example"), ("origin", "https://edu.example")])[0] == 200
    assert call(guard, inner, "/login", method="POST", headers=[("host", "a:1")])[0] == 200  # not a browser
    assert call(guard, inner, "/config", headers=[("host", "a:1"), ("origin", "http://evil.example")])[0] == 200
    assert call(guard, inner, "/logout", headers=[("host", "a:1"), ("sec-fetch-site", "cross-site")])[0] == 403
    assert call(guard, inner, "/logout", headers=[("host", "a:1"), ("sec-fetch-site", "same-origin")])[0] == 200


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
