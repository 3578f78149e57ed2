"""Active content planted in a document (<script>, onerror=, javascript: links, Markdown images to
another host) is shown as inert text in the chat: nothing runs, nothing loads, in headless Chromium."""

from __future__ import annotations

import httpx
import pytest

from poisoned_corpus import ACTIVE_QUESTIONS
from test_e2e import ARGS, CHROMIUM, ask

PLANTED_HOST = "127.0.0.9"

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(),
                                reason="Debian chromium is not installed (make e2e-deps)")


def test_the_api_quotes_the_planted_lines(poisoned_server):
    """The payloads do reach the answers (as data), so the browser test below is not vacuous."""
    with httpx.Client(base_url=poisoned_server.url, timeout=60) as client:
        shown = " ".join(client.post("/api/ask", json={"question": q}).json()["answer"] for q in ACTIVE_QUESTIONS)
    assert "<script>" in shown and "onerror=" in shown and "javascript:" in shown and PLANTED_HOST in shown


def test_planted_markup_stays_inert_in_the_chat(poisoned_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="fr-FR")
        requests: list[str] = []
        dialogs: list[str] = []
        console: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda message: console.append(message.text))
        response = page.goto(poisoned_server.url + "/")
        assert "default-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector("#question textarea", timeout=30_000)
        for question in ACTIVE_QUESTIONS:
            ask(page, question)
        for citation in page.locator("#chat .coopbot-citation summary").all():
            citation.click()
        page.wait_for_timeout(1500)
        chat = page.locator("#chat")
        text = chat.inner_text()
        found = {
            "scripts": chat.locator("script").count(),
            "onerror": chat.locator("[onerror]").count(),
            "javascript links": chat.locator("a[href^='javascript']").count(),
            "planted images": chat.locator(f"img[src*='{PLANTED_HOST}']").count(),
        }
        executed = page.evaluate("window.__xss")
        browser.close()
    assert "<script>" in text and "onerror=" in text, "the payload is shown as text"
    assert found == {"scripts": 0, "onerror": 0, "javascript links": 0, "planted images": 0}
    assert [url for url in requests if PLANTED_HOST in url] == []
    assert dialogs == [] and executed is None
    assert [line for line in console if "xss" in line] == []
