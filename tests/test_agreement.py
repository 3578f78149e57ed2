"""Other sources' sentences (coopbot.agreement): which of their figures and dates disagree with the best one's."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coopbot.agreement import (
    _comparable,
    _dates_same_thing,
    _disagree,
    names_all_it_names,
    names_as_fully,
    read_alike,
    statement_neighbours,
)
from coopbot.candidates import Candidate
from coopbot.retrieve import Unit


@pytest.mark.parametrize(("best", "other", "compared"), [
    ({"year:2023", "day:14"}, {"year:2023"}, ({"year:2023"}, {"year:2023"})),  # the coarsest grain both give
    ({"day:14"}, {"day:13"}, ({"day:14"}, {"day:13"})),
    ({"year:2023"}, {"day:13"}, None),  # a year is not compared with the day of another event
    ({"1000"}, {"800"}, ({"1000"}, {"800"})),  # figures without a grain compare as they are
])
def test_figures_are_compared_at_the_coarsest_grain_both_give(best, other, compared):
    result = _comparable(frozenset(best), frozenset(other))
    assert result == (None if compared is None else tuple(frozenset(c) for c in compared))


@pytest.mark.parametrize(("a", "b", "disagree"), [
    ({"1000"}, {"800"}, True),
    ({"1000"}, {"1000", "15"}, False),  # one says more: not a disagreement
    (set(), {"800"}, False),
])
def test_two_sentences_disagree_when_each_gives_a_figure_the_other_lacks(a, b, disagree):
    assert _disagree(frozenset(a), frozenset(b)) is disagree


def test_the_sentences_compared_with_the_best_are_its_nearest_in_any_language(engine):
    question, retrieval = engine.retrieve("Hội nghị lần thứ 12 có bao nhiêu đại biểu?")
    best = engine.answerer.rank(question, retrieval)[0]
    near = statement_neighbours(engine.index, engine.knowledge, best, 20)
    ids = [unit.unit_id for unit in near]
    assert ids and best.unit.unit_id not in ids and len(ids) == len(set(ids))
    assert all(engine.knowledge.unit_id(s) == unit.unit_id for unit in near for s in unit.sentence_ids)
    assert ids[0] not in {u.unit_id for u in statement_neighbours(engine.index, engine.knowledge, best, 20,
                                                                   frozenset({ids[0]}))}


def test_the_sources_compared_with_the_best_depend_on_it_not_on_the_question(engine):
    """A Vietnamese and a French asker whose best sentence is the same have the same other sources weighed
    against it (cited with it or shown disagreeing), however differently their questions rank the rest."""
    pairs = [("Hà Nội mong muốn gì từ hợp tác với Ile-de-France?", "Qu'attend Hanoï de sa coopération avec l'Île-de-France ?"),
             ("Hội nghị lần thứ 11 diễn ra ở đâu?", "Où se sont tenues les 11es Assises ?"),
             ("Hà Nội đăng cai Hội nghị lần thứ 12 có ý nghĩa gì?", "Que signifie pour Hanoï l'accueil des 12es Assises ?")]
    compared = 0
    for vietnamese, french in pairs:
        weighed = []
        for text in (vietnamese, french):
            question, retrieval = engine.retrieve(text)
            ranked = engine.answerer.rank(question, retrieval)
            weighed.append((ranked[0].unit.unit_id, {c.unit.unit_id for c in engine.answerer._others(question, retrieval, ranked)}))
        if weighed[0][0] == weighed[1][0]:
            compared += 1
            assert weighed[0][1] == weighed[1][1], vietnamese
    assert compared >= 2


def test_a_sentence_alike_in_wording_but_naming_less_does_not_state_the_same(engine):
    """"Hà Nội is honoured to host the 12th Assises" and "Hanoi attaches importance to its cooperation with
    the Île-de-France", both said by the same official: alike in wording, but only one names the Assises."""
    def candidate(unit_id):
        unit = Unit(unit_id, [unit_id])
        return Candidate(unit, engine.answerer.unit_text_of(unit))
    host, cooperation = candidate("nguoihanoi-2023-04-13.vi:8"), candidate("thoidai-2023-04-12.vi:12")
    assert not names_all_it_names(cooperation, host)
    assert names_all_it_names(host, host)


def _candidate(engine, unit_id: str) -> Candidate:
    unit = Unit(unit_id, [unit_id])
    return Candidate(unit, engine.answerer.unit_text_of(unit))


def test_a_date_of_a_sentence_without_the_names_the_best_one_gives_is_another_things(engine):
    """Asked when Hà Nội and the Île-de-France began: a sentence naming neither dates something else; the
    Île-de-France written "Ile de France" in the text, "Ile-de-France" in the question, is the same name."""
    question = engine.parse("Hà Nội và vùng Ile-de-France hợp tác từ năm nào?", "vi")
    both = _candidate(engine, "nguoihanoi-2023-04-13.vi:2")
    caption = _candidate(engine, "nguoihanoi-2023-04-13.vi:3")
    neither = _candidate(engine, "thoidai-2023-04-12.vi:27")
    assert names_as_fully(question, both, caption)
    assert not names_as_fully(question, both, neither)
    assert names_as_fully(question, neither, both)  # the best names none of them: nothing to require
    edition = engine.parse("Hội nghị lần thứ 11 ở Toulouse diễn ra khi nào?", "vi")
    assert names_as_fully(edition, both, neither)  # an edition asked identifies the event instead


def test_coverage_compares_two_passages_only_when_both_are_read_in_the_askers_language(engine):
    question = engine.parse("Hội nghị diễn ra khi nào?", "vi")
    vietnamese = _candidate(engine, "thoidai-2023-04-12.vi:27")
    french_only = Candidate(vietnamese.unit, replace(vietnamese.text, lines={"fr": vietnamese.lines["fr"]}))
    assert read_alike(question, vietnamese, vietnamese) and read_alike(question, french_only, french_only)
    assert not read_alike(question, french_only, vietnamese)
    # a French-only best sentence is not joined by a Vietnamese one's date for covering more of the question
    settings = engine.settings
    best, other = replace(french_only, coverage=0.1), replace(vietnamese, coverage=0.5)
    assert not _dates_same_thing(question, best, other, 0.0, settings)
    assert _dates_same_thing(question, replace(vietnamese, coverage=0.1), other, 0.0, settings)
