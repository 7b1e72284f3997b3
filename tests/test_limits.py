"""Limits and guards before any work: failed logins throttled per user name and per address, the loopback rule in
the app itself, history, places and control characters bounded."""

import asyncio

import pytest

from assistant.settings import Settings
from assistant.web.auth import UsersFile
from assistant.web.base import WebBase
from assistant.web.launch import UnsafeLaunch, launch
from assistant.web.throttle import LoginThrottle, locked_message


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_ten_failures_lock_a_key_for_the_lock_time():
    clock = Clock()
    t = LoginThrottle(max_failures=10, lock_seconds=60, clock=clock)
    for _ in range(9):
        t.failed("user:li")
    assert t.wait("user:li") == 0
    t.failed("user:li")
    assert t.wait("user:li") == 60 and t.wait("user:wang") == 0
    clock.now += 59
    assert 0 < t.wait("user:li") <= 1
    clock.now += 2
    assert t.wait("user:li") == 0
    t.failed("user:li")  # the count starts again after a lock
    assert t.wait("user:li") == 0
    assert "秒后再试" in locked_message(12.5)


def test_a_success_clears_the_failures_before_it():
    t = LoginThrottle(max_failures=3, lock_seconds=60, clock=Clock())
    t.failed("k"), t.failed("k"), t.succeeded("k"), t.failed("k"), t.failed("k")
    assert t.wait("k") == 0


def _login_through_guard(guard, name, password, address):
    import urllib.parse

    body = urllib.parse.urlencode({"username": name, "password": password}).encode()
    scope = {"type": "http", "method": "POST", "path": "/login", "query_string": b"", "client": (address, 5000),
             "headers": [(b"content-type", b"application/x-www-form-urlencoded"),
                         (b"content-length", str(len(body)).encode())]}
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    return sent[0]["status"]


def test_a_locked_name_is_refused_even_with_the_right_password_but_not_where_its_user_works(tmp_path, caplog):
    from assistant.web.throttle import LoginGuard

    users = UsersFile(tmp_path / "users.json")
    users.add("li", "right-password")
    settings = Settings(users_file=tmp_path / "users.json", login_max_failures=10, login_lock_seconds=60)
    base = WebBase(settings, assistant=None, users=users)
    checked = []

    async def gradio_login(scope, receive, send):  # Gradio's /login: the form, then base.login
        from starlette.requests import Request

        form = await Request(scope, receive).form()
        checked.append(form["username"])
        ok = await base.login(form["username"], form["password"])
        await send({"type": "http.response.start", "status": 200 if ok else 400, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    guard = LoginGuard(gradio_login, base.throttle)
    assert _login_through_guard(guard, "li", "right-password", "10.0.0.1") == 200  # li's office
    with caplog.at_level("WARNING", logger="assistant.login"):
        for i in range(10):  # someone else, from ten addresses, in li's name
            assert _login_through_guard(guard, "li", "wrong-password", f"10.9.9.{i}") == 400
    assert "locked" in caplog.text and "user:li" in caplog.text
    before = len(checked)
    assert _login_through_guard(guard, "li", "right-password", "10.9.9.99") == 429  # not hashed: refused in front
    assert len(checked) == before and base.throttle.wait("user:li") > 55
    assert _login_through_guard(guard, "li", "right-password", "10.0.0.1") == 200  # li still gets in at work
    for _ in range(10):  # one address trying many names is locked for all of them
        _login_through_guard(guard, "guess", "x", "10.7.7.7")
    assert _login_through_guard(guard, "li", "right-password", "10.7.7.7") == 429


def test_listening_beyond_loopback_without_users_is_refused_by_the_app_itself(tmp_path):
    settings = Settings(users_file=tmp_path / "none.json")
    with pytest.raises(UnsafeLaunch, match="必须启用登录"):
        launch(settings, "0.0.0.0", 7999, block=False)


def test_history_is_capped_by_size_and_only_the_last_turns_are_read():
    from assistant.answering.validation import BadQuestion, check_history

    settings = Settings(max_history_chars=2000, max_history_turns=3)
    pairs = [[f"问题{i}", f"回答{i}"] for i in range(10)]
    assert check_history(pairs, settings) == pairs[-6:] and check_history(None, settings) == []
    with pytest.raises(BadQuestion, match="对话记录太长"):
        check_history([["很长的问题" * 200, "回答"]] * 3, settings)
    with pytest.raises(BadQuestion, match="格式不对"):
        check_history("not a list", settings)


def test_a_question_naming_too_many_places_is_refused_before_any_search():
    from assistant.answering.validation import BadQuestion, check_place_name, check_places

    settings = Settings(max_places=3)
    check_places(["a", "b", "c"], settings)
    with pytest.raises(BadQuestion, match="最多涉及 3 个地区"):
        check_places(["a", "b", "c", "d"], settings)
    assert check_place_name(" 中方县 ") == "中方县"
    with pytest.raises(BadQuestion, match="地区名称太长"):
        check_place_name("中方县" * 10)


def test_control_characters_never_reach_a_question_a_place_or_a_file_name():
    from assistant.answering.validation import BadQuestion, check_place_name, check_question
    from assistant.ingest.library import LibraryError, _safe_name

    assert check_question("株洲\x00在编教师\x1b多少人", Settings()) == "株洲在编教师多少人"
    with pytest.raises(BadQuestion, match="控制字符"):
        check_place_name("中方\x1b县")
    with pytest.raises(LibraryError, match="文件名不合适"):
        _safe_name("evil\u202eexe.txt")  # shows as eviltxt.exe


@pytest.mark.parametrize("line", ['[1, 2]', '"str"', '{"question": 123}', '{}', '{"question": "  "}', '{bad json'])
def test_a_malformed_question_set_line_is_named_in_chinese(tmp_path, line):
    from assistant.evaluation.questions import QuestionSetError, read_questions

    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "中方县有多少所学校？"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(QuestionSetError, match="第 2 行格式错误"):
        read_questions(path)


def test_each_users_files_go_to_a_folder_of_their_own_with_unguessable_names(tmp_path):
    from types import SimpleNamespace

    users = UsersFile(tmp_path / "users.json")
    users.add("li", "long-enough-1")
    users.add("wang", "long-enough-2")
    base = WebBase(Settings(users_file=tmp_path / "users.json"), assistant=None, users=users)
    li, wang = SimpleNamespace(username="li"), SimpleNamespace(username="wang")
    a, b, c = (base.user_folder(tmp_path / "drafts", r) for r in (li, li, wang))
    assert a.parent == b.parent != c.parent  # one folder per user, named by a hash, not the name
    assert "li" not in a.parent.name and "wang" not in c.parent.name
    assert a != b  # two drafts in the same second are two folders: a random part follows the time
    assert len(a.name.rsplit("-", 1)[1]) == 16
