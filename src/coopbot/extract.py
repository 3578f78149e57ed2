"""The article text of an HTML page, a PDF, a text or a Markdown file, without page furniture.

HTML: the main text by trafilatura, after dropping what a reader cannot see; each block
(heading, paragraph, caption, list item) becomes its own paragraph, so a page's title is
never glued to its first sentence; figure captions are kept as paragraphs.
PDF: the text of each page without running headers and footers (a line repeated at the
edge of most pages), page numbers ("Page 2/5", "2 / 5", "- 2 -") and banners such as
"Document de travail" or "Confidentiel".  Every line left out is recorded with a reason,
for the add report.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import Settings
from .text import clean_text, fold

DROP_RUNNING = "running header/footer"
DROP_PAGE_NUMBER = "page number"
DROP_BANNER = "banner"

PAGE_EDGE_LINES = 2  # headers and footers are among the first and last lines of a page
SHORT_LINE_WORDS = 8  # a running line this short may carry the page's number or date
PARAGRAPH_END_SHARE = 0.85  # a PDF line shorter than this share of the document's full lines may end a paragraph
FULL_LINE_QUANTILE = 0.9  # a full line: as long as this share of the document's lines
_PAGE_NUMBER = re.compile(
    r"^(?:(?:page|p\.|trang|tr\.)\s*\d+(?:\s*(?:/|sur|of|tren)\s*\d+)?"
    r"|\d+\s*(?:/|sur|tren)\s*\d+|[-–—]\s*\d+\s*[-–—]|\d{1,4})$"
)
_BANNER_WORDS = (
    "document de travail", "confidentiel", "confidentielle", "strictement confidentiel", "brouillon", "projet",
    "version provisoire", "document provisoire", "diffusion restreinte", "usage interne", "ne pas diffuser",
    "draft", "confidential", "internal use only",
    "tai lieu noi bo", "luu hanh noi bo", "ban thao", "du thao", "mat", "tai lieu lam viec",
)
_BANNER = re.compile(r"^(?:\W*(?:" + "|".join(re.escape(w) for w in _BANNER_WORDS) + r")\W*)+$")


class Rejected(Exception):
    """A file that cannot become a knowledge document; the message is the one-line reason."""


@dataclass
class Extracted:
    text: str
    title: str = ""
    date: str = ""
    outlet: str = ""
    url: str = ""
    meta: dict = field(default_factory=dict)
    file_date: str = ""  # when the file was made (a PDF's creation date): the date when the text states none
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, line) left out as page furniture


def extract(path: Path, data: bytes, pdf_running_share: float = Settings.pdf_running_share) -> Extracted:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return extract_html(data)
    if suffix == ".pdf":
        return extract_pdf(data, pdf_running_share)
    text = decode(data)
    if suffix in (".md", ".markdown") and text.startswith("---"):
        return _split_front_matter(text)
    return Extracted(text)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Rejected("not UTF-8 text") from exc


# --- HTML ---------------------------------------------------------------------------------------------------

def extract_html(data: bytes) -> Extracted:
    """Main text only (trafilatura): navigation, comments, scripts and boilerplate dropped. Favouring recall: for
    precision, trafilatura drops a page's bulleted list of the programme's actions when the paragraphs stand
    straight in <body>, while menus, footers and "Lire aussi" sidebars are dropped either way."""
    import trafilatura

    html, page_title = prepare_html(decode(data))
    document = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                           with_metadata=True, favor_recall=True)
    if document is None or not (document.text or "").strip():
        raise Rejected("no article text found in the HTML page")
    text = _blocks_text(document.body) if document.body is not None else document.text.replace("\n", "\n\n")
    outlet = document.sitename or outlet_in_page_title(page_title, document.title or "")
    return Extracted(text=text, title=document.title or "", date=document.date or "", outlet=outlet,
                     url=document.url or "")


OUTLET_MAX_WORDS = 6
_TITLE_SEPARATOR = re.compile(r"\s+[–—|-]\s+")


def outlet_in_page_title(page_title: str, headline: str) -> str:
    """The site's name a page's <title> ends with ("Hội An : … – L'Écho du Morbihan", "… | Báo Quảng Nam"): a
    short last part, parted by a dash or bar, that the headline does not hold; "" when there is none."""
    parts = _TITLE_SEPARATOR.split(clean_text(page_title))
    last = parts[-1].strip() if len(parts) > 1 else ""
    if not last or len(last.split()) > OUTLET_MAX_WORDS or fold(last).lower() in fold(headline).lower():
        return ""
    return last


def _blocks_text(body) -> str:
    """One paragraph per block of trafilatura's tree (heading, paragraph, list, quote), a list's items one
    bulleted line each (`ingest.lists_joined` reads them); a line break inside a block (<br>) is a space, as a
    browser's reflowed paragraph reads."""
    for line_break in body.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    blocks = []
    for element in body:
        if element.tag == "list":
            items = [clean_text("".join(item.itertext())) for item in element.iter("item")]
            blocks.append("\n".join(f"- {item}" for item in items if item))
        else:
            blocks.append(clean_text("".join(element.itertext())))
    return "\n\n".join(block for block in blocks if block)


_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0(?:\.0*)?(?:px|em|rem|pt|%)?\s*(?:;|$)"
    r"|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$)|color\s*:\s*(?:#f{3}\b|#f{6}\b|white\b|transparent\b"
    r"|rgba?\(\s*255\s*,\s*255\s*,\s*255\s*(?:,\s*[\d.]+\s*)?\))"
    r"|(?:left|top|text-indent)\s*:\s*-\d{3,}|clip\s*:\s*rect\(\s*0|(?:width|height)\s*:\s*0(?:px)?\s*;[^'\"]*overflow\s*:\s*hidden",
    re.IGNORECASE,
)
_INVISIBLE_TAGS = ("script", "style", "template", "noscript", "object", "embed", "iframe", "svg")
_CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"^\s*([.#])([\w-]+)\s*$")


def prepare_html(html: str) -> tuple[str, str]:
    """The page without what a reader cannot see, and its <title> (read in the same parse). Text a reader cannot
    see is not article text: comments, display:none, white or zero-size text, off-screen text, the hidden
    attribute, aria-hidden, and classes or ids a <style> rule hides. Figure captions become plain paragraphs:
    trafilatura leaves <figure> out, and the caption often states who and where."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html, ""
    page_title = root.findtext(".//title") or ""
    hidden_classes, hidden_ids = _hidden_by_stylesheet(root)
    for element in list(root.iter()):
        if element.getparent() is None:
            continue
        if not isinstance(element.tag, str) or element.tag in _INVISIBLE_TAGS or _is_hidden(element, hidden_classes, hidden_ids):
            _remove_keeping_tail(element)
    for figure in root.iter("figure"):
        figure.tag = "div"
    for caption in root.iter("figcaption"):
        caption.tag = "p"
    return lxml.html.tostring(root, encoding="unicode"), page_title


def _hidden_by_stylesheet(root) -> tuple[set[str], set[str]]:
    classes: set[str] = set()
    ids: set[str] = set()
    for style in root.iter("style"):
        for selectors, body in _CSS_RULE.findall(style.text or ""):
            if not _HIDDEN_STYLE.search(body):
                continue
            for selector in selectors.split(","):
                match = _SIMPLE_SELECTOR.match(selector)
                if match:
                    (classes if match.group(1) == "." else ids).add(match.group(2))
    return classes, ids


def _is_hidden(element, hidden_classes: set[str], hidden_ids: set[str]) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden", "").lower() == "true":
        return True
    if _HIDDEN_STYLE.search(element.get("style", "")):
        return True
    return bool(set(element.get("class", "").split()) & hidden_classes) or element.get("id", "") in hidden_ids


def _remove_keeping_tail(element) -> None:
    """Remove an element and its subtree; the text that follows it belongs to its parent and stays."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


# --- PDF ----------------------------------------------------------------------------------------------------

def extract_pdf(data: bytes, running_share: float = Settings.pdf_running_share) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise Rejected(f"corrupt or unreadable PDF ({type(exc).__name__})") from exc
    title = str(info.get("/Title") or "") if info else ""
    date = _pdf_date(str(info.get("/CreationDate") or "")) if info else ""
    kept, dropped = strip_page_furniture(pages, running_share)
    return Extracted(text="\n\n".join(paragraph_breaks(kept)), title=title, file_date=date, dropped=dropped)


def paragraph_breaks(pages: list[str]) -> list[str]:
    """The pages' text with a blank line after each line that ends a paragraph. A PDF's text has no paragraph
    breaks, and its lines are joined; but a wrapped line fills the width, so a line well short of the
    document's full lines, not ended by a comma or colon, that the next line does not continue (it opens with a
    capital, or a heading's number and a capital) ends its paragraph: a title, a subheading, a byline ("Cần Thơ,
    ngày 18 tháng 4 năm 2025 – Sở Ngoại vụ…") or a paragraph's last line. Else they were glued to the sentence
    after them. A full line that ends a sentence ends its paragraph too when a numbered heading follows
    ("… des partenaires." then "1. Budget")."""
    lengths = sorted(len(" ".join(line.split())) for page in pages for line in page.splitlines() if line.strip())
    if not lengths:
        return pages
    full = lengths[int(FULL_LINE_QUANTILE * (len(lengths) - 1))]
    marked_pages = []
    for page in pages:
        lines = page.split("\n")
        marked: list[str] = []
        for line, following in zip(lines, [*lines[1:], ""], strict=True):
            marked.append(line)
            short = len(" ".join(line.split())) < PARAGRAPH_END_SHARE * full
            ends = (short and not re.search(r"[,;:(–-]\s*$", line)) or re.search(r"[.!?…]\s*$", line)
            if ends and _opens_a_paragraph(following, numbered_only=not short):
                marked.append("")
        marked_pages.append("\n".join(marked))
    return marked_pages


def _opens_a_paragraph(line: str, numbered_only: bool = False) -> bool:
    """A line that may open a paragraph: a capital, after a heading's number ("1. Contexte", "2) Kết quả");
    `numbered_only`: a heading's number and a capital only."""
    opening = re.match(r"\s*(\d+[.)]\s+)?(\w)", line)
    return bool(opening) and opening.group(2).isupper() and (bool(opening.group(1)) or not numbered_only)


def _pdf_date(raw: str) -> str:
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", raw)
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else ""


def strip_page_furniture(pages: list[str], running_share: float) -> tuple[list[str], list[tuple[str, str]]]:
    """Each page's text without its running headers and footers, page numbers and banners,
    and the (reason, line) pairs left out.  Only a page's first and last lines are candidates:
    a sentence repeated in the body is the author's, not the layout's."""
    page_lines = [[line.strip() for line in page.splitlines()] for page in pages]
    running = _running_lines(page_lines, running_share)
    kept_pages: list[str] = []
    dropped: list[tuple[str, str]] = []
    for lines in page_lines:
        edges = _edge_positions(lines)
        kept = []
        for i, line in enumerate(lines):
            reason = _furniture(line, running) if i in edges else None
            if reason:
                dropped.append((reason, line))
            else:
                kept.append(line)
        kept_pages.append("\n".join(kept))
    return kept_pages, dropped


def _edge_positions(lines: list[str]) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line]
    return set(filled[:PAGE_EDGE_LINES] + filled[-PAGE_EDGE_LINES:])


def _layout_key(line: str) -> str:
    """A line as layout repeats it: folded; in a short line, any number stands for the page's own
    number or date ("Rapport 2024 – page 3"), while a longer line must repeat word for word."""
    key = re.sub(r"\s+", " ", fold(line).lower()).strip()
    return re.sub(r"\d+", "#", key) if len(key.split()) <= SHORT_LINE_WORDS else key


def _running_lines(page_lines: list[list[str]], share: float) -> set[str]:
    """Layout keys of the edge lines found on at least `share` of the pages (and on two at least)."""
    if len(page_lines) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in page_lines:
        counts.update({_layout_key(lines[i]) for i in _edge_positions(lines)})
    needed = max(2, math.ceil(share * len(page_lines)))
    return {key for key, n in counts.items() if n >= needed and key}


def _furniture(line: str, running: set[str]) -> str | None:
    folded = re.sub(r"\s+", " ", fold(line).lower()).strip()
    if not folded:
        return None
    if _PAGE_NUMBER.match(folded):
        return DROP_PAGE_NUMBER
    if _BANNER.match(folded):
        return DROP_BANNER
    if _layout_key(line) in running:
        return DROP_RUNNING
    return None


# --- Markdown -----------------------------------------------------------------------------------------------

def _split_front_matter(text: str) -> Extracted:
    parts = text.split("---", 2)
    try:
        meta = yaml.safe_load(parts[1]) or {}
    except yaml.YAMLError:
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    return Extracted(text=parts[2] if len(parts) > 2 else "", title=str(meta.get("title", "")),
                     date=str(meta.get("date", "")), outlet=str(meta.get("outlet", "")),
                     url=str(meta.get("url", "")), meta=meta)
