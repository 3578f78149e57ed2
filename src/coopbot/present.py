"""Presentation helpers shared by the CLI, the chat and the briefing tab.

Everything typed by a user or read from a knowledge document is escaped before it
reaches a renderer: the chat renders plain HTML (no Markdown), built here, so a
planted "<script>", "![](http://…)" or "**bold**" stays text, and only the markup
made here (paragraphs, [n] buttons, citation cards) is live. The chat's sanitiser keeps
classes and titles but drops data- and aria- attributes: a marker names its card by a class.
"""

from __future__ import annotations

import html
import re

from .compose import LANG_NAMES, Answer, Citation
from .strings import BRIEFING, CITATION, SOURCES, UI, display_date

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_MARKER = re.compile(r"\[(\d+)\]")


def inert(text: str) -> str:
    """Text safe to embed in Markdown that may contain HTML: no tags, links or images survive."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(text, quote=False))


def text(value: str) -> str:
    """Text safe inside HTML elements and attributes."""
    return html.escape(value, quote=True)


def estimated_dates(knowledge, lang: str) -> dict[str, str]:
    """Document id → the note explaining its estimated date, in `lang` when that version has one."""
    notes = {}
    for article in knowledge.articles.values():
        versions = knowledge.translations(article.origin_id)
        chosen = versions.get(lang) if versions.get(lang) and versions[lang].meta.get("date_note") else article
        if chosen.meta.get("date_note"):
            notes[article.id] = str(chosen.meta["date_note"])
    return notes


def question_html(question: str) -> str:
    """The user's bubble: exactly what was typed, as text."""
    return f"<p class='coopbot-question'>{text(question)}</p>"


def _with_markers(escaped: str, numbers: set[int], ui_lang: str) -> str:
    def button(match: re.Match) -> str:
        n = int(match.group(1))
        if n not in numbers:
            return match.group(0)
        label = text(UI[ui_lang]["open_source"].format(n=n))
        return f"<button type='button' class='coopbot-marker coopbot-ref-{n}' title='{label}'>[{n}]</button>"

    return _MARKER.sub(button, escaped)


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def answer_body_html(answer_text: str, numbers: set[int], ui_lang: str) -> str:
    """Paragraphs and "- " lists of an answer, escaped, with its [n] markers as buttons and its **asked
    values** in bold."""
    blocks, items = [], []
    for line in answer_text.splitlines():
        shown = _BOLD.sub(r"<strong>\1</strong>", _with_markers(text(line.strip()), numbers, ui_lang))
        if line.startswith("- "):
            items.append(f"<li>{shown[2:]}</li>")
            continue
        if items:
            blocks.append(f"<ul>{''.join(items)}</ul>")
            items = []
        if line.strip():
            blocks.append(f"<p>{shown}</p>")
    if items:
        blocks.append(f"<ul>{''.join(items)}</ul>")
    return "".join(blocks)


def citation_html(citation: Citation, ui_lang: str, notes: dict[str, str] | None = None) -> str:
    """A compact card: [n] outlet · date on one small line; the passage, title and original inside."""
    labels = CITATION[ui_lang]
    note = (notes or {}).get(citation.doc_id)
    date = display_date(citation.date, ui_lang, estimated=bool(note))
    body = [f"<p class='coopbot-passage'>{text(citation.text)}</p>",
            f"<p class='coopbot-meta'>{text(citation.title)}</p>"]
    if note:
        body.append(f"<p class='coopbot-meta'>{text(note)}</p>")
    if citation.is_translation:
        kind = labels["machine"] if citation.translation_kind == "machine" else labels["translation"]
        original = labels["original"].format(lang_name=LANG_NAMES[ui_lang][citation.original_lang])
        body.append(f"<details class='coopbot-original'><summary>{text(kind)} · {text(original)}"
                    f"</summary><p lang='{text(citation.original_lang)}'>{text(citation.original_text)}</p></details>")
    elif citation.lang != ui_lang:
        label = labels["other_language"].format(lang_name=LANG_NAMES[ui_lang][citation.lang])
        body.insert(0, f"<p class='coopbot-meta'>{text(label)}</p>")
    return (f"<details class='coopbot-citation coopbot-ref-{citation.n}'><summary><span class='coopbot-n'>"
            f"{citation.n}</span> {text(citation.outlet)} · {text(date)}</summary>{''.join(body)}</details>")


def answer_html(answer: Answer, ui_lang: str, notes: dict[str, str] | None = None) -> str:
    """The assistant's bubble: the answer, then its citation cards (opened by the [n] buttons)."""
    numbers = {c.n for c in answer.citations}
    cards = "".join(citation_html(c, ui_lang, notes) for c in answer.citations)
    sources = f"<div class='coopbot-sources'>{cards}</div>" if cards else ""
    return (f"<div class='coopbot-answer' lang='{text(answer.language)}'>"
            f"{answer_body_html(answer.answer, numbers, ui_lang)}{sources}</div>")


def draft_html(draft: str, ui_lang: str) -> str:
    """A generated answer still being checked."""
    return (f"<div class='coopbot-answer coopbot-draft'>{answer_body_html(draft, set(), ui_lang)}"
            f"<p class='coopbot-meta'>{text(UI[ui_lang]['checking'])}</p></div>")


def notice_html(message: str) -> str:
    return f"<div class='coopbot-answer'><p>{text(message)}</p></div>"


def documents_table_html(articles: list, knowledge, lang: str, notes: dict[str, str]) -> str:
    """The Sources table: one row per source article, shown in `lang` when translated; real headers,
    full titles, dates with their notes."""
    words = SOURCES[lang]
    columns = [("date", ""), ("outlet", ""), ("title", ""), ("lang", " class='coopbot-wide'"),
               ("sentences", " class='coopbot-wide'")]
    head = "".join(f"<th scope='col'{attr}>{text(words[key])}</th>" for key, attr in columns)
    body = []
    for original in articles:
        shown = knowledge.translations(original.id).get(lang, original)
        note = notes.get(shown.id, "")
        details = [f"<small>{text(words['translation'])}</small>"] if shown.translation_of else []
        details += [f"<small>{text(note)}</small>"] if note else []
        title = "<br>".join([text(shown.title), *details])
        body.append(f"<tr><td>{text(display_date(original.date, lang, estimated=bool(note)))}</td>"
                    f"<td>{text(shown.outlet)}</td><td lang='{text(shown.lang)}'>{title}</td>"
                    f"<td class='coopbot-wide'>{text(words[original.lang])}</td>"
                    f"<td class='coopbot-wide'>{len(original.lines)}</td></tr>")
    return (f"<table class='coopbot-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def document_html(article, lang: str) -> str:
    """One article, paragraph by paragraph, with its outlet, date and translation label."""
    if article is None:
        return ""
    note = article.meta.get("date_note")
    date = display_date(article.date, lang, estimated=bool(note))
    label = f" · <em>{text(SOURCES[lang]['translation'])}</em>" if article.translation_of else ""
    paragraphs: dict[int, list[str]] = {}
    for line in article.lines:
        paragraphs.setdefault(line.paragraph, []).append(text(line.text))
    body = "".join(f"<p>{' '.join(p)}</p>" for p in paragraphs.values())
    return (f"<article class='coopbot-document' lang='{text(article.lang)}'><h3>{text(article.title)}</h3>"
            f"<p class='coopbot-meta'>{text(article.outlet)} · {text(date)}{label}</p>{body}</article>")


def briefing_html(briefing) -> str:
    """A briefing on screen: the same content as its Markdown file, every quoted text escaped."""
    parts = [f"<h2>{text(briefing.title)}</h2>", f"<p class='coopbot-meta'>{text(briefing.generated_line)}</p>"]
    if not briefing.references:
        parts.append(f"<p>{text(BRIEFING[briefing.lang]['none'])}</p>")
    for title, facts in briefing.groups.items():
        items = []
        for fact in facts:
            ref = briefing.references[fact.n - 1]
            items.append(f"<li>{text(ref.text)} <span class='coopbot-meta'>({text(ref.outlet)}, "
                         f"{text(briefing.date_of(ref))})</span> <span class='coopbot-n'>{fact.n}</span></li>")
        parts.append(f"<h3>{text(title)}</h3><ul>{''.join(items)}</ul>")
    if briefing.references:
        refs = "".join(f"<li>{text(briefing.reference_line(ref))}</li>" for ref in briefing.references)
        parts.append(f"<h3>{text(BRIEFING[briefing.lang]['refs'])}</h3><ol class='coopbot-refs'>{refs}</ol>")
    return f"<section class='coopbot-briefing' lang='{text(briefing.lang)}'>{''.join(parts)}</section>"
