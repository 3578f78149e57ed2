"""Which articles a question names as its source (sources.py), and the feature the answer step reads."""

from __future__ import annotations

import pytest

from coopbot.config import Settings
from coopbot.knowledge import load_knowledge
from coopbot.sources import SourceNames, name_opening, source_agreement

SNGV, BNEWS, VIETNAMPLUS = "sngv-hcm-2010-11-12.vi", "bnews-2023-04-10.vi", "vietnamplus-2023-04-14.vi"


@pytest.fixture(scope="module")
def sources() -> SourceNames:
    return SourceNames.of(load_knowledge(Settings().knowledge_dir))


def test_a_long_outlet_name_is_found_by_its_opening_words_with_or_without_marks(sources):
    assert name_opening("Sở Ngoại vụ TP.HCM") == " so ngoai vu "
    assert sources.named("Theo Sở Ngoại vụ TP.HCM, có bao nhiêu dự án?") == {SNGV}
    assert sources.named("bai cua so ngoai vu tphcm noi gi?") == {SNGV}
    # the French version's outlet names the same article
    assert sources.named("Que dit le service des affaires étrangères de la ville ?") == {SNGV}


def test_a_one_word_outlet_counts_only_when_no_other_article_uses_the_word(sources):
    assert sources.named("Selon BNEWS, quand les Assises ouvrent-elles ?") == {BNEWS}
    assert VIETNAMPLUS in sources.named("Que dit l'article de Vietnam+ ?")
    assert sources.named("Quand les Assises du Vietnam ouvrent-elles ?") == frozenset()


def test_a_name_shared_by_two_outlets_names_both_and_a_stray_word_of_a_name_names_none(sources):
    assert sources.named("Theo Thông tấn xã Việt Nam, hội nghị có bao nhiêu đại biểu?") == {BNEWS, VIETNAMPLUS}
    # "người dân Hà Nội" is not the magazine "Người Hà Nội"
    assert sources.named("Người dân Hà Nội được lợi gì?") == frozenset()


def test_a_publication_year_names_the_articles_of_that_year_and_other_years_name_none(sources):
    assert sources.named("D'après l'article de 2010, combien de projets ?") == {SNGV}
    assert SNGV not in sources.named("Hội nghị năm 2023 có bao nhiêu đại biểu?")
    assert sources.named("Quan hệ đối tác bắt đầu từ năm 1989?") == frozenset()


def test_the_feature_is_plus_one_for_the_named_article_minus_one_for_another_zero_without_a_name():
    assert source_agreement(frozenset({SNGV}), SNGV) == 1.0
    assert source_agreement(frozenset({SNGV}), BNEWS) == -1.0
    assert source_agreement(frozenset(), BNEWS) == 0.0
    # an article whose publication date is unknown may be the one a year names
    assert source_agreement(frozenset({SNGV}), "added.fr", frozenset({"added.fr"})) == 0.0


def test_a_document_added_without_a_publication_date_is_named_by_no_year(make_kb, tmp_path):
    """`coopbot add` dates an undated document the day it adds it: that year is not the one its facts are of."""
    from coopbot.ingest import add_documents

    kb = make_kb()
    (tmp_path / "note.txt").write_text("Nantes et Huế coopèrent depuis 2001 sur le patrimoine et l'eau.\n",
                                       encoding="utf-8")
    add_documents([tmp_path / "note.txt"], kb)
    knowledge = load_knowledge(kb)
    added = next(a.origin_id for a in knowledge.articles.values() if not a.publication_date_known)
    names = SourceNames.of(knowledge)
    asked = f"Qu'ont fait Nantes et Huế en {knowledge.articles[added].date[:4]} ?"
    assert added not in names.named(asked) and added in names.unsure(asked)
    assert names.unsure("Qu'ont fait Nantes et Huế ?") == frozenset()


def test_the_answer_step_scores_candidates_by_the_article_the_question_names(engine):
    question, retrieval = engine.retrieve("Selon BNEWS, quand les Assises ouvrent-elles ?")
    candidates = engine.answerer.candidates(question, retrieval.units[: engine.settings.top_k])
    by_origin = {c.origin.origin_id: c.features.source for c in candidates}
    assert by_origin.get(BNEWS) == 1.0
    assert {value for origin, value in by_origin.items() if origin != BNEWS} == {-1.0}
    question, retrieval = engine.retrieve("Quand les Assises ouvrent-elles ?")
    unnamed = engine.answerer.candidates(question, retrieval.units[: engine.settings.top_k])
    assert {c.features.source for c in unnamed} == {0.0}
