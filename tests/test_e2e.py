"""End to end in headless Chromium (Debian's, driven by Playwright): one question in each
language on a phone-sized screen, the answer and a citation appear, the citation opens."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The committed screenshots are refreshed on purpose (COOPBOT_SCREENSHOTS=eval/screenshots), not by every run.
SCREENSHOTS_DIR = os.environ.get("COOPBOT_SCREENSHOTS", "")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make e2e-deps)")


@pytest.fixture(scope="module")
def page(server_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server_url + "/")
        page.wait_for_selector("#question textarea", timeout=30_000)
        page.requests = requests
        yield page
        browser.close()


def ask(page, question: str) -> None:
    before = page.locator("#chat .coopbot-citation").count()
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#chat .coopbot-citation').length > {before}", timeout=30_000)


def test_phone_chat_in_vietnamese_and_french(page, server_url, tmp_path):
    screenshots = Path(SCREENSHOTS_DIR) if SCREENSHOTS_DIR else tmp_path
    screenshots.mkdir(parents=True, exist_ok=True)
    assert page.locator("#ui-lang input[value='vi']").is_checked(), "UI language follows the browser"

    ask(page, "Hội nghị lần thứ 12 diễn ra ở đâu?")
    chat = page.locator("#chat")
    assert "Hà Nội" in chat.inner_text()
    citation = chat.locator(".coopbot-citation").last
    citation.locator("summary").click()
    assert citation.get_attribute("open") is not None
    assert "Hội nghị" in citation.inner_text()
    page.screenshot(path=str(screenshots / "chat-vi-390px.png"), full_page=True)

    ask(page, "En quelle année la coopération entre Lyon et Hô Chi Minh-Ville a-t-elle commencé ?")
    assert "1997" in chat.inner_text()
    citation = chat.locator(".coopbot-citation").last
    citation.locator("summary").click()
    opened = citation.inner_text()
    assert "Traduction de travail" in opened and "Lyon" in opened and "được thiết lập" in opened
    page.screenshot(path=str(screenshots / "chat-fr-390px.png"), full_page=True)

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the page scrolls sideways on a phone ({width}px)"
    foreign = [url for url in page.requests if not url.startswith(server_url) and not url.startswith("data:")]
    assert foreign == [], f"the page loaded outside resources: {foreign[:3]}"
