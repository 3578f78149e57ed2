"""Extractive answers: choose the sentence(s) that answer, write them in the
asker's language through the aligned translation, cite them, merge a fact stated
by several sources, flag sources that disagree, and abstain when unsupported.

Nothing here generates text: every sentence shown is a knowledge line (or its
project translation), and the only added words are the fixed frames below.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from cachetools import LRUCache

from . import language as languages
from .config import Settings
from .features import Features, LearnedScorer
from .index import Index
from .knowledge import Article, Knowledge, Line
from .lexicon import Lexicon
from .question import Question, numbers, ordinals, proper_names
from .rarity import count_terms, rarity_weights
from .retrieve import Retrieval, Unit
from .strings import display_date
from .text import analyse, analyse_query, content_pairs, fold, folded_words, nfc, normalize_numbers, stem

ABSTAIN_TEXT = {
    "vi": "Các nguồn trong cơ sở tri thức không cho phép trả lời câu hỏi này. coopbot chỉ trả lời về hợp tác "
          "giữa các địa phương Việt Nam – Pháp, dựa trên các bài báo mà nó trích dẫn.",
    "fr": "Les sources de la base de connaissances ne permettent pas de répondre à cette question. coopbot ne "
          "répond que sur la coopération décentralisée franco-vietnamienne, à partir des articles qu'il cite.",
}
MISSING_NAMES = {"vi": "Các nguồn không nhắc tới {names}.", "fr": "Les sources ne mentionnent pas {names}."}
CONFLICT_INTRO = {
    "number": {"vi": "Các nguồn đưa ra số liệu khác nhau:", "fr": "Les sources ne donnent pas les mêmes chiffres :"},
    "date": {"vi": "Các nguồn đưa ra thời gian khác nhau:", "fr": "Les sources ne donnent pas les mêmes dates :"},
}
ACCORDING_TO = {"vi": "Theo {outlet} ({date})", "fr": "Selon {outlet} ({date})"}
COLON = {"vi": ":", "fr": " :"}  # French sets a space before the colon
ASKED_VALUES = {"vi": "Theo {outlet} ({date}): {values}.", "fr": "Selon {outlet} ({date}) : {values}."}
PASSAGE_IN = {"vi": "Đoạn trích {lang_name}: «{text}»", "fr": "Passage en {lang_name} : « {text} »"}
LANG_NAMES = {"vi": {"vi": "tiếng Việt", "fr": "tiếng Pháp"}, "fr": {"vi": "vietnamien", "fr": "français"}}

_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DAY_MONTH = re.compile(r"\b\d{1,2}\s*(?:-\s*\d{1,2}\s*)?/\s*\d{1,2}\b")
_MONTHS = languages.date_markers()
_YEARS_AGO = languages.years_ago()
_NAMED_PERSON = languages.named_person()
_ENUMERATION = re.compile(r"[,;:]")
_LIST_JOINS = languages.list_joins()
LIST_MIN_ITEMS = 3
# what opens an enumeration within a few words after the noun it enumerates: "5 mục tiêu gồm:", "deux domaines : …"
_LIST_OPENING = languages.list_opening()


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


@dataclass(frozen=True)
class UnitText:
    """What the answerer needs to know of a unit's text; computed once per unit."""

    lines: dict[str, Line]  # the unit in each language the knowledge has
    origin: Article
    folded: str
    tokens: dict[str, set[str]]  # folded words of each language version
    pairs: dict[str, frozenset[str]]  # neighbouring content words of each language version
    terms: frozenset[str]  # glossary entry ids mentioned, nested names included
    named: frozenset[str]  # glossary entry ids named on their own (outermost matches)
    weak: bool  # a title, subheading or photo caption: it restates, the body sentence informs
    context: frozenset[str] = frozenset()  # events its article opens with: what "hội nghị" refers to
    section: frozenset[str] = frozenset()  # entities named earlier in its section: what "hai bên" refers to
    analysed: frozenset[str] = frozenset()  # the word tokens of all its versions (text.analyse), for the lexicon


@dataclass
class Candidate:
    unit: Unit
    text: UnitText
    coverage: float = 0.0
    type_ok: bool = True
    score: float = 0.0
    features: Features | None = None

    @property
    def date(self) -> str:
        return self.origin.date

    @property
    def origin(self) -> Article:
        return self.text.origin

    @property
    def lines(self) -> dict[str, Line]:
        return self.text.lines

    @property
    def folded(self) -> str:
        return self.text.folded


def _unit_lines(knowledge: Knowledge, unit: Unit) -> dict[str, Line]:
    first = unit.sentence_ids[0]
    out = {}
    for lang in ("vi", "fr"):
        line = knowledge.aligned(first, lang)
        if line is not None:
            out[lang] = line
    return out


def unit_text(knowledge: Knowledge, unit_id: str, first_sentence: str) -> UnitText:
    lines = {}
    for lang in ("vi", "fr"):
        line = knowledge.aligned(first_sentence, lang)
        if line is not None:
            lines[lang] = line
    origin = knowledge.articles[unit_id.rsplit(":", 1)[0]]
    joined = " ".join(line.text for line in lines.values())
    folded = fold(nfc(joined)).lower()
    tokens = {lang: folded_words(line.text, lang) for lang, line in lines.items()}
    pairs = {lang: content_pairs(line.text, lang) for lang, line in lines.items()}
    terms = knowledge.glossary.find(folded)
    named = knowledge.glossary.find_outermost(folded)
    own = lines[origin.lang]
    return UnitText(lines, origin, folded, tokens, pairs, frozenset(e.id for e in terms), frozenset(e.id for e in named),
                    is_weak_line(origin, own), article_events(knowledge, origin),
                    section_entities(knowledge, origin, own),
                    frozenset(t for lang, line in lines.items() for t in analyse(line.text, lang)))


ARTICLE_OPENING_LINES = 3


def article_events(knowledge: Knowledge, article: Article) -> frozenset[str]:
    """Events named in an article's title and first lines: a later "the conference" means them."""
    opening = " ".join([article.title, *(line.text for line in article.lines[:ARTICLE_OPENING_LINES])])
    return frozenset(e.id for e in knowledge.glossary.find(opening) if e.kind == "event")


REFERRED_KINDS = frozenset({"place", "institution", "person", "event"})
NAMED_KINDS = REFERRED_KINDS | {"country"}  # a question about one the knowledge never names is not answered


def section_entities(knowledge: Knowledge, article: Article, line: Line) -> frozenset[str]:
    """Places, institutions, people and events named in the lines before `line` in its section
    (since the last subheading): what "hai thành phố" or "les deux parties" there refers to."""
    before = article.lines[: line.n - 1]
    start = max((i + 1 for i, other in enumerate(before) if _is_subheading(article, other)), default=0)
    text = " ".join(other.text for other in before[start:])
    return frozenset(e.id for e in knowledge.glossary.find(text) if e.kind in REFERRED_KINDS)


def _is_subheading(article: Article, line: Line) -> bool:
    return is_weak_line(article, line) and not _CAPTION.search(line.text)


_CAPTION = languages.caption()


def is_weak_line(article: Article, line: Line) -> bool:
    """Titles, subheadings (a paragraph of one line without final punctuation) and captions."""
    if _CAPTION.search(line.text):
        return True
    alone = sum(other.paragraph == line.paragraph for other in article.lines) == 1
    return alone and not line.text.rstrip().endswith((".", "!", "?", "…", "\"", "”", ")"))


def coverage(question: Question, candidate: Candidate, weight: dict[str, float], section_share: float) -> float:
    """Share of the question's concepts (glossary terms and other content words) the unit states,
    each weighted by its rarity in the knowledge base: missing "ngân sách" (absent everywhere)
    weighs more than missing "hợp tác" (said everywhere). An entity only named earlier in the
    unit's section counts `section_share` of one the unit names itself."""
    total = sum(weight.get(f"term:{e.id}", weight["_absent_term"]) for e in question.terms)
    total += sum(weight.get(w, weight["_absent"]) for w in question.words)
    if total == 0:
        return 1.0
    stated = candidate.text.terms | candidate.text.context
    hits = sum(weight.get(f"term:{e.id}", weight["_absent_term"]) * _share(e.id, stated, candidate.text.section, section_share)
               for e in question.terms)
    tokens = candidate.text.tokens.get(question.lang) or candidate.text.tokens[candidate.origin.lang]
    hits += sum(weight.get(w, weight["_absent"]) for w in question.words if w in tokens or stem(w, question.lang) in tokens)
    return hits / total


def phrase_overlap(question: Question, candidate: Candidate) -> float:
    """Share of the question's neighbouring word pairs the unit says in the same order: "chủ đề" is
    one word, which two syllables found apart ("Chủ tịch … đề") are not."""
    if not question.pairs:
        return 0.0
    pairs = candidate.text.pairs.get(question.lang) or candidate.text.pairs[candidate.origin.lang]
    return len(question.pairs & pairs) / len(question.pairs)


def translated_share(linked: dict[str, str], candidate: Candidate) -> float:
    """Share of the question's words that have a learned translation (`linked`: token → translation) the
    unit states in either language: the lexical match that also holds for a passage in the other one."""
    if not linked:
        return 0.0
    stated = candidate.text.analysed
    return sum(word in stated or translation in stated for word, translation in linked.items()) / len(linked)


def _share(term: str, stated: frozenset[str], section: frozenset[str], section_share: float) -> float:
    if term in stated:
        return 1.0
    return section_share if term in section else 0.0


def quantities(folded: str) -> set[str]:
    """Numbers that count something: not ordinals, years or day/month dates."""
    without_dates = _DAY_MONTH.sub(" ", _YEAR.sub(" ", folded))
    return numbers(without_dates) - {str(o) for o in ordinals(folded)}


def type_matches(kind: str, candidate: Candidate, new_terms: dict[str, str]) -> bool:
    """Does the unit contain the kind of fact asked for? `new_terms`: specific glossary
    terms (id → kind) the unit names that the question does not."""
    text = candidate.folded
    if kind == "number":
        return bool(quantities(text))
    if kind == "date":
        written = nfc(" ".join(line.text for line in candidate.lines.values())).lower()
        return bool(_YEAR.search(text) or _DAY_MONTH.search(text) or _MONTHS.search(written)
                    or _YEARS_AGO.search(written))
    if kind == "place":
        return "place" in new_terms.values()
    if kind == "person":
        original = candidate.lines[candidate.origin.lang].text
        return "person" in new_terms.values() or bool(_NAMED_PERSON.search(original))
    if kind == "list":
        return len(_ENUMERATION.findall(text)) >= LIST_MIN_ITEMS + 1
    return True


def counted_figures(question: Question, candidate: Candidate) -> list[str]:
    """For "how many X": the numbers the unit puts right before X (e.g. "800 đại biểu").

    The whole noun is looked for first ("dự án", not any "dự…"); its head alone only when
    the whole is absent, since the question may run on past the noun ("bao nhiêu người tham dự").
    Ordinals ("lần thứ 12") count nothing."""
    if not question.counted:
        return []
    line = candidate.lines.get(question.lang) or candidate.lines[candidate.origin.lang]
    text = normalize_numbers(fold(line.text).lower())
    edition = {str(o) for o in ordinals(text)}
    stems = [re.escape(stem(w, question.lang)) for w in question.counted.split()]
    for noun in dict.fromkeys([r"\w*\s+".join(stems), stems[0]]):
        found = [n for n in re.findall(rf"(\d+)\s+(?:\w+\s+){{0,2}}?{noun}\w*\b", text) if n not in edition]
        if found:
            return found
    return []


def lists_asked_noun(question: Question, candidate: Candidate) -> bool:
    """For "which Xs": the unit names X and goes on to enumerate ("5 mục tiêu gồm: a, b, c")."""
    if question.kind != "list" or not question.listed:
        return False
    line = candidate.lines.get(question.lang) or candidate.lines[candidate.origin.lang]
    text = fold(line.text).lower()
    stems = [re.escape(stem(w, question.lang)) for w in question.listed.split()]
    found = re.search(r"\b" + r"\w*\s+".join(stems) + r"\w*" + _LIST_OPENING, text)
    return bool(found) and len(_LIST_JOINS.findall(text[found.end():])) >= LIST_MIN_ITEMS - 1


def counts_asked_noun(question: Question, candidate: Candidate) -> bool:
    return bool(counted_figures(question, candidate))


def editions(candidate: Candidate) -> frozenset[int]:
    """The editions a unit speaks of: those it names, else those its article's title names
    (a sentence of a report on the 8th Assises speaks of the 8th without saying so)."""
    return ordinals(candidate.folded) or ordinals(candidate.origin.title)


def ordinal_agreement(question: Question, candidate: Candidate) -> int:
    """+1 when the unit names the edition asked about, -1 when it names only others."""
    if not question.ordinals:
        return 0
    found = editions(candidate)
    if question.ordinals <= found:
        return 1
    return -1 if found else 0


def is_supported(signals: dict, min_dense: float, min_coverage: float, min_probability: float | None = None) -> bool:
    """The abstention rule: the learned scorer's probability for the best candidate (when a scorer is
    used; its threshold is chosen by cross-validation in `coopbot train`), else the hand-set dense and
    coverage thresholds; and the question's edition and named entities found in the knowledge."""
    if min_probability is not None and signals.get("probability") is not None:
        confident = signals["probability"] >= min_probability
    else:
        dense = signals["dense_top"]
        confident = (dense is None or dense >= min_dense) and signals["coverage"] >= min_coverage
    return confident and signals["ordinals_ok"] and signals.get("entities_known", True)


_FIGURE = re.compile(r"(?<![\d/])\d{1,3}(?:[\s.]\d{3})+(?![\d/])|(?<![\d/.,])\d+(?:[.,]\d+)?(?![\d/])")
_WRITTEN_DATE = re.compile(
    r"\b\d{1,2}\s*(?:[-–]\s*\d{1,2}\s*)?/\s*\d{1,2}(?:\s*/\s*\d{4})?\b"
    rf"|\b(?:{languages.written_dates()})\b|\b(?:19|20)\d{{2}}\b",
    re.IGNORECASE)
ASKED_NAME_KINDS = {"place": {"place", "country"}, "person": {"person"}, "institution": {"institution"}}
MAX_ASKED_VALUES = 3


def asked_values(question: Question, text: str, glossary, lang: str) -> list[str]:
    """What the question asks for, as the sentence `text` states it: figures with their noun, dates, or the
    places, people and bodies it names (in `lang` when the glossary knows them) that the question does not."""
    asked = {e.id for e in question.terms}
    if question.kind == "number":
        found = figures_with_noun(question, text)
    elif question.kind == "date":
        found = [m.group() for m in _WRITTEN_DATE.finditer(text) if m.group() not in question.numbers]
    elif question.kind in ASKED_NAME_KINDS:
        kinds = ASKED_NAME_KINDS[question.kind]
        found = [(entry.vi if lang == "vi" else entry.fr)[0] for entry in glossary.find_outermost(fold(text).lower())
                 if entry.kind in kinds and entry.id not in asked]
        if not found:
            asked_names = {fold(n).lower() for n in question.names}
            found = [n for n in proper_names(text) if fold(n).lower() not in asked_names]
    else:
        found = []
    return list(dict.fromkeys(found))[:MAX_ASKED_VALUES]


def figures_with_noun(question: Question, text: str) -> list[str]:
    """Counted figures as written with the word after them ("800 délégués", "1.000 đại biểu"): those before
    the noun a "how many" question counts when it names one, else any that is no year, date or edition."""
    editions = {str(o) for o in ordinals(fold(text).lower())}
    found = []
    for match in _FIGURE.finditer(text):
        digits = normalize_numbers(match.group())
        if _YEAR.fullmatch(digits) or digits in editions or digits in question.numbers:
            continue
        noun_words = 2 if question.lang == "vi" else 1  # a Vietnamese noun is often two syllables
        after = re.match(rf"\s*(?:%|[^\W\d]+(?:\s+[^\W\d]+){{0,{noun_words - 1}}})", text[match.end():])
        phrase = match.group() + (after.group() if after else "")
        noun = fold(after.group()).lower().split() if after else []
        if question.counted and not _names_noun(noun, question.counted.split(), question.lang):
            continue
        found.append(phrase.strip())
    return found


def _names_noun(words: list[str], noun: list[str], lang: str) -> bool:
    """Do `words` begin with the noun (each word matched on its stem, so French plurals agree)?"""
    return len(words) >= len(noun) and all(w.startswith(stem(n, lang)) or n.startswith(stem(w, lang))
                                           for w, n in zip(words, noun, strict=False))


def name_glosses(candidate: Candidate, glossary, lang: str) -> list[str]:
    """The passage's glossary names with their form in `lang`: "Hô Chi Minh-Ville = Thành phố Hồ Chí Minh"."""
    text = candidate.lines[candidate.origin.lang].text
    folded = fold(text).lower()
    glosses = []
    for entry in glossary.find_outermost(folded):
        mine = (entry.vi if lang == "vi" else entry.fr)[:1]
        written = next((form for form in entry.forms if fold(form).lower() in folded and form in text), None)
        if mine and written and fold(mine[0]).lower() != fold(written).lower():
            glosses.append(f"{written} = {mine[0]}")
    return list(dict.fromkeys(glosses))


def same_edition(a: Candidate, b: Candidate) -> bool:
    """Two sentences can state the same claim only about the same edition (or when one names none):
    the 10th Assises' delegates and the 12th's are two facts, not a disagreement."""
    ours, theirs = editions(a), editions(b)
    return not ours or not theirs or ours == theirs


def highlighted(sentence: str, values: list[str]) -> str:
    """The sentence with each asked value it contains in bold (Markdown)."""
    for value in sorted(values, key=len, reverse=True):
        sentence = re.sub(rf"(?<![\w*]){re.escape(value)}(?![\w*])", lambda m: f"**{m.group()}**", sentence, count=1)
    return sentence


def abstention_text(lang: str, unknown_names: list[str]) -> str:
    """Why coopbot does not answer, in the asker's language: the names the sources never mention first."""
    if not unknown_names:
        return ABSTAIN_TEXT[lang]
    joiner = " và " if lang == "vi" else " ni "
    return f"{MISSING_NAMES[lang].format(names=joiner.join(unknown_names))} {ABSTAIN_TEXT[lang]}"


def entity_share(question: Question, candidate: Candidate) -> float:
    """Share of the question's glossary entities the unit names (or its section or article opening)."""
    asked = {e.id for e in question.terms}
    if not asked:
        return 1.0
    stated = candidate.text.terms | candidate.text.context | candidate.text.section
    return len(asked & stated) / len(asked)


class ExtractiveAnswerer:
    """Turns retrieved units into an Answer; thresholds come from Settings."""

    def __init__(self, knowledge: Knowledge, settings: Settings, index: Index | None = None) -> None:
        self.knowledge = knowledge
        self.settings = settings
        self.index = index
        self._texts: LRUCache = LRUCache(maxsize=settings.unit_text_cache_size)
        self._term_kind = {e.id: e.kind for e in knowledge.glossary.entries}
        counts = index.term_counts if index is not None and index.term_counts is not None else count_terms(knowledge)
        self._weights = rarity_weights(counts, settings.absent_word_share)
        self._mentioned = counts.mentioned()
        self._folded_text = "\n".join(fold(nfc(line.text)).lower() for article in knowledge.articles.values()
                                      for line in [*article.lines]) + "\n" + "\n".join(
            fold(nfc(article.title)).lower() for article in knowledge.articles.values())
        self.scorer = LearnedScorer.load() if settings.scorer == "learned" else None
        self.lexicon = index.lexicon if index is not None else Lexicon()

    def new_terms(self, question: Question, candidate: Candidate) -> dict[str, str]:
        """Glossary terms (id → kind) the unit names on its own and the question does not."""
        asked = {e.id for e in question.terms}
        return {t: self._term_kind[t] for t in candidate.text.named if t not in asked}

    def unit_text_of(self, unit: Unit) -> UnitText:
        """The unit's analysed text, remembered for the most recently met units."""
        cached = self._texts.get(unit.unit_id)
        if cached is None:
            cached = self._texts[unit.unit_id] = unit_text(self.knowledge, unit.unit_id, unit.sentence_ids[0])
        return cached

    def rank(self, question: Question, retrieval: Retrieval) -> list[Candidate]:
        """The top_k retrieved units as candidates, the best answer first."""
        return self._scored(question, retrieval.units[: self.settings.top_k])

    def _scored(self, question: Question, units: list[Unit], best_prior: float | None = None) -> list[Candidate]:
        if not units:
            return []
        best_prior = best_prior or max(unit.prior for unit in units)
        best_dense = max(unit.dense for unit in units)
        best_bm25 = max(unit.bm25 for unit in units) or 1.0
        linked = self.lexicon.links(question.tokens, question.lang)
        candidates = []
        for unit in units:
            candidate = Candidate(unit, self.unit_text_of(unit))
            candidate.coverage = coverage(question, candidate, self._weights, self.settings.section_share)
            listed = lists_asked_noun(question, candidate)
            candidate.type_ok = type_matches(question.kind, candidate, self.new_terms(question, candidate)) or listed
            candidate.features = Features(
                dense=unit.dense,
                dense_gap=best_dense - unit.dense, bm25=unit.bm25 / best_bm25, coverage=candidate.coverage,
                entities=entity_share(question, candidate), type_match=float(candidate.type_ok),
                edition=float(ordinal_agreement(question, candidate)),
                counted=float(counts_asked_noun(question, candidate)), listed=float(listed),
                phrase=phrase_overlap(question, candidate), weak=float(candidate.text.weak),
                cross=float(question.lang not in candidate.lines), translated=translated_share(linked, candidate))
            candidate.score = self._score(question, candidate.features, unit.prior / best_prior)
            candidates.append(candidate)
        # a sentence about another edition than the one asked cannot answer, however well it scores
        return sorted(candidates, key=lambda c: (c.features.edition >= 0, c.score), reverse=True)

    def _score(self, question: Question, f: Features, prior: float) -> float:
        """The learned probability that the candidate states the answer, or the hand-set sum (a baseline and
        the fake-embedder tests' scorer) over the features and the fusion `prior`."""
        if self.scorer is not None:
            return self.scorer.probability(f)
        s = self.settings
        return (prior + s.weight_coverage * f.coverage + s.weight_type * f.type_match + s.weight_ordinal * f.edition
                + s.weight_counted * f.counted + s.weight_listed * f.listed
                + s.weight_phrase[question.lang] * f.phrase - s.weight_weak_line * f.weak)

    def signals(self, question: Question, retrieval: Retrieval, ranked: list[Candidate]) -> dict:
        best = ranked[0] if ranked else None
        top = ranked[: self.settings.abstain_window]
        unknown = self.unknown_names(question)
        return {
            "kind": question.kind,
            "dense_top": round(retrieval.dense_top, 4) if retrieval.query_vector is not None else None,
            "coverage": round(best.coverage, 4) if best else 0.0,
            "type_ok": bool(best and best.type_ok),
            "ordinals_ok": (not question.ordinals or any(question.ordinals <= editions(c) for c in top))
                           and (best is None or ordinal_agreement(question, best) >= 0),
            "entities_known": (all(e.id in self._mentioned for e in question.terms if e.kind in NAMED_KINDS)
                               and not unknown),
            "unknown_names": unknown,
            "probability": round(best.score, 4) if best and self.scorer is not None else None,
            "min_probability": (self.scorer.threshold_for(best.features)
                                if best and best.features and self.scorer is not None else None),
        }

    def unknown_names(self, question: Question) -> list[str]:
        """Proper names of the question that no knowledge sentence or title mentions, in any spelling
        the glossary knows: the sources cannot be about them (no list of absent places is kept)."""
        return [name for name in question.names if not self._mentions(name)]

    def _mentions(self, name: str) -> bool:
        """A name (or, when it may open the question, "Quand Hô Chi Minh-Ville", the name after its first
        word) written in the knowledge, or a glossary spelling of an entity the knowledge mentions."""
        words = re.findall(r"\w+", fold(name).lower())
        for tail in (words, words[1:]):
            if tail and re.search(r"\b" + r"\W{1,3}".join(map(re.escape, tail)) + r"\b", self._folded_text):
                return True
        return any(entry.id in self._mentioned for entry in self.knowledge.glossary.find(fold(name).lower()))

    def supported(self, signals: dict) -> bool:
        if not self.settings.abstention:
            return True
        return is_supported(signals, self.settings.abstain_min_dense, self.settings.abstain_min_coverage,
                            signals.get("min_probability"))

    def answer(self, question: Question, retrieval: Retrieval, ranked: list[Candidate] | None = None) -> Answer:
        """The answer from `ranked` (this answerer's `rank` of the retrieval, computed when not given)."""
        ranked = self.rank(question, retrieval) if ranked is None else ranked
        signals = self.signals(question, retrieval, ranked)
        if question.parts:
            from .twopart import answer_in_parts  # twopart builds on this module

            return answer_in_parts(self, question, retrieval, signals)
        if not ranked or not self.supported(signals):
            return Answer(question.text, question.lang, abstention_text(question.lang, signals["unknown_names"]),
                          True, signals=signals)
        best = ranked[0]
        group = self._same_subject(question, best, self._others(question, retrieval, ranked))
        values = {c.unit.unit_id: self._values(question, c) for c in [best, *group]}
        compared = {c.unit.unit_id: _comparable(values[best.unit.unit_id], values[c.unit.unit_id]) for c in group}
        conflicting = [c for c in group if compared[c.unit.unit_id] and _disagree(*compared[c.unit.unit_id])]
        agreeing = [c for c in group if c not in conflicting]
        if conflicting and question.kind in CONFLICT_INTRO:
            signals["conflict"] = True
            sources = sorted([best, *conflicting, *agreeing][: self.settings.max_answer_sentences],
                             key=lambda c: c.date, reverse=True)
            return self._render_conflict(question, sources, signals)
        if question.kind == "list":
            return self._render_single(question, best, [], signals, self._companions(ranked))
        return self._render_single(question, best, agreeing, signals)

    def _companions(self, ranked: list[Candidate]) -> list[Candidate]:
        """For a "which Xs" question, the next enumerating sentences that score almost as well as the
        best. Each is shown, not merged into the best one's markers: two lists seldom name the same
        items, and the items asked for are often spread over two sentences or two sources."""
        best = ranked[0]
        close = [c for c in ranked[1:] if c.type_ok and not c.text.weak
                 and c.score >= best.score * self.settings.companion_min_score]
        return close[: self.settings.max_answer_sentences - 1]

    def _others(self, question: Question, retrieval: Retrieval, ranked: list[Candidate]) -> list[Candidate]:
        """Candidates to compare with the best one; for a "how many" answer also the units down to
        count_pool, since another source's figure of the same noun may rank low."""
        if not counts_asked_noun(question, ranked[0]):
            return ranked[1:]
        top = retrieval.units[: self.settings.top_k]
        wider = self._scored(question, retrieval.units[self.settings.top_k : self.settings.count_pool],
                             max(unit.prior for unit in top))
        return sorted(ranked[1:] + wider, key=lambda c: -c.score)

    def _same_subject(self, question: Question, best: Candidate, others: list[Candidate]) -> list[Candidate]:
        """Other sources' sentences that answer the same question (for merging or disagreement)."""
        group, seen_articles = [], {best.origin.id}
        plausible = [
            other for other in others
            if other.type_ok and other.score >= best.score * self.settings.related_min_score
        ]
        similarity = self._similarity(best, plausible)
        for other in plausible:
            if other.origin.id in seen_articles or not same_edition(best, other):
                continue
            if counts_asked_noun(question, best):
                if not self._counts_same_thing(question, best, other):
                    continue
            elif question.kind == "date":
                if not self._dates_same_thing(question, best, other, similarity.get(other.unit.unit_id, 0.0)):
                    continue
            elif similarity.get(other.unit.unit_id, 0.0) < self.settings.related_min_similarity:
                continue
            group.append(other)
            seen_articles.add(other.origin.id)
        return group[: self.settings.max_answer_sentences - 1]

    @staticmethod
    def _counts_same_thing(question: Question, best: Candidate, other: Candidate) -> bool:
        """Two sentences that count the noun a "how many" question asks about, for the edition
        it names, speak of the same thing however different the rest of them is."""
        return (
            counts_asked_noun(question, best) and counts_asked_noun(question, other)
            and ordinal_agreement(question, other) >= 0
        )

    def _dates_same_thing(self, question: Question, best: Candidate, other: Candidate, similarity: float) -> bool:
        """Two sentences date the same thing when they give dates of one grain (a year is not the day
        of another event) and are alike, or name what the question names as fully as each other."""
        if _comparable(self._values(question, best), self._values(question, other)) is None:
            return False
        return similarity >= self.settings.related_min_similarity or other.coverage >= best.coverage

    def _similarity(self, best: Candidate, others: list[Candidate]) -> dict[str, float]:
        """Cosine similarity of each candidate's sentence to the best one, averaged over the languages both
        are written in: a Vietnamese and a French asker group the same other sources."""
        if not others or self.index is None:
            return {}
        vectors = self.index.vectors([line.id for c in [best, *others] for line in c.lines.values()])
        def alike(other: Candidate) -> float:
            both = [(best.lines[lang].id, line.id) for lang, line in other.lines.items() if lang in best.lines]
            values = [float(vectors[a] @ vectors[b]) for a, b in both if a in vectors and b in vectors]
            return sum(values) / len(values) if values else 0.0
        return {o.unit.unit_id: alike(o) for o in others}

    def _values(self, question: Question, candidate: Candidate) -> frozenset[str]:
        """The figures a sentence gives for a number/date question (ordinals set aside). A date's are
        marked with their grain: "year:1989" (a "30 years ago" counted back from the article's date)
        or "day:14" for the days and months of a date."""
        if question.kind == "number":
            return frozenset(counted_figures(question, candidate) or quantities(candidate.folded) - question.numbers)
        if question.kind != "date":
            return frozenset()
        text = candidate.folded
        written = set(_YEAR.findall(text))
        ago = {next(g for g in m.groups() if g) for m in _YEARS_AGO.finditer(text)}
        years = written | {str(int(candidate.date[:4]) - int(n)) for n in ago}
        days = numbers(text) - written - ago - {str(o) for o in ordinals(text)} - question.numbers
        return frozenset({f"year:{y}" for y in years - question.numbers} | {f"day:{d}" for d in days})

    def _render_single(self, question: Question, best: Candidate, agreeing: list[Candidate], signals: dict,
                       companions: list[Candidate] | None = None) -> Answer:
        """The best sentence with the markers of every source that states it, then any companion
        sentence with its own marker."""
        antecedent = self._antecedent(best, question.lang)
        shown = [antecedent] if antecedent is not None else []
        if antecedent is not None:
            agreeing = [c for c in agreeing if c.unit.unit_id != antecedent.unit.unit_id]
            companions = [c for c in companions or [] if c.unit.unit_id != antecedent.unit.unit_id]
        citations = [self._cite(c, question.lang, n) for n, c in enumerate([*shown, best, *agreeing], start=1)]
        parts = [f"{self._text(antecedent, question.lang)} [1]"] if antecedent is not None else []
        markers = "".join(f"[{c.n}]" for c in citations[len(shown):])
        values = self._shown_values(question, best)
        parts.append(f"{self._text(best, question.lang, question, values)} {markers}")
        for candidate in companions or []:
            citations.append(self._cite(candidate, question.lang, len(citations) + 1))
            parts.append(f"{self._text(candidate, question.lang, question)} [{citations[-1].n}]")
        lead = f"**{', '.join(values)}**\n\n" if values and question.lang in best.lines else ""
        return Answer(question.text, question.lang, lead + " ".join(parts), False, citations, signals=signals)

    def _antecedent(self, candidate: Candidate, lang: str) -> Candidate | None:
        """The sentence before one that opens by referring to it ("Đây là…", "C'est ce qu'a souligné…"),
        when it is a body sentence of the same article: quoted first, so that the answer says who or what."""
        shown = candidate.lines.get(lang) or candidate.lines[candidate.origin.lang]
        doc_id, n = candidate.unit.unit_id.rsplit(":", 1)
        if int(n) <= 1 or not languages.refers_back(shown.text):
            return None
        previous = Unit(f"{doc_id}:{int(n) - 1}", [f"{doc_id}:{int(n) - 1}"])
        text = self.unit_text_of(previous)
        return None if text.weak else Candidate(previous, text)

    def _shown_values(self, question: Question, candidate: Candidate) -> list[str]:
        """The asked values as the sentence shown in the asker's language writes them (none when it is
        only in the other language: its own lead says them)."""
        line = candidate.lines.get(question.lang)
        if line is None:
            return []
        return [v for v in asked_values(question, line.text, self.knowledge.glossary, question.lang) if v in line.text]

    def _render_conflict(self, question: Question, sources: list[Candidate], signals: dict) -> Answer:
        """The values side by side in one line (outlet: value), then each source's sentence, newest first."""
        lang = question.lang
        values = {c.unit.unit_id: self._shown_values(question, c) for c in sources}
        summary = "; ".join(f"{self._outlet(c, lang)}{COLON[lang]} {', '.join(values[c.unit.unit_id])}" for c in sources
                            if values[c.unit.unit_id])
        lines = [CONFLICT_INTRO[question.kind][lang] + (f" {summary}." if summary else "")]
        citations = []
        for n, candidate in enumerate(sources, start=1):
            citations.append(self._cite(candidate, lang, n))
            who = ACCORDING_TO[lang].format(outlet=self._outlet(candidate, lang), date=display_date(candidate.date, lang))
            lines.append(f"- {who}{COLON[lang]} {self._text(candidate, lang, question, values[candidate.unit.unit_id])} [{n}]")
        return Answer(question.text, lang, "\n".join(lines), False, citations, signals=signals)

    def _text(self, candidate: Candidate, lang: str, question: Question | None = None,
              values: list[str] | None = None) -> str:
        """The sentence in `lang`; a passage the knowledge has only in the other language is framed in
        `lang`: the asked values it states (figures, dates and names read alike in both languages), its
        outlet and date, then the passage, labelled with its language, and its names glossed."""
        line = candidate.lines.get(lang)
        if line is not None:
            return highlighted(line.text, values or [])
        original = candidate.lines[candidate.origin.lang]
        values = asked_values(question, original.text, self.knowledge.glossary, lang) if question else []
        date = display_date(candidate.date, lang)
        lead = (ASKED_VALUES[lang].format(outlet=self._outlet(candidate, lang), date=date, values=", ".join(values))
                if values else ACCORDING_TO[lang].format(outlet=self._outlet(candidate, lang), date=date) + COLON[lang])
        passage = PASSAGE_IN[lang].format(lang_name=LANG_NAMES[lang][candidate.origin.lang], text=original.text)
        names = name_glosses(candidate, self.knowledge.glossary, lang)
        glosses = names + self._word_glosses(original.text, candidate.origin.lang, lang, question, " ".join(names))
        return " ".join(part for part in (lead, passage, f"({'; '.join(glosses)})" if glosses else "") if part)

    def _word_glosses(self, text: str, text_lang: str, lang: str, question: Question | None, named: str) -> list[str]:
        """The passage's words the learned lexicon translates into `lang`: "entreprises = doanh nghiệp";
        not those the asker wrote, figures, or the words of names glossed already (`named`)."""
        known = set(analyse_query(question.text, question.lang)) if question else set()
        named = named.lower()
        return [f"{word} = {translation}"
                for word, translation in self.lexicon.glosses(text, text_lang, lang, known)
                if not word.isdigit() and not translation.isdigit() and word.lower() not in named]

    def _outlet(self, candidate: Candidate, lang: str) -> str:
        """The outlet as the article's version in `lang` names it (the original's when there is none)."""
        version = self.knowledge.translations(candidate.origin.id).get(lang)
        return (version or candidate.origin).outlet

    def _cite(self, candidate: Candidate, lang: str, n: int) -> Citation:
        return self.cite_text(candidate.text, lang, n)

    def cite_text(self, unit: UnitText, lang: str, n: int) -> Citation:
        """A citation of the unit, shown in `lang` when the knowledge has it, else in the original."""
        original = unit.lines[unit.origin.lang]
        shown = unit.lines.get(lang, original)
        article = self.knowledge.articles[shown.doc_id]
        return Citation(
            n=n, doc_id=article.id, source_file=article.source_file, title=article.title, outlet=article.outlet,
            date=article.date, lang=article.lang, text=shown.text, original_text=original.text,
            original_lang=unit.origin.lang, sentence_id=shown.id, origin_doc_id=unit.origin.id,
            is_translation=bool(article.translation_of), url=article.meta.get("url", ""),
            translation_kind=self.knowledge.translation_kind(shown.id),
        )


def _comparable(a: frozenset[str], b: frozenset[str]) -> tuple[frozenset[str], frozenset[str]] | None:
    """The two sentences' figures of the coarsest grain both give (a year is not compared with the
    day of another event), or None when they share none; figures without a grain compare as they are."""
    for grain in ("year:", "day:"):
        mine = frozenset(v for v in a if v.startswith(grain))
        theirs = frozenset(v for v in b if v.startswith(grain))
        if mine and theirs:
            return mine, theirs
    if any(":" in v for v in a | b):
        return None
    return a, b


def _disagree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sentences disagree when each gives a figure the other lacks."""
    return bool(a and b) and not (a <= b or b <= a)
