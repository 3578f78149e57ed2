"""What a question asks for: its language, its kind (number, date, place, person,
list), the ordinals and numbers it names, and its glossary terms.

Cues are matched on accent-folded text, so "bao nhieu" and "combien" typed
without diacritics or accents work like their accented forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .config import Settings
from .knowledge import Glossary, GlossaryEntry
from .text import content_pairs, content_words, fold, nfc, normalize_numbers

KIND_CUES: dict[str, dict[str, list[str]]] = {
    "number": {
        "vi": ["bao nhieu", "may", "so luong", "so"],
        "fr": ["combien", "nombre", "quel nombre"],
    },
    "date": {
        "vi": ["khi nao", "nam nao", "ngay nao", "thang nao", "bao gio", "luc nao", "thoi gian nao", "ngay may",
               "tu nam", "tu khi", "thoi diem", "tu ngay", "bat dau"],
        "fr": ["quand", "quelle annee", "quelle date", "quelles dates", "quel jour", "quels jours", "depuis quand",
               "en quelle annee", "a quelle date", "quelle periode", "dates", "date", "annee"],
    },
    "place": {
        "vi": ["o dau", "tai dau", "noi nao", "thanh pho nao", "dia phuong nao", "o thanh pho nao", "dia diem"],
        "fr": ["ou", "quelle ville", "quel lieu", "dans quelle ville", "quelle region", "quel endroit"],
    },
    "person": {
        "vi": ["ai", "nguoi nao", "ong nao", "ba nao", "vi nao", "la ai", "ten"],
        "fr": ["qui", "quel est le nom", "quelle personne", "nom du", "nom de"],
    },
    "list": {
        "vi": ["nhung", "gom", "nhung gi", "linh vuc nao", "chu de nao", "hoat dong nao", "muc tieu nao",
               "nhung linh vuc", "cac linh vuc", "cac chu de", "cac hoat dong", "nhung hoat dong"],
        "fr": ["quels sont", "quelles sont", "quels domaines", "quels themes", "quelles activites", "lesquels",
               "lesquelles", "quels objectifs", "quelles thematiques", "quels secteurs", "quels projets"],
    },
}
KIND_ORDER = ("date", "number", "place", "person", "list")

_FR_ORDINAL_WORDS = {
    "premier": 1, "premiere": 1, "deuxieme": 2, "second": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4,
    "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10, "onzieme": 11,
    "douzieme": 12, "treizieme": 13, "quatorzieme": 14, "quinzieme": 15,
}
_ORDINAL_PATTERNS = [
    re.compile(r"\blan thu (\d{1,2})\b"),
    re.compile(r"\bthu (\d{1,2})\b"),
    re.compile(r"\b(\d{1,2}) ?(?:e|eme|emes|es|ere|er|ᵉ)\b"),
]
_FIRST_VI = re.compile(r"\blan dau tien\b")
_EDITION_NOUNS = r"(?:\w+\s+)?(?:assises|conferences?|editions?|rencontres?|sessions?)\b"
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def ordinals(text: str) -> frozenset[int]:
    """Ordinals named in a knowledge text (see `find_ordinals`), remembered: the answerer asks this of
    the same candidate sentences many times per question (a question's own text goes to `find_ordinals`)."""
    return _ordinals(text)


def size_ordinals_cache(size: int) -> None:
    """Bound what `ordinals` remembers (least recently used texts go first)."""
    global _ordinals
    if _ordinals.cache_parameters()["maxsize"] != size:
        _ordinals = lru_cache(maxsize=size)(find_ordinals)


def ordinals_cache_fill() -> int:
    return _ordinals.cache_info().currsize


def find_ordinals(text: str) -> frozenset[int]:
    """Ordinals named in a text: "lần thứ 12", "12e", "douzièmes Assises", "lần đầu tiên" (1). An ordinal
    word counts only before an event noun: "premier partenariat" names no edition."""
    folded = fold(nfc(text)).lower()
    found = {int(m.group(1)) for pattern in _ORDINAL_PATTERNS for m in pattern.finditer(folded)}
    found |= {value for word, value in _FR_ORDINAL_WORDS.items() if re.search(rf"\b{word}s?\s+{_EDITION_NOUNS}", folded)}
    if _FIRST_VI.search(folded):
        found.add(1)
    return frozenset(found)


_ordinals = lru_cache(maxsize=Settings.ordinals_cache_size)(find_ordinals)


def numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(normalize_numbers(nfc(text))))


_COUNTED = {
    "vi": re.compile(r"\b(?:bao nhieu|may)\s+(\w+(?:\s+\w+)?)"),
    "fr": re.compile(r"\bcombien\s+(?:de\s+|d\s*['’]\s*)?(\w+)"),
}


def counted_noun(text: str, lang: str) -> str:
    """The thing counted in "bao nhiêu đại biểu" / "combien de délégués" (folded), or ""."""
    match = _COUNTED[lang].search(fold(nfc(text)).lower())
    return match.group(1) if match else ""


def padded_words(text: str) -> str:
    """The folded words of a text, single-spaced and with a space at each end, so that a cue
    phrase matches as `f" {cue} " in padded`."""
    return " " + re.sub(r"[^\w]+", " ", fold(nfc(text)).lower()).strip() + " "


_LISTED = {
    "vi": re.compile(r"\b(?:nhung|cac)\s+(\w+\s+\w+)(?:\s+\w+){0,2}?\s+(?:nao|gi)\b"),
    "fr": re.compile(r"\bquel(?:le)?s\s+(?:sont\s+(?:les|des)\s+(?:\d+\s+)?)?([a-z]\w+)"),
}


def listed_noun(text: str, lang: str) -> str:
    """The things asked for in "những lĩnh vực nào" / "quels domaines" (folded), or ""."""
    match = _LISTED[lang].search(padded_words(text))
    return match.group(1) if match else ""


def matched_cues(text: str, lang: str) -> set[str]:
    """The question-word phrases (of any kind) the question uses: their words ask, they don't inform."""
    folded = padded_words(text)
    return {cue for cues in KIND_CUES.values() for cue in cues[lang] if f" {cue} " in folded}


def question_kind(text: str, lang: str) -> str:
    folded = padded_words(text)
    for kind in KIND_ORDER:
        if any(f" {cue} " in folded for cue in KIND_CUES[kind][lang]):
            return kind
    return "list" if listed_noun(text, lang) else "general"


@dataclass
class Question:
    text: str
    lang: str
    kind: str
    ordinals: frozenset[int]
    numbers: set[str]
    terms: list[GlossaryEntry]
    words: list[str] = field(default_factory=list)  # content words not covered by a glossary term
    counted: str = ""  # for "how many X" questions, X
    listed: str = ""  # for "which Xs" questions, X
    # neighbouring content words (text.content_pairs) of the question without its cue phrases; read
    # folded, so a syllable that may be a stopword is one (measured: better than reading tone marks here)
    pairs: frozenset[str] = frozenset()
    names: list[str] = field(default_factory=list)  # proper names as typed (proper_names)

    @property
    def concepts(self) -> int:
        return len(self.terms) + len(self.words)


_WORD_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")


def proper_names(text: str) -> list[str]:
    """Runs of capitalised words: "Đà Nẵng", "La Rochelle", "Hô Chi Minh-Ville". A single capitalised
    word opening the question is left out (it may only start the sentence); two or more make a name."""
    text = nfc(text)
    runs: list[tuple[int, list[str]]] = []
    last_end = None
    for match in _WORD_TOKEN.finditer(text):
        word = match.group()
        if not word[0].isupper():
            last_end = None
            continue
        if last_end is not None and not text[last_end:match.start()].strip():
            runs[-1][1].append(word)
        else:
            runs.append((match.start(), [word]))
        last_end = match.end()
    first = _WORD_TOKEN.search(text)
    opening = first.start() if first else -1
    return [" ".join(words) for start, words in runs if not (start == opening and len(words) == 1)]


def without_cues(text: str, lang: str) -> str:
    """The question minus its question-word phrases, so that "bắt đầu từ" typed without
    diacritics ("bat dau tu") is not read as the glossary term "đầu tư" (investment)."""
    folded = padded_words(text)
    for cue in sorted({c for cues in KIND_CUES.values() for c in cues[lang] if " " in c}, key=len, reverse=True):
        folded = folded.replace(f" {cue} ", " ")
    return folded.strip()


def forms_in(entry: GlossaryEntry, padded: str) -> str:
    """The words of the entry's forms that the question (`padded_words` form) contains: those words
    name the entry. Words of its other forms may still inform (French "de" is not Vietnamese "đề")."""
    return " ".join(form for form in map(padded_words, entry.forms) if form in padded)


def analyse_question(text: str, lang: str, glossary: Glossary) -> Question:
    asked = f" {without_cues(text, lang)} "
    terms = glossary.find(asked)
    covered = {word for entry in terms for word in forms_in(entry, asked).split()}
    listed = listed_noun(text, lang)
    cue_words = {w for cue in matched_cues(text, lang) for w in cue.split()} - set(listed.split())
    words = [
        w for w in dict.fromkeys(content_words(text, lang))
        if w not in covered and w not in cue_words and not w.isdigit() and len(w) > 1
    ]
    asked_ordinals = find_ordinals(text)  # not remembered: every question is a new text
    return Question(
        text=text, lang=lang, kind=question_kind(text, lang), ordinals=asked_ordinals,
        numbers=numbers(text) - {str(o) for o in asked_ordinals}, terms=terms, words=words,
        counted=counted_noun(text, lang), listed=listed, pairs=content_pairs(asked, lang),
        names=proper_names(text),
    )
