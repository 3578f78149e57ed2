"""Proper names (coopbot.names): the names a question uses, and those the knowledge never mentions."""

from __future__ import annotations

import pytest

from coopbot.names import proper_names, written_names

from engine_fixtures import GLOSSARY, small_engine


@pytest.mark.parametrize(("question", "names"), [
    ("Đà Nẵng hợp tác với thành phố nào của Pháp?", ["Đà Nẵng", "Pháp"]),
    ("Qui est le maire de La Rochelle ?", ["La Rochelle"]),
    ("Lyon hợp tác với ai?", []),  # one capitalised word opening the question may only start the sentence
    ("Quand Hô Chi Minh-Ville et Lyon ont-elles signé ?", ["Quand Hô Chi Minh-Ville", "Lyon"]),
    # a French elision is a word of its own: the name after it is a name ("l'AFD", "d'Île-de-France")
    ("Quel est le montant financé par l'AFD pour les projets à Hanoï ?", ["AFD", "Hanoï"]),
    ("Qui préside la région d'Île-de-France ?", ["Île-de-France"]),
    ("Qu'a dit Lyon ?", ["Lyon"]),
    # capitalised inside: a brand, even opening the question (the start of a sentence does not do that)
    ("iPhone mới nhất giá bao nhiêu?", ["iPhone"]),
    ("Le e-commerce franco-vietnamien progresse-t-il ?", []),
    # a French name's particles between its capitalised words are part of it; between two names they are not
    ("Công trình do vùng Pays de la Loire tài trợ khởi công khi nào?", ["Pays de la Loire"]),
    ("La Région Centre-Val de Loire a-t-elle signé ?", ["La Région Centre-Val de Loire"]),
    ("Qui parle de La Rochelle et de Nantes ?", ["La Rochelle", "Nantes"]),
])
def test_proper_names_are_runs_of_capitalised_words(question, names):
    assert proper_names(question) == names


def test_a_word_made_on_a_name_the_knowledge_writes_is_not_an_unknown_name(engine):
    """"Hanoïens" are the people of Hanoï, which the sources name: not a name they miss, as "Rennais" is."""
    names = engine.answerer.known_names
    assert names.unknown(proper_names("Qu'est-ce que les Hanoïens ont gagné ?")) == []
    assert names.unknown(proper_names("Qu'est-ce que les Rennais ont gagné ?")) == ["Rennais"]


def test_a_name_s_mute_e_drops_in_the_word_made_on_it(engine):
    """Toulouse and Lille are in the sources: their people are too, also opening the question; Marseille is not."""
    names = engine.answerer.known_names
    assert names.unknown(proper_names("Qu'ont dit les Toulousains ?")) == []
    assert names.unknown(proper_names("Les Lillois ont-ils accueilli les Assises ?")) == []
    assert names.unknown(proper_names("Les Marseillais ont-ils parlé ?")) == ["Les Marseillais"]
    assert names.unknown(proper_names("Que voulaient les Franciliens ?")) == [], "a glossary form of Île-de-France"


def test_a_brand_the_knowledge_never_mentions_is_an_unknown_name(engine):
    names = engine.answerer.known_names
    assert names.unknown(proper_names("iPhone mới nhất giá bao nhiêu?")) == ["iPhone"]
    assert names.unknown(proper_names("Quel projet l'AFD finance-t-elle ?")) == []


@pytest.mark.parametrize(("asked", "known"), [
    (["hanoi"], True),  # "Hà Nội", letters joined
    (["ho", "chi", "minh", "ville"], True),  # "Hồ Chí Minh" and the French suffix
    (["stephane", "beaudet"], True),  # "Beaudet Stephane" in the Vietnamese line
    (["cantho"], True),
    (["nantes"], False),
    (["paris"], False),
    (["hcm"], False),  # initials are read apart, from a name typed in capitals (KnownNames)
])
def test_a_name_is_known_as_the_other_language_writes_it(asked, known):
    """A Vietnamese document added untranslated: a French question names its places and people the French way."""
    written = written_names("Thành phố Hồ Chí Minh hợp tác với Lyon.\nÔng Beaudet Stephane phát biểu tại Hà Nội.\n"
                            "Thành phố Cần Thơ và Brest")
    assert written.meets(asked) is known


def test_a_french_question_about_an_untranslated_vietnamese_document_names_what_it_names(tmp_path):
    engine = small_engine(tmp_path, [("a.vi", "2023-01-02", "Báo A", """
Thành phố Cần Thơ hợp tác với thành phố Brest của Pháp từ năm 2001, như Thành phố Hồ Chí Minh với Lyon.
""")], GLOSSARY)
    assert engine.answerer.known_names.unknown(["Cantho", "Can Tho", "Nantes", "HCM", "CTB", "Hcm"]) == [
        "Nantes", "CTB", "Hcm"]


def test_a_name_is_not_known_by_a_syllable_or_a_word_of_another(tmp_path):
    """"Thái Bình" is not "Ninh Bình", nor "Région Normandie" the "Région" of "Région Grand Est": the sources
    miss them. A generic first word before a name they write is still no unknown name ("Tỉnh Cà Mau")."""
    engine = small_engine(tmp_path, [("a.fr", "2024-01-02", "Journal A", """
La Région Grand Est coopère avec la province de Ninh Bình depuis 2019, comme la Bretagne avec Cà Mau et Huế.
""")], GLOSSARY)
    names = engine.answerer.known_names
    assert names.unknown(["Thái Bình", "Région Normandie", "Tỉnh Cà Mau", "Tỉnh Huế", "Région Bretagne",
                          "Ninh Bình"]) == ["Thái Bình", "Région Normandie"]
    assert not written_names("La Région Grand Est").meets(["region", "normandie"])
