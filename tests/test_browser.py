"""The page in a real headless browser (Debian's chromium driven by Playwright): ask, see the cited answer,
open its source. A screenshot is saved under tests/output/.

Run alone: .venv/bin/python -m pytest tests/test_browser.py  (needs `apt-get install chromium`)."""

import os
import shutil

import pytest

from .conftest import ROOT, Server

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("browser")).wait()
    yield srv
    srv.stop()


def test_ask_in_the_browser_and_open_the_source(server, tmp_path):
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed: apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    out = ROOT / "tests" / "output"
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)  # a fresh temporary profile
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server.url, wait_until="domcontentloaded", timeout=60_000)
            expect(page.get_by_text("教育局工作文档助手").first).to_be_visible(timeout=60_000)
            box = page.locator("#question textarea")
            box.fill("中方县2023年在编教师多少人？")
            box.press("Enter")
            bot = page.locator("#chatbot .message.bot, #chatbot [data-testid='bot']").last
            expect(bot).to_contain_text("2243", timeout=120_000)
            expect(bot).to_contain_text("[1]")
            source = page.locator("#src-1")
            expect(source).to_be_visible()
            # Collapse the source, then follow the [1] link: the panel opens it again.
            page.locator("#src-1 summary").click()
            expect(page.locator("#src-1 mark")).to_be_hidden()
            bot.locator("a[href='#src-1']").first.click()
            expect(page.locator("#src-1 mark")).to_be_visible()
            expect(page.locator("#src-1 mark")).to_contain_text("2243")
            expect(page.locator("#src-1")).to_contain_text("中方")
            page.screenshot(path=str(out / "browser-ask.png"), full_page=True)
            # The library tab lists the documents.
            page.get_by_role("tab", name="文档库").click()
            expect(page.get_by_role("tabpanel").get_by_text("004_e470ba86af01da5e.txt").first).to_be_visible(timeout=30_000)
            page.screenshot(path=str(out / "browser-library.png"), full_page=True)
            # A draft: bold item leads render as bold, never as literal asterisks; the year box starts empty.
            page.get_by_role("tab", name="起草").click()
            year_box = page.get_by_label("年份（要求中没写时）")
            expect(year_box).to_have_value("")
            page.locator("#draft-instruction textarea").fill("参照往年表述，为中方县起草2025年校园安全工作计划要点")
            page.locator("#draft-button").click()
            draft = page.locator("#draft-text")
            expect(draft.locator("strong").first).to_be_visible(timeout=120_000)
            assert "**" not in draft.inner_text()
            page.screenshot(path=str(out / "browser-draft.png"), full_page=True)
        finally:
            browser.close()
    assert (out / "browser-ask.png").stat().st_size > 10_000


def test_login_page_under_the_security_policy_and_a_library_list_that_refreshes(tmp_path):
    """Log in through the form with the CSP on (nothing it blocks), open the library tab, and see a document
    another session uploaded after the page was opened."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed: apt-get install chromium")
    from gradio_client import Client, handle_file
    from playwright.sync_api import expect, sync_playwright

    from assistant.web.auth import UsersFile

    users = UsersFile(tmp_path / "users.json")
    users.add("boss", "admin-password", "admin")
    srv = Server(tmp_path, users=tmp_path / "users.json").wait()
    blocked = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
                page.goto(srv.url, wait_until="domcontentloaded", timeout=60_000)
                page.locator("input[type='text']").first.fill("boss", timeout=60_000)
                page.locator("input[type='password']").first.fill("admin-password")
                page.locator("button[type='submit'], button:has-text('Login'), button:has-text('登录')").first.click()
                expect(page.get_by_text("教育局工作文档助手").first).to_be_visible(timeout=60_000)
                doc = tmp_path / "新上传的工作要点.txt"
                doc.write_text("某县2024年教育工作要点\n全县新建操场3个。\n", encoding="utf-8")
                admin = Client(srv.url, auth=("boss", "admin-password"), verbose=False)
                assert "已加入" in admin.predict([handle_file(str(doc))], api_name="/upload")[0]
                page.get_by_role("tab", name="文档库").click()
                expect(page.get_by_role("tabpanel").get_by_text("新上传的工作要点.txt").first).to_be_visible(timeout=30_000)
                box = page.get_by_role("tab", name="问答").click() or page.locator("#question textarea")
                box.fill("中方县2023年在编教师多少人？")
                box.press("Enter")
                bot = page.locator("#chatbot .message.bot, #chatbot [data-testid='bot']").last
                expect(bot).to_contain_text("2243", timeout=120_000)
            finally:
                browser.close()
    finally:
        srv.stop()
    assert not blocked, blocked
