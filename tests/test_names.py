"""Proper names (coopbot.names): the names a question uses, and those the knowledge never mentions."""

from __future__ import annotations

import pytest

from coopbot.names import proper_names


@pytest.mark.parametrize(("question", "names"), [
    ("Đà Nẵng hợp tác với thành phố nào của Pháp?", ["Đà Nẵng", "Pháp"]),
    ("Qui est le maire de La Rochelle ?", ["La Rochelle"]),
    ("Lyon hợp tác với ai?", []),  # one capitalised word opening the question may only start the sentence
    ("Quand Hô Chi Minh-Ville et Lyon ont-elles signé ?", ["Quand Hô Chi Minh-Ville", "Lyon"]),
])
def test_proper_names_are_runs_of_capitalised_words(question, names):
    assert proper_names(question) == names


def test_a_word_made_on_a_name_the_knowledge_writes_is_not_an_unknown_name(engine):
    """"Hanoïens" are the people of Hanoï, which the sources name: not a name they miss, as "Rennais" is."""
    names = engine.answerer.known_names
    assert names.unknown(proper_names("Qu'est-ce que les Hanoïens ont gagné ?")) == []
    assert names.unknown(proper_names("Qu'est-ce que les Rennais ont gagné ?")) == ["Rennais"]
