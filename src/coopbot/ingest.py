"""`coopbot add`: turn HTML pages, PDFs, text and Markdown files into knowledge files.

Each accepted file becomes ``knowledge/<slug>-<hash>.<lang>.md`` in the format of
design.md (front matter inferred, body one sentence per line).  The id carries a
hash of the extracted text, so adding the same document twice changes nothing.
A file is written beside its final name and renamed into place only once it
parses as a valid article: the knowledge base is never left half-written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import Settings
from .instructions import instruction_like
from .knowledge import knowledge_files, parse_article, valid_date
from .text import clean_text, detect_language, fold, split_sentences

SUPPORTED_SUFFIXES = {".html", ".htm", ".pdf", ".txt", ".md", ".markdown"}
MIN_TEXT_CHARS = 40
PARTIAL_PREFIX, PARTIAL_SUFFIX = ".adding-", ".md.tmp"


class Rejected(Exception):
    """A file that cannot become a knowledge document; the message is the one-line reason."""


@dataclass
class Overrides:
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    lang: str | None = None
    url: str | None = None


@dataclass
class Extracted:
    text: str
    title: str = ""
    date: str = ""
    outlet: str = ""
    url: str = ""
    meta: dict = field(default_factory=dict)


@dataclass
class AddReport:
    added: list[tuple[Path, Path]] = field(default_factory=list)
    unchanged: list[tuple[Path, Path]] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)
    dropped: list[tuple[Path, str]] = field(default_factory=list)  # instruction-like sentences left out

    @property
    def ok(self) -> bool:
        return not self.rejected


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            files.append(path)
    return files


def add_documents(paths: Iterable[Path], knowledge_dir: Path, overrides: Overrides | None = None,
                  max_bytes: int = Settings.max_add_bytes,
                  min_encoded_chars: int = Settings.encoded_payload_min_chars) -> AddReport:
    """Add every file it can; the others get a reason. Never stops at the first bad file.

    The caller holds the writer lock (index.writer_lock): files half-written by a killed
    writer are swept first."""
    remove_partial_files(knowledge_dir)
    report = AddReport()
    overrides = overrides or Overrides()
    existing = {p.name for p in knowledge_files(knowledge_dir)}
    for path in expand_paths(paths):
        try:
            target, created, dropped = add_one(path, knowledge_dir, overrides, max_bytes, existing, min_encoded_chars)
        except Rejected as reason:
            report.rejected.append((path, str(reason)))
            continue
        (report.added if created else report.unchanged).append((path, target))
        report.dropped.extend((path, sentence) for sentence in dropped)
        existing.add(target.name)
    return report


def add_one(path: Path, knowledge_dir: Path, overrides: Overrides, max_bytes: int,
            existing: set[str], min_encoded_chars: int) -> tuple[Path, bool, list[str]]:
    """The knowledge file for one document, whether it was new, and the instruction-like sentences left out."""
    data = read_checked(path, max_bytes)
    extracted = extract(path, data)
    body, dropped = drop_instruction_lines(body_from_text(extracted.text), min_encoded_chars)
    extracted.title = _unless_instruction(extracted.title, min_encoded_chars)
    extracted.outlet = _unless_instruction(extracted.outlet, min_encoded_chars)
    if len(" ".join(body)) < MIN_TEXT_CHARS:
        raise Rejected("no article text found (empty after extraction)")
    lang = overrides.lang or detect_language(" ".join(body)[:4000], default="")
    if lang not in ("vi", "fr"):
        raise Rejected("language not recognised as Vietnamese or French (use --lang)")
    digest = hashlib.sha256("\n".join(body).encode()).hexdigest()[:10]
    title = clean_text(overrides.title or extracted.title or _first_line(body))
    doc_id = f"{slugify(title or path.stem)}-{digest}.{lang}"
    target = knowledge_dir / f"{doc_id}.md"
    if target.name in existing:
        return target, False, dropped
    meta = front_matter(doc_id, title, lang, path, extracted, overrides)
    write_atomically(target, render(meta, body))
    return target, True, dropped


def _unless_instruction(value: str, min_encoded_chars: int) -> str:
    """Page metadata (title, site name) too may address the assistant; then it is not used."""
    return "" if instruction_like(value, min_encoded_chars) else value


def drop_instruction_lines(body: list[str], min_encoded_chars: int) -> tuple[list[str], list[str]]:
    """The body without sentences that address the assistant (paragraph breaks kept tidy), and those sentences."""
    kept: list[str] = []
    dropped: list[str] = []
    for line in body:
        if line and instruction_like(line, min_encoded_chars):
            dropped.append(line)
        elif line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return kept, dropped


def read_checked(path: Path, max_bytes: int) -> bytes:
    if not path.exists():
        raise Rejected("file not found")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise Rejected(f"unsupported format '{path.suffix or path.name}' (use .html, .pdf, .txt or .md)")
    size = path.stat().st_size
    if size == 0:
        raise Rejected("empty file")
    if size > max_bytes:
        raise Rejected(f"file too large ({size} bytes, limit {max_bytes}; see COOPBOT_MAX_ADD_BYTES)")
    data = path.read_bytes()
    if path.suffix.lower() != ".pdf" and b"\x00" in data[:8192]:
        raise Rejected("binary file, not text")
    return data


def extract(path: Path, data: bytes) -> Extracted:
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        return extract_html(data)
    if suffix == ".pdf":
        return extract_pdf(data)
    text = _decode(data)
    if suffix in (".md", ".markdown") and text.startswith("---"):
        return _split_front_matter(text)
    return Extracted(text)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Rejected("not UTF-8 text") from exc


def extract_html(data: bytes) -> Extracted:
    """Main text only (trafilatura): navigation, comments, scripts and boilerplate dropped."""
    import trafilatura

    html = _decode(data)
    html = _drop_hidden_html(html)
    document = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                           with_metadata=True, favor_precision=True)
    if document is None or not (document.text or "").strip():
        raise Rejected("no article text found in the HTML page")
    return Extracted(text=document.text, title=document.title or "", date=document.date or "",
                     outlet=document.sitename or "", url=document.url or "")


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


def _drop_hidden_html(html: str) -> str:
    """Text a reader cannot see is not article text: comments, display:none, white or zero-size text,
    off-screen text, the hidden attribute, aria-hidden, and classes or ids a <style> rule hides."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    hidden_classes, hidden_ids = _hidden_by_stylesheet(root)
    for element in list(root.iter()):
        if element.getparent() is None:
            continue
        if not isinstance(element.tag, str) or element.tag in _INVISIBLE_TAGS or _is_hidden(element, hidden_classes, hidden_ids):
            _remove_keeping_tail(element)
    return lxml.html.tostring(root, encoding="unicode")


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


def extract_pdf(data: bytes) -> Extracted:
    import io

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
    return Extracted(text="\n\n".join(pages), title=title, date=date)


def _pdf_date(raw: str) -> str:
    match = re.match(r"D:(\d{4})(\d{2})(\d{2})", raw)
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}" if match else ""


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


def body_from_text(text: str) -> list[str]:
    """Paragraphs (blank-line separated; a single line break inside PDF text joins) → sentence lines.
    Returns lines with "" between paragraphs."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    body: list[str] = []
    for paragraph in paragraphs:
        sentences = split_sentences(re.sub(r"(?<!\n)\n(?!\n)", " ", paragraph))
        sentences = [s.lstrip("#>*- ").strip() for s in sentences]
        sentences = [s for s in sentences if s]
        if sentences:
            if body:
                body.append("")
            body.extend(sentences)
    return body


def _first_line(body: list[str]) -> str:
    return next((line for line in body if line), "")[:150]


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")
    return slug[:50].rstrip("-") or "document"


def _iso_date(value: str) -> str:
    """The YYYY-MM-DD start of a metadata date (e.g. an ISO timestamp), or "" if it is no date."""
    value = (value or "")[:10]
    return value if valid_date(value) else ""


def front_matter(doc_id: str, title: str, lang: str, path: Path, extracted: Extracted, overrides: Overrides) -> dict:
    date = _iso_date(overrides.date or "") or _iso_date(extracted.date)
    meta = {"id": doc_id, "title": title or path.stem, "outlet": clean_text(overrides.outlet or extracted.outlet)
            or "inconnu / không rõ", "date": date or dt.date.today().isoformat(), "lang": lang,
            "source_file": path.name}
    url = overrides.url or extracted.url
    if url:
        meta["url"] = url
    if not date:
        meta["date_note"] = "publication date unknown: date of ingestion"
    meta["added_by"] = "coopbot add"
    return meta


def render(meta: dict, body: list[str]) -> str:
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n" + "\n".join(body) + "\n"


def remove_partial_files(knowledge_dir: Path) -> None:
    for partial in knowledge_dir.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"):
        partial.unlink(missing_ok=True)


def write_atomically(target: Path, content: str) -> None:
    """Write beside, check it parses as a valid article, fsync, then rename into place."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        article, problems = parse_article(tmp)
        if article is None or problems:
            raise Rejected("could not produce a valid knowledge file: " + "; ".join(p.message for p in problems))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
