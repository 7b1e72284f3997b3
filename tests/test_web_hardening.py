"""The running server, over HTTP, against what an outside probe got through: sessions outliving a password change,
one user filling the upload area for everyone, another user's files, a chosen client address, pages of other
sites, routes open without login, a broken index keeping the server from starting."""

import http.cookiejar
import json
import secrets
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from gradio_client import Client

from assistant.ingest.store import current_version
from assistant.web.auth import UsersFile

from .conftest import ROOT, Server

pytestmark = pytest.mark.slow
QUESTION = "中方县2023年在编教师多少人？"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    base = tmp_path_factory.mktemp("hardening")
    users = UsersFile(base / "users.json")
    users.add("boss", "admin-password", "admin")
    users.add("li", "staff-password")
    users.add("wang", "staff-password")
    srv = Server(base, users=base / "users.json",
                 env={"ASSISTANT_UPLOAD_USER_MB": "0.05", "ASSISTANT_UPLOAD_CACHE_MB": "0.08",
                      "ASSISTANT_LOGIN_MAX_FAILURES": "3", "ASSISTANT_LOGIN_LOCK_SECONDS": "3"}).wait()
    srv.users, srv.base = users, base
    yield srv
    srv.stop()


class Session:
    def __init__(self, url, name, password):
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        status, _ = self.request("login", {"username": name, "password": password})
        assert status == 200, status

    def request(self, path, form=None, data=None, headers=None):
        body = urllib.parse.urlencode(form).encode() if form is not None else data
        req = urllib.request.Request(self.url + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=60) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def upload(self, kb: int, name="a.txt"):
        boundary = "----assistant-test"
        data = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
                "Content-Type: text/plain\r\n\r\n").encode() + secrets.token_hex(8).encode() + b"x" * (kb * 1024 - 16) \
            + f"\r\n--{boundary}--\r\n".encode()  # each upload different: Gradio stores one file once
        return self.request("gradio_api/upload", data=data,
                            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


def test_a_password_change_or_a_re_added_user_ends_the_session(server):
    li = Session(server.url, "li", "staff-password")
    assert li.request("config")[0] == 200
    server.users.add("li", "another-password")
    status, body = li.request("config")
    assert status == 401 and "密码或权限已更改" in json.loads(body)["detail"]
    server.users.add("li", "staff-password")
    li = Session(server.url, "li", "staff-password")
    server.users.remove("li")
    server.users.add("li", "staff-password")  # back, same password, no request in between
    assert li.request("config")[0] == 401
    assert Session(server.url, "li", "staff-password").request("config")[0] == 200  # a new login works


def test_one_user_cannot_fill_the_upload_area_for_everyone(server):
    li, wang, boss = (Session(server.url, n, p) for n, p in
                      (("li", "staff-password"), ("wang", "staff-password"), ("boss", "admin-password")))
    codes = [li.upload(20)[0] for _ in range(5)]  # a 50 KB share: two uploads fit, then refused
    assert codes[:2] == [200, 200] and set(codes[2:]) == {507}
    status, body = li.upload(20)
    assert "上限" in json.loads(body)["detail"]
    assert wang.upload(20)[0] == 200  # another user's share is untouched
    assert wang.upload(20)[0] == 200
    assert Session(server.url, "wang", "staff-password").upload(5)[0] == 507  # staff together: the area is full
    assert boss.upload(40)[0] == 200  # and the admin's library upload still goes ahead


def test_an_evaluation_report_is_the_owners_a_download_and_outside_the_checkout(server):
    li = Client(server.url, auth=("li", "staff-password"), verbose=False, download_files=False)
    *_, downloads = li.predict("questions.jsonl", None, "抽取式（离线）", api_name="/evaluate")
    urls = {d["orig_name"] if isinstance(d, dict) else d: d for d in downloads}
    report = next(d for d in downloads if str(d["path"]).endswith("report.html"))
    path = "gradio_api/file=" + urllib.parse.quote(report["path"])
    assert list((server.base / "data" / "eval-results").rglob("report.html"))  # the data folder, not eval/
    assert not (server.base / "eval" / "results").exists() and not (ROOT / "eval" / "results" / "web").exists()
    li_http = Session(server.url, "li", "staff-password")
    req = urllib.request.Request(server.url + path)
    with li_http.opener.open(req, timeout=60) as r:
        assert r.headers["content-disposition"].startswith("attachment")
        assert "sandbox" in r.headers["content-security-policy"]
    assert Session(server.url, "wang", "staff-password").request(path)[0] == 404
    assert Session(server.url, "boss", "admin-password").request(path)[0] == 200
    assert urls


def test_routes_gradio_leaves_open_need_a_login(server):
    anonymous = urllib.request.build_opener()
    for path in ("openapi.json", "gradio_api/openapi.json", "gradio_api/heartbeat/x", "docs"):
        with pytest.raises(urllib.error.HTTPError) as err:
            anonymous.open(server.url + path, timeout=30)
        assert err.value.code in (401, 404), path
    with anonymous.open(server.url, timeout=30) as r:  # the login form
        assert r.status == 200 and r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_a_login_from_another_site_is_refused(server):
    data = urllib.parse.urlencode({"username": "li", "password": "staff-password"}).encode()
    req = urllib.request.Request(server.url + "login", data=data, headers={"Origin": "http://evil.example"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=30)
    assert err.value.code == 403 and "其他网站" in json.loads(err.value.read())["detail"]


def test_a_forwarded_for_header_does_not_choose_the_client_address(server):
    def attempt(address, password="wrong"):
        data = urllib.parse.urlencode({"username": f"guess-{address}", "password": password}).encode()
        req = urllib.request.Request(server.url + "login", data=data, headers={"X-Forwarded-For": address})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status
        except urllib.error.HTTPError as exc:
            return exc.code

    codes = [attempt(f"10.9.9.{i}") for i in range(5)]
    assert codes[:3] == [400, 400, 400] and codes[3:] == [429, 429]  # one address, whatever the header says
    time.sleep(3.5)  # the lock ends; the other tests' logins come from this address too


def test_the_server_starts_with_a_broken_index_and_an_admin_rebuilds_it(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    users.add("boss", "admin-password", "admin")
    first = Server(tmp_path, users=tmp_path / "users.json").wait()  # builds the index
    first.stop()
    version = current_version(tmp_path / "index")
    (version / "chunks.jsonl").write_text("{cut short", encoding="utf-8")
    shutil.rmtree(tmp_path / "data", ignore_errors=True)
    srv = Server(tmp_path, users=tmp_path / "users.json").wait()
    try:
        boss = Client(srv.url, auth=("boss", "admin-password"), verbose=False)
        with pytest.raises(Exception, match="索引文件已损坏"):
            boss.predict(QUESTION, "", "", "", "", "", api_name="/ask")
        config = Session(srv.url, "boss", "admin-password").request("config")[1].decode()
        assert "索引文件已损坏" in config  # the banner over the page
        status, _ = boss.predict(api_name="/reindex")
        assert "索引完成" in status
        answer, _ = boss.predict(QUESTION, "", "", "", "", "", api_name="/ask")
        assert "2243" in answer
    finally:
        srv.stop()


def test_another_users_upload_cannot_be_fed_to_an_evaluation(server):
    # The admin uploads (the staff area may be full from the tests above; an admin's uploads go ahead of it).
    li, wang = Session(server.url, "boss", "admin-password"), Session(server.url, "wang", "staff-password")
    line = json.dumps({"id": "p1", "question": "赵的私人问题：中方县2023年在编教师多少人？", "answers": ["2243"]},
                      ensure_ascii=False)
    boundary = "----assistant-test"
    data = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"li.jsonl\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + line.encode() + f"\r\n--{boundary}--\r\n".encode()
    status, body = li.request("gradio_api/upload", data=data,
                              headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 200
    staged = json.loads(body)[0]

    def evaluate(session):
        payload = json.dumps({"data": ["questions.jsonl", {"path": staged, "orig_name": "li.jsonl",
                                                           "meta": {"_type": "gradio.FileData"}},
                                       "抽取式（离线）"]}).encode()
        status, body = session.request("gradio_api/call/evaluate", data=payload,
                                       headers={"Content-Type": "application/json"})
        assert status == 200, body
        event = json.loads(body)["event_id"]
        return session.request(f"gradio_api/call/evaluate/{event}")[1].decode()

    stream = evaluate(wang)
    assert "event: error" in stream and "赵的私人问题" not in stream
    assert "event: complete" in evaluate(li)  # the owner may (the uploader, or any admin)
