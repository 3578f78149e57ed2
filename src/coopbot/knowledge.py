"""Load knowledge/ into articles, sentence lines, LangChain Documents and the glossary.

Each article file holds YAML front matter and a body of one sentence per line,
paragraphs separated by blank lines.  A translation (``translation_of``) is
aligned line for line with its original, so sentence *n* of both files forms one
"unit": the same statement in two languages.

Translations are the project's curated working translations, or machine translations
written by `coopbot add --translate` (``translator: machine:<model>``), whose lines that
failed their check are kept in the source language and listed in ``untranslated_lines``:
such a line is no translation, so it is neither aligned nor indexed.  New names met in
added documents wait in ``glossary.pending.yaml`` for a person to review them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import frontmatter
import yaml
from langchain_core.documents import Document

from .errors import CoopbotError
from .text import SUPPORTED_LANGS, fold, nfc

REQUIRED_FIELDS = ("id", "title", "outlet", "date", "lang", "source_file")
GLOSSARY_FILE = "glossary.yaml"
GLOSSARY_KINDS = {"country", "place", "institution", "event", "theme", "person", "concept"}
PENDING_GLOSSARY_FILE = "glossary.pending.yaml"
PENDING_KINDS = GLOSSARY_KINDS | {"unknown"}
MACHINE_TRANSLATOR = "machine:"  # translator: machine:<model name>
# what `coopbot add` writes for a document that names no outlet, or no publication date (dated the day it was added)
UNKNOWN_OUTLET = "inconnu / không rõ"
INGESTION_DATE_NOTE = "publication date unknown: date of ingestion"
TRANSLATION_KINDS = ("curated", "machine", "none")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Line:
    """One sentence line of an article body."""

    doc_id: str
    n: int  # 1-based index among the body's sentence lines
    paragraph: int  # 1-based paragraph number
    file_line: int  # line number in the file, for messages and links
    text: str

    @property
    def id(self) -> str:
        return f"{self.doc_id}:{self.n}"


@dataclass
class Article:
    id: str
    lang: str
    title: str
    outlet: str
    date: str
    source_file: str
    path: Path
    meta: dict
    lines: list[Line] = field(default_factory=list)

    @property
    def translation_of(self) -> str | None:
        return self.meta.get("translation_of") or None

    @property
    def translator(self) -> str:
        return str(self.meta.get("translator") or "")

    @property
    def translation_kind(self) -> str:
        """curated | machine for a translation (by who wrote it), none for an original."""
        if not self.translation_of:
            return "none"
        return "machine" if self.translator.startswith(MACHINE_TRANSLATOR) else "curated"

    @property
    def outlet_known(self) -> bool:
        return self.outlet != UNKNOWN_OUTLET

    @property
    def publication_date_known(self) -> bool:
        """False when `date` is only the day `coopbot add` added the document."""
        return self.meta.get("date_note") != INGESTION_DATE_NOTE

    @property
    def untranslated_lines(self) -> frozenset[int]:
        """Sentence lines (1-based) a machine translation kept in the source language."""
        value = self.meta.get("untranslated_lines") or []
        return frozenset(n for n in value if isinstance(n, int)) if isinstance(value, list) else frozenset()

    def translates_line(self, n: int) -> bool:
        """Whether line n of this translation is a translation (not a source line kept as it was)."""
        return bool(self.translation_of) and n not in self.untranslated_lines

    @property
    def origin_id(self) -> str:
        """The id of the article in its own language (itself unless a translation)."""
        return self.translation_of or self.id

    @property
    def paragraph_shape(self) -> list[int]:
        shape: dict[int, int] = {}
        for line in self.lines:
            shape[line.paragraph] = shape.get(line.paragraph, 0) + 1
        return [shape[p] for p in sorted(shape)]

    def public_meta(self) -> dict:
        keys = ("id", "title", "outlet", "date", "lang", "source_file", "translation_of", "translator", "url",
                "author", "date_note", "outlet_note", "title_note")
        return {k: self.meta[k] for k in keys if self.meta.get(k)}


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def parse_article(path: Path) -> tuple[Article | None, list[Problem]]:
    """Parse one knowledge file; return the article (if usable) and what is wrong with it."""
    problems: list[Problem] = []
    try:
        raw = nfc(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(path, 1, f"cannot read file: {exc}")]
    if not raw.startswith("---"):
        return None, [Problem(path, 1, "missing front matter (the file must start with ---)")]
    try:
        post = frontmatter.loads(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return None, [Problem(path, line, f"invalid front matter: {str(exc).splitlines()[0]}")]
    except ValueError as exc:  # PyYAML builds unquoted dates itself and rejects impossible ones
        return None, [Problem(path, _front_matter_line(raw, "date"), f"front matter: invalid date ({exc})")]
    meta = {k: (nfc(v) if isinstance(v, str) else v) for k, v in post.metadata.items()}
    if isinstance(meta.get("date"), dt.date):
        meta["date"] = meta["date"].isoformat()
    for key in REQUIRED_FIELDS:
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            problems.append(Problem(path, 1, f"front matter: missing or empty '{key}'"))
    if problems:
        return None, problems
    if meta["lang"] not in SUPPORTED_LANGS:
        problems.append(Problem(path, 1, f"front matter: lang must be one of {SUPPORTED_LANGS}, not {meta['lang']!r}"))
    if not valid_date(meta["date"]):
        problems.append(Problem(path, 1, f"front matter: invalid date {meta['date']!r} (expected YYYY-MM-DD)"))
    offset = _body_offset(raw)
    body_start = raw.count("\n", 0, offset) + 1
    lines = _body_lines(meta["id"], raw[offset:], body_start)
    if not lines:
        problems.append(Problem(path, body_start, "empty body"))
    problems.extend(_translation_field_problems(path, raw, meta, len(lines)))
    article = Article(
        id=meta["id"], lang=meta["lang"], title=meta["title"], outlet=meta["outlet"], date=meta["date"],
        source_file=meta["source_file"], path=path, meta=meta, lines=lines,
    )
    return article, problems


def _translation_field_problems(path: Path, raw: str, meta: dict, line_count: int) -> list[Problem]:
    """`translator` and `untranslated_lines` are well formed, and only on translations."""
    problems = []
    translator = meta.get("translator")
    if translator is not None:
        line = _front_matter_line(raw, "translator")
        if not isinstance(translator, str) or not translator.strip():
            problems.append(Problem(path, line, "front matter: 'translator' must be a non-empty string"))
        elif translator.startswith(MACHINE_TRANSLATOR) and not translator[len(MACHINE_TRANSLATOR):].strip():
            problems.append(Problem(path, line, "front matter: 'translator: machine:' needs the model's name"))
        if not meta.get("translation_of"):
            problems.append(Problem(path, line, "front matter: 'translator' is only for translations (translation_of)"))
    untranslated = meta.get("untranslated_lines")
    if untranslated is not None:
        line = _front_matter_line(raw, "untranslated_lines")
        if not meta.get("translation_of"):
            problems.append(Problem(path, line, "front matter: 'untranslated_lines' is only for translations"))
        if not isinstance(untranslated, list) or not all(
                isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= line_count for n in untranslated):
            problems.append(Problem(path, line, f"front matter: 'untranslated_lines' must list sentence line "
                                                f"numbers between 1 and {line_count}"))
    return problems


def _front_matter_line(raw: str, key: str) -> int:
    for number, line in enumerate(raw.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def _body_offset(raw: str) -> int:
    second = raw.find("\n---", 3)
    end = raw.find("\n", second + 1)
    return len(raw) if end < 0 else end + 1


def valid_date(value: str) -> bool:
    """A real calendar date written YYYY-MM-DD."""
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _body_lines(doc_id: str, content: str, first_file_line: int) -> list[Line]:
    lines: list[Line] = []
    paragraph, previous_blank = 0, True
    for i, text in enumerate(content.split("\n")):
        text = text.strip()
        if not text:
            previous_blank = True
            continue
        if previous_blank:
            paragraph += 1
            previous_blank = False
        lines.append(Line(doc_id, len(lines) + 1, paragraph, first_file_line + i, text))
    return lines


@dataclass
class GlossaryEntry:
    id: str
    kind: str
    vi: list[str]
    fr: list[str]
    variants: list[str]
    note: str

    @property
    def forms(self) -> list[str]:
        return [*self.vi, *self.fr, *self.variants]

    def written_in(self, lang: str) -> str:
        """Its canonical form in `lang` (the first listed), else any form it has."""
        own = self.vi if lang == "vi" else self.fr
        return (own or self.forms)[0]


class Glossary:
    """Bilingual terms; finds the entries a text mentions, whatever the spelling.

    Forms are folded and indexed by their first word, so finding the terms of a text
    tries, at each place a word may start, only the forms that begin with that word
    (a form that ended inside a longer word would not count anyway).
    """

    def __init__(self, entries: list[GlossaryEntry]) -> None:
        self.entries = entries
        self._by_form: dict[str, list[GlossaryEntry]] = {}
        for entry in entries:
            for form in entry.forms:
                folded = fold(nfc(form)).lower().strip()
                # also as a text with its punctuation dropped reads it (a parsed question's words):
                # "franco-vietnamien" is then found in "franco vietnamien"
                for written in dict.fromkeys([folded, re.sub(r"[^\w]+", " ", folded).strip()]):
                    if written and entry not in self._by_form.setdefault(written, []):
                        self._by_form[written].append(entry)
        self._by_head: dict[str, list[str]] = {}
        for form in self._by_form:
            self._by_head.setdefault(_head_word(form, 0), []).append(form)
        self._word_runs = {" ".join(words[i:j]) for words in (form.split() for form in self._by_form)
                           for i in range(len(words)) for j in range(i + 1, len(words) + 1)}

    def find(self, text: str) -> list[GlossaryEntry]:
        """Entries mentioned in `text`; overlapping forms all count (e.g. "Hà Nội" inside a longer name)."""
        return self._find(fold(nfc(text)).lower(), [])

    def _forms_at(self, folded: str, start: int) -> list[str]:
        """The longest form standing as a whole word at `start`, then the shorter ones there."""
        present = self._present_at(folded, start)
        longest = _longest_whole_word(folded, start, present)
        if longest is None:
            return []
        shorter = [form for form in present if len(form) < len(longest)
                   and (start + len(form) == len(folded) or not folded[start + len(form)].isalnum())]
        return [longest, *shorter]

    def _present_at(self, folded: str, start: int) -> list[str]:
        """Forms written at `start` (in glossary order) that may end a word; no word goes on before `start`."""
        return [form for form in self._by_head.get(_head_word(folded, start), ()) if folded.startswith(form, start)]

    def find_outermost(self, text: str) -> list[GlossaryEntry]:
        """Entries named on their own: the longest match at each place, not the names nested
        inside it (so "Hội nghị … Việt Nam – Pháp" names the conference, not the countries)."""
        found: dict[str, GlossaryEntry] = {}
        for _, _, form in self._outermost_spans(fold(nfc(text)).lower()):
            for entry in self._by_form[form]:
                found.setdefault(entry.id, entry)
        return list(found.values())

    def find_stated(self, text: str) -> list[GlossaryEntry]:
        """`find`, less a concept met only inside a longer concept's name: "maire" inside "maire adjoint"
        and "Chủ tịch Vùng" inside "Phó Chủ tịch Vùng" are another office, while "Hà Nội" inside
        "Chủ tịch UBND thành phố Hà Nội" is still the city."""
        folded = fold(nfc(text)).lower()
        return self._find(folded, [(start, end) for start, end, form in self._outermost_spans(folded)
                                   if any(entry.kind == "concept" for entry in self._by_form[form])])

    def _find(self, folded: str, concept_spans: list[tuple[int, int]]) -> list[GlossaryEntry]:
        """Entries whose forms stand in `folded`, less concepts found strictly inside one of `concept_spans`."""
        found: dict[str, GlossaryEntry] = {}
        for start in _word_starts(folded):
            for form in self._forms_at(folded, start):
                end = start + len(form)
                nested = any(s <= start and end <= e and e - s > len(form) for s, e in concept_spans)
                for entry in self._by_form[form]:
                    if not (nested and entry.kind == "concept"):
                        found.setdefault(entry.id, entry)
        return list(found.values())

    def within_a_form(self, name: str) -> bool:
        """Are the words of `name` (folded) whole words of some form: "Việt" of "Việt Nam", a short form of a
        known name rather than a name of its own?"""
        return " ".join(re.sub(r"[^\w]+", " ", name).split()) in self._word_runs

    def opens_an_office(self, name: str, text: str) -> bool:
        """Is the capitalised run `name` of `text` the start of an office this glossary knows, cut where its next
        word is written in lower case ("Phó Chủ" of "Phó Chủ tịch UBND"): no name of its own?"""
        at = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        after = re.match(r"\s+[^\W\d]+(?:\s+\w+)?", text[at.end():]) if at else None
        if not after or not after.group().strip()[:1].islower():
            return False
        offices = {e.id for e in self.find(name + after.group()) if e.kind == "concept"}
        return bool(offices - {e.id for e in self.find(name)})

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where glossary forms stand in `text` (folding keeps an NFC text's length): (start, end) of each."""
        return [(start, end) for start, end, _ in self._outermost_spans(fold(nfc(text)).lower())]

    def _outermost_spans(self, folded: str) -> list[tuple[int, int, str]]:
        """(start, end, form) of the longest match at each place, skipping what it covers."""
        spans, resume = [], 0
        for start in _word_starts(folded):
            if start < resume:
                continue
            longest = _longest_whole_word(folded, start, self._present_at(folded, start))
            if longest is not None:
                spans.append((start, start + len(longest), longest))
                resume = start + len(longest)
        return spans

    def expansions(self, text: str) -> dict[str, list[str]]:
        """Forms of the mentioned entries, by language, to add to a query."""
        return forms_by_language(self.find(text))


def forms_by_language(entries: list[GlossaryEntry]) -> dict[str, list[str]]:
    """The entries' forms, by language."""
    out: dict[str, list[str]] = {"vi": [], "fr": []}
    for entry in entries:
        out["vi"].extend(entry.vi)
        out["fr"].extend(entry.fr)
    return out


_ALNUM_RUN = re.compile(r"[^\W_]+")
_NOT_AFTER_WORD = re.compile(r"(?<!\w)")


def _word_starts(text: str) -> list[int]:
    """Places no word character comes right before: where a glossary form may begin."""
    return [match.start() for match in _NOT_AFTER_WORD.finditer(text) if match.start() < len(text)]


def _head_word(text: str, start: int) -> str:
    """The letters and digits from `start` to the first other character ("" if none)."""
    match = _ALNUM_RUN.match(text, start)
    return match.group(0) if match else ""


def _is_word_char(char: str) -> bool:
    """What a regular expression's \\w matches."""
    return char.isalnum() or char == "_"


def _longest_whole_word(folded: str, start: int, present: list[str]) -> str | None:
    """The longest of the forms present at `start` that no word character follows."""
    whole = [form for form in present
             if start + len(form) == len(folded) or not _is_word_char(folded[start + len(form)])]
    return max(whole, key=len) if whole else None


def parse_glossary(path: Path) -> tuple[Glossary, list[Problem]]:
    if not path.exists():
        return Glossary([]), [Problem(path, 1, "glossary file is missing")]
    try:
        data = yaml.safe_load(nfc(path.read_text(encoding="utf-8")))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Glossary([]), [Problem(path, mark.line + 1 if mark else 1, f"invalid YAML: {str(exc).splitlines()[0]}")]
    raw_entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(raw_entries, list):
        return Glossary([]), [Problem(path, 1, "glossary must be a mapping with a list under 'entries'")]
    lines = _entry_lines(path)
    entries, problems, seen = [], [], set()
    for i, raw in enumerate(raw_entries):
        line = lines[i] if i < len(lines) else 1
        entry, entry_problems = _parse_entry(raw, path, line)
        problems.extend(entry_problems)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(Problem(path, line, f"duplicate glossary id '{entry.id}'"))
        seen.add(entry.id)
        entries.append(entry)
    return Glossary(entries), problems


def _entry_lines(path: Path) -> list[int]:
    text = path.read_text(encoding="utf-8").splitlines()
    return [i + 1 for i, line in enumerate(text) if re.match(r"^\s*-\s+id\s*:", line)]


def _parse_entry(raw: object, path: Path, line: int) -> tuple[GlossaryEntry | None, list[Problem]]:
    if not isinstance(raw, dict):
        return None, [Problem(path, line, "glossary entry must be a mapping")]
    problems = []
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", entry_id):
        problems.append(Problem(path, line, f"glossary entry: invalid id {entry_id!r}"))
    if raw.get("kind") not in GLOSSARY_KINDS:
        problems.append(Problem(path, line, f"glossary entry {entry_id}: kind must be one of {sorted(GLOSSARY_KINDS)}"))
    for key in ("vi", "fr", "variants"):
        value = raw.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(Problem(path, line, f"glossary entry {entry_id}: '{key}' must be a non-empty list of strings"))
    if not isinstance(raw.get("note"), str) or not raw["note"].strip():
        problems.append(Problem(path, line, f"glossary entry {entry_id}: missing 'note'"))
    if problems:
        return None, problems
    entry = GlossaryEntry(
        id=entry_id, kind=raw["kind"], vi=[nfc(v) for v in raw["vi"]], fr=[nfc(v) for v in raw["fr"]],
        variants=[nfc(v) for v in raw["variants"]], note=nfc(raw["note"]),
    )
    return entry, []


@dataclass
class Knowledge:
    """The whole knowledge base: articles by id, their translations, and the glossary."""

    root: Path
    articles: dict[str, Article]
    glossary: Glossary
    content_hash: str

    @cached_property
    def _versions(self) -> dict[str, dict[str, Article]]:
        """Each original's id → the original and its translations by language (built once)."""
        versions: dict[str, dict[str, Article]] = {}
        for article in self.articles.values():
            versions.setdefault(article.origin_id, {})[article.lang] = article
        return versions

    def translations(self, origin_id: str) -> dict[str, Article]:
        """The original and its translations, by language."""
        return dict(self._versions.get(origin_id, {}))

    def line(self, sentence_id: str) -> Line:
        doc_id, n = sentence_id.rsplit(":", 1)
        return self.articles[doc_id].lines[int(n) - 1]

    def aligned(self, sentence_id: str, lang: str) -> Line | None:
        """The same sentence in `lang`, if the knowledge has it (a line a machine translation
        kept in the source language is not the sentence in `lang`)."""
        doc_id, n = sentence_id.rsplit(":", 1)
        article = self._versions[self.articles[doc_id].origin_id].get(lang)
        if article is None or int(n) > len(article.lines) or int(n) in article.untranslated_lines:
            return None
        return article.lines[int(n) - 1]

    def versions(self, sentence_id: str) -> dict[str, Line]:
        """The sentence in every language the knowledge has it in (`aligned`), by language."""
        return {lang: line for lang in SUPPORTED_LANGS if (line := self.aligned(sentence_id, lang)) is not None}

    def translation_kind(self, sentence_id: str) -> str:
        """curated | machine: who translated this passage; none when the knowledge has it in one language."""
        doc_id, n = sentence_id.rsplit(":", 1)
        for article in self._versions.get(self.articles[doc_id].origin_id, {}).values():
            if article.translation_of and int(n) <= len(article.lines) and article.translates_line(int(n)):
                return article.translation_kind
        return "none"

    def unit_id(self, sentence_id: str) -> str:
        doc_id, n = sentence_id.rsplit(":", 1)
        return f"{self.articles[doc_id].origin_id}:{n}"

    def originals(self) -> list[Article]:
        return [a for a in self.articles.values() if not a.translation_of]

    def sentence_count(self, lang: str | None = None) -> int:
        return sum(len(a.lines) for a in self.articles.values() if lang in (None, a.lang))

    def documents(self) -> list[Document]:
        """One LangChain Document per sentence line, with doc metadata and the aligned text."""
        docs = []
        for article in self.articles.values():
            for i, line in enumerate(article.lines):
                if line.n in article.untranslated_lines:
                    continue  # the source line kept as it was: the original's own line is indexed
                previous = article.lines[i - 1] if i and article.lines[i - 1].paragraph == line.paragraph else None
                meta = {
                    "id": line.id, "doc_id": article.id, "unit_id": self.unit_id(line.id),
                    "lang": article.lang, "line": line.n, "paragraph": line.paragraph,
                    "file_line": line.file_line, "title": article.title, "outlet": article.outlet,
                    "date": article.date, "source_file": article.source_file,
                    "url": article.meta.get("url", ""), "translation_of": article.translation_of or "",
                    "previous": previous.text if previous else "",
                }
                for lang in SUPPORTED_LANGS:
                    other = self.aligned(line.id, lang)
                    meta[f"text_{lang}"] = other.text if other else ""
                docs.append(Document(page_content=line.text, metadata=meta, id=line.id))
        return docs


def knowledge_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*.md") if p.name.lower() != "readme.md")


def hash_knowledge(root: Path) -> str:
    digest = hashlib.sha256()
    for path in [*knowledge_files(root), root / GLOSSARY_FILE]:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def read_knowledge(root: Path) -> tuple[Knowledge, list[Problem]]:
    """Parse everything and cross-check it; problems are returned, not raised."""
    articles: dict[str, Article] = {}
    problems: list[Problem] = []
    if not root.is_dir():
        return Knowledge(root, {}, Glossary([]), ""), [Problem(root, 0, "knowledge folder not found")]
    for path in knowledge_files(root):
        article, found = parse_article(path)
        problems.extend(found)
        if article is None:
            continue
        if article.id in articles:
            problems.append(Problem(path, 1, f"duplicate id '{article.id}' (also in {articles[article.id].path.name})"))
            continue
        articles[article.id] = article
    problems.extend(_check_translations(articles))
    glossary, glossary_problems = parse_glossary(root / GLOSSARY_FILE)
    problems.extend(glossary_problems)
    if (root / PENDING_GLOSSARY_FILE).exists():
        problems.extend(parse_pending_glossary(root / PENDING_GLOSSARY_FILE, set(articles))[1])
    return Knowledge(root, articles, glossary, hash_knowledge(root)), problems


def _check_translations(articles: dict[str, Article]) -> list[Problem]:
    problems = []
    for article in articles.values():
        original_id = article.translation_of
        if not original_id:
            continue
        original = articles.get(original_id)
        if original is None:
            problems.append(Problem(article.path, 1, f"translation_of: unknown id '{original_id}'"))
            continue
        if original.translation_of:
            problems.append(Problem(article.path, 1, f"translation_of: '{original_id}' is itself a translation"))
        if original.lang == article.lang:
            problems.append(Problem(article.path, 1, "a translation must be in another language than its original"))
        problems.extend(_alignment_problems(original, article))
        problems.extend(_kept_line_problems(original, article))
    return problems


def _kept_line_problems(original: Article, translation: Article) -> list[Problem]:
    """A line listed as untranslated is the original's line, word for word."""
    problems = []
    for n in sorted(translation.untranslated_lines):
        if n <= min(len(original.lines), len(translation.lines)) and \
                translation.lines[n - 1].text != original.lines[n - 1].text:
            problems.append(Problem(translation.path, translation.lines[n - 1].file_line,
                                    f"untranslated line {n} differs from line {n} of {original.path.name}"))
    return problems


def _alignment_problems(original: Article, translation: Article) -> list[Problem]:
    for a, b in zip(original.lines, translation.lines, strict=False):
        if a.paragraph != b.paragraph:
            return [Problem(translation.path, b.file_line,
                            f"not aligned with {original.path.name}:{a.file_line}: sentence {b.n} is in paragraph "
                            f"{b.paragraph} here but {a.paragraph} in the original")]
    if len(original.lines) != len(translation.lines):
        last = translation.lines[-1].file_line if translation.lines else 1
        return [Problem(translation.path, last,
                        f"not aligned with {original.path.name}: {len(translation.lines)} sentence lines here, "
                        f"{len(original.lines)} in the original")]
    return []


def load_knowledge(root: Path) -> Knowledge:
    """Load a valid knowledge base, or raise CoopbotError pointing to `coopbot check`."""
    knowledge, problems = read_knowledge(root)
    if problems or not knowledge.articles:
        raise CoopbotError("knowledge_invalid")
    return knowledge


@dataclass(frozen=True)
class PendingName:
    """A name met in added documents that the glossary does not know yet, waiting for review."""

    name: str
    kind: str  # a guess: one of GLOSSARY_KINDS, or unknown
    seen_in: tuple[str, ...]  # the ids of the documents it was met in
    lang: str

    def to_yaml(self) -> dict:
        return {"name": self.name, "kind": self.kind, "lang": self.lang, "seen_in": list(self.seen_in)}


def parse_pending_glossary(path: Path, article_ids: set[str] | None = None) -> tuple[list[PendingName], list[Problem]]:
    """The names waiting in glossary.pending.yaml, and what is wrong with the file (a missing file is empty)."""
    if not path.exists():
        return [], []
    try:
        data = yaml.safe_load(nfc(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(path, 1, f"cannot read file: {exc}")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [Problem(path, mark.line + 1 if mark else 1, f"invalid YAML: {str(exc).splitlines()[0]}")]
    raw_entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(raw_entries, list):
        return [], [Problem(path, 1, "pending glossary must be a mapping with a list under 'entries'")]
    lines = [i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").splitlines())
             if re.match(r"^\s*-\s+name\s*:", line)]
    names, problems, seen = [], [], set()
    for i, raw in enumerate(raw_entries):
        line = lines[i] if i < len(lines) else 1
        entry, entry_problems = _parse_pending(raw, path, line, article_ids)
        problems.extend(entry_problems)
        if entry is None:
            continue
        if fold(entry.name).lower() in seen:
            problems.append(Problem(path, line, f"pending name listed twice: {entry.name!r}"))
        seen.add(fold(entry.name).lower())
        names.append(entry)
    return names, problems


def _parse_pending(raw: object, path: Path, line: int,
                   article_ids: set[str] | None) -> tuple[PendingName | None, list[Problem]]:
    if not isinstance(raw, dict):
        return None, [Problem(path, line, "pending entry must be a mapping")]
    name, kind, seen_in, lang = raw.get("name"), raw.get("kind"), raw.get("seen_in"), raw.get("lang")
    problems = []
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(path, line, "pending entry: missing 'name'"))
    if kind not in PENDING_KINDS:
        problems.append(Problem(path, line, f"pending entry {name!r}: kind must be one of {sorted(PENDING_KINDS)}"))
    if lang not in SUPPORTED_LANGS:
        problems.append(Problem(path, line, f"pending entry {name!r}: lang must be one of {SUPPORTED_LANGS}"))
    if not isinstance(seen_in, list) or not seen_in or not all(isinstance(d, str) and d for d in seen_in):
        problems.append(Problem(path, line, f"pending entry {name!r}: 'seen_in' must list the document ids"))
    elif article_ids is not None:
        unknown = [d for d in seen_in if d not in article_ids]
        if unknown:
            problems.append(Problem(path, line, f"pending entry {name!r}: seen_in names unknown document {unknown[0]!r}"))
    if problems:
        return None, problems
    return PendingName(nfc(name.strip()), kind, tuple(seen_in), lang), []
