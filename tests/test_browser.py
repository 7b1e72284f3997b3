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
        finally:
            browser.close()
    assert (out / "browser-ask.png").stat().st_size > 10_000
