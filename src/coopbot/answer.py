"""Extractive answers: rank the retrieved units by the learned scorer over their named features, choose the
sentence(s) that answer, merge a fact stated by several sources, flag sources that disagree about the same
claim, and abstain when unsupported. What a unit states is read in candidates.py; the text is written in
compose.py.
"""

from __future__ import annotations

import re
from functools import cached_property

from cachetools import LRUCache

from . import language as languages
from .agreement import agreement, same_subject, statement_neighbours
from .candidates import (
    NAMED_KINDS,
    Candidate,
    UnitText,
    counted_figures,
    counts_asked_noun,
    coverage,
    editions,
    entity_share,
    holds_value_asked,
    lists_asked_noun,
    ordinal_agreement,
    type_matches,
    unit_text,
    word_translations,
)
from .compose import CONFLICT_INTRO, Answer, Composer, abstention_text, value_unstated
from .config import Settings
from .features import Features, LearnedScorer
from .index import Index
from .knowledge import GlossaryEntry, Knowledge
from .lexicon import Lexicon
from .names import KnownNames
from .question import Question
from .rarity import count_terms, rarity_weights
from .retrieve import Retrieval, Unit, quarantined_units
from .sources import SourceNames, source_agreement
from .text import fold, nfc


def is_supported(signals: dict, min_probability: float) -> bool:
    """The abstention rule: the learned scorer's probability for the best candidate reaches the threshold
    `coopbot train` chose by cross-validation, and the question's edition and named entities are found in
    the knowledge (no candidate at all: no probability, nothing to answer from)."""
    probability = signals.get("probability")
    return (probability is not None and probability >= min_probability
            and signals["ordinals_ok"] and signals.get("entities_known", True))


# the kinds of value whose absence from the best sentence a neighbouring sentence may make up
STATED_KINDS = frozenset({"number", "date", "place", "person"})


def line_unit(doc_id: str, n: int) -> Unit:
    """The unit of an article's line `n`, as a neighbour of a retrieved one (its own retrieval scores unknown)."""
    return Unit(f"{doc_id}:{n}", [f"{doc_id}:{n}"])


# the kinds of value whose absence from a sentence is read surely (figures and dates are written in figures or
# month words; a person or a place may be named without a title or a glossary entry): a closest passage that
# holds none is no answer, and coopbot abstains (`compose.value_unstated`)
VALUES_READ_SURELY = frozenset({"number", "date"})


class ExtractiveAnswerer:
    """Turns retrieved units into an Answer; the abstention threshold comes with the learned scorer."""

    def __init__(self, knowledge: Knowledge, settings: Settings, index: Index | None = None,
                 quarantined: frozenset[str] | None = None) -> None:
        """`quarantined`: the units never to quote (`retrieve.quarantined_units`), when the caller has them
        already (the engine passes its retriever's); scanned from the knowledge when first needed otherwise."""
        self.knowledge = knowledge
        self.settings = settings
        self.index = index
        self._texts: LRUCache = LRUCache(maxsize=settings.unit_text_cache_size)
        self._article_texts: dict[str, str] = {}
        self._term_kind = {e.id: e.kind for e in knowledge.glossary.entries}
        counts = index.term_counts if index is not None and index.term_counts is not None else count_terms(knowledge)
        self._weights = rarity_weights(counts, settings.absent_word_share)
        self._mentioned = counts.mentioned()
        self._stated = counts.stated()
        self.known_names = KnownNames(knowledge, self._mentioned)
        self.lexicon = index.lexicon if index is not None else Lexicon()
        self.composer = Composer(knowledge, self.lexicon)
        self._given_quarantine = quarantined

    @cached_property
    def _quarantined(self) -> frozenset[str]:
        if self._given_quarantine is not None:
            return self._given_quarantine
        return quarantined_units(self.knowledge, self.settings.encoded_payload_min_chars)

    @cached_property
    def _sources(self) -> SourceNames:
        return SourceNames.of(self.knowledge)

    @cached_property
    def scorer(self) -> LearnedScorer:
        """The shipped model, read when first needed: `coopbot train` reads only the candidates' features
        and gates, so it can refit a scorer whose features changed."""
        return LearnedScorer.load()

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

    def _scored(self, question: Question, units: list[Unit], names: list[str] | None = None) -> list[Candidate]:
        """The candidates scored by the learned probability that they state the answer, best first; one
        that cannot answer (`Features.may_answer`) comes after those that can, however well it scores, and
        one whose article names none of the question's names (`names_the_article_names`) after those whose
        article names one. `names`: the question's `names_beyond_glossary`, when the caller has them."""
        candidates = self.candidates(question, units)
        for candidate in candidates:
            candidate.score = self.scorer.probability(candidate.features)
        names = self.names_beyond_glossary(question) if names is None else names
        return sorted(candidates, key=lambda c: (Features.may_answer(c.features.vector()),
                                                 self.names_the_article_names(names, c), c.score), reverse=True)

    def names_beyond_glossary(self, question: Question) -> list[str]:
        """The question's proper names (folded) that no glossary form covers, nor a single word the knowledge writes
        in lower case ("Eau des montagnes"): the names of added documents ("Thanh Hóa", "Nantes Métropole"), which
        read alike in either language. A name of several words is one though each is written in lower case
        somewhere, as the syllables of a Vietnamese name are ("hội", "an": "Hội An")."""
        text = fold(nfc(question.text)).lower()
        spans = self.knowledge.glossary.spans(text)
        names = []
        for name in question.names:
            folded = fold(nfc(name)).lower()
            at = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(folded)}(?!\w)", text)]
            words = nfc(name).split()
            common = len(words) == 1 and words[0].lower() in self.composer.common
            known = self.knowledge.glossary.find(folded) or self.knowledge.glossary.within_a_form(folded)
            if not (common or known or any(s <= a < e for a in at for s, e in spans)):
                names.append(folded)
        return names

    def names_the_article_names(self, names: list[str], candidate: Candidate) -> bool:
        """Does the candidate's article name one of `names` (anywhere, as a whole name)? True when there are none."""
        text = self.article_text(candidate.origin.id)
        return not names or any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in names)

    def article_text(self, article_id: str) -> str:
        """An article's title and lines, folded, read once."""
        if article_id not in self._article_texts:
            article = self.knowledge.articles[article_id]
            lines = [article.title, *(line.text for line in article.lines)]
            self._article_texts[article_id] = fold(nfc(" ".join(lines))).lower()
        return self._article_texts[article_id]

    def candidates(self, question: Question, units: list[Unit]) -> list[Candidate]:
        """The units as candidates with their features (unscored, in retrieval order)."""
        # cross-lingual similarity runs lower: a unit is measured against the best of its own kind (in the
        # asker's language, or only in the other)
        best_dense = {}
        for unit in units:
            kind = question.lang in self.unit_text_of(unit).lines
            best_dense[kind] = max(best_dense.get(kind, unit.dense), unit.dense)
        linked = self.lexicon.links(question.tokens, question.lang)
        translations = word_translations(question, linked)
        named_sources, unsure = self._sources.named(question.text), self._sources.unsure(question.text)
        candidates = []
        for unit in units:
            candidate = Candidate(unit, self.unit_text_of(unit))
            candidate.coverage = coverage(question, candidate, self._weights, self.settings.section_share, translations)
            listed = lists_asked_noun(question, candidate)
            candidate.type_ok = type_matches(question.kind, candidate, self.new_terms(question, candidate),
                                             question.money) or listed
            candidate.features = Features(
                dense=unit.similarity,
                dense_gap=best_dense[question.lang in candidate.lines] - unit.dense, coverage=candidate.coverage,
                entities=entity_share(question, candidate), type_match=float(candidate.type_ok),
                edition=float(ordinal_agreement(question, candidate)),
                counted=float(counts_asked_noun(question, candidate)), listed=float(listed),
                weak=float(candidate.text.weak),
                cross=float(question.lang not in candidate.lines), glossed=unit.glossed,
                source=source_agreement(named_sources, candidate.origin.origin_id, unsure))
            candidates.append(candidate)
        return candidates

    def gates(self, question: Question, candidates: list[Candidate]) -> dict:
        """The abstention gates, read from the whole candidate set and not from its ranking, so that the
        rows `coopbot train` learns from do not depend on the model being replaced. The edition asked must
        be named by some candidate (the ranking then puts one first: a best candidate about another
        edition only happens when none names it); the named entities must be in the knowledge."""
        unknown = self.known_names.unknown(question.names)
        unsaid = self.unsaid_terms(question)
        return {
            "ordinals_ok": not question.ordinals or any(question.ordinals <= editions(c) for c in candidates),
            "entities_known": not unsaid and not unknown,
            "unknown_names": unknown,
            "unsaid_terms": [entry.written_in(question.lang) for entry in unsaid],
        }

    def unsaid_terms(self, question: Question) -> list[GlossaryEntry]:
        """The glossary terms the question names that the knowledge never says: a name nowhere, a concept
        nowhere on its own ("le maire de Lyon" is not answered by "le maire adjoint de Toulouse"). A part of a
        question that asks two things answers for its own terms, not those of the other part it inherited."""
        return [e for e in question.terms if e.id not in question.inherited
                and e.id not in (self._mentioned if e.kind in NAMED_KINDS else self._stated)]

    def signals(self, question: Question, retrieval: Retrieval, ranked: list[Candidate]) -> dict:
        """What the abstention rule reads (the gates and the best candidate's probability against its
        threshold), with diagnostics shown in the evaluation's failures."""
        best = ranked[0] if ranked else None
        return {
            "kind": question.kind,
            "dense_top": round(retrieval.dense_top, 4) if retrieval.query_vector is not None else None,
            "coverage": round(best.coverage, 4) if best else 0.0,
            "type_ok": bool(best and best.type_ok),
            **self.gates(question, ranked),
            "probability": round(best.score, 4) if best else None,
            "min_probability": self.scorer.threshold_for(best.features) if best else None,
        }

    def supported(self, signals: dict) -> bool:
        """Answer or abstain, by the best candidate's own threshold (none: there is no candidate)."""
        if not self.settings.abstention:
            return True
        threshold = signals["min_probability"]
        return threshold is not None and is_supported(signals, threshold)

    def answer(self, question: Question, retrieval: Retrieval, ranked: list[Candidate] | None = None) -> Answer:
        """The answer from `ranked` (this answerer's `rank` of the retrieval, computed when not given)."""
        ranked = self.rank(question, retrieval) if ranked is None else ranked
        signals = self.signals(question, retrieval, ranked)
        if question.parts:
            from .twopart import answer_in_parts  # twopart builds on this module

            return answer_in_parts(self, question, retrieval, signals)
        if not ranked or not self.supported(signals):
            said = abstention_text(question.lang, signals["unknown_names"], signals["unsaid_terms"])
            return Answer(question.text, question.lang, said, True, signals=signals)
        best = ranked[0]
        group = same_subject(question, best, self._others(question, retrieval, ranked), self.index, self.settings)
        agreeing, conflicting = agreement(question, best, group)
        if conflicting and question.kind in CONFLICT_INTRO:
            signals["conflict"] = True
            sources = sorted([best, *conflicting, *agreeing][: self.settings.max_answer_sentences],
                             key=lambda c: c.date, reverse=True)
            return self.composer.conflict(question, sources, signals)
        if question.kind == "list":
            return self._single(question, best, [], signals, self._companions(ranked))
        answer = self._single(question, best, agreeing, signals)
        if signals.get("value_missing") and question.kind in VALUES_READ_SURELY and not holds_value_asked(question, best):
            return Answer(question.text, question.lang, value_unstated(question.kind, question.lang), True,
                          signals=signals)
        return answer

    def _companions(self, ranked: list[Candidate]) -> list[Candidate]:
        """For a "which Xs" question, the next enumerating sentences that score almost as well as the
        best. Each is shown, not merged into the best one's markers: two lists seldom name the same
        items, and the items asked for are often spread over two sentences or two sources."""
        best = ranked[0]
        close = [c for c in ranked[1:] if c.type_ok and not c.text.weak
                 and c.score >= best.score * self.settings.companion_min_score]
        return close[: self.settings.max_answer_sentences - 1]

    def _others(self, question: Question, retrieval: Retrieval, ranked: list[Candidate]) -> list[Candidate]:
        """Candidates to compare with the best one. For a date or a count, those the question ranks well
        (a disagreement about its claim may be worded unlike the best sentence; for a "how many" answer
        down to count_pool, since another source's figure of the same noun may rank low). Otherwise the
        sentences nearest to the best one (`statement_neighbours`), whatever the question's language. When the
        best one's article names the question's names the glossary lacks, so do theirs: a figure about another
        partnership is no other source's reading of this one's."""
        best, names = ranked[0], self.names_beyond_glossary(question)
        if counted_figures(question, best):  # in figures: a count in words is no value to compare
            wider = self._scored(question, retrieval.units[self.settings.top_k : self.settings.count_pool], names)
            pool = [c for c in sorted(ranked[1:] + wider, key=lambda c: -c.score)
                    if c.score >= best.score * self.settings.related_min_score]
        elif question.kind == "date" or self.index is None:
            pool = [c for c in ranked[1:] if c.score >= best.score * self.settings.related_min_score]
        else:
            pool = self._scored(question, statement_neighbours(self.index, self.knowledge, best,
                                                               self.settings.related_pool, self._quarantined), names)
        if names and self.names_the_article_names(names, best):
            return [c for c in pool if self.names_the_article_names(names, c)]
        return pool

    def _single(self, question: Question, best: Candidate, agreeing: list[Candidate], signals: dict,
                companions: list[Candidate] | None = None) -> Answer:
        return self.composer.single(question, best, agreeing, signals, companions, self.antecedent(best),
                                    self._follower(best) or self.stating_neighbour(question, best))

    def stating_neighbour(self, question: Question, best: Candidate) -> Candidate | None:
        """When the best sentence holds no value of the kind asked (a "who" answered by "a delegation
        inaugurated…"), the sentence after it, or else before it, in the same article that holds one: an
        article often says what happened, then who led it or what it cost."""
        if not self._lacks_value_asked(question, best) or question.kind not in STATED_KINDS:
            return None
        doc_id, n = best.unit.unit_id.rsplit(":", 1)
        for other in (int(n) + 1, int(n) - 1):
            if not 1 <= other <= len(best.origin.lines) or f"{doc_id}:{other}" in self._quarantined:
                continue
            neighbour = self.candidates(question, [line_unit(doc_id, other)])[0]
            if not self._lacks_value_asked(question, neighbour) and not neighbour.text.weak:
                return neighbour
        return None

    @staticmethod
    def _lacks_value_asked(question: Question, candidate: Candidate) -> bool:
        """No value of the kind asked, or for "how many X" no figure of X ("publié le 2 juillet" for "combien de
        dossiers", where the next sentence says "a reçu 23 dossiers")."""
        if not candidate.type_ok:
            return True
        return question.kind == "number" and bool(question.counted) and not counts_asked_noun(question, candidate)

    def _follower(self, candidate: Candidate) -> Candidate | None:
        """The next sentence of the same article when it opens by referring back to this one ("Đó là các
        dự án…", "C'est ce qu'a souligné Đinh Tiến Dũng"): it says what this one announces, or who said
        it, and is quoted after it. Read in any of its language versions, so that both askers get it."""
        doc_id, n = candidate.unit.unit_id.rsplit(":", 1)
        if int(n) >= len(candidate.origin.lines):
            return None
        following = line_unit(doc_id, int(n) + 1)
        text = self.unit_text_of(following)
        if text.weak or following.unit_id in self._quarantined:
            return None
        if not any(languages.speaks_of_the_one_before(line.text) for line in text.lines.values()):
            return None
        return Candidate(following, text)

    def antecedent(self, candidate: Candidate) -> Candidate | None:
        """The sentence before one that opens by referring to it ("Đây là…", "C'est ce qu'a souligné…"),
        when it is a body sentence of the same article: quoted first, so that the answer says who or what.
        Read in any of its language versions (a translation may name who the other refers back to), so
        that both askers get the same sentences (dev pairs citing the same sentences: 85 → 87 of 140)."""
        doc_id, n = candidate.unit.unit_id.rsplit(":", 1)
        if int(n) <= 1 or not any(languages.refers_back(line.text) for line in candidate.lines.values()):
            return None
        previous = line_unit(doc_id, int(n) - 1)
        text = self.unit_text_of(previous)
        return None if text.weak else Candidate(previous, text)
