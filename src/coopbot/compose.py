"""The answer's text and citations: the chosen sentences in the asker's language, the asked value first and
highlighted, a passage the knowledge has only in the other language framed in the asker's, and the fixed
frames below (the only words coopbot adds to the knowledge's sentences).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from . import language as languages
from .candidates import (
    SINCE_YEAR,
    YEAR,
    YEARS_AGO,
    Candidate,
    UnitText,
    counted_nouns,
    names_noun,
    worded_counts,
)
from .editions import ordinals
from .knowledge import Article, Knowledge
from .lexicon import Lexicon, word_tokens
from .names import guess_kind, proper_names
from .question import Question
from .strings import CITATION, FR_MONTHS, display_date
from .text import ELISION, fold, is_vi_syllable, nfc, normalize_numbers

ABSTAIN_TEXT = {
    "vi": "Các nguồn trong cơ sở tri thức không cho phép trả lời câu hỏi này. coopbot chỉ trả lời về hợp tác "
          "giữa các địa phương Việt Nam – Pháp, dựa trên các bài báo mà nó trích dẫn.",
    "fr": "Les sources de la base de connaissances ne permettent pas de répondre à cette question. coopbot ne "
          "répond que sur la coopération décentralisée franco-vietnamienne, à partir des articles qu'il cite.",
}
MISSING_NAMES = {"vi": "Các nguồn không nhắc tới {names}.", "fr": "Les sources ne mentionnent pas {names}."}
QUOTED = {"vi": "“{}”", "fr": "« {} »"}
CONFLICT_INTRO = {
    "number": {"vi": "Các nguồn đưa ra số liệu khác nhau:", "fr": "Les sources ne donnent pas les mêmes chiffres :"},
    "date": {"vi": "Các nguồn đưa ra thời gian khác nhau:", "fr": "Les sources ne donnent pas les mêmes dates :"},
}
ACCORDING_TO = {"vi": "Theo {outlet} ({date})", "fr": "Selon {outlet} ({date})"}
COLON = {"vi": ":", "fr": " :"}  # French sets a space before the colon
ASKED_VALUES = {"vi": "Theo {outlet} ({date}): {values}.", "fr": "Selon {outlet} ({date}) : {values}."}
# a figure, date, person or place asked for that no quoted sentence states as coopbot reads it: the passages closest
# to the question are shown, but not as its answer (on devgrowth, 23 of the 27 answers so introduced are wrong or
# answer an unanswerable question, against 23 of the 56 others; on dev 11 of 18, against 16 of 135)
VALUE_NOT_FOUND = {"vi": "coopbot không tìm thấy {what} được hỏi trong các nguồn; đoạn trích gần nhất với câu hỏi:",
                   "fr": "coopbot ne trouve pas {what} dans les sources ; le passage le plus proche de la question :"}
# the same, when the closest passage holds no figure or date at all for a question asking one: coopbot abstains,
# saying what is missing (answer.VALUES_READ_SURELY); the closest passage is still shown when it holds figures,
# none with the noun asked, or for a person or place, which may be named in ways coopbot does not read
VALUE_UNSTATED = {"vi": "Các nguồn không nêu {what} được hỏi.", "fr": "Les sources ne donnent pas {what}."}
ASKED_THING = {"number": {"vi": "con số", "fr": "le chiffre demandé"},
               "date": {"vi": "thời gian", "fr": "la date demandée"},
               "person": {"vi": "người", "fr": "la personne demandée"},
               "place": {"vi": "địa điểm", "fr": "le lieu demandé"}}
PASSAGE_IN = {"vi": "Đoạn trích {lang_name}: «{text}»", "fr": "Passage en {lang_name} : « {text} »"}
LANG_NAMES = {"vi": {"vi": "tiếng Việt", "fr": "tiếng Pháp"}, "fr": {"vi": "vietnamien", "fr": "français"}}
# an "N years ago" counted back from the article's date: the year it means, after the words or alone
YEARS_AGO_WITH_YEAR = {"vi": "{phrase} (khoảng năm {year})", "fr": "{phrase} (vers {year})"}
YEARS_AGO_AS_YEAR = {"vi": "khoảng năm {year}", "fr": "vers {year}"}
# a time counted from the year a sentence says it runs from ("depuis 2013"), to the year the question names or else
# the article's: "12 ans (depuis 2013)"
COUNTED_SINCE = {"vi": "{years} năm (từ năm {year})", "fr": "{years} ans (depuis {year})"}


@dataclass
class Citation:
    n: int
    doc_id: str
    source_file: str
    title: str
    outlet: str
    date: str
    lang: str
    text: str
    original_text: str
    original_lang: str
    sentence_id: str
    origin_doc_id: str
    is_translation: bool
    url: str = ""
    translation_kind: str = "none"  # curated | machine | none (knowledge.Knowledge.translation_kind)


@dataclass
class Answer:
    question: str
    language: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    mode: str = "extractive"
    fallback_reason: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    signals: dict[str, float | bool | str] = field(default_factory=dict)

    def to_dict(self, debug: bool = False) -> dict:
        data = {
            "question": self.question, "language": self.language, "answer": self.answer,
            "abstained": self.abstained, "mode": self.mode, "fallback_reason": self.fallback_reason,
            "citations": [asdict(c) for c in self.citations], "timings_ms": self.timings_ms,
        }
        if debug:
            data["signals"] = self.signals
        return data


_FIGURE = re.compile(r"(?<![\d/])\d{1,3}(?:[\s.]\d{3})+(?![\d/])|(?<![\d/.,])\d+(?:[.,]\d+)?(?![\d/])")
_WRITTEN_DATE = re.compile(
    r"\b\d{1,2}\s*(?:[-–]\s*\d{1,2}\s*)?/\s*\d{1,2}(?:\s*/\s*\d{4})?\b"
    rf"|\b(?:{languages.written_dates()})\b|\b(?:19|20)\d{{2}}\b",
    re.IGNORECASE)
ASKED_NAME_KINDS = {"place": {"place", "country"}, "person": {"person"}, "institution": {"institution"}}
MAX_ASKED_VALUES = 3


def asked_values(question: Question, text: str, text_lang: str, glossary, common: frozenset[str] = frozenset()) -> list[str]:
    """What the question asks for, as the sentence `text` (in `text_lang`) states it: figures with their
    noun, dates, or the places, people and bodies it names (in the asker's language when the glossary
    knows them) that the question does not. A capitalised run all of whose words the knowledge also
    writes in lower case (`common`: "Tại Hội…" opening a sentence) or holding a digit ("B2B") is not
    taken for a name."""
    asked = {e.id for e in question.terms}
    if question.kind == "number":
        found = figures_with_noun(question, text, text_lang)
        if question.counts_time:
            found = since_phrases(text) + found
    elif question.kind == "date":
        found = [m.group() for m in _WRITTEN_DATE.finditer(text) if m.group() not in question.numbers]
        found += years_ago_phrases(text)
    elif question.kind in ASKED_NAME_KINDS:
        kinds = ASKED_NAME_KINDS[question.kind]
        found = [(entry.vi if question.lang == "vi" else entry.fr)[0]
                 for entry in glossary.find_outermost(fold(text).lower()) if entry.kind in kinds and entry.id not in asked]
        if not found:
            asked_names = {fold(n).lower() for n in question.names}
            found = [n for n in (name_proper(n, text, common) for n in proper_names(text))
                     if not _names_any(fold(n).lower(), asked_names)
                     and not any(c.isdigit() for c in n) and not set(nfc(n).lower().split()) <= common
                     and not _known_as_other_kind(n, kinds, glossary)]
            found = [n for n in found if not glossary.opens_an_office(n, text)]
            if question.kind == "person":
                found = [n for n in found if _guessed_kind(n, text) in ("person", "unknown")]
                found = _titled_names(found, text) or _full_names(found) or found
            else:
                titled = set(_titled_names(found, text))
                found = [n for n in found if n not in titled]
    else:
        found = []
    return list(dict.fromkeys(found))[:MAX_ASKED_VALUES]


_TITLES = {title.rstrip(".").lower() for lang in languages.languages() for title in lang.person_titles}


def name_proper(name: str, text: str, common: frozenset[str]) -> str:
    """A capitalised run without the words that only precede the name: a person's title ("Bà Nathalie Appéré")
    and a word that is capitalised only for opening the sentence ("Selon Marc Gricourt"): one the knowledge
    writes in lower case, not shaped like a Vietnamese syllable ("Đồng Tháp", "La Rochelle" stay whole)."""
    words = name.split()
    while len(words) > 1 and _precedes_name(words, text, common):
        words = words[1:]
    return " ".join(words)


def _precedes_name(words: list[str], text: str, common: frozenset[str]) -> bool:
    first = words[0].rstrip(".").lower()
    if first in _TITLES:
        return True
    opens = len(words) > 2 and text.lstrip().startswith(" ".join(words))
    return opens and first in common and not is_vi_syllable(fold(first))


def _titled_names(names: list[str], text: str) -> list[str]:
    """The names a person's title opens or precedes ("Mme Claire Vignon", "ông Lê Thanh Phong"): of a sentence's
    names, those a "who" question asks for, not the bodies and places around them."""
    starts = {i for m in languages.named_person().finditer(text) for i in (m.start(), m.end() - 1)}
    return [name for name in names if name.rstrip(".").lower() not in _TITLES
            and (found := re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)) and found.start() in starts]


def _guessed_kind(name: str, text: str) -> str:
    """What `text` makes of a name the glossary lacks, by the words inside it and before it, as `coopbot add`
    guesses for the pending glossary: "à Long Xuyên" is a place, "Comité populaire d'An Giang" a body."""
    at = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    return guess_kind(name, text[:at.start()] if at else "")


def _full_names(names: list[str]) -> list[str]:
    """Of names no title opens, those of two words or more: a person is named in full ("Nguyễn Văn Thắng",
    "Catherine Vuillermoz"), a place the glossary does not know often in one word ("… en Savoie")."""
    return [name for name in names if len(name.split()) > 1]


def _names_any(name: str, asked_names: set[str]) -> bool:
    """Is a (folded) capitalised run one of the names the question asks about, either holding the other
    ("Selon Mme Anne-Louise Mesadieu" and "anne-louise mesadieu"; "bà anne-louise mesadieu" typed)?"""
    return any(_holds(name, asked) or _holds(asked, name) for asked in asked_names)


def _holds(text: str, words: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text) is not None


def _known_as_other_kind(name: str, kinds: set[str], glossary) -> bool:
    """A name the glossary knows as another kind of thing than the one asked: a place is no answer to "who"."""
    return any(entry.kind not in kinds for entry in glossary.find_outermost(fold(name).lower()))


def years_ago_phrases(text: str) -> list[str]:
    """ "cách đây 30 năm", "il y a 30 ans" as `text` writes them (a capital opening the sentence kept)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return []
    return [text[m.start():m.end()] for m in YEARS_AGO.finditer(lowered)]


def since_phrases(text: str) -> list[str]:
    """ "depuis 2013", "từ năm 2013" as `text` writes them."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return []
    return [text[m.start():m.end()] for m in SINCE_YEAR.finditer(lowered)]


def years_counted_since(value: str, question: Question, article_date: str) -> tuple[int, int] | None:
    """For a "depuis 2013" value: the years from it to the year the question names ("tính đến năm 2024") or else
    to the article's, and the year it runs from; None for any other value."""
    match = SINCE_YEAR.search(value.lower())
    if match is None:
        return None
    start = int(next(g for g in match.groups() if g))
    named = [int(y) for y in YEAR.findall(question.text) if int(y) > start]
    end = named[0] if len(named) == 1 else int(article_date[:4]) if article_date[:4].isdigit() else None
    return (end - start, start) if end and end > start else None


def year_counted_back(value: str, article_date: str) -> int | None:
    """The year an "N years ago" value means, counted back from the date of the article that says it."""
    match = YEARS_AGO.search(value.lower())
    if match is None or not article_date[:4].isdigit():
        return None
    return int(article_date[:4]) - int(next(g for g in match.groups() if g))


def figures_with_noun(question: Question, text: str, text_lang: str) -> list[str]:
    """Counted figures as written with the word after them ("800 délégués", "1.000 đại biểu"): those before
    the noun a "how many" question counts (or any noun counting people, for a count of people: `counted_nouns`)
    when it names one that can be read in `text_lang` (a noun the lexicon does not link is not; as the
    candidates' `counted_figures`), else any that is no year,
    edition, nor part of a date ("ngày 5 tháng 9": no "5 tháng"). Without any, a number in words before the
    counted noun ("Douze artisans")."""
    editions = {str(o) for o in ordinals(fold(text).lower())}
    dates = [m.span() for m in _WRITTEN_DATE.finditer(text)]
    nouns = counted_nouns(question, text_lang)
    noun_asked_at_all = bool(question.counted)
    found = []
    for match in _FIGURE.finditer(text):
        digits = normalize_numbers(match.group())
        if (YEAR.fullmatch(digits) or digits in editions or digits in question.numbers
                or any(start <= match.start() < end for start, end in dates)):
            continue
        if question.money:
            found += [amount] if (amount := _amount_at(match, text)) else []
            continue
        if noun_asked_at_all and _amount_at(match, text):
            continue  # an amount of money counts no "tonnes", whatever language the noun is read in
        after = _noun_after(text[match.end():], text_lang)
        phrase = match.group() + after
        noun = fold(after).lower().split()
        if nouns and not any(names_noun(noun, asked, text_lang) for asked in nouns):
            continue
        found.append(phrase.strip())
    return found or next((words for asked in nouns if (words := worded_counts(text, asked, text_lang))), [])


def _noun_after(text: str, lang: str) -> str:
    """The word or two after a figure (as written, with the space before): its unit ("%"), or its noun, two
    syllables in Vietnamese ("25 xe buýt", "800 délégués") but not a joining word ("25 xe và …": "25 xe")."""
    noun_words = 2 if lang == "vi" else 1  # a Vietnamese noun is often two syllables
    after = re.match(rf"\s*(?:%|[^\W\d]+(?:\s+[^\W\d]+){{0,{noun_words - 1}}})", text)
    if not after:
        return ""
    written = after.group()
    last = written.split()[-1]
    if len(written.split()) > 1 and last.lower() in languages.language(lang).stopwords:
        written = written[:written.rstrip().rfind(last)].rstrip()
    return written


def _amount_at(figure: re.Match[str], text: str) -> str:
    """The figure with its currency as `text` writes them ("620 000 euros", "2,3 tỷ đồng"), or "" when the
    figure is no amount of money. Folding keeps an NFC text's length, so the unit's span is the same in both."""
    unit = languages.money_unit().match(fold(text[figure.end():]).lower())
    return figure.group() + text[figure.end():figure.end() + unit.end()] if unit else ""


def in_asker_words(question: Question, values: list[str]) -> list[str]:
    """Values read in a passage in the other language, as the asker would write them: a counted figure
    with the noun the asker typed ("6 projets" → "6 dự án"), a date written with its month in the asker's
    way ("17 septembre 2025" → "17/9/2025"); numbers and names read alike. A figure keeps the passage's own
    noun when the counted noun has no learned form in the passage's language: nothing says it counts that. An
    amount of money keeps its scale and currency ("1,1 million d'euros", not "1,1 tiền" for "bao nhiêu tiền")."""
    if question.kind == "date":
        return [date_in_language(v, question.lang) for v in values]
    read = (question.kind == "number" and question.counted and not question.money
            and any(question.counted_as.values()))
    typed = typed_phrase(question.text, question.counted) if read else ""
    if not typed:
        return values
    return [f"{figure.group()} {typed}" if (figure := _FIGURE.match(v)) and v[figure.end():].strip() else v
            for v in values]


_MONTH_NAMED = re.compile(rf"^(?:(\d{{1,2}})(?:er)?\s+)?({'|'.join(languages.month_numbers())})(?:\s+(\d{{4}}))?$")
_MONTH_NUMBERED = re.compile(r"^(?:ngay\s+(\d{1,2})\s+)?thang\s+(\d{1,2})(?:\s+nam\s+(\d{4})|\s*/\s*(\d{4}))?$")


def date_in_language(value: str, lang: str) -> str:
    """A date written with its month in words, in `lang`'s way: "17 septembre 2025" → "17/9/2025", and
    "tháng 4 năm 1973" or "tháng 4/1973" → "avril 1973"; any other value (a year, "14/4") as it is."""
    folded = fold(nfc(value)).lower().strip()
    if named := _MONTH_NAMED.match(folded):
        day, month, year = named.group(1), languages.month_numbers()[named.group(2)], named.group(3)
    elif numbered := _MONTH_NUMBERED.match(folded):
        day, month, year = numbered.group(1), int(numbered.group(2)), numbered.group(3) or numbered.group(4)
    else:
        return value
    if not 1 <= month <= 12:
        return value
    if lang == "fr":
        return " ".join(part for part in (day and ("1er" if day == "1" else day), FR_MONTHS[month - 1], year) if part)
    if day:
        return f"{int(day)}/{month}" + (f"/{year}" if year else "")
    return f"tháng {month}" + (f"/{year}" if year else "")


def typed_phrase(text: str, folded: str) -> str:
    """The words of `text` whose folded form is `folded`, as typed ("dự án" for "du an", "ingénieurs" in
    "d'ingénieurs"), else `folded`."""
    words = [ELISION.sub("", w.strip("?,.;:!«»\"'")) for w in nfc(text).split()]
    size = len(folded.split())
    for i in range(len(words) - size + 1):
        run = " ".join(words[i:i + size])
        if fold(run).lower() == folded:
            return run
    return folded


def name_glosses(candidate: Candidate, glossary, lang: str, lexicon: Lexicon | None = None) -> list[str]:
    """The passage's glossary names with their form in `lang`: "Hô Chi Minh-Ville = Thành phố Hồ Chí Minh";
    of an entry's forms, the one saying what the lexicon translates the written form to ("économie =
    kinh tế", not the entry's first form "hợp tác đầu tư"), else the first."""
    text = candidate.lines[candidate.origin.lang].text
    folded = fold(text).lower()
    glosses = []
    for entry in glossary.find_outermost(folded):
        mine = entry.vi if lang == "vi" else entry.fr
        written = next((form for form in entry.forms if fold(form).lower() in folded and form in text), None)
        if not mine or not written:
            continue
        shown = closest_form(written, candidate.origin.lang, mine, lang, lexicon) if lexicon else mine[0]
        if fold(shown).lower() != fold(written).lower():
            glosses.append(f"{written} = {shown}")
    return list(dict.fromkeys(glosses))


def closest_form(written: str, written_lang: str, forms: list[str], lang: str, lexicon: Lexicon) -> str:
    """Of `forms` (in `lang`), the one holding the most of the learned translations of `written`'s words
    (the first form when none holds any)."""
    translations = set(lexicon.translate([t for t, _ in word_tokens(written, written_lang)], written_lang))
    held = [len(translations & {t for t, _ in word_tokens(form, lang)}) for form in forms]
    return forms[held.index(max(held))] if max(held) else forms[0]


def highlighted(sentence: str, values: list[str]) -> str:
    """The sentence with each asked value it contains in bold (Markdown)."""
    for value in sorted(values, key=len, reverse=True):
        sentence = re.sub(rf"(?<![\w*]){re.escape(value)}(?![\w*])", lambda m: f"**{m.group()}**", sentence, count=1)
    return sentence


def value_not_found(kind: str, lang: str) -> str:
    """The line opening an answer none of whose sentences states the `kind` of value asked."""
    return VALUE_NOT_FOUND[lang].format(what=ASKED_THING[kind][lang])


def describes_a_named_person(question: Question, candidate: Candidate) -> bool:
    """A "who is X" question: it names a person (a glossary person, or a name the passage writes after a
    person's title), so the asked value is their role, which asked_values does not read."""
    if question.kind != "person":
        return False
    return any(e.kind == "person" for e in question.terms) or any(
        _titled_names(question.names, line.text) for line in candidate.lines.values())


def value_unstated(kind: str, lang: str) -> str:
    """The abstention for a question whose kind of value the closest passage does not hold at all."""
    return f"{VALUE_UNSTATED[lang].format(what=ASKED_THING[kind][lang])} {ABSTAIN_TEXT[lang]}"


def abstention_text(lang: str, unknown_names: list[str], unsaid_terms: list[str] = ()) -> str:
    """Why coopbot does not answer, in the asker's language: the names the sources never mention first,
    then the glossary terms they never say, quoted ("« maire »": a word, not a name)."""
    missing = [*unknown_names, *(QUOTED[lang].format(term) for term in unsaid_terms)]
    if not missing:
        return ABSTAIN_TEXT[lang]
    joiner = " và " if lang == "vi" else " ni "
    return f"{MISSING_NAMES[lang].format(names=joiner.join(missing))} {ABSTAIN_TEXT[lang]}"


def lowercase_words(knowledge: Knowledge) -> frozenset[str]:
    """Words the knowledge writes in lower case somewhere: such a word, capitalised, opens a sentence or a
    heading rather than naming someone or somewhere."""
    return frozenset(word for article in knowledge.articles.values() for line in article.lines
                     for word in nfc(line.text).split() if word.islower())


def outlet_name(article: Article, lang: str) -> str:
    """The outlet; for a document added without one, the file it was added from (what staff can check),
    in the asker's words, not `coopbot add`'s bilingual placeholder."""
    if article.outlet_known:
        return article.outlet
    return CITATION[lang]["nameless_outlet"].format(file=article.source_file)


def publication_date(article: Article, lang: str) -> str:
    """The publication date; for a document added without one, the day it was added, said as such."""
    shown = display_date(article.date, lang)
    return shown if article.publication_date_known else CITATION[lang]["added_on"].format(date=shown)


class Composer:
    """Writes an answer from the candidates the answerer chose."""

    def __init__(self, knowledge: Knowledge, lexicon: Lexicon) -> None:
        self.knowledge = knowledge
        self.lexicon = lexicon
        self.common = lowercase_words(knowledge)

    def single(self, question: Question, best: Candidate, agreeing: list[Candidate], signals: dict,
               companions: list[Candidate] | None = None, antecedent: Candidate | None = None,
               follower: Candidate | None = None) -> Answer:
        """The best sentence with the markers of every source that states it, then the sentence after it that
        says what it speaks of (`follower`), then any companion sentence, each with its own marker;
        `antecedent`, the sentence it refers back to, is quoted first. The lead gives the asked values the
        best sentence states, or else (none, or it holds no value of the kind asked) those its follower states
        ("Đây là ý kiến của … Đinh Tiến Dũng")."""
        shown = [antecedent] if antecedent is not None else []
        after = [follower] if follower is not None else []
        quoted = {c.unit.unit_id for c in [*shown, *after]}
        agreeing = [c for c in agreeing if c.unit.unit_id not in quoted]
        companions = [c for c in companions or [] if c.unit.unit_id not in quoted]
        citations = [self.cite(c, question.lang, n) for n, c in enumerate([*shown, best, *agreeing], start=1)]
        parts = [f"{self.text(antecedent, question.lang)} [1]"] if antecedent is not None else []
        markers = "".join(f"[{c.n}]" for c in citations[len(shown):])
        # a best sentence without the kind of value asked, followed by one that has it: the follower's values lead
        values = self.shown_values(question, best) if best.type_ok or not after else []
        parts.append(f"{self.text(best, question.lang, question, values)} {markers}")
        stating, said_values = best, values
        for candidate in [*after, *companions]:
            citations.append(self.cite(candidate, question.lang, len(citations) + 1))
            own = self.shown_values(question, candidate) if candidate in after and not values else None
            if own:
                stating, said_values = candidate, own
            parts.append(f"{self.text(candidate, question.lang, question, own)} [{citations[-1].n}]")
        said = self.said_values(question, stating, said_values)
        # a passage in the other language says its values in its framing, unless they come after the best one
        lead = f"**{', '.join(said)}**\n\n" if said and (question.lang in stating.lines or stating is not best) else ""
        if not said and question.kind in ASKED_THING and not describes_a_named_person(question, best):
            lead = f"{value_not_found(question.kind, question.lang)}\n\n"
            signals["value_missing"] = True
        return Answer(question.text, question.lang, lead + " ".join(parts), False, citations, signals=signals)

    def shown_values(self, question: Question, candidate: Candidate) -> list[str]:
        """The asked values as the sentence shown in the asker's language writes them; for a passage
        only in the other language, as it writes them (`in_asker_words` says them in the asker's)."""
        if question.lang not in candidate.lines:
            original = candidate.lines[candidate.origin.lang]
            return asked_values(question, original.text, candidate.origin.lang, self.knowledge.glossary, self.common)
        line = candidate.lines[question.lang]
        return [v for v in asked_values(question, line.text, question.lang, self.knowledge.glossary, self.common)
                if v in line.text]

    def said_values(self, question: Question, candidate: Candidate, values: list[str]) -> list[str]:
        """`values` (shown_values) as the asker reads them: a passage in the other language's in the asker's
        words; an "N years ago" with the year it means, since the article saying it may be years old."""
        same_language = question.lang in candidate.lines
        said = values if same_language else in_asker_words(question, values)
        if question.kind == "person":
            said = list(dict.fromkeys(self._in_full(v, candidate) for v in said))
        if question.counts_time:
            said = [self._counted_since(v, question, candidate.date) for v in said]
        return [self._with_year(v, candidate.date, question.lang, same_language) for v in said]

    def _in_full(self, name: str, candidate: Candidate) -> str:
        """A person the sentence names by one word ("ông Khởi", "M. Delorme") as their article names them in full
        elsewhere ("Huỳnh Quốc Khởi", "Patrick Delorme"); the name as it is when the article never does."""
        if len(name.split()) > 1:
            return name
        for line in candidate.lines.values():
            for other in self.knowledge.articles[line.doc_id].lines:
                for full in (name_proper(n, other.text, self.common) for n in proper_names(other.text)):
                    if len(full.split()) > 1 and full.split()[-1] == name:
                        return full
        return name

    @staticmethod
    def _counted_since(value: str, question: Question, article_date: str) -> str:
        counted = years_counted_since(value, question, article_date)
        return value if counted is None else COUNTED_SINCE[question.lang].format(years=counted[0], year=counted[1])

    @staticmethod
    def _with_year(value: str, article_date: str, lang: str, same_language: bool) -> str:
        year = year_counted_back(value, article_date)
        if year is None:
            return value
        return (YEARS_AGO_WITH_YEAR[lang].format(phrase=value, year=year) if same_language
                else YEARS_AGO_AS_YEAR[lang].format(year=year))

    def conflict(self, question: Question, sources: list[Candidate], signals: dict) -> Answer:
        """The values side by side in one line (outlet: value), then each source's sentence, newest first."""
        lang = question.lang
        values = {c.unit.unit_id: self.shown_values(question, c) for c in sources}
        said = {c.unit.unit_id: self.said_values(question, c, values[c.unit.unit_id]) for c in sources}
        summary = "; ".join(f"{self.outlet(c, lang)}{COLON[lang]} {', '.join(said[c.unit.unit_id])}" for c in sources
                            if said[c.unit.unit_id])
        lines = [CONFLICT_INTRO[question.kind][lang] + (f" {summary}." if summary else "")]
        citations = []
        for n, candidate in enumerate(sources, start=1):
            citations.append(self.cite(candidate, lang, n))
            who = ACCORDING_TO[lang].format(outlet=self.outlet(candidate, lang),
                                            date=publication_date(candidate.origin, lang))
            shown = self.text(candidate, lang, question, values[candidate.unit.unit_id], framed=False)
            lines.append(f"- {who}{COLON[lang]} {shown} [{n}]")
        return Answer(question.text, lang, "\n".join(lines), False, citations, signals=signals)

    def text(self, candidate: Candidate, lang: str, question: Question | None = None,
             values: list[str] | None = None, framed: bool = True) -> str:
        """The sentence in `lang`; a passage the knowledge has only in the other language is framed in
        `lang` (unless `framed` is False: the caller names its outlet and values): the asked values it
        states in the asker's words, its outlet and date, then the passage, labelled with its language,
        its values highlighted and its names and words glossed."""
        line = candidate.lines.get(lang)
        if line is not None:
            return highlighted(line.text, values or [])
        original = candidate.lines[candidate.origin.lang]
        if values is None:
            values = self.shown_values(question, candidate) if question else []
        lead = ""
        if framed:
            date = publication_date(candidate.origin, lang)
            said = self.said_values(question, candidate, values) if question else []
            lead = (ASKED_VALUES[lang].format(outlet=self.outlet(candidate, lang), date=date, values=", ".join(said))
                    if said else ACCORDING_TO[lang].format(outlet=self.outlet(candidate, lang), date=date) + COLON[lang])
        passage = PASSAGE_IN[lang].format(lang_name=LANG_NAMES[lang][candidate.origin.lang],
                                          text=highlighted(original.text, [v for v in values if v in original.text]))
        names = name_glosses(candidate, self.knowledge.glossary, lang, self.lexicon)
        glosses = names + self._word_glosses(original.text, candidate.origin.lang, lang, question, " ".join(names))
        return " ".join(part for part in (lead, passage, f"({'; '.join(glosses)})" if glosses else "") if part)

    def _word_glosses(self, text: str, text_lang: str, lang: str, question: Question | None, named: str) -> list[str]:
        """The passage's words and phrases the learned lexicon translates into `lang` ("entreprises =
        doanh nghiệp"), not those the asker wrote nor the words of names glossed already (`named`)."""
        known = question.tokens if question else frozenset()
        return [f"{words} = {translation}"
                for words, translation in self.lexicon.glosses(text, text_lang, lang, known, named)]

    def outlet(self, candidate: Candidate, lang: str) -> str:
        """The outlet as the article's version in `lang` names it (the original's when there is none)."""
        version = self.knowledge.translations(candidate.origin.id).get(lang)
        return outlet_name(version or candidate.origin, lang)

    def cite(self, candidate: Candidate, lang: str, n: int) -> Citation:
        return self.cite_text(candidate.text, lang, n)

    def cite_text(self, unit: UnitText, lang: str, n: int) -> Citation:
        """A citation of the unit, shown in `lang` when the knowledge has it, else in the original."""
        original = unit.lines[unit.origin.lang]
        shown = unit.lines.get(lang, original)
        article = self.knowledge.articles[shown.doc_id]
        return Citation(
            n=n, doc_id=article.id, source_file=article.source_file, title=article.title, outlet=outlet_name(article, lang),
            date=article.date, lang=article.lang, text=shown.text, original_text=original.text,
            original_lang=unit.origin.lang, sentence_id=shown.id, origin_doc_id=unit.origin.id,
            is_translation=bool(article.translation_of), url=article.meta.get("url", ""),
            translation_kind=self.knowledge.translation_kind(shown.id),
        )
