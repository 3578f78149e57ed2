"""`coopbot add`: turn HTML pages, PDFs, text and Markdown files into knowledge files.

Each accepted file becomes ``knowledge/<slug>-<hash>.<lang>.md`` in the format of
design.md (front matter inferred, body one sentence per line).  The id carries a
hash of the extracted text, so adding the same document twice changes nothing.
A file is written beside its final name and renamed into place only once it
parses as a valid article: the knowledge base is never left half-written.

With a translator, the new document's aligned translation is written beside it
(`translate`); the new names it mentions go to glossary.pending.yaml (`pending`).
The report says, per document, how many lines were kept and dropped, and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .byline import find_byline, without_byline
from .config import Settings
from .extract import Extracted, Rejected, extract
from .instructions import instruction_like
from .knowledge import (
    INGESTION_DATE_NOTE,
    UNKNOWN_OUTLET,
    Article,
    knowledge_files,
    parse_article,
    valid_date,
)
from .pending import record_pending_names
from .text import clean_text, detect_language, fold, split_sentences
from .translate import LineCheck, Translator, TranslatorUnavailable, translation_meta
from .verify import ABBREVIATION

SUPPORTED_SUFFIXES = {".html", ".htm", ".pdf", ".txt", ".md", ".markdown"}
MIN_TEXT_CHARS = 40
PARTIAL_PREFIX, PARTIAL_SUFFIX = ".adding-", ".md.tmp"
DROP_INSTRUCTION = "instruction-like sentence"
DROP_REPEATED = "repeated line"
DROP_BYLINE = "byline (outlet and date)"


@dataclass
class Overrides:
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    lang: str | None = None
    url: str | None = None


@dataclass
class DocumentReport:
    """What became of one accepted file."""

    source: Path
    target: Path
    created: bool  # False: the same text was already in the knowledge base
    kept: int = 0  # sentence lines in the knowledge file
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, line) left out
    translation: Path | None = None  # the machine translation written beside it
    untranslated: list[LineCheck] = field(default_factory=list)  # its lines kept in the source language, and why
    translation_note: str = ""  # why no translation was written

    @property
    def dropped_by_reason(self) -> Counter[str]:
        return Counter(reason for reason, _ in self.dropped)


@dataclass
class AddReport:
    documents: list[DocumentReport] = field(default_factory=list)
    rejected: list[tuple[Path, str]] = field(default_factory=list)
    pending_names: list[str] = field(default_factory=list)  # new names written to glossary.pending.yaml

    @property
    def added(self) -> list[tuple[Path, Path]]:
        return [(d.source, d.target) for d in self.documents if d.created]

    @property
    def unchanged(self) -> list[tuple[Path, Path]]:
        return [(d.source, d.target) for d in self.documents if not d.created]

    @property
    def translations(self) -> list[Path]:
        return [d.translation for d in self.documents if d.translation]

    @property
    def changed(self) -> bool:
        """Whether the knowledge changed (the index must be rebuilt)."""
        return bool(self.added or self.translations)

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
                  min_encoded_chars: int = Settings.encoded_payload_min_chars,
                  translator: Translator | None = None,
                  pdf_running_share: float = Settings.pdf_running_share,
                  byline_lines: int = Settings.byline_lines, byline_max_words: int = Settings.byline_max_words) -> AddReport:
    """Add every file it can; the others get a reason. Never stops at the first bad file.

    The caller holds the writer lock (index.writer_lock): files half-written by a killed
    writer are swept first."""
    remove_partial_files(knowledge_dir)
    report = AddReport()
    overrides = overrides or Overrides()
    existing = {p.name for p in knowledge_files(knowledge_dir)}
    for path in expand_paths(paths):
        try:
            document = add_one(path, knowledge_dir, overrides, max_bytes, existing, min_encoded_chars,
                               pdf_running_share, (byline_lines, byline_max_words))
        except Rejected as reason:
            report.rejected.append((path, str(reason)))
            continue
        report.documents.append(document)
        existing.add(document.target.name)
    new_articles = [_article(d.target) for d in report.documents if d.created]
    if translator is not None:
        translate_all(report.documents, translator)
    report.pending_names = record_pending_names(knowledge_dir, new_articles)
    return report


def _article(path: Path) -> Article:
    article, _ = parse_article(path)
    assert article is not None, "written only once it parses"
    return article


def add_one(path: Path, knowledge_dir: Path, overrides: Overrides, max_bytes: int, existing: set[str],
            min_encoded_chars: int, pdf_running_share: float = Settings.pdf_running_share,
            byline: tuple[int, int] = (Settings.byline_lines, Settings.byline_max_words)) -> DocumentReport:
    """The knowledge file for one document, whether it is new, and the lines kept and dropped. `byline`: how
    many of the first lines may be the byline, and its most words (byline.py)."""
    data = read_checked(path, max_bytes)
    extracted = extract(path, data, pdf_running_share)
    typed = path.suffix.lower() not in (".pdf", ".html", ".htm")
    body, repeated = drop_repeated_lines(body_from_text(extracted.text, lists=path.suffix.lower() != ".pdf",
                                                        title_line=typed and not extracted.title))
    body, instructions = drop_instruction_lines(body, min_encoded_chars)
    dropped = [*extracted.dropped, *((DROP_REPEATED, line) for line in repeated),
               *((DROP_INSTRUCTION, line) for line in instructions)]
    found = find_byline(body, not extracted.title, *byline)
    if found:
        body = without_byline(body, found)
        dropped.append((DROP_BYLINE, found.line))
        extracted.date = extracted.date or found.date
        extracted.outlet = extracted.outlet or found.outlet
    extracted.date = extracted.date or extracted.file_date
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
    created = target.name not in existing
    if created:
        write_atomically(target, render(front_matter(doc_id, title, lang, path, extracted, overrides), body))
    return DocumentReport(path, target, created, kept=sum(1 for line in body if line), dropped=dropped)


def translate_all(documents: list[DocumentReport], translator: Translator) -> None:
    """Translate each document that has no translation yet; once the translator fails, the
    others are not tried (each would wait for the same timeout)."""
    failure = ""
    for document in documents:
        article = _article(document.target)
        if article.translation_of:
            continue
        target = document.target.with_name(f"{translation_id(article)}.md")
        if target.exists():
            continue
        if failure:
            document.translation_note = f"not tried, {failure}"
            continue
        try:
            translate_beside(document, article, target, translator)
        except TranslatorUnavailable as error:
            document.translation_note = failure = str(error)


def translate_beside(document: DocumentReport, article: Article, target: Path, translator: Translator) -> None:
    """Write the article's checked machine translation beside it, all at once or not at all."""
    translation = translator.translate(article)
    write_atomically(target, render(translation_meta(article, translation, target.stem), translation.body))
    document.translation = target
    document.untranslated = [check for check in translation.checks if not check.ok]


def translation_id(article: Article) -> str:
    """<slug>-<hash>.vi ↔ <slug>-<hash>.fr"""
    other = "fr" if article.lang == "vi" else "vi"
    stem = article.id.removesuffix(f".{article.lang}")
    return f"{stem}.{other}"


def drop_repeated_lines(body: list[str]) -> tuple[list[str], list[str]]:
    """Each sentence once: a photo caption that the page repeats (in the text, as alt text, under the
    photo and in a gallery) is kept where it first appears."""
    seen: set[str] = set()
    kept: list[str] = []
    repeated: list[str] = []
    for line in body:
        key = fold(line).lower()
        if line and key in seen:
            repeated.append(line)
            continue
        seen.add(key)
        kept.append(line)
    return _tidy_paragraph_breaks(kept), repeated


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
        else:
            kept.append(line)
    return _tidy_paragraph_breaks(kept), dropped


def _tidy_paragraph_breaks(lines: list[str]) -> list[str]:
    """One blank line between paragraphs, none at either end."""
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    while tidy and not tidy[-1]:
        tidy.pop()
    return tidy


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


def body_from_text(text: str, lists: bool = True, title_line: bool = False) -> list[str]:
    """Paragraphs (blank-line separated; a single line break inside PDF text joins) → sentence lines.
    Returns lines with "" between paragraphs. `lists`: read bulleted lines as a list (`lists_joined`); not in
    a PDF's text, where a line opened by a dash or a number is as often a heading or a broken line.
    `title_line`: the text opens with its title (a typed text or Markdown file), a paragraph of its own even
    when a line break alone parts it from a byline ("Báo Đà Nẵng – Đăng ngày 20/9/2025") or a first sentence."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    paragraphs = _title_apart(paragraphs) if title_line else paragraphs
    paragraphs = lists_joined(paragraphs) if lists else paragraphs
    body: list[str] = []
    for paragraph in paragraphs:
        paragraph = _EMPHASIS.sub(r"\2", paragraph)
        sentences = _rejoin_abbreviations(split_sentences(re.sub(r"(?<!\n)\n(?!\n)", " ", paragraph)))
        sentences = [s.lstrip("#>*- ").strip() for s in sentences]
        sentences = [s for s in sentences if s]
        if sentences:
            if body:
                body.append("")
            body.extend(sentences)
    return body


def _title_apart(paragraphs: list[str]) -> list[str]:
    """The first line a paragraph of its own, when it is not a sentence broken across lines: it does not end
    as a sentence does and the next line opens with a capital, as a new line of its own does."""
    if not paragraphs:
        return paragraphs
    first, _, rest = paragraphs[0].strip().partition("\n")
    if not rest.strip() or re.search(r"[.,;:!?…]\W*$", first) or not rest.strip()[:1].isupper():
        return paragraphs
    return [first, rest, *paragraphs[1:]]


# Markdown emphasis ("*Lagune verte*", "**Hà Nội**"): the words without their asterisks or underscores
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_BULLET = re.compile(r"^\s*[-*•]\s+")


def lists_joined(paragraphs: list[str]) -> list[str]:
    """A list (lines opened by a bullet: "-", "*", "•") as one sentence, its items parted by semicolons, and
    joined to the paragraph that announces it with a colon ("… quatre domaines : a; b; c."): an answer to
    "which fields?" quotes the items with what they are, as one line, not each item alone."""
    joined: list[str] = []
    for paragraph in paragraphs:
        lines = [line for line in paragraph.split("\n") if line.strip()]
        items = [i for i, line in enumerate(lines) if _BULLET.match(line)]
        if not items or (len(items) == 1 and items != [0]):  # a dash inside a paragraph is no list
            joined.append(paragraph)
            continue
        intro = " ".join(lines[: items[0]]).strip()
        listed = "; ".join(_item_text(lines[i:j]) for i, j in zip(items, [*items[1:], len(lines)], strict=True))
        listed = f"{listed}."
        if intro:
            joined.append(f"{intro} {listed}")
        elif joined and joined[-1].rstrip().endswith(":"):
            joined[-1] = f"{joined[-1].rstrip()} {listed}"
        else:
            joined.append(listed)
    return joined


def _item_text(lines: list[str]) -> str:
    """One list item's text: its bullet dropped, its lines joined, its closing ";", "," or "." too."""
    return " ".join(line.strip() for line in [_BULLET.sub("", lines[0]), *lines[1:]]).rstrip(" ;,.")


def _rejoin_abbreviations(pieces: list[str]) -> list[str]:
    """"M. Dupont" or "TP. Hồ Chí Minh" is one sentence, not two; nor is a heading's number ("1. Contexte")."""
    sentences: list[str] = []
    for piece in pieces:
        if sentences and (ABBREVIATION.search(sentences[-1]) or re.fullmatch(r"\d+[.)]", sentences[-1])):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


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
            or UNKNOWN_OUTLET, "date": date or dt.date.today().isoformat(), "lang": lang,
            "source_file": path.name}
    url = overrides.url or extracted.url
    if url:
        meta["url"] = url
    if not date:
        meta["date_note"] = INGESTION_DATE_NOTE
    meta["added_by"] = "coopbot add"
    return meta


def render(meta: dict, body: list[str]) -> str:
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n" + "\n".join(body) + "\n"


def remove_partial_files(knowledge_dir: Path) -> None:
    for partial in knowledge_dir.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"):
        partial.unlink(missing_ok=True)


def write_atomically(target: Path, content: str, article: bool = True) -> None:
    """Write beside, check it parses as a valid article (unless it is no article), fsync, then rename
    into place."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=PARTIAL_PREFIX, suffix=PARTIAL_SUFFIX)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if article:
            parsed, problems = parse_article(tmp)
            if parsed is None or problems:
                raise Rejected("could not produce a valid knowledge file: " + "; ".join(p.message for p in problems))
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
