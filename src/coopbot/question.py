"""What a question asks for: its language, its kind (number, date, place, person,
list), the ordinals and numbers it names, its glossary terms, and, when it asks for two things, its
two parts.

The cue phrases and patterns are the languages' resource files (language.py), compared with the
question as it was typed: with marks, as written ("Sở" is not "số"); without, folded ("bao nhieu"
meets "bao nhiêu").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import takewhile

from . import language as languages
from .editions import find_ordinals
from .knowledge import Glossary, GlossaryEntry
from .language import KIND_ORDER, Language, compared_words, cue_form, has_cue, language
from .lexicon import Lexicon
from .marks import typed_plain
from .names import proper_names
from .text import analyse_query, content_words, fold, is_vi_syllable, name_tokens, nfc, normalize_numbers
from .text import words as word_list

_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(normalize_numbers(nfc(text))))


def counted_noun(text: str, lang: str) -> str:
    """The thing counted in "bao nhiêu đại biểu" / "combien de délégués" (folded), or "": its words up to a
    stopword or a punctuation mark ("… kinh phí bao nhiêu và vùng X chi bao nhiêu?", "… là bao nhiêu, riêng tỉnh X
    góp bao nhiêu?" count nothing)."""
    data = language(lang)
    plain = typed_plain(compared_words(text))
    stopwords = data.folded_stopwords if plain else data.stopwords
    for clause in re.split(r"[,;:.!?](?=\s|$)", nfc(text)):
        compared = fold(compared_words(clause)) if plain else compared_words(clause)
        if match := data.counted.search(compared):
            return fold(" ".join(takewhile(lambda word: word not in stopwords, match.group(1).split())))
    return ""


def padded_words(text: str, kept: str = "") -> str:
    """The folded words of a text, single-spaced and with a space at each end, so that a glossary form
    matches as `f" {form} " in padded`; characters in `kept` stay part of a word ("+" in "Vietnam+")."""
    return " " + re.sub(rf"[^\w{re.escape(kept)}]+", " ", fold(nfc(text)).lower()).strip() + " "


def listed_noun(text: str, lang: str) -> str:
    """The things asked for in "những lĩnh vực nào" / "quels domaines" (folded), or ""."""
    match = language(lang).listed.search(compared_words(text))
    return fold(match.group(1)) if match else ""


def matched_cues(text: str, lang: str) -> set[str]:
    """The question-word phrases (of any kind, as written in the resource file) the question uses:
    their words ask, they don't inform."""
    padded = compared_words(text)
    return {cue for cue in language(lang).all_cues if has_cue(padded, cue, language(lang))}


def question_kind(text: str, lang: str) -> str:
    """The first kind (`KIND_ORDER`) one of whose cues the question uses; a question that counts something
    other than time ("combien de visiteurs … chaque année") asks a number whatever date word it holds, and one
    of no kind that names an amount of money ("Quel est le budget … ?") asks a number too."""
    padded = compared_words(text)
    data = language(lang)
    if counts_other_than_time(text, data):
        return "number"
    for kind in KIND_ORDER:
        if any(has_cue(padded, cue, data) for cue in data.cues[kind]):
            return kind
    if listed_noun(text, lang):
        return "list"
    return "number" if any(has_cue(padded, noun, data) for noun in data.amount_nouns) else "general"


def counts_other_than_time(text: str, data: Language) -> bool:
    """Does the question count a noun ("bao nhiêu đại biểu") that is not a unit of time ("combien d'années")?"""
    counted = counted_noun(text, data.code)
    units = {fold(unit).lower() for unit in data.time_units}
    return bool(counted) and not any(" ".join(counted.split()[:len(unit.split())]) == unit for unit in units)


def asks_money(text: str, kind: str, data: Language) -> bool:
    """Does a "how much" question ask an amount of money: a money word ("kinh phí", "budget") and no other
    counted noun ("bao nhiêu tiền" counts money, "tài trợ bao nhiêu học bổng" counts scholarships)?"""
    padded = compared_words(text)
    if kind != "number" or not any(has_cue(padded, word, data) for word in data.money_words):
        return False
    counted = counted_noun(text, data.code)
    return not counted or any(counted.startswith(fold(w).lower()) for w in data.money_words)


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
    money: bool = False  # a "how much" question that asks an amount of money (asks_money)
    counted_as: dict[str, str] = field(default_factory=dict)  # X in the other language, as the lexicon links it
    listed: str = ""  # for "which Xs" questions, X
    listed_as: dict[str, str] = field(default_factory=dict)  # X in the other language, as the lexicon links it
    names: list[str] = field(default_factory=list)  # proper names as typed (proper_names)
    tokens: frozenset[str] = frozenset()  # its words as retrieval analyses them (text.analyse_query)
    # the same tokens in the order typed, a repeated word as often as typed: the BM25 query weighs each
    # token by its count (retrieve.expand_query)
    query_tokens: tuple[str, ...] = ()
    parts: list[Question] = field(default_factory=list)  # the two questions of one that asks for two things
    inherited: frozenset[str] = frozenset()  # ids of the terms a part took from the whole question (its context)

    @cached_property
    def counts_time(self) -> bool:
        """Does it count a unit of time ("depuis combien d'années…", "bao nhiêu năm"): a duration, which a
        sentence may state as the year it runs from ("depuis 2013")?"""
        return self.kind == "number" and bool(self.counted) and not counts_other_than_time(self.text, language(self.lang))

    def counted_in(self, lang: str) -> str:
        """The counted noun (folded) in `lang`: as asked, or its learned translation ("" when unlinked)."""
        return self.counted if lang == self.lang else self.counted_as.get(lang, "")

    def listed_in(self, lang: str) -> str:
        """The listed noun (folded) in `lang`: as asked, or its learned translation ("" when unlinked)."""
        return self.listed if lang == self.lang else self.listed_as.get(lang, "")

    @property
    def concepts(self) -> int:
        return len(self.terms) + len(self.words)

    @cached_property
    def marked_syllables(self) -> dict[str, frozenset[str]]:
        """A Vietnamese question's syllables typed with marks, by their folded form ("pho" → {"phở"}): coverage
        matches them as written. Empty for French; words typed without marks, and names that are not
        Vietnamese syllables ("Île", "Rhône": a Vietnamese text may write them without accents), are
        matched folded."""
        if self.lang != "vi":
            return {}
        forms: dict[str, set[str]] = {}
        for word in word_list(self.text):
            if not typed_plain(word) and is_vi_syllable(fold(word)):
                forms.setdefault(fold(word), set()).add(word)
        return {folded: frozenset(written) for folded, written in forms.items()}

    @cached_property
    def name_words(self) -> frozenset[str]:
        """The folded words of its typed names (computed once: coverage asks it of every candidate)."""
        return frozenset(w for name in self.names for w in word_list(fold(nfc(name)).lower()))


def without_cues(text: str, lang: str) -> str:
    """The question minus its question-word phrases, folded, so that "bắt đầu từ" typed without
    diacritics ("bat dau tu") is not read as the glossary term "đầu tư" (investment)."""
    padded = compared_words(text)
    data = language(lang)
    for cue in sorted((c for c in data.all_cues if " " in c and has_cue(padded, c, data)), key=len, reverse=True):
        form = languages.cue_form(cue, padded)
        padded = padded.replace(f" {form} ", " ")
    return fold(padded).strip()


def forms_in(entry: GlossaryEntry, padded: str) -> str:
    """The words of the entry's forms that the question (`padded_words` form) contains: those words
    name the entry. Words of its other forms may still inform (French "de" is not Vietnamese "đề")."""
    return " ".join(form for form in map(padded_words, entry.forms) if form in padded)


def two_parts(text: str, lang: str) -> tuple[str, str] | None:
    """The two questions of one that asks for two things ("… ai dẫn đầu đoàn và ai tiếp đoàn?"), split
    before the joining word a question word follows, when the words before it ask too: "Hà Nội và
    Île-de-France hợp tác từ năm nào?" asks one thing. A first part that is only its question word
    ("Où et quand se sont tenues…") asks about what the second names after its own. A second question
    that names its subject before its question word ("…, và lễ ký diễn ra vào ngày nào?") is one when the
    words on each side of the join ask a different kind of value and the first are a question ended (by a
    comma, or by their question word): "Bao nhiêu đại biểu Pháp và Việt Nam…" joins two names. None for one
    question."""
    data, text = language(lang), nfc(text)
    padded = compared_words(text)
    words, starts = padded.split(), [m.start() for m in re.finditer(r"\w+", text)]
    if len(words) != len(starts):
        return None
    joining = {cue_form(join, padded) for join in data.two_part_joins}
    joins = [i for i in range(1, len(words) - 1) if words[i] in joining]
    for i in joins:
        opener = _opener_length(words[i + 1:], data, padded)
        first = text[: starts[i]].rstrip(" ,;")
        bare = compared_words(first).strip() in _question_words(data, padded)
        if bare and not opener:  # "Où et à quelles dates se tiendra…": the second opens with a cue phrase
            opener = _cue_length(words[i + 1:], data, padded)
        if opener and _asks(first, lang):
            if bare and i + 1 + opener < len(starts):
                first = f"{first} {text[starts[i + 1 + opener]:]}"
            return first, text[starts[i + 1]:]
    for i in joins:
        first, second = text[: starts[i]].rstrip(" ,;"), text[starts[i + 1]:]
        kind = question_kind(first, lang)
        ended = text[: starts[i]].rstrip().endswith((",", ";")) or _ends_with_cue(first, kind, data)
        if ended and "general" != kind != question_kind(second, lang) != "general":
            return first, second
    return None


def _ends_with_cue(text: str, kind: str, data: Language) -> bool:
    """Do the words end with a question word of `kind` ("… tổ chức ở đâu")?"""
    padded = compared_words(text)
    return kind != "general" and any(padded.endswith(f" {cue_form(cue, padded)} ") for cue in data.cues[kind])


PREPOSITION_MAX_CHARS = 3  # a short word before a question's cue phrase: "à", "en", "vào", "từ"


def _cue_length(words: list[str], data: Language, padded: str) -> int:
    """How many words the cue phrase of any kind opening `words` has, a short word before it included ("à
    quelles dates", "vào ngày nào"); 0 when none opens them."""
    for skip in (0, 1):
        if skip and (len(words) < 2 or len(words[0]) > PREPOSITION_MAX_CHARS):
            break
        rest = f" {' '.join(words[skip:])} "
        found = [len(cue.split()) for cues in data.cues.values() for cue in cues
                 if rest.startswith(f" {cue_form(cue, padded)} ")]
        if found:
            return skip + max(found)
    return 0


def _opener_length(words: list[str], data: Language, padded: str) -> int:
    """How many words the question word opening `words` has (0: none opens them)."""
    rest = f" {' '.join(words)} "
    return max((len(o.split()) for o in data.two_part_openers if rest.startswith(f" {cue_form(o, padded)} ")),
               default=0)


def _question_words(data: Language, padded: str) -> set[str]:
    return {cue_form(word, padded) for word in (*data.two_part_openers, *data.all_cues)}


def _asks(text: str, lang: str) -> bool:
    """Do the words ask something: a cue of some kind, or a question word that opens a part ("quel")?"""
    padded = compared_words(text)
    return question_kind(text, lang) != "general" or any(
        f" {cue_form(word, padded)} " in padded for word in language(lang).two_part_openers)


def inheriting(part: Question, whole: Question) -> Question:
    """The second part asks within the whole question: the glossary terms and edition said before it are
    its context too ("năm nào" after "Hội nghị lần thứ 11 được tổ chức ở đâu"), and when it names nothing
    of its own it asks about the words of the whole. Its names stay its own: a name the sources never
    mention leaves the other part answerable."""
    own = {entry.id for entry in part.terms}
    taken = [e for e in whole.terms if e.id not in own]
    return replace(part, terms=[*part.terms, *taken], inherited=frozenset(e.id for e in taken),
                   ordinals=part.ordinals or whole.ordinals, words=part.words or whole.words)


def analyse_question(text: str, lang: str, glossary: Glossary, lexicon: Lexicon | None = None) -> Question:
    """The one parse of a question, with its parts when it asks for two things (`two_parts`); `lexicon`
    (the index's learned word translations) gives its counted noun in the other language."""
    lexicon = lexicon or Lexicon()
    whole = _analysed(text, lang, glossary, lexicon)
    halves = two_parts(text, lang)
    if halves:
        whole.parts = [_analysed(halves[0], lang, glossary, lexicon),
                       inheriting(_analysed(halves[1], lang, glossary, lexicon), whole)]
    return whole


def _analysed(text: str, lang: str, glossary: Glossary, lexicon: Lexicon) -> Question:
    asked = f" {without_cues(text, lang)} "
    terms = glossary.find_stated(asked)
    covered = {word for entry in terms for word in forms_in(entry, asked).split()}
    listed = listed_noun(text, lang)
    cue_words = {w for cue in matched_cues(text, lang) for w in fold(cue).split()} - set(listed.split())
    words = [
        w for w in dict.fromkeys(content_words(text, lang))
        if w not in covered and w not in cue_words and not w.isdigit() and len(w) > 1
    ]
    asked_ordinals = find_ordinals(text)  # not remembered: every question is a new text
    names = proper_names(text)
    analysed = analyse_query(text, lang)
    query_tokens = tuple(analysed + [t for t in name_tokens(names) if t not in analysed])
    counted = counted_noun(text, lang)
    tokens = frozenset(query_tokens)
    other = "fr" if lang == "vi" else "vi"
    counted_translated = lexicon.phrase(counted, tokens, lang) if counted else ""
    listed_translated = lexicon.phrase(listed, tokens, lang) if listed else ""
    kind = question_kind(text, lang)
    return Question(
        text=text, lang=lang, kind=kind, ordinals=asked_ordinals, money=asks_money(text, kind, language(lang)),
        numbers=numbers(text) - {str(o) for o in asked_ordinals}, terms=terms, words=words,
        counted=counted, counted_as={other: counted_translated} if counted_translated else {}, listed=listed,
        listed_as={other: listed_translated} if listed_translated else {},
        names=names, tokens=tokens,
        query_tokens=query_tokens,
    )
