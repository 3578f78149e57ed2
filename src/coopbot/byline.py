"""A document's byline: the outlet and publication date a text or Markdown file states in its opening lines.

A press release or article saved as text keeps its byline as a line of its own ("La Gazette du Val de Loire –
Rubrique International Publié le 12 mars 2024", "Báo Lâm Đồng - Chuyên mục Đối ngoại Ngày 15/11/2023"). Left
in the body, it is a sentence that answers every "when?" question with its publication date, while the article
is filed as undated and its "30 years ago" is counted back from the day it was added. Read as a byline, it dates
the article and names its outlet, and it leaves the body (the add report lists it).

A byline is a short line among the first few, not ended as a sentence is, holding one full date (day, month
and year, read by `dateparser` in either language), and either a publishing word before it ("publié", "đăng":
`byline_markers` in lang/*.yaml), an outlet parted from the rest by a dash or bar, or nothing but the date.
The outlet is the part before the first dash or bar, when it holds no date itself; else the part after the
date's last dash or bar ("Publié le 12 mars 2025 par Soizic Le Bihan – L'Écho du Morbihan").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import dateparser

from .config import Settings
from .language import byline_markers, written_dates

_NUMERIC_DATE = r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{4}-\d{2}-\d{2}"
_SEPARATOR = re.compile(r"\s+[–—|-]\s+")
_SENTENCE_END = re.compile(r"[.!?…»\"”]\s*$")
_DATE_SETTINGS = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"]}
_DATE_ONLY_EXTRA_WORDS = 2  # "Ngày 15/11/2023", "le 3 mai 2024": the date and a word or two around it


@dataclass(frozen=True)
class Byline:
    line: str
    date: str  # YYYY-MM-DD
    outlet: str = ""


def find_byline(body: list[str], skip_first: bool, lines: int = Settings.byline_lines,
                max_words: int = Settings.byline_max_words) -> Byline | None:
    """The byline among the body's first `lines` lines (after the title line when `skip_first`)."""
    opening = [line for line in body if line][int(skip_first):][:lines]
    return next((b for b in (read_byline(line, max_words) for line in opening) if b), None)


def read_byline(line: str, max_words: int) -> Byline | None:
    """The line read as a byline, or None when it is a sentence of the article."""
    if len(line.split()) > max_words or _SENTENCE_END.search(line):
        return None
    found = full_dates(line)
    if len(found) != 1:
        return None
    (written, when), = found
    before, after = line[:line.find(written)], line[line.find(written) + len(written):]
    parts = _SEPARATOR.split(before, maxsplit=1)
    outlet = parts[0].strip(" ,") if len(parts) > 1 else ""
    if not outlet:  # "Publié le 12 mars 2025 par … – L'Écho du Morbihan", "…, ngày 18/4/2025 – Sở Ngoại vụ …"
        ending = _SEPARATOR.split(after)
        outlet = ending[-1].strip(" ,") if len(ending) > 1 else ""
    date_only = len(line.split()) <= len(written.split()) + _DATE_ONLY_EXTRA_WORDS
    if not (outlet or date_only or byline_markers().search(before)):
        return None
    return Byline(line=line, date=when, outlet=outlet)


def full_dates(line: str) -> list[tuple[str, str]]:
    """The dates with a day, a month and a year the line writes (as the languages write them in words, or in
    figures), each with its ISO form: the resource files find them, `dateparser` reads them."""
    pattern = re.compile(rf"(?<!\w)(?:{_NUMERIC_DATE}|{written_dates()})(?!\w)", re.IGNORECASE)
    read = ((m.group(0), dateparser.parse(m.group(0), languages=["fr", "vi"], settings=_DATE_SETTINGS))
            for m in pattern.finditer(line))
    return [(written, when.date().isoformat()) for written, when in read if when]


def without_byline(body: list[str], byline: Byline) -> list[str]:
    """The body without the byline's line (and without a paragraph break it leaves doubled or leading)."""
    at = body.index(byline.line)
    rest = body[:at] + body[at + 1:]
    return [line for i, line in enumerate(rest) if line or (i > 0 and rest[i - 1] and i + 1 < len(rest))]
