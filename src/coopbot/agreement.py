"""Other sources that state the best candidate's fact: they agree (cited with it) or, giving other
figures or dates for the same claim, disagree (shown as a disagreement). Which candidates speak of the
same thing is read from the facts themselves: the noun a count counts and the edition, dates of one
grain, or sentences alike in every language both are written in."""

from __future__ import annotations

import re

from .candidates import (
    NAMED_KINDS,
    Candidate,
    counted_figures,
    ordinal_agreement,
    same_edition,
    stated_values,
)
from .config import Settings
from .index import Index
from .knowledge import Knowledge
from .question import Question
from .retrieve import Unit
from .text import fold, nfc


def same_subject(question: Question, best: Candidate, others: list[Candidate], index: Index | None,
                 settings: Settings) -> list[Candidate]:
    """Other sources' sentences that answer the same question (for merging or disagreement)."""
    group, seen_articles = [], {best.origin.id}
    plausible = [other for other in others if other.type_ok]
    alike = similarity(index, best, plausible)
    plausible.sort(key=lambda other: -alike.get(other.unit.unit_id, 0.0))  # the likest state it most surely
    for other in plausible:
        if other.origin.id in seen_articles or not same_edition(best, other):
            continue
        if counted_figures(question, best):
            if not _counts_same_thing(question, best, other):
                continue
        elif question.kind == "date":
            if not (_dates_same_thing(question, best, other, alike.get(other.unit.unit_id, 0.0), settings)
                    and names_as_fully(question, best, other)):
                continue
        elif (alike.get(other.unit.unit_id, 0.0) < settings.same_statement_min_similarity
              or not names_all_it_names(other, best)):
            continue
        group.append(other)
        seen_articles.add(other.origin.id)
    return group[: settings.max_answer_sentences - 1]


def agreement(question: Question, best: Candidate, group: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    """The group split into the sentences that agree with the best one and those that disagree with it."""
    values = {c.unit.unit_id: stated_values(question, c) for c in [best, *group]}
    compared = {c.unit.unit_id: _comparable(values[best.unit.unit_id], values[c.unit.unit_id]) for c in group}
    conflicting = [c for c in group if compared[c.unit.unit_id] and _disagree(*compared[c.unit.unit_id])]
    return [c for c in group if c not in conflicting], conflicting


def _counts_same_thing(question: Question, best: Candidate, other: Candidate) -> bool:
    """Two sentences that count the noun a "how many" question asks about in figures, for the edition
    it names, speak of the same thing however different the rest of them is (a count in words gives no
    value to compare: "ba thành phố" would agree with any figure of "thành phố")."""
    return (
        counted_figures(question, best) and counted_figures(question, other)
        and ordinal_agreement(question, other) >= 0
    )


def _dates_same_thing(question: Question, best: Candidate, other: Candidate, alike: float,
                      settings: Settings) -> bool:
    """Two sentences date the same thing when they give dates of one grain (a year is not the day
    of another event) and are alike, or name what the question names as fully as each other."""
    if _comparable(stated_values(question, best), stated_values(question, other)) is None:
        return False
    covers_as_much = other.coverage >= best.coverage and read_alike(question, best, other)
    return alike >= settings.related_min_similarity or covers_as_much


def read_alike(question: Question, best: Candidate, other: Candidate) -> bool:
    """Are both read in the asker's language, or neither? The coverage of a passage only in the other language
    comes from the lexicon's few links: it is no match for a passage in the asker's words."""
    return (question.lang in best.lines) == (question.lang in other.lines)


def names_as_fully(question: Question, best: Candidate, other: Candidate) -> bool:
    """Does `other` name every place, person or body of the question that the best sentence names ("Blois",
    "Huế")? A date of a sentence without them is another thing's (a count is compared by its noun instead).
    Glossary names compare by entry (any of its forms, any language), the others as written (names read alike
    in both languages). A question that names an edition has it identify the event instead ("les 11es Assises,
    à Toulouse": a source may give the edition without the city): `same_edition` compares that."""
    if question.ordinals:
        return True
    entries = [e for e in question.terms if e.kind in NAMED_KINDS - {"event"}]  # an event: by its edition
    glossed = {_name_words(form) for e in entries for form in e.forms}
    if not {e.id for e in entries} & best.text.terms <= other.text.terms:
        return False
    written = [words for words in map(_name_words, question.names) if words not in glossed and _writes(best, words)]
    return all(_writes(other, words) for words in written)


def _name_words(name: str) -> str:
    return " ".join(re.findall(r"\w+", fold(nfc(name)).lower()))


def _writes(candidate: Candidate, words: str) -> bool:
    """Does the candidate write the name (its folded words, whatever joins them: "Ile-de-France", "Ile de France")?"""
    pattern = r"\W+".join(map(re.escape, words.split()))
    return re.search(rf"(?<!\w){pattern}(?!\w)", candidate.folded) is not None


def names_all_it_names(other: Candidate, best: Candidate) -> bool:
    """Does `other` name (in it, its section or its article's opening) every glossary entity the best
    sentence names? Two sentences alike in wording but about another event or body state another fact."""
    return best.text.terms <= other.text.terms | other.text.context | other.text.section


def statement_neighbours(index: Index, knowledge: Knowledge, best: Candidate, k: int,
                         excluded: frozenset[str] = frozenset()) -> list[Unit]:
    """The units whose sentences are nearest to the best one's, in any of its languages: those that may
    state the same fact. They depend on the best sentence alone, not on how a question in one language
    or the other ranked the rest, so that a Vietnamese and a French asker see the same sources."""
    if k <= 0:
        return []
    vectors = index.vectors([line.id for line in best.lines.values()])
    units: dict[str, Unit] = {}
    for vector in vectors.values():
        for sentence_id, _ in index.dense_search(vector, k):
            unit_id = knowledge.unit_id(sentence_id)
            if unit_id != best.unit.unit_id and unit_id not in excluded:
                units.setdefault(unit_id, Unit(unit_id)).sentence_ids.append(sentence_id)
    return list(units.values())


def similarity(index: Index | None, best: Candidate, others: list[Candidate]) -> dict[str, float]:
    """Cosine similarity of each candidate's sentence to the best one, averaged over the languages both
    are written in: a Vietnamese and a French asker group the same other sources."""
    if not others or index is None:
        return {}
    vectors = index.vectors([line.id for c in [best, *others] for line in c.lines.values()])

    def alike(other: Candidate) -> float:
        both = [(best.lines[lang].id, line.id) for lang, line in other.lines.items() if lang in best.lines]
        values = [float(vectors[a] @ vectors[b]) for a, b in both if a in vectors and b in vectors]
        return sum(values) / len(values) if values else 0.0
    return {o.unit.unit_id: alike(o) for o in others}


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
