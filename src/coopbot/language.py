"""What coopbot knows of each language it answers in, read once from `lang/<code>.yaml`.

The files hold every word list and phrase pattern (question cues, stopwords, ordinals, months, list
openers, "N years ago", titles, captions, what joins the two questions of one), written as a reader
writes them. How a text is compared with them depends on how it was typed: with marks, as written;
without any (as on many phones), folded (see `compared_words`). The code keeps no word lists of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources

import yaml

from .marks import fold, nfc, typed_plain, without_names

LANGS = ("vi", "fr")
KIND_ORDER = ("date", "number", "place", "person", "list")


@dataclass(frozen=True)
class TypedPattern:
    """A pattern written with marks, compiled twice: as written, for a text typed with marks, and
    folded, for a text typed without them."""

    written: re.Pattern[str]
    folded: re.Pattern[str]

    @classmethod
    def compile(cls, pattern: str, flags: int = 0) -> TypedPattern:
        return cls(re.compile(nfc(pattern), flags), re.compile(fold(nfc(pattern)), flags))

    def for_text(self, text: str) -> re.Pattern[str]:
        return self.folded if typed_plain(text) else self.written

    def search(self, text: str) -> re.Match[str] | None:
        return self.for_text(text).search(text)

    def finditer(self, text: str):
        return self.for_text(text).finditer(text)

    def findall(self, text: str) -> list:
        return self.for_text(text).findall(text)


@dataclass(frozen=True)
class Language:
    """One language's resource file, typed."""

    code: str
    cues: dict[str, tuple[str, ...]]  # kind → question-word phrases
    counted: TypedPattern
    listed: TypedPattern
    question_phrases: tuple[str, ...]
    stopwords: frozenset[str]  # as written
    folded_stopwords: frozenset[str]
    elisions: tuple[str, ...]
    common_words: frozenset[str]  # folded
    syllable: re.Pattern[str] | None  # a folded syllable of the language, when its words have one shape
    letters: frozenset[str]
    ordinal_patterns: tuple[str, ...]
    first_edition: tuple[str, ...]
    ordinal_words: dict[str, int]
    number_words: tuple[str, ...]  # cardinals written in words ("douze", "mười"), read only before a counted noun
    edition_nouns: tuple[str, ...]
    month_names: tuple[str, ...]
    date_words: tuple[str, ...]
    time_units: tuple[str, ...]  # "années", "tháng": a "how many" question counting them asks a duration
    people_nouns: tuple[str, ...]  # "personnes", "đại biểu": a count of any of them answers a count of people
    money_words: tuple[str, ...]  # "budget", "kinh phí": a "how much" question with one asks an amount of money
    amount_nouns: tuple[str, ...]  # "budget": a question of no other kind naming one asks a number
    currencies: tuple[str, ...]  # "euros", "đồng": what an amount of money is written in
    scales: tuple[str, ...]  # "millions", "triệu": written between a figure and its currency
    written_dates: tuple[str, ...]
    years_ago: tuple[str, ...]
    since_year: tuple[str, ...]  # "depuis 2013", "từ năm 2013": the year a time counted runs from
    list_openers: tuple[str, ...]
    list_joins: tuple[str, ...]
    person_titles: tuple[str, ...]
    name_particles: tuple[str, ...]  # "de", "la": lower-case words inside a name ("Pays de la Loire")
    caption_markers: tuple[str, ...]
    byline_markers: tuple[str, ...]  # "publié", "đăng": the word before a byline's date (byline.py)
    statement_openers: tuple[str, ...]  # "Đó là…", "Il s'agit…": the sentence before is what it speaks of
    referring_openers: tuple[str, ...]  # "Elle a…": the sentence before names its subject
    referring_clitics: tuple[str, ...]  # "… y apporte …", "… en finance …": a pronoun standing for the one before
    followup_openers: tuple[str, ...]
    followup_closers: tuple[str, ...]
    two_part_joins: tuple[str, ...]  # "và", "et" before the question word of a second question
    two_part_openers: tuple[str, ...]  # the question words that open it
    homographs: frozenset[str]  # one-word cues that, unmarked, are also another word (see `_homographs`)

    @property
    def all_cues(self) -> tuple[str, ...]:
        return tuple(cue for kind in KIND_ORDER for cue in self.cues[kind])

    def homograph(self, cue: str) -> bool:
        return cue in self.homographs


def _homographs(cues: dict[str, tuple[str, ...]], stopwords: frozenset[str]) -> frozenset[str]:
    """One-word cues that, typed without marks, are also another word of the language (one of its
    stopwords spelt otherwise: "où" and "ou")."""
    return frozenset(cue for kind in cues.values() for cue in kind
                     if " " not in cue and any(fold(w) == fold(cue) and w != cue for w in stopwords))


def _words(items) -> tuple[str, ...]:
    return tuple(nfc(str(item)) for item in items or ())


@cache
def language(code: str) -> Language:
    """The language's resource file, read once."""
    if code not in LANGS:
        raise KeyError(f"no resource file for language {code!r}")
    data = yaml.safe_load(resources.files(__package__).joinpath("lang", f"{code}.yaml").read_text(encoding="utf-8"))
    stopwords = frozenset(_words(data["stopwords"]))
    cues = {kind: _words(data["cues"][kind]) for kind in KIND_ORDER}
    phrases = {f.name: _words(data.get(f.name)) for f in fields(Language) if f.type == "tuple[str, ...]"}
    return Language(
        code=code,
        cues=cues,
        counted=TypedPattern.compile(rf"\b{data['counted']}"),
        listed=TypedPattern.compile(rf"\b{data['listed']}\b"),
        stopwords=stopwords,
        folded_stopwords=frozenset(fold(w) for w in stopwords),
        common_words=frozenset(fold(w) for w in _words(data["common_words"])),
        syllable=re.compile(f"^{data['syllable']}$") if data.get("syllable") else None,
        letters=frozenset(nfc(data.get("letters", ""))),
        ordinal_words={nfc(k): int(v) for k, v in (data.get("ordinal_words") or {}).items()},
        homographs=_homographs(cues, stopwords),
        **phrases,
    )


@cache
def english_words() -> frozenset[str]:
    """Common English words (lang/en.yaml): English is told apart only to be refused."""
    data = yaml.safe_load(resources.files(__package__).joinpath("lang", "en.yaml").read_text(encoding="utf-8"))
    return frozenset(_words(data["common_words"]))


def languages() -> tuple[Language, ...]:
    return tuple(language(code) for code in LANGS)


def _either(items) -> str:
    """A regex alternation of literal phrases, longest first (so "bao gồm" wins over "gồm")."""
    return "|".join(re.escape(item) for item in sorted(set(items), key=len, reverse=True))


def _union(patterns) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


# ------------------------------------------------------------------- what a question's words are


def typed_with_marks(text: str) -> bool:
    """Was the text (proper names aside: "Hà Nội" in a question typed without marks) typed with marks?"""
    return not typed_plain(without_names(nfc(text)))


def compared_words(text: str) -> str:
    """The text's lower-case words, single-spaced with a space at each end, in the form the resource
    files are compared with: as written when it was typed with marks, folded when it was not."""
    text = nfc(text)
    if not typed_with_marks(text):
        text = fold(text)
    return " " + re.sub(r"[^\w]+", " ", text.lower()).strip() + " "


def cue_form(cue: str, padded: str) -> str:
    """The cue as it is looked for in `padded` (a `compared_words` string)."""
    return fold(cue) if typed_plain(padded) else cue


def has_cue(padded: str, cue: str, lang: Language) -> bool:
    """Does the question (`compared_words` form) use the cue? A cue that, unmarked, is also another word
    ("où" and "ou", or) is read from an unmarked spelling only as the first or last word, where that other
    word cannot stand: "ou se tiennent les Assises", not "le maire ou son adjoint"."""
    if not lang.homograph(cue):
        return f" {cue_form(cue, padded)} " in padded
    if not typed_plain(padded) and f" {cue} " in padded:
        return True
    unmarked, plain = f" {fold(cue)} ", fold(padded)
    return plain.startswith(unmarked) or plain.endswith(unmarked)


# ------------------------------------------------------------------- patterns over both languages


@cache
def ordinal_patterns() -> tuple[TypedPattern, ...]:
    """Ordinals with their number in group 1: "lần thứ 12", "12e"."""
    return tuple(TypedPattern.compile(rf"\b{p}\b") for lang in languages() for p in lang.ordinal_patterns)


@cache
def ordinal_word_patterns() -> tuple[tuple[TypedPattern, int], ...]:
    """Ordinal words before an edition noun ("douzièmes Assises"), with their value."""
    found = []
    for lang in languages():
        if not lang.ordinal_words:
            continue
        nouns = rf"(?:\w+\s+)?(?:{_either(lang.edition_nouns)})s?\b"
        found += [(TypedPattern.compile(rf"\b{re.escape(word)}s?\s+{nouns}"), value)
                  for word, value in lang.ordinal_words.items()]
    return tuple(found)


@cache
def number_words() -> TypedPattern:
    """A number written in words, one word or a run of them ("douze", "mười hai"), then the word after it
    and the one after (group 1, with "de" / "d'" between: "une dizaine de délégués"): the noun it counts."""
    words = _either(w for lang in languages() for w in lang.number_words)
    return TypedPattern.compile(rf"\b(?:{words})(?:\s+(?:{words}))*\s+(?:de\s+|d['’]\s*)?(\w+(?:\s+\w+)?)",
                                re.IGNORECASE)


@cache
def first_edition() -> TypedPattern:
    return TypedPattern.compile(rf"\b(?:{_either(p for lang in languages() for p in lang.first_edition)})\b")


@cache
def date_markers() -> TypedPattern:
    """Month names and month words ("avril", "tháng"), whole words."""
    words = [w for lang in languages() for w in (*lang.month_names, *lang.date_words)]
    return TypedPattern.compile(rf"\b(?:{_either(words)})\b", re.IGNORECASE)


@cache
def written_dates() -> str:
    """Dates as the languages write them in words (a regex source, for a pattern applied as written)."""
    months = "|".join(w for lang in languages() for w in lang.month_names)
    return _union(p.replace("{months}", months) for lang in languages() for p in lang.written_dates)


@cache
def byline_markers() -> re.Pattern[str]:
    """A publishing word of either language ("Publié le", "Đăng ngày"), a whole word, any case."""
    words = [w for lang in languages() for w in lang.byline_markers]
    return re.compile(rf"(?<!\w)(?:{_either(words)})(?!\w)", re.IGNORECASE)


@cache
def years_ago() -> TypedPattern:
    """ "30 năm qua", "il y a 30 ans": the number of years in the one group that matched."""
    return TypedPattern.compile(rf"\b(?:{_union(p for lang in languages() for p in lang.years_ago)})\b")


@cache
def since_year() -> TypedPattern:
    """ "depuis 2013", "từ năm 2013": the year in the one group that matched, in a lower-case text."""
    return TypedPattern.compile(rf"\b(?:{_union(p for lang in languages() for p in lang.since_year)})")


@cache
def money_unit() -> re.Pattern[str]:
    """What follows a figure that is an amount of money, in a folded text of either language: perhaps a scale
    word, then a currency ("euros", "trieu euro", "ty dong", "million d euros")."""
    currencies = _either(fold(w).lower() for lang in languages() for w in lang.currencies)
    scales = _either(fold(w).lower() for lang in languages() for w in lang.scales)
    return re.compile(rf"\s*(?:(?:{scales})\s+)?(?:(?:de|d)['’\s]\s*)?(?:{currencies})(?!\w)")


@cache
def money_amount() -> re.Pattern[str]:
    """An amount of money in a folded text: a figure and its `money_unit` ("1 250 000 euros"), or "€ 300"."""
    return re.compile(rf"\d(?:[\d.,]*\d)?(?:{money_unit().pattern})|[€$]\s*\d")


@cache
def list_opening() -> str:
    """What opens an enumeration within a few words after the noun it enumerates (folded regex source)."""
    openers = _either(fold(w) for lang in languages() for w in lang.list_openers)
    return rf"(?:\W+\w+){{0,4}}?\s*(?::|\b(?:{openers})\b)"


@cache
def list_joins() -> TypedPattern:
    return TypedPattern.compile(rf"[,;:]|\s(?:{_either(w for lang in languages() for w in lang.list_joins)})\s")


@cache
def named_person() -> re.Pattern[str]:
    """A title before a capitalised name: "ông Nguyễn", "Mme Dupont"."""
    titles = [t for lang in languages() for t in lang.person_titles]
    either = "|".join(f"[{t[0].upper()}{t[0]}]{re.escape(t[1:])}" if t[0].islower() else re.escape(t)
                      for t in sorted(titles, key=len, reverse=True))
    return re.compile(rf"\b(?:{either})\s+[A-ZĐÀ-Ỹ]")


@cache
def name_particles() -> frozenset[str]:
    """Lower-case words of either language inside a name, between two of its capitalised words."""
    return frozenset(w for lang in languages() for w in lang.name_particles)


@cache
def caption() -> re.Pattern[str]:
    """What opens a photo caption: "(Ảnh: …)", "(Photo : …)"."""
    return re.compile(rf"\((?:{_either(m for lang in languages() for m in lang.caption_markers)})\s*:", re.IGNORECASE)


REFERRING_WORDS = 16  # how far into a sentence a pronoun before the verb still stands for the sentence before


def refers_back(sentence: str) -> bool:
    """The sentence opens by referring to the one before it ("Đây là…", "C'est ce que…", "Il a…"), or its first
    words stand a pronoun for what that one names ("La Région en finance 780 000 euros")."""
    text = nfc(sentence).replace("’", "'")
    return _opening(statement=False).search(text) is not None or _stands_for_the_one_before(text)


def _stands_for_the_one_before(text: str) -> bool:
    return _clitic().search(" ".join(text.lower().split()[:REFERRING_WORDS])) is not None


@cache
def _clitic() -> re.Pattern[str]:
    patterns = [p for lang in languages() for p in lang.referring_clitics]
    return re.compile(_union(patterns) if patterns else r"(?!)")


def speaks_of_the_one_before(sentence: str) -> bool:
    """The sentence opens by pointing at what the one before says ("Đó là các dự án…", "C'est ce qu'a
    souligné…", "Il s'agit de…"), not only at its subject ("Elle a…"), or stands a pronoun for what it states
    ("La Région en finance 780 000 euros" after the whole budget)."""
    text = nfc(sentence).replace("’", "'")
    return _opening(statement=True).search(text) is not None or _stands_for_the_one_before(text)


@cache
def _opening(statement: bool) -> re.Pattern[str]:
    chosen = [o for lang in languages() for o in lang.statement_openers]
    if not statement:
        chosen += [o for lang in languages() for o in lang.referring_openers]
    return re.compile(rf"^\W*(?:{_either(chosen)})(?![\w-])", re.IGNORECASE)


@cache
def month_numbers() -> dict[str, int]:
    """Folded month name → its number in the calendar."""
    return {fold(name): n for lang in languages() for n, name in enumerate(lang.month_names, start=1)}


@cache
def followup_frames() -> re.Pattern[str]:
    """How a follow-up opens or ends, over folded words."""
    openers = _either(fold(w) for lang in languages() for w in lang.followup_openers)
    closers = _either(fold(w) for lang in languages() for w in lang.followup_closers)
    return re.compile(rf"^(?:{openers})\b|\b(?:{closers})\s*\??$")
