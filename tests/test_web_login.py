"""Login: required beyond loopback, passwords hashed, staff cannot change the corpus."""

import subprocess
import sys

import pytest
from gradio_client import Client, handle_file

from assistant.web.auth import UsersError, UsersFile

from .conftest import Server

pytestmark = pytest.mark.slow


def test_users_file_stores_only_hashes(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    users.add("zhang", "secret-pass-1", "admin")
    users.add("li", "secret-pass-2")
    text = (tmp_path / "users.json").read_text(encoding="utf-8")
    assert "secret-pass" not in text
    assert users.verify("zhang", "secret-pass-1").role == "admin"
    assert users.verify("li", "secret-pass-2").role == "staff"
    assert users.verify("zhang", "wrong") is None and users.verify("nobody", "x") is None
    with pytest.raises(UsersError):
        users.add("wang", "short")
    assert users.remove("li") and users.role("li") is None


def test_users_command(tmp_path):
    env = {"ASSISTANT_USERS_FILE": str(tmp_path / "u.json")}
    import os

    r = subprocess.run([sys.executable, "-m", "assistant.cli", "users", "add", "admin1", "--role", "admin",
                        "--password-stdin"], input="long-enough-pw\n", text=True, capture_output=True,
                       env={**os.environ, **env})
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "assistant.cli", "users", "list"], text=True, capture_output=True,
                       env={**os.environ, **env})
    assert "admin1\tadmin" in r.stdout


def test_beyond_loopback_without_users_file_refuses_to_start(tmp_path):
    srv = Server(tmp_path, host="0.0.0.0")
    assert srv.proc.wait(timeout=120) == 2
    assert "必须启用登录" in srv.log.read_text(encoding="utf-8")


def test_login_required_beyond_loopback_and_roles(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    users.add("admin1", "admin-password", "admin")
    users.add("staff1", "staff-password", "staff")
    srv = Server(tmp_path, host="0.0.0.0", users=tmp_path / "users.json").wait()
    try:
        with pytest.raises(Exception):
            Client(srv.url, verbose=False).predict("中方县2023年在编教师多少人？", "", "", "", "", "", api_name="/ask")
        with pytest.raises(Exception):
            Client(srv.url, auth=("staff1", "wrong-password"), verbose=False)
        staff = Client(srv.url, auth=("staff1", "staff-password"), verbose=False)
        answer, _ = staff.predict("中方县2023年在编教师多少人？", "", "", "", "", "", api_name="/ask")
        assert "2243" in answer
        doc = tmp_path / "x.txt"
        doc.write_text("某县2024年工作要点\n全县新建操场3个。\n", encoding="utf-8")
        with pytest.raises(Exception, match="只有管理员"):
            staff.predict([handle_file(str(doc))], api_name="/upload")
        admin = Client(srv.url, auth=("admin1", "admin-password"), verbose=False)
        status, _, _ = admin.predict([handle_file(str(doc))], api_name="/upload")
        assert "已加入" in status
        # Roles are read at every request: a removed user loses access at once, a demoted admin its rights.
        users.remove("staff1")
        with pytest.raises(Exception, match="401"):  # refused in front of Gradio (guards.RevokedSessions)
            staff.predict("中方县2023年在编教师多少人？", "", "", "", "", "", api_name="/ask")
        users.add("admin1", "admin-password", "staff")  # a new role ends the session (tests/test_web_hardening.py)
        with pytest.raises(Exception, match="401"):
            admin.predict([handle_file(str(doc))], api_name="/upload")
        demoted = Client(srv.url, auth=("admin1", "admin-password"), verbose=False)
        with pytest.raises(Exception, match="只有管理员"):
            demoted.predict([handle_file(str(doc))], api_name="/upload")
    finally:
        srv.stop()



def _post_login(url, name, password):
    import urllib.error
    import urllib.parse
    import urllib.request

    data = urllib.parse.urlencode({"username": name, "password": password}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url + "login", data=data), timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_failed_logins_lock_the_address_even_for_the_right_password(tmp_path):
    import json

    users = UsersFile(tmp_path / "users.json")
    users.add("admin1", "admin-password", "admin")
    srv = Server(tmp_path, host="0.0.0.0", users=tmp_path / "users.json",
                 env={"ASSISTANT_LOGIN_MAX_FAILURES": "3"}).wait()
    try:
        assert _post_login(srv.url, "admin1", "admin-password")[0] == 200
        # Different names from one address: the address is locked, and no password is checked while it is.
        status, body = _post_login(srv.url, "guess", "x")
        assert status == 400 and json.loads(body)["detail"] == "用户名或密码不正确。"  # Gradio's English, replaced
        assert [_post_login(srv.url, f"guess{i}", "x")[0] for i in range(2)] == [400, 400]
        status, body = _post_login(srv.url, "admin1", "admin-password")
        assert status == 429 and "秒后再试" in json.loads(body)["detail"]
        assert "login locked" in srv.log.read_text(encoding="utf-8", errors="replace")
    finally:
        srv.stop()


def test_an_upload_over_the_limit_is_cut_off_while_it_streams(tmp_path):
    import urllib.error
    import urllib.request

    srv = Server(tmp_path, env={"ASSISTANT_MAX_FILE_MB": "1"}).wait()
    try:
        before = sorted(p.name for p in srv.corpus.iterdir())
        boundary = "----assistant-test"
        payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
                   "Content-Type: text/plain\r\n\r\n").encode() + "某县工作要点。\n".encode() * 200_000 \
            + f"\r\n--{boundary}--\r\n".encode()  # about 4 MB
        req = urllib.request.Request(srv.url + "gradio_api/upload", data=payload,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=60)
        assert err.value.code == 413 and "1 MB" in err.value.read().decode()
        assert sorted(p.name for p in srv.corpus.iterdir()) == before
    finally:
        srv.stop()


def test_a_removed_users_session_ends_on_gradios_own_routes(tmp_path):
    """Our endpoints check roles per request (above); Gradio's own routes (the page config, uploads) are guarded
    in front of Gradio, and the upload cache has a quota."""
    import http.cookiejar
    import json
    import urllib.error
    import urllib.parse
    import urllib.request

    users = UsersFile(tmp_path / "users.json")
    users.add("staff1", "staff-password", "staff")
    users.add("staff2", "staff-password", "staff")
    srv = Server(tmp_path, host="0.0.0.0", users=tmp_path / "users.json",
                 env={"ASSISTANT_UPLOAD_CACHE_MB": "0.03"}).wait()

    def session(name):
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        data = urllib.parse.urlencode({"username": name, "password": "staff-password"}).encode()
        opener.open(srv.url + "login", data=data, timeout=30).read()
        return opener

    def upload(opener):
        boundary = "----assistant-test"
        payload = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
                   "Content-Type: text/plain\r\n\r\n").encode() + "某县工作要点。\n".encode() * 1000 \
            + f"\r\n--{boundary}--\r\n".encode()  # about 22 KB: two are over the 30 KB of all staff uploads
        req = urllib.request.Request(srv.url + "gradio_api/upload", data=payload,
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with opener.open(req, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    try:
        one, two = session("staff1"), session("staff2")
        assert one.open(srv.url + "config", timeout=30).status == 200
        assert upload(one)[0] == 200
        status, body = upload(two)  # staff uploads together would hold more than the area
        assert status == 507 and "上传暂存空间已满" in json.loads(body)["detail"]
        users.remove("staff1")
        status, body = upload(one)
        assert status == 401 and "已被停用" in json.loads(body)["detail"]
        with pytest.raises(urllib.error.HTTPError) as err:  # the refusal also ended the session's cookies
            one.open(srv.url + "config", timeout=30)
        assert err.value.code == 401
        assert two.open(srv.url + "config", timeout=30).status == 200
        assert "session ended (credential): staff1" in srv.log.read_text(encoding="utf-8", errors="replace")
    finally:
        srv.stop()
