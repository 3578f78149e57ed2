"""The Gradio face: a phone-first chat whose [n] markers open their passage, a sources browser, briefings.

The chat renders HTML built by `present` (never Markdown), so a question or a passage shows exactly
its text. Every visible word comes from `strings`, in the language picked at the top (the browser's
by default); the few labels Gradio draws itself are renamed by the page script below.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from pathlib import Path

import gradio as gr

from .errors import CoopbotError
from .present import (
    answer_html,
    briefing_html,
    display_date,
    document_html,
    documents_table_html,
    draft_html,
    estimated_dates,
    notice_html,
    question_html,
    text,
)
from .strings import EXAMPLES, LANGS, UI

LANGUAGE_CHOICES = [("Tiếng Việt", "vi"), ("Français", "fr")]
BROWSER_LANG_JS = "() => (navigator.language || 'fr').toLowerCase().startsWith('vi') ? 'vi' : 'fr'"

CSS = """
.gradio-container { max-width: 1100px !important; margin: 0 auto; }
#masthead { align-items: center; gap: 8px; flex-wrap: nowrap; }
#masthead .coopbot-head h1 { font-size: 1.15rem; margin: 0; line-height: 1.3; }
#masthead .coopbot-head p { font-size: 0.85rem; margin: 2px 0 0; color: var(--body-text-color-subdued); }
#ui-lang-box { flex: 0 0 auto !important; }
#ui-lang .wrap { flex-direction: column; flex-wrap: nowrap; gap: 2px; }
#ui-lang label { padding: 1px 8px; font-size: 0.8rem; }
#chat { height: min(58vh, 560px) !important; }
#chat .message { font-size: 0.95rem; line-height: 1.5; }
.coopbot-question { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.coopbot-answer p { margin: 0 0 6px; }
.coopbot-answer ul { margin: 0 0 6px 1.1em; padding: 0; }
#chat .top-panel { display: none !important; }
.coopbot-marker { border: 0; border-radius: 9px; background: var(--color-accent-soft); padding: 1px 6px; margin: 0 1px;
  font: inherit; font-size: 0.8em; line-height: 1.4; color: var(--color-accent); cursor: pointer; }
.coopbot-sources { margin-top: 6px; border-top: 1px solid var(--border-color-primary); }
.coopbot-citation { margin: 0; padding: 3px 0; border-bottom: 1px solid var(--border-color-primary); }
.coopbot-citation > summary { cursor: pointer; font-size: 0.8rem; font-weight: 400; color: var(--body-text-color);
  list-style-position: inside; }
.coopbot-n { display: inline-block; min-width: 1.4em; padding: 0 4px; border-radius: 8px; text-align: center;
  font-size: 0.75rem; background: var(--color-accent-soft); color: var(--body-text-color); }
.coopbot-passage { margin: 4px 0 2px; font-size: 0.9rem; }
.coopbot-meta { font-size: 0.75rem; color: var(--body-text-color-subdued); margin: 2px 0; }
.coopbot-original > summary { cursor: pointer; font-size: 0.75rem; color: var(--body-text-color-subdued); }
.coopbot-original p { font-size: 0.85rem; margin: 2px 0 4px; }
.coopbot-citation.coopbot-flash { background: var(--color-accent-soft); }
#ask-row { align-items: stretch; gap: 6px; flex-wrap: nowrap; }
#send { flex: 0 0 auto !important; min-width: 84px !important; }
.coopbot-caption { font-size: 0.8rem; color: var(--body-text-color-subdued); margin: 0; }
#examples-caption { margin: 0 0 -8px; }
.coopbot-table { width: 100%; border-collapse: collapse; font-size: 0.85rem; border: 0 !important; }
.coopbot-table th, .coopbot-table td { text-align: left; vertical-align: top; padding: 4px 6px !important;
  border-width: 0 0 1px 0 !important; border-style: solid; border-color: var(--border-color-primary); }
.coopbot-table small { font-size: 0.75rem; }
.coopbot-table th { font-weight: 600; }
.coopbot-table small { color: var(--body-text-color-subdued); }
.coopbot-document h3 { font-size: 1.05rem; margin: 4px 0; }
.coopbot-briefing h2 { font-size: 1.15rem; } .coopbot-briefing h3 { font-size: 1rem; margin-top: 10px; }
.coopbot-briefing li { margin-bottom: 4px; }
#chat .placeholder-content, #chat .placeholder { font-size: 0.95rem; color: var(--body-text-color-subdued); }
#examples { flex-wrap: nowrap; overflow-x: auto; gap: 6px; }
#examples button { flex: 0 0 auto; max-width: 300px; font-weight: 400; text-align: left; white-space: normal; }
#vote-status { min-height: 0 !important; }
.coopbot-toast { position: fixed; left: 50%; bottom: 16px; transform: translateX(-50%); z-index: 1000; margin: 0;
  max-width: calc(100vw - 32px); padding: 6px 14px; border-radius: 16px; font-size: 0.85rem; pointer-events: none;
  background: var(--neutral-800); color: var(--neutral-50); animation: coopbot-toast 2.5s forwards; }
@keyframes coopbot-toast { 0%, 70% { opacity: 1; } 100% { opacity: 0; visibility: hidden; } }
@media (max-width: 480px) {
  #examples button { max-width: 230px; min-width: 0 !important; }
  #masthead .coopbot-head h1 { font-size: 1rem; }
  #chat { height: calc(100dvh - 360px) !important; min-height: 240px; }
  .coopbot-table .coopbot-wide { display: none; }
}
"""
# Gradio scopes CSS to the app's content; the page margins lie outside it.
HEAD = """<style>
@media (max-width: 480px) { .gradio-container .main { padding: 6px 8px !important; } }
</style>"""

# The page script: [n] buttons open their card in place; a new question brings the chat back to its
# end so that it follows the answer; Gradio's own vote labels are said in the chosen language.
PAGE_JS = """
() => {
  const labels = VOTE_LABELS;
  const lang = () => (document.querySelector('#ui-lang input:checked') || {}).value || 'fr';
  document.addEventListener('click', (event) => {
    const marker = event.target.closest('.coopbot-marker');
    if (!marker) return;
    event.preventDefault();
    const ref = [...marker.classList].find((name) => name.startsWith('coopbot-ref-'));
    const answer = marker.closest('.coopbot-answer');
    const card = answer && ref && answer.querySelector(`.coopbot-citation.${ref}`);
    if (!card) return;
    card.open = true;
    card.classList.add('coopbot-flash');
    setTimeout(() => card.classList.remove('coopbot-flash'), 1200);
    card.scrollIntoView({block: 'nearest'});
  });
  const follow = () => {
    const log = document.querySelector('#chat [role="log"]') || document.querySelector('#chat .bubble-wrap');
    if (log) log.scrollTop = log.scrollHeight;
  };
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && event.target.closest('#question')) follow();
  }, true);
  document.addEventListener('click', (event) => {
    if (event.target.closest('#send, #examples button')) follow();
  }, true);
  const own = {};
  Object.values(labels).forEach((words) => Object.entries(words).forEach(([key, word]) => { own[word] = key; }));
  const relabel = () => {
    const words = labels[lang()];
    const say = (button, key) => {
      if (button.getAttribute('aria-label') !== words[key]) button.setAttribute('aria-label', words[key]);
      if (button.getAttribute('title') !== words[key]) button.setAttribute('title', words[key]);
    };
    document.querySelectorAll('#chat .message-buttons').forEach((panel) => {
      [...panel.querySelectorAll('button')].slice(-2).forEach((button, i) => {
        const label = button.getAttribute('aria-label');
        const chosen = own[label] ? own[label].endsWith('d') : label === 'Liked' || label === 'Disliked';
        say(button, (i === 0 ? 'dislike' : 'like') + (chosen ? 'd' : ''));
      });
    });
    document.querySelectorAll('#chat button[aria-label]').forEach((button) => {
      const label = button.getAttribute('aria-label');
      if (label === 'Scroll down' || own[label] === 'scroll') say(button, 'scroll');
    });
  };
  new MutationObserver(relabel).observe(document.body, {subtree: true, childList: true, attributes: true,
    attributeFilter: ['aria-label', 'title', 'checked']});
}
""".replace("VOTE_LABELS", json.dumps({lang: {k: UI[lang][k] for k in ("like", "dislike", "liked", "disliked", "scroll")}
                                       for lang in LANGS}))


def header_html(lang: str) -> str:
    words = UI[lang]
    return (f"<div class='coopbot-head'><h1>{text(words['title'])}</h1>"
            f"<p>{text(words['tagline'])} · <a href='docs' target='_blank' rel='noopener'>{text(words['api_link'])}</a>"
            f"</p></div>")


def toast_html(message: str) -> str:
    """A short notice at the foot of the screen, away from the answers; it fades out by itself."""
    return f"<p class='coopbot-toast' role='status'>{text(message)}</p>"


def caption_html(lang: str) -> str:
    return f"<p class='coopbot-caption'>{text(UI[lang]['examples'])}</p>"


def engine_history(answers: dict) -> list[dict]:
    """The conversation as the engine reads it: the questions as typed, not as displayed."""
    history = []
    for _, answer in sorted(answers.items(), key=lambda item: int(item[0])):
        history += [{"role": "user", "content": answer["question"]}, {"role": "assistant", "content": answer["answer"]}]
    return history


def vote_index(data: gr.LikeData) -> str:
    return str(data.index if isinstance(data.index, int) else data.index[0])


def build_ui(service) -> gr.Blocks:
    knowledge = service.engine.knowledge
    notes = {lang: estimated_dates(knowledge, lang) for lang in LANGS}
    originals = sorted(knowledge.originals(), key=lambda a: a.date, reverse=True)
    terms = {lang: sorted({(e.vi if lang == "vi" else e.fr)[0] for e in knowledge.glossary.entries}) for lang in LANGS}

    def article_choices(lang: str) -> list[tuple[str, str]]:
        shown = {a.id: knowledge.translations(a.id).get(lang, a) for a in originals}
        return [(f"{display_date(a.date, lang, shown[a.id].id in notes[lang])} · {shown[a.id].outlet} · "
                 f"{shown[a.id].title}", a.id) for a in originals]

    def show_document(origin_id: str | None, lang: str):
        versions = knowledge.translations(origin_id) if origin_id else {}
        return document_html(versions.get("vi"), lang), document_html(versions.get("fr"), lang)

    def respond(message: str, history: list, ui_lang: str, answers: dict):
        """Streams a generated answer while it is checked; the answer shown last is verified or extractive."""
        history = list(history or [])
        turn = [{"role": "user", "content": question_html(message or "")}]
        try:
            for item in service.ask_stream(message, None, engine_history(answers)):
                if isinstance(item, str):
                    yield "", history + turn + [{"role": "assistant", "content": draft_html(item, ui_lang)}], answers
                else:
                    answer = item
            reply = answer_html(answer, answer.language, notes[answer.language])
            answers = {**answers, str(len(history) + 1): {**answer.to_dict(), "answer_id": uuid.uuid4().hex}}
        except CoopbotError as error:
            reply = notice_html(error.message(ui_lang))
        except Exception:  # the user gets a short message, never a traceback
            reply = notice_html(UI[ui_lang]["error"])
        yield "", history + turn + [{"role": "assistant", "content": reply}], answers

    def record_feedback(data: gr.LikeData, answers: dict, comment: str, ui_lang: str):
        """One vote per answer: a new vote replaces the earlier one, un-voting withdraws it."""
        answer = answers.get(vote_index(data))
        if answer is None:
            return comment, ""
        if data.liked in (True, False):
            service.feedback.add(1 if data.liked else -1, answer["question"], answer["answer"], answer["citations"],
                                 comment or "", answer["language"], answer["answer_id"])
            message = UI[ui_lang]["thanks"]
        else:
            service.feedback.withdraw(answer["answer_id"])
            message = UI[ui_lang]["vote_withdrawn"]
        return "", toast_html(message)

    def make_brief(topic: str | None, lang: str):
        topic = (topic or "").strip()
        if not topic:
            return notice_html(UI[lang]["brief_empty"]), None, None
        try:
            briefing = service.brief(topic, lang)
        except CoopbotError as error:
            return notice_html(error.message(lang)), None, None
        folder = Path(tempfile.mkdtemp(prefix="coopbot-brief-"))
        md_path, docx_path = folder / briefing.file_name("md"), folder / briefing.file_name("docx")
        md_path.write_text(briefing.to_markdown(), encoding="utf-8")
        docx_path.write_bytes(briefing.to_docx())
        return briefing_html(briefing), str(md_path), str(docx_path)

    def switch_language(lang: str, picked: str | None):
        words = UI[lang]
        return (header_html(lang), gr.update(placeholder=words["intro"]), gr.update(label=words["tab_chat"]), gr.update(label=words["tab_sources"]),
                gr.update(label=words["tab_brief"]), gr.update(placeholder=words["placeholder"]),
                gr.update(value=words["send"]), caption_html(lang),
                *[gr.update(value=q) for q in EXAMPLES[lang]],
                gr.update(label=words["comment"]), documents_table_html(originals, knowledge, lang, notes[lang]),
                gr.update(choices=article_choices(lang), label=words["picker"]), *show_document(picked, lang),
                gr.update(choices=terms[lang], label=words["brief_topic"]), gr.update(value=lang, label=words["brief_lang"]),
                gr.update(value=words["brief_go"]), gr.update(label=words["file_md"]), gr.update(label=words["file_docx"]))

    words, first = UI["fr"], originals[0].id if originals else None
    with gr.Blocks(title="coopbot") as demo:
        with gr.Row(elem_id="masthead"):
            with gr.Column(scale=1, min_width=0):
                header = gr.HTML(header_html("fr"))
            with gr.Column(scale=0, min_width=0, elem_id="ui-lang-box"):
                ui_lang = gr.Radio(LANGUAGE_CHOICES, value="fr", show_label=False, container=False, elem_id="ui-lang")
        answers = gr.State({})
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab(words["tab_chat"], elem_id="tab-chat") as chat_tab:
                chatbot = gr.Chatbot(elem_id="chat", show_label=False, buttons=[], render_markdown=False,
                                     sanitize_html=True, allow_tags=False, latex_delimiters=[], layout="bubble",
                                     placeholder=words["intro"])
                with gr.Row(elem_id="ask-row"):
                    question = gr.Textbox(placeholder=words["placeholder"], show_label=False, container=False,
                                          max_length=2000, elem_id="question", lines=1, scale=5)
                    send = gr.Button(words["send"], variant="primary", elem_id="send", scale=0, min_width=84)
                caption = gr.HTML(caption_html("fr"), elem_id="examples-caption")
                with gr.Row(elem_id="examples"):
                    examples = [gr.Button(q, size="sm", variant="secondary", min_width=150) for q in EXAMPLES["fr"]]
                comment = gr.Textbox(label=words["comment"], max_length=2000, elem_id="feedback-comment")
                toast = gr.HTML(elem_id="vote-status")
            with gr.Tab(words["tab_sources"], elem_id="tab-sources") as sources_tab:
                table = gr.HTML(documents_table_html(originals, knowledge, "fr", notes["fr"]), elem_id="sources-table")
                picker = gr.Dropdown(choices=article_choices("fr"), value=first, label=words["picker"],
                                     elem_id="doc-picker")
                with gr.Row():
                    with gr.Column(min_width=300):
                        vi_view = gr.HTML(show_document(first, "fr")[0], elem_id="doc-vi")
                    with gr.Column(min_width=300):
                        fr_view = gr.HTML(show_document(first, "fr")[1], elem_id="doc-fr")
            with gr.Tab(words["tab_brief"], elem_id="tab-brief") as brief_tab:
                topic = gr.Dropdown(choices=terms["fr"], value=None, allow_custom_value=True, filterable=True,
                                    label=words["brief_topic"], elem_id="brief-topic")
                brief_lang = gr.Radio(LANGUAGE_CHOICES, value="fr", label=words["brief_lang"], elem_id="brief-lang")
                make = gr.Button(words["brief_go"], variant="primary", elem_id="brief-go")
                brief_view = gr.HTML(elem_id="brief-view")
                with gr.Row():
                    with gr.Column(min_width=300):
                        md_file = gr.File(label=words["file_md"], elem_id="brief-md")
                    with gr.Column(min_width=300):
                        docx_file = gr.File(label=words["file_docx"], elem_id="brief-docx")

        asked = [question, chatbot, answers]
        question.submit(respond, [question, chatbot, ui_lang, answers], asked, api_name="ask")
        send.click(respond, [question, chatbot, ui_lang, answers], asked, api_name=False)
        for example in examples:
            example.click(respond, [example, chatbot, ui_lang, answers], asked, api_name=False)
        chatbot.like(record_feedback, [answers, comment, ui_lang], [comment, toast], api_name="feedback")
        picker.change(show_document, [picker, ui_lang], [vi_view, fr_view], api_name="document")
        make.click(make_brief, [topic, brief_lang], [brief_view, md_file, docx_file], api_name="brief")
        ui_lang.change(switch_language, [ui_lang, picker],
                       [header, chatbot, chat_tab, sources_tab, brief_tab, question, send, caption, *examples, comment, table,
                        picker, vi_view, fr_view, topic, brief_lang, make, md_file, docx_file], api_name=False)
        demo.load(None, None, ui_lang, js=BROWSER_LANG_JS)
    demo.queue(default_concurrency_limit=4)
    return demo
