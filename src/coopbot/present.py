"""Presentation helpers shared by the CLI, the chat and the briefing tab.

Everything that comes from a knowledge document is escaped before it reaches a
Markdown/HTML renderer, so a planted "<script>" or "![](http://…)" stays text.
"""

from __future__ import annotations

import html
import re

from .answer import LANG_NAMES, Answer, Citation

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_MARKER = re.compile(r"\\\[(\d+)\\\]")

LABELS = {
    "vi": {"translation": "Bản dịch làm việc (không phải văn bản gốc)", "original": "Nguyên văn"},
    "fr": {"translation": "Traduction de travail (pas le texte original)", "original": "Texte original"},
}


def inert(text: str) -> str:
    """Text safe to embed in Markdown that may contain HTML: no tags, links or images survive."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def answer_markdown(answer: Answer) -> str:
    """The answer text with its [n] markers, inert apart from the markers and list dashes."""
    return _MARKER.sub(r"[\1]", inert(answer.answer))


def citation_html(citation: Citation, ui_lang: str) -> str:
    labels = LABELS[ui_lang]
    translated = citation.is_translation
    body = [f"<p>{inert(citation.text)}</p>"]
    if translated:
        body.insert(0, f"<p><em>⚠ {labels['translation']}</em></p>")
        original_name = LANG_NAMES[ui_lang][citation.original_lang]
        body.append(f"<p><strong>{labels['original']} ({original_name}):</strong> {inert(citation.original_text)}</p>")
    meta = f"{inert(citation.title)} — <code>{inert(citation.sentence_id)}</code>"
    return (
        f"<details class='coopbot-citation'><summary>[{citation.n}] {inert(citation.outlet)} · {citation.date}"
        f"</summary>{''.join(body)}<p><small>{meta}</small></p></details>"
    )


def chat_message(answer: Answer, ui_lang: str) -> str:
    parts = [answer_markdown(answer)]
    parts += [citation_html(c, ui_lang) for c in answer.citations]
    return "\n\n".join(parts)
