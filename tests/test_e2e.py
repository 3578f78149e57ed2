"""End to end in headless Chromium (Debian's, driven by Playwright), on a phone (390×844) and a laptop
(1366×900) screen: questions in each language, [n] markers that open their passage, nothing drawn over
an answer, typed markup shown as text, the Sources and Briefing tabs, votes, and the /docs page."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import httpx
import pytest

from engine_fixtures import STAFF_TOKEN

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The committed screenshots are refreshed on purpose (COOPBOT_SCREENSHOTS=eval/screenshots), not by every run.
SCREENSHOTS_DIR = os.environ.get("COOPBOT_SCREENSHOTS", "")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENS = {"390px": {"width": 390, "height": 844}, "1366px": {"width": 1366, "height": 900}}
PLANTED_HOST = "127.0.0.9"
VOTED_QUESTIONS = {"390px": "Combien de délégués aux 12e Assises ?",
                   "1366px": "Combien de délégués ont participé aux 12e Assises ?"}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed (make e2e-deps)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(SCREENS))
def screen(request) -> str:
    return request.param


def open_app(browser, server_url: str, screen: str, locale: str = "vi-VN", path: str = "/"):
    context = browser.new_context(viewport=SCREENS[screen], locale=locale)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(server_url + path)
    if path == "/":
        page.wait_for_selector("#question textarea", timeout=30_000)
        lang = "vi" if locale.startswith("vi") else "fr"
        page.wait_for_function(f"document.querySelector('#ui-lang input[value={lang}]').checked")
    return page


def screenshot(page, name: str, tmp_path: Path) -> None:
    folder = Path(SCREENSHOTS_DIR) if SCREENSHOTS_DIR else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def ask(page, question: str) -> None:
    """Ask and wait for an answer with citations."""
    before = page.locator("#chat .coopbot-citation").count()
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_function(
        f"document.querySelectorAll('#chat .coopbot-citation').length > {before}", timeout=30_000)


def covering_elements(page, selector: str) -> list[str]:
    """What is drawn over points along the first line of the element (nothing, if it is readable)."""
    return page.eval_on_selector(selector, """(element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        const line = range.getClientRects()[0];
        const found = [];
        for (const share of [0.02, 0.25, 0.5, 0.75, 0.98]) {
            const x = line.left + share * line.width, y = line.top + line.height / 2;
            const hit = document.elementFromPoint(x, y);
            if (!hit || !(element === hit || element.contains(hit))) found.push(hit ? hit.outerHTML.slice(0, 80) : 'off-screen');
        }
        return found;
    }""")


def in_viewport(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] \
        and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


def test_chat_in_vietnamese_and_french(browser, server_url, screen, tmp_path):
    page = open_app(browser, server_url, screen)
    assert in_viewport(page, "#question textarea") and in_viewport(page, "#send"), "ask without scrolling"
    assert in_viewport(page, "#examples button"), "an example question is in view on load"

    ask(page, "Hội nghị lần thứ 12 diễn ra ở đâu?")
    chat = page.locator("#chat")
    assert "Hà Nội" in chat.inner_text()
    answer = chat.locator(".coopbot-answer").last
    answer.locator(".coopbot-marker").first.scroll_into_view_if_needed()
    assert covering_elements(page, "#chat .coopbot-answer >> nth=-1 >> p >> nth=0") == [], "first line covered"
    assert covering_elements(page, "#chat .coopbot-question >> nth=-1") == [], "question covered"
    answer.locator(".coopbot-marker").last.click()
    opened = answer.locator(".coopbot-citation[open]")
    assert opened.count() == 1 and "coopbot-ref-" in opened.get_attribute("class")
    marker_ref = re.search(r"coopbot-ref-\d+", answer.locator(".coopbot-marker").last.get_attribute("class"))[0]
    assert marker_ref in opened.get_attribute("class"), "the marker opened its own passage"
    assert opened.locator(".coopbot-passage").is_visible() and "Hội nghị" in opened.inner_text()
    screenshot(page, f"chat-vi-{screen}.png", tmp_path)

    page.check("#ui-lang input[value='fr']")
    page.wait_for_function("document.querySelector('#send').innerText.includes('Envoyer')")
    page.eval_on_selector("#chat [role=log]", "log => { log.scrollTop = 0; }")
    ask(page, "En quelle année la coopération entre Lyon et Hô Chi Minh-Ville a-t-elle commencé ?")
    assert "1997" in chat.inner_text()
    answer = chat.locator(".coopbot-answer").last
    log_box, answer_box = page.locator("#chat [role=log]").bounding_box(), answer.bounding_box()
    assert answer_box["y"] < log_box["y"] + log_box["height"] and answer_box["y"] + answer_box["height"] > log_box["y"], \
        "after scrolling up, the chat still brings the new answer into view"
    answer.locator(".coopbot-marker").first.click()
    card = answer.locator(".coopbot-citation[open]")
    assert "Lyon" in card.inner_text() and "Traduction de travail" in card.inner_text()
    assert "được thiết lập" not in card.inner_text(), "the original waits behind its own toggle"
    card.locator(".coopbot-original summary").click()
    assert "được thiết lập" in card.inner_text()
    screenshot(page, f"chat-fr-{screen}.png", tmp_path)

    headings = chat.locator(".coopbot-citation summary").all_inner_texts()
    assert headings and not [h for h in headings if re.search(r"[\\`*_]|\d{4}-\d{2}-\d{2}", h)], headings
    assert any("avril 2023" in h for h in headings) and any(re.search(r"\d\d/04/2023", h) for h in headings)
    visible = page.locator("body").inner_text()
    for english in ("Examples", "Use via API", "Copy message", "Liked", "Clear", "Chatbot"):
        assert english not in visible, english
    labels = page.eval_on_selector_all("#chat button[aria-label]", "buttons => buttons.map(b => b.ariaLabel)")
    assert "Réponse utile" in labels and not {"Like", "Dislike", "Liked", "Disliked"} & set(labels)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SCREENS[screen]["width"], f"the page scrolls sideways ({width}px)"
    foreign = [url for url in page.requests if not url.startswith(server_url) and not url.startswith("data:")]
    assert foreign == [], f"the page loaded outside resources: {foreign[:3]}"


def test_a_typed_question_is_shown_literally_and_fetches_nothing(browser, server_url, screen):
    page = open_app(browser, server_url, screen, "fr-FR")
    typed = (f"<img src=x onerror=\"window.__typed=1\"> **bold** [lien](http://{PLANTED_HOST}/link) "
             f"http://{PLANTED_HOST}/pixel.png Lyon ?")
    page.fill("#question textarea", typed)
    page.click("#send")
    page.wait_for_selector("#chat .coopbot-answer", timeout=30_000)
    bubble = page.locator("#chat .coopbot-question").last
    assert bubble.inner_text() == typed
    assert bubble.locator("img, a, strong, b, em").count() == 0
    assert page.evaluate("window.__typed") is None
    fetched = [url for url in page.requests if PLANTED_HOST in url or url.endswith("/x")]
    assert fetched == [], fetched


def test_sources_table_has_real_headers_and_the_first_article_shows(browser, server_url, screen, tmp_path):
    page = open_app(browser, server_url, screen, "fr-FR")
    page.get_by_role("tab", name="Sources").click()
    table = page.locator("#sources-table table")
    table.wait_for()
    headers = [h.strip() for h in table.locator("thead th").all_text_contents()]
    assert headers == ["Date", "Média", "Titre", "Langue d'origine", "Phrases"]
    assert table.locator("tbody tr").count() == 5
    first_row = table.locator("tbody tr").first.inner_text()
    assert "avril 2023" in first_row
    assert "vers le" in table.inner_text(), "estimated dates are marked"
    assert page.locator("#doc-vi h3").inner_text() and page.locator("#doc-fr h3").inner_text()
    assert page.locator("#doc-fr").get_by_text("traduction de travail").count() >= 1
    family = page.eval_on_selector("#sources-table td", "cell => getComputedStyle(cell).fontFamily")
    assert "mono" not in family.lower()
    screenshot(page, f"sources-fr-{screen}.png", tmp_path)


def test_briefing_is_one_choice_named_by_topic_and_free_of_escapes(browser, server_url, screen, tmp_path):
    page = open_app(browser, server_url, screen, "vi-VN")
    page.get_by_role("tab", name="Tóm tắt").click()
    page.fill("#brief-topic input", "Toulouse")
    page.keyboard.press("Enter")
    page.click("#brief-go")
    view = page.locator("#brief-view .coopbot-briefing")
    view.wait_for(timeout=30_000)
    text = view.inner_text()
    assert "Toulouse" in text and "Tạo bởi coopbot ngày" in text
    assert not re.search(r"[\\`]|\d{4}-\d{2}-\d{2}\)", text), "no escapes or ISO dates in the briefing"
    assert page.locator("#brief-view").locator("code, img, a").count() == 0
    for box in ("#brief-md", "#brief-docx"):
        assert re.search(r"briefing-toulouse-vi-\d{4}-\d{2}-\d{2}\s*\.(md|docx)", page.locator(box).inner_text())
    screenshot(page, f"briefing-vi-{screen}.png", tmp_path)


def staff_export(server_url: str) -> list[dict]:
    response = httpx.get(f"{server_url}/api/feedback/export", headers={"Authorization": f"Bearer {STAFF_TOKEN}"})
    assert response.status_code == 200
    return [json.loads(line) for line in response.text.splitlines()]


def test_a_changed_vote_replaces_the_earlier_one(browser, server_url, screen):
    page = open_app(browser, server_url, screen, "fr-FR")
    question = VOTED_QUESTIONS[screen]
    ask(page, question)
    comment = page.locator("#feedback-comment textarea")
    for label, note in (("Réponse utile", "utile"), ("Réponse inexacte", "finalement faux")):
        comment.fill(note)
        page.locator(f"#chat .message-buttons button[aria-label='{label}']").last.click()
        page.wait_for_function("document.querySelector('#feedback-comment textarea').value === ''")
    rows = [row for row in staff_export(server_url) if row["question"] == question]
    assert [(row["rating"], row["comment"]) for row in rows] == [(-1, "finalement faux")]
    toast = page.locator("#vote-status .coopbot-toast")
    assert toast.inner_text() == "Merci pour votre avis." and page.locator(".toast-body").count() == 0
    answer_box = page.locator("#chat .coopbot-answer").last.bounding_box()
    toast_box = toast.bounding_box()
    assert toast_box["y"] >= answer_box["y"] + answer_box["height"] or \
        toast_box["y"] + toast_box["height"] <= answer_box["y"], "the notice is away from the answer"

    page.locator("#chat .message-buttons button[aria-label='Avis donné : inexacte']").last.click()
    page.wait_for_selector("#vote-status .coopbot-toast:has-text('Avis retiré')")
    assert [row for row in staff_export(server_url) if row["question"] == question] == []


def test_docs_page_renders_its_operations(browser, server_url, screen):
    page = open_app(browser, server_url, screen, path="/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/ask" in operations and "/api/feedback/export" in operations
    foreign = [url for url in page.requests if not url.startswith(server_url) and not url.startswith("data:")]
    assert foreign == [], foreign
