"""The Gradio face: chat with openable citations, a sources browser, briefings."""

from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from .errors import CoopbotError
from .present import chat_message, inert

CSS = """
#chat { min-height: 320px; }
.coopbot-citation summary { cursor: pointer; font-weight: 600; }
.coopbot-citation { margin: 4px 0; padding: 4px 8px; border-left: 3px solid #888; }
@media (max-width: 480px) { .gradio-container { padding: 4px !important; } }
"""
EXAMPLES = [
    "Hội nghị hợp tác giữa các địa phương Việt Nam – Pháp lần thứ 12 diễn ra ở đâu?",
    "Quan hệ hợp tác giữa TP.HCM và Lyon bắt đầu từ năm nào?",
    "Combien de délégués ont participé aux 12e Assises ?",
    "Quels sont les thèmes des ateliers des Assises de Hanoï ?",
]
TEXT = {
    "vi": {"title": "## coopbot — hợp tác giữa các địa phương Việt Nam – Pháp",
           "intro": "Đặt câu hỏi bằng tiếng Việt hoặc tiếng Pháp. Mỗi câu trả lời trích dẫn nguồn; bấm vào [n] để xem đoạn trích.",
           "placeholder": "Câu hỏi của bạn…", "comment": "Nhận xét (tùy chọn), gửi kèm lần bấm thích / không thích tiếp theo",
           "thanks": "Cảm ơn phản hồi của bạn.", "error": "Đã có lỗi, vui lòng thử lại.",
           "checking": "đang kiểm tra nguồn…"},
    "fr": {"title": "## coopbot — coopération décentralisée franco-vietnamienne",
           "intro": "Posez une question en vietnamien ou en français. Chaque réponse cite ses sources ; cliquez sur [n] pour lire le passage.",
           "placeholder": "Votre question…", "comment": "Commentaire (facultatif), joint au prochain « j'aime / je n'aime pas »",
           "thanks": "Merci pour votre avis.", "error": "Une erreur est survenue, veuillez réessayer.",
           "checking": "vérification des sources…"},
}
BROWSER_LANG_JS = "() => (navigator.language || 'fr').toLowerCase().startsWith('vi') ? 'vi' : 'fr'"


def _intro(lang: str) -> str:
    return f"{TEXT[lang]['title']}\n\n{TEXT[lang]['intro']}"


def build_ui(service) -> gr.Blocks:
    knowledge = service.engine.knowledge

    def respond(message: str, history: list, ui_lang: str, answers: dict):
        """Streams a generated answer while it is checked; the answer shown last is verified or extractive."""
        history = list(history or [])
        turn = [{"role": "user", "content": message}]
        try:
            for item in service.ask_stream(message, None, history):
                if isinstance(item, str):
                    draft = f"{inert(item)}\n\n*{TEXT[ui_lang]['checking']}*"
                    yield "", history + turn + [{"role": "assistant", "content": draft}], answers
                else:
                    answer = item
            reply = chat_message(answer, answer.language)
            answers = {**answers, str(len(history) + 1): answer.to_dict()}
        except CoopbotError as error:
            reply = inert(error.message(ui_lang))
        except Exception:  # the user gets a short message, never a traceback
            reply = TEXT[ui_lang]["error"]
        yield "", history + turn + [{"role": "assistant", "content": reply}], answers

    def record_feedback(data: gr.LikeData, answers: dict, comment: str, ui_lang: str):
        answer = answers.get(str(data.index if isinstance(data.index, int) else data.index[0]))
        if answer is None:
            return comment
        service.feedback.add(1 if data.liked else -1, answer["question"], answer["answer"], answer["citations"],
                             comment or "", answer["language"])
        gr.Info(TEXT[ui_lang]["thanks"])
        return ""

    def show_document(origin_id: str | None):
        if not origin_id:
            return "", ""
        versions = knowledge.translations(origin_id)
        return _document_markdown(versions.get("vi")), _document_markdown(versions.get("fr"))

    def make_brief(topic: str, picked: str | None, lang: str):
        topic = (topic or "").strip() or (picked or "")
        try:
            briefing = service.brief(topic, lang)
        except CoopbotError as error:
            return inert(error.message(lang)), None, None
        folder = Path(tempfile.mkdtemp(prefix="coopbot-brief-"))
        md_path, docx_path = folder / "briefing.md", folder / "briefing.docx"
        markdown = briefing.to_markdown()
        md_path.write_text(markdown, encoding="utf-8")
        docx_path.write_bytes(briefing.to_docx())
        return inert_briefing(markdown), str(md_path), str(docx_path)

    def switch_language(lang: str):
        return _intro(lang), gr.update(placeholder=TEXT[lang]["placeholder"]), gr.update(label=TEXT[lang]["comment"])

    with gr.Blocks(title="coopbot") as demo:
        ui_lang = gr.Radio(["vi", "fr"], value="fr", label="Ngôn ngữ / Langue", elem_id="ui-lang")
        intro = gr.Markdown(_intro("fr"))
        answers = gr.State({})
        with gr.Tab("Hỏi đáp · Questions"):
            chatbot = gr.Chatbot(elem_id="chat", label="coopbot", sanitize_html=True, render_markdown=True)
            question = gr.Textbox(placeholder=TEXT["fr"]["placeholder"], show_label=False, max_length=2000,
                                  elem_id="question", lines=1)
            send = gr.Button("Gửi · Envoyer", variant="primary", elem_id="send")
            gr.Examples(EXAMPLES, inputs=question)
            comment = gr.Textbox(label=TEXT["fr"]["comment"], max_length=2000, elem_id="feedback-comment")
        with gr.Tab("Nguồn · Sources"):
            gr.Dataframe(value=_documents_table(service.documents()), interactive=False, wrap=True)
            picker = gr.Dropdown(choices=[(f"{a.date} · {a.outlet} · {a.title}", a.id) for a in knowledge.originals()],
                                 label="Bài báo · Article", elem_id="doc-picker")
            with gr.Row():
                vi_view = gr.Markdown(elem_id="doc-vi")
                fr_view = gr.Markdown(elem_id="doc-fr")
        with gr.Tab("Tóm tắt · Note de synthèse"):
            topic = gr.Textbox(label="Chủ đề · Sujet", elem_id="brief-topic")
            term = gr.Dropdown(choices=sorted({e.fr[0] for e in knowledge.glossary.entries}),
                               label="… hoặc một mục từ điển · … ou une entrée du glossaire")
            brief_lang = gr.Radio(["vi", "fr"], value="fr", label="Ngôn ngữ · Langue")
            make = gr.Button("Tạo · Générer", elem_id="brief-go")
            brief_view = gr.Markdown(elem_id="brief-view")
            with gr.Row():
                md_file = gr.File(label="Markdown (.md)")
                docx_file = gr.File(label="Word (.docx)")

        question.submit(respond, [question, chatbot, ui_lang, answers], [question, chatbot, answers], api_name="ask")
        send.click(respond, [question, chatbot, ui_lang, answers], [question, chatbot, answers], api_name=False)
        chatbot.like(record_feedback, [answers, comment, ui_lang], [comment], api_name="feedback")
        picker.change(show_document, [picker], [vi_view, fr_view], api_name="document")
        make.click(make_brief, [topic, term, brief_lang], [brief_view, md_file, docx_file], api_name="brief")
        ui_lang.change(switch_language, [ui_lang], [intro, question, comment], api_name=False)
        demo.load(None, None, ui_lang, js=BROWSER_LANG_JS)
    demo.queue(default_concurrency_limit=4)
    return demo


def inert_briefing(markdown: str) -> str:
    """Keep the briefing's own headings and bullets, escape the quoted text."""
    out = []
    for line in markdown.splitlines():
        for prefix in ("## ", "# ", "- "):
            if line.startswith(prefix):
                out.append(prefix + inert(line[len(prefix):]).replace("\\[", "[").replace("\\]", "]"))
                break
        else:
            out.append(inert(line).replace("\\[", "[").replace("\\]", "]"))
    return "\n".join(out)


def _documents_table(rows: list[dict]) -> list[list[str]]:
    header = ["id", "lang", "date", "outlet", "title", "translation_of", "sentences"]
    return [header] + [[str(r.get(k, "")) for k in header] for r in rows]


def _document_markdown(article) -> str:
    if article is None:
        return ""
    label = " *(bản dịch làm việc · traduction de travail)*" if article.translation_of else ""
    head = f"### {inert(article.title)}{label}\n\n*{inert(article.outlet)} · {article.date}*\n"
    paragraphs: dict[int, list[str]] = {}
    for line in article.lines:
        paragraphs.setdefault(line.paragraph, []).append(inert(line.text))
    return head + "\n\n".join(" ".join(p) for p in paragraphs.values())
