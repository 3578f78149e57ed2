"""Resolve a follow-up ("Còn Lyon thì sao?", "Et Toulouse ?") into a standalone question.

Extractive mode has no language model, so the rewrite is structural: a short
question that names a new glossary term but asks nothing of its own inherits the
previous question, with that term replacing the terms of the same kind.
"""

from __future__ import annotations

import re

from .knowledge import Glossary
from .language import followup_frames
from .question import question_kind
from .text import fold, nfc

FOLLOWUP_MAX_WORDS = 6
_FOLLOWUP_FRAMES = followup_frames()


def previous_user_question(history: list[dict] | None) -> str | None:
    """The last user turn of a chat history (Gradio or API message dicts)."""
    for message in reversed(history or []):
        if message.get("role") == "user":
            text = content_text(message.get("content"))
            if text.strip():
                return text
    return None


def content_text(content: object) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(block.get("text", "") for block in content if isinstance(block, dict))
    return ""


def is_followup(question: str, lang: str) -> bool:
    folded = re.sub(r"[^\w]+", " ", fold(nfc(question)).lower()).strip()
    if len(folded.split()) > FOLLOWUP_MAX_WORDS:
        return False
    return bool(_FOLLOWUP_FRAMES.search(folded)) or question_kind(question, lang) == "general"


def rewrite_followup(question: str, lang: str, history: list[dict] | None, glossary: Glossary) -> str:
    """Return a standalone question; unchanged unless it is a follow-up of the last user turn."""
    previous = previous_user_question(history)
    new_terms = glossary.find(question)
    if not previous or not new_terms or not is_followup(question, lang):
        return question
    kinds = {entry.kind for entry in new_terms}
    rewritten = previous
    for entry in glossary.find(previous):
        if entry.kind in kinds:
            for form in sorted(entry.forms, key=len, reverse=True):
                rewritten = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", " ", rewritten, flags=re.IGNORECASE)
    names = ", ".join(_display_form(entry, lang) for entry in new_terms)
    rewritten = re.sub(r"\s+", " ", rewritten).strip()
    return f"{rewritten} ({names})"


def _display_form(entry, lang: str) -> str:
    forms = entry.vi if lang == "vi" else entry.fr
    return forms[0]

