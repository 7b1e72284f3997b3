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
    finally:
        srv.stop()
