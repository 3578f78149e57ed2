"""Extractive answers: language, citations, merging, disagreements, abstention, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from coopbot.answer import ExtractiveAnswerer
from coopbot.candidates import Candidate
from coopbot.compose import value_not_found, value_unstated
from coopbot.config import Settings
from coopbot.engine import Engine
from coopbot.errors import CoopbotError
from coopbot.features import Features
from coopbot.knowledge import load_knowledge
from coopbot.language import refers_back, speaks_of_the_one_before
from coopbot.question import analyse_question
from coopbot.retrieve import Unit

from engine_fixtures import CONTEXT_GLOSSARY, GLOSSARY, small_engine

SENTENCES_PER_ANSWER_MAX = 3


@pytest.fixture(scope="module")
def conflict_engine(tmp_path_factory) -> Engine:
    """Three outlets: two give different delegate counts for one event, two state one same date."""
    return small_engine(tmp_path_factory.mktemp("conflict"), [
        ("a.vi", "2023-04-14", "Báo A", """
Hội nghị Alpha lần thứ 5 tại Huế có sự tham gia của hơn 1.000 đại biểu.

Thành phố Huế và thành phố Brest ký thỏa thuận hợp tác năm 2001.
"""),
        ("b.vi", "2023-04-10", "Báo B", """
Hội nghị Alpha lần thứ 5 tại Huế dự kiến có sự tham gia của 800 đại biểu.

Chương trình gồm một triển lãm ảnh và một diễn đàn doanh nghiệp.
"""),
        ("c.vi", "2022-01-05", "Báo C", """
Huế và Brest ký thỏa thuận hợp tác từ năm 2001.

Nhiều dự án về di sản được triển khai tại Huế.
"""),
    ], GLOSSARY)


def test_answer_is_in_the_question_language_with_translation_labels(engine):
    answer = engine.ask("En quelle année Lyon et Hô Chi Minh-Ville ont-elles commencé à coopérer ?")
    assert answer.language == "fr" and not answer.abstained
    assert "1997" in answer.answer
    first = answer.citations[0]
    assert first.lang == "fr" and first.is_translation and first.original_lang == "vi"
    assert "1997" in first.original_text and first.original_text != first.text
    assert first.origin_doc_id.endswith(".vi") and first.doc_id.endswith(".fr")
    assert f"[{first.n}]" in answer.answer


def test_vietnamese_without_diacritics_is_answered_in_vietnamese(engine):
    answer = engine.ask("hop tac giua ha noi va vung ile de france bat dau tu nam nao")
    assert answer.language == "vi" and not answer.abstained
    assert "1989" in answer.answer
    assert all(c.lang == "vi" for c in answer.citations)


def test_answers_are_short_and_every_citation_is_marked(engine):
    for question in ("Quels sont les thèmes des ateliers des 12e Assises ?", "Ai là Phó Thị trưởng Toulouse?"):
        answer = engine.ask(question)
        assert 1 <= len(answer.citations) <= SENTENCES_PER_ANSWER_MAX
        for citation in answer.citations:
            assert f"[{citation.n}]" in answer.answer


def test_different_figures_are_both_given_newest_first(conflict_engine):
    answer = conflict_engine.ask("Hội nghị Alpha lần thứ 5 có bao nhiêu đại biểu?")
    assert not answer.abstained
    assert "1.000" in answer.answer and "800" in answer.answer
    assert answer.answer.index("Báo A") < answer.answer.index("Báo B"), "newest source first"
    assert "23/04/2023" not in answer.answer and "14/04/2023" in answer.answer
    assert [c.origin_doc_id for c in answer.citations] == ["a.vi", "b.vi"]


def test_same_fact_from_two_sources_is_merged(conflict_engine):
    answer = conflict_engine.ask("Huế và Brest ký thỏa thuận hợp tác năm nào?")
    assert not answer.abstained
    assert answer.answer.count("ký thỏa thuận") == 1, "one statement, not one per source"
    assert answer.answer.startswith("**2001**"), "the asked year leads"
    assert {c.origin_doc_id for c in answer.citations} == {"a.vi", "c.vi"}


@pytest.mark.parametrize("question, lang", [
    ("Giá vàng hôm nay là bao nhiêu?", "vi"),
    ("Quelle est la recette du pot-au-feu ?", "fr"),
    ("Les 13e Assises auront lieu dans quelle ville ?", "fr"),
    ("Hội nghị lần thứ 9 có bao nhiêu đại biểu?", "vi"),
])
def test_abstains_without_support(engine, question, lang):
    answer = engine.ask(question)
    assert answer.abstained and not answer.citations
    assert answer.language == lang
    assert ("coopbot" in answer.answer) and (("nguồn" in answer.answer) if lang == "vi" else ("sources" in answer.answer))


# Two facts of thoidai-2023-04-12, stated by two sentences: HCMC and Lyon have cooperated since 1997 (line 37),
# and have carried out 6 urban lighting projects (line 39).
@pytest.mark.parametrize("question, lang, projects, second_says", [
    ("Thành phố Hồ Chí Minh và Lyon hợp tác từ khi nào và có bao nhiêu dự án chiếu sáng đô thị?", "vi",
     "6 dự án chiếu sáng", "nổi bật là"),
    ("Depuis quand Hô Chi Minh-Ville et Lyon coopèrent-elles, et combien de projets d'éclairage urbain "
     "ont-elles menés ?", "fr", "6 projets d'éclairage", "dont notamment"),
])
def test_two_things_stated_by_two_sentences_are_answered_by_both_each_cited(engine, question, lang, projects,
                                                                            second_says):
    answer = engine.ask(question)
    assert not answer.abstained and answer.language == lang
    assert [c.n for c in answer.citations] == [1, 2], "each part's sentence, and no more"
    first, second = answer.citations
    assert "1997" in first.text and projects in second.text
    assert {first.origin_doc_id, second.origin_doc_id} == {"thoidai-2023-04-12.vi"}
    assert first.lang == second.lang == lang
    assert answer.answer.index("1997") < answer.answer.index("[1]") < answer.answer.index(second_says) \
        < answer.answer.index("[2]")
    assert "[3]" not in answer.answer


def test_two_things_one_sentence_states_are_answered_by_it_once(engine):
    answer = engine.ask("Hội nghị lần thứ 11 được tổ chức ở đâu và năm nào?")
    assert not answer.abstained
    assert len(answer.citations) == 1
    assert "Toulouse" in answer.citations[0].text and "2019" in answer.citations[0].text


def test_a_sentence_quoted_for_one_part_answers_the_other_when_it_gives_the_same_figures(engine):
    """Two outlets say "38 French partners and 18 Vietnamese provinces" in one sentence each: the one quoted for
    the first part answers the second too; the 2010 article's other figures (19 and 24) do not."""
    from coopbot.twopart import _quoted_answer

    parsed, retrieval = engine.retrieve("Đến nay có bao nhiêu địa phương Pháp và bao nhiêu tỉnh thành Việt Nam "
                                        "tham gia hợp tác?")
    second = parsed.parts[1]
    ranked = engine.answerer.rank(second, retrieval)

    def sentence(doc_id: str, says: str) -> Candidate:
        line = next(line for line in engine.knowledge.articles[doc_id].lines if says in line.text)
        return Candidate(Unit(line.id, [line.id]), engine.answerer.unit_text_of(Unit(line.id, [line.id])))

    twins = [sentence("vietnamplus-2023-04-14.vi", "38 địa phương"), sentence("thoidai-2023-04-12.vi", "38 địa phương")]
    assert ranked[0].unit.unit_id in {twin.unit.unit_id for twin in twins}
    twin = next(t for t in twins if t.unit.unit_id != ranked[0].unit.unit_id)
    assert _quoted_answer(engine.answerer, second, ranked, [twin]) is twin
    older = sentence("sngv-hcm-2010-11-12.vi", "19 tỉnh")
    assert _quoted_answer(engine.answerer, second, ranked, [older]) is None


def test_a_part_whose_best_sentence_lacks_the_figure_asked_is_answered_by_its_neighbour(counted_next_engine):
    answer = counted_next_engine.ask("Đợt kêu gọi dự án tại Huế nhận được bao nhiêu hồ sơ và có bao nhiêu vòng xét chọn?")
    assert len(counted_next_engine.parse(answer.question, "vi").parts) == 2
    assert sorted(c.sentence_id for c in answer.citations) == ["c.vi:1", "c.vi:2"]
    assert "23 hồ sơ" in answer.answer.split("\n\n", 1)[0], answer.answer


def test_a_part_the_sources_do_not_state_is_said_and_the_other_answered(engine):
    answer = engine.ask("Lyon và TP.HCM hợp tác từ năm nào và ai là Thị trưởng Marseille?")
    assert not answer.abstained
    assert len(answer.citations) == 1 and "1997" in answer.citations[0].text
    assert answer.answer.rstrip().endswith("«ai là Thị trưởng Marseille».")
    assert "coopbot" not in answer.answer, "no abstention text for a question half answered"


def test_two_things_neither_stated_is_not_answered(engine):
    answer = engine.ask("Qui est le maire de Marseille et quand Marseille a-t-elle signé avec Huế ?")
    assert answer.abstained and not answer.citations
    assert "Marseille" in answer.answer


@pytest.mark.parametrize("question, code", [
    ("", "empty_question"),
    ("   \n\t ", "empty_question"),
    ("x" * 2001, "question_too_long"),
    ("What is the price of rice today?", "unsupported_language"),
    ("今天天气怎么样", "unsupported_language"),
])
def test_bad_input_gets_a_clear_error(engine, question, code):
    with pytest.raises(CoopbotError) as caught:
        engine.ask(question)
    assert caught.value.code == code
    assert caught.value.message("vi") and caught.value.message("fr")


def test_control_characters_and_mixed_scripts_are_handled(engine):
    answer = engine.ask("Hội nghị\x00 lần thứ 12\u200b diễn ra ở đâu?\x07")
    assert answer.language == "vi" and not answer.abstained
    assert "Hà Nội" in answer.answer


def test_forced_language_overrides_detection(engine):
    answer = engine.ask("Lyon 1997", lang="vi")
    assert answer.language == "vi"
    with pytest.raises(CoopbotError):
        engine.ask("Lyon 1997", lang="en")


def test_answer_serialises_to_the_contract(engine):
    data = engine.ask("Qui est le vice-maire de Toulouse ?").to_dict()
    assert set(data) == {"question", "language", "answer", "abstained", "mode", "fallback_reason", "citations",
                         "timings_ms"}
    assert data["mode"] == "extractive" and data["fallback_reason"] is None
    assert set(data["timings_ms"]) == {"retrieve", "answer", "total"}
    required = {"n", "doc_id", "source_file", "title", "outlet", "date", "lang", "text", "original_text",
                "original_lang"}
    assert required <= set(data["citations"][0])


def test_unit_text_cache_keeps_only_the_most_recent_units(knowledge_dir):
    answerer = ExtractiveAnswerer(load_knowledge(knowledge_dir), Settings.from_env(unit_text_cache_size=2))
    ids = [f"bnews-2023-04-10.vi:{n}" for n in (1, 2, 3)]
    texts = [answerer.unit_text_of(Unit(sentence_id, [sentence_id])) for sentence_id in ids]
    assert list(answerer._texts) == ids[1:]
    assert texts[0].lines["fr"].text == load_knowledge(knowledge_dir).articles["bnews-2023-04-10.fr"].lines[0].text


def test_figures_of_the_counted_noun_from_other_sources_are_given(counting_engine):
    answer = counting_engine.ask("Có bao nhiêu dự án hợp tác giữa các địa phương?")
    assert "240" in answer.answer and "60" in answer.answer, answer.answer
    assert {c.doc_id for c in answer.citations} >= {"a.vi", "b.vi"}
    assert answer.answer.index("240") < answer.answer.index("60"), "newest source first"


def test_which_things_question_gets_the_enumerating_sentence(counting_engine):
    answer = counting_engine.ask("Huế và Brest đang thực hiện những mục tiêu nào?")
    assert "bảo tồn di sản" in answer.answer and "đào tạo nghề" in answer.answer, answer.answer


def test_a_sentence_speaks_of_the_edition_its_title_names(counting_engine):
    answer = counting_engine.ask("Hội nghị lần thứ 3 thảo luận những vấn đề gì?")
    assert not answer.abstained and "dịch vụ công" in answer.answer, answer.answer


def test_a_sentence_inherits_the_places_its_section_named(context_engine):
    """"hai thành phố" refers to Huế and Brest, named in the line before."""
    answer = context_engine.ask("Huế và Brest đang thực hiện những mục tiêu nào?")
    assert "giao thông xanh" in answer.answer and "đào tạo nghề" in answer.answer, answer.answer


PLACES_GLOSSARY = GLOSSARY + """  - id: da-nang
    kind: place
    vi: [Đà Nẵng]
    fr: [Da Nang]
    variants: [Da Nang]
    note: Ville du Vietnam.
"""


@pytest.mark.parametrize("question", ["Đà Nẵng hợp tác với thành phố nào của Pháp?",
                                      "Quelles villes françaises coopèrent avec Da Nang ?"])
def test_a_place_the_knowledge_never_names_is_not_answered_about(tmp_path, question):
    """The glossary knows Đà Nẵng, the articles never name it: an answer about Huế would mislead."""
    engine = small_engine(tmp_path, [("a.vi", "2023-01-02", "Báo A", """
Thành phố Huế hợp tác với thành phố Brest của Pháp từ năm 2001.

Huế và Brest triển khai nhiều dự án về di sản.
""")], PLACES_GLOSSARY)
    assert not engine.ask("Huế hợp tác với thành phố nào của Pháp?").abstained
    answer = engine.ask(question)
    assert answer.abstained, answer.answer


@pytest.mark.parametrize(("question", "said"), [
    ("Thành phố Rennes hợp tác với Huế từ năm nào?", "Các nguồn không nhắc tới Rennes."),
    ("Depuis quand La Rochelle coopère-t-elle avec Huế ?", "Les sources ne mentionnent pas La Rochelle."),
])
def test_a_name_no_source_mentions_is_said_and_not_answered_about(tmp_path, question, said):
    """No glossary entry and no list of absent places: a capitalised name the knowledge never writes."""
    engine = small_engine(tmp_path, [("a.vi", "2023-01-02", "Báo A", """
Thành phố Huế hợp tác với thành phố Brest của Pháp từ năm 2001.
""")], GLOSSARY)
    assert "2001" in engine.ask("Thành phố Brest hợp tác với Huế từ năm nào?").answer
    assert "2001" in engine.ask("Depuis quand Brest et Huế coopèrent-elles ?").answer
    answer = engine.ask(question)
    assert answer.abstained and not answer.citations
    assert answer.answer.startswith(said)


OFFICES_GLOSSARY = GLOSSARY + """  - id: thi-truong
    kind: concept
    vi: [Thị trưởng]
    fr: [maire]
    variants: [Thi truong]
    note: Chef de l'exécutif municipal.
  - id: pho-thi-truong
    kind: concept
    vi: [Phó Thị trưởng]
    fr: [maire adjoint, adjoint au maire]
    variants: [Pho Thi truong]
    note: Une autre fonction que celle de maire.
"""


@pytest.mark.parametrize(("question", "said"), [
    ("Thị trưởng Brest là ai?", "Các nguồn không nhắc tới “Thị trưởng”."),
    ("Qui est le maire de Brest ?", "Les sources ne mentionnent pas « maire »."),
])
def test_a_concept_the_sources_say_only_inside_a_longer_one_is_not_answered_about(tmp_path, question, said):
    """The sources name the deputy mayor, never the mayor: "who is the mayor?" is not answered with the deputy."""
    engine = small_engine(tmp_path, [("a.vi", "2023-01-02", "Báo A", """
Phó Thị trưởng thành phố Brest Jean Dupont đã tới thăm Huế.
""")], OFFICES_GLOSSARY)
    assert "Jean Dupont" in engine.ask("Phó Thị trưởng Brest là ai?").answer
    answer = engine.ask(question)
    assert answer.abstained and not answer.citations
    assert answer.answer.startswith(said), answer.answer


def test_a_name_whose_last_syllable_is_a_common_word_is_still_missing(tmp_path):
    """"Đà Nẵng" opening a question: its tail "Nẵng" is not the "năng" of "khả năng" once folded."""
    engine = small_engine(tmp_path, [("a.vi", "2023-01-02", "Báo A", """
Thành phố Huế hợp tác với thành phố Brest của Pháp từ năm 2001, nâng cao khả năng quản lý di sản.
""")], GLOSSARY)
    answer = engine.ask("Đà Nẵng hợp tác với thành phố nào của Pháp?")
    assert answer.abstained and answer.answer.startswith("Các nguồn không nhắc tới Đà Nẵng."), answer.answer
    assert "2001" in engine.ask("Brest Huế hợp tác từ năm nào?").answer


def test_an_answer_about_another_edition_is_not_given(context_engine):
    assert not context_engine.ask("Hội nghị Alpha lần đầu tiên được tổ chức ở đâu?").abstained
    answer = context_engine.ask("Hội nghị Alpha lần thứ 4 được tổ chức ở đâu?")
    assert answer.abstained, answer.answer


def test_the_edition_gate_reads_every_candidate_whatever_their_order(context_engine):
    """`coopbot train` reads the gates off unscored candidates: they must not depend on the ranking."""
    question, retrieval = context_engine.retrieve("Hội nghị Alpha lần thứ 4 được tổ chức ở đâu?")
    answerer = context_engine.answerer
    candidates = answerer.candidates(question, retrieval.units)
    naming = [c for c in candidates if c.features.edition > 0]
    others = [c for c in candidates if c.features.edition <= 0]
    assert naming and len(others) >= 5
    assert answerer.gates(question, others + naming)["ordinals_ok"]
    assert not answerer.gates(question, others)["ordinals_ok"]


def test_a_time_given_as_years_ago_answers_a_since_when_question(context_engine):
    answer = context_engine.ask("Quan hệ đối tác giữa Huế và Brest bắt đầu từ khi nào?")
    assert "cách đây 20 năm" in answer.answer, answer.answer


def test_a_list_spread_over_two_sources_is_given_sentence_by_sentence(list_engine):
    answer = list_engine.ask("Huế và Brest hợp tác trong những lĩnh vực nào?")
    assert "y tế" in answer.answer and "du lịch" in answer.answer, answer.answer
    first, second = answer.citations
    assert {first.doc_id, second.doc_id} == {"a.vi", "b.vi"}
    for citation in answer.citations:  # each sentence carries its own marker, right after it
        assert f"{citation.text} [{citation.n}]" in answer.answer, answer.answer


def test_a_question_about_an_entity_the_sources_never_name_is_not_answered(context_engine):
    assert "nantes" not in context_engine.answerer._mentioned and "brest" in context_engine.answerer._mentioned
    assert not context_engine.ask("Huế và Brest hợp tác trong những lĩnh vực nào?").abstained
    answer = context_engine.ask("Nantes và Huế hợp tác trong những lĩnh vực nào?")
    assert answer.abstained and answer.signals["entities_known"] is False, answer.answer


@pytest.fixture(scope="module")
def dates_engine(tmp_path_factory) -> Engine:
    """A start year, the same start told as "20 years ago" in an older article, and the day of
    another event between the same two cities."""
    return small_engine(tmp_path_factory.mktemp("dates"), [
        ("a.vi", "2023-04-14", "Báo A", "Huế và Brest thiết lập quan hệ hợp tác từ năm 1995."),
        ("b.vi", "2023-04-13", "Báo B", "Ngày 12/4, lãnh đạo Huế đã tiếp đoàn đại biểu thành phố Brest."),
        ("c.vi", "2010-11-12", "Báo C", "Quan hệ hợp tác giữa Huế và Brest được thiết lập cách đây 20 năm, với nhiều dự án về di sản."),
    ], CONTEXT_GLOSSARY)


def test_a_start_year_and_years_ago_are_compared_but_not_another_events_day(dates_engine):
    answer = dates_engine.ask("Quan hệ hợp tác giữa Huế và Brest bắt đầu từ năm nào?")
    assert answer.signals.get("conflict"), answer.answer
    assert "1995" in answer.answer and "cách đây 20 năm" in answer.answer, answer.answer
    assert "12/4" not in answer.answer and {c.doc_id for c in answer.citations} == {"a.vi", "c.vi"}


def test_a_how_many_years_question_is_answered_with_the_years_counted_from_the_start_year(since_engine):
    answer = since_engine.ask("Huế và Brest đã hợp tác được bao nhiêu năm?")
    assert answer.answer.startswith("**28 năm (từ năm 1995)**"), answer.answer
    answer = since_engine.ask("Depuis combien d'années Huế et Brest coopèrent-elles ?")  # from a Vietnamese passage
    assert "28 ans (depuis 1995)" in answer.answer.split("«")[0], answer.answer


@pytest.fixture(scope="module")
def shares_engine(tmp_path_factory) -> Engine:
    """A whole budget, then "Trong đó, …" (of which) a partner's share of it."""
    return small_engine(tmp_path_factory.mktemp("shares"), [
        ("a.vi", "2023-09-20", "Báo A", "Ngày 19/9/2023, Huế và Brest khởi động dự án cà phê.\n"
         "Tổng kinh phí dự án là 1,2 triệu euro.\nTrong đó, thành phố Brest tài trợ 850.000 euro."),
        ("b.vi", "2023-04-13", "Báo B", "Ngày 12/4, lãnh đạo Huế đã tiếp đoàn đại biểu thành phố Brest."),
    ], CONTEXT_GLOSSARY)


def test_a_share_told_as_part_of_the_sentence_before_is_quoted_after_it(shares_engine):
    answer = shares_engine.ask("Thành phố Brest tài trợ bao nhiêu cho dự án cà phê?")
    assert answer.answer.startswith("**850.000 euro**") and "1,2 triệu euro" in answer.answer, answer.answer
    assert answer.answer.index("Tổng kinh phí") < answer.answer.index("Trong đó"), answer.answer


def test_a_two_part_answer_quotes_the_sentence_a_part_refers_back_to(shares_engine):
    answer = shares_engine.ask("Thành phố Brest tài trợ bao nhiêu cho dự án cà phê, và dự án khởi động khi nào?")
    text = answer.answer
    assert "19/9/2023" in text and text.index("Tổng kinh phí") < text.index("Trong đó"), text
    assert len(answer.citations) == 3


@pytest.fixture(scope="module")
def since_engine(tmp_path_factory) -> Engine:
    """A start year ("từ năm 1995") in an article of 2023, and another event between the same two cities."""
    return small_engine(tmp_path_factory.mktemp("since"), [
        ("a.vi", "2023-04-14", "Báo A", "Huế và Brest thiết lập quan hệ hợp tác từ năm 1995."),
        ("b.vi", "2023-04-13", "Báo B", "Ngày 12/4, lãnh đạo Huế đã tiếp đoàn đại biểu thành phố Brest."),
    ], CONTEXT_GLOSSARY)


def test_a_disagreement_names_every_sources_value_an_n_years_ago_with_its_year(dates_engine):
    """The summary line shows why the sources disagree: the "20 years ago" of a 2010 article is ~1990."""
    answer = dates_engine.ask("Quan hệ hợp tác giữa Huế và Brest bắt đầu từ năm nào?")
    first_line = answer.answer.splitlines()[0]
    assert "Báo A: 1995" in first_line and "Báo C: cách đây 20 năm (khoảng năm 1990)" in first_line, first_line


@pytest.fixture(scope="module")
def growth_engine(tmp_path_factory) -> Engine:
    """A Vietnamese article with its curated translation, and a French document added untranslated."""
    from engine_fixtures import write_article

    root = tmp_path_factory.mktemp("growth")
    kb = root / "kb"
    kb.mkdir()
    write_article(kb, "a.vi", "vi", "2023-04-14", "Báo A", "Hội nghị Alpha lần thứ 5 tại Huế có 1.000 đại biểu.")
    write_article(kb, "a.fr", "fr", "2023-04-14", "Journal A", "Les 5es Assises Alpha à Hué ont réuni 1 000 délégués.",
                  translation_of="a.vi")
    added = write_article(kb, "b.fr", "fr", "2025-02-04", "Journal B", """
Les 6es Assises Alpha se tiendront à Brest du 17 au 19 septembre 2025.

Elles devraient réunir 900 délégués venus des deux pays.
""")
    added.write_text(added.read_text(encoding="utf-8").replace("title: Journal B 2025-02-04",
                                                               "title: Les 6es Assises Alpha à Brest"), encoding="utf-8")
    (kb / "glossary.yaml").write_text(CONTEXT_GLOSSARY, encoding="utf-8")
    return Engine(Settings.from_env(knowledge_dir=kb, data_dir=root / "data"), notify=lambda m: None)


def test_a_passage_only_in_the_other_language_is_framed_in_the_askers(growth_engine):
    answer = growth_engine.ask("Hội nghị Alpha lần thứ 6 diễn ra vào thời gian nào?")
    assert not answer.abstained, answer.answer
    assert answer.answer.startswith("Theo Journal B (04/02/2025): 17 au 19 septembre 2025."), answer.answer
    assert "Đoạn trích tiếng Pháp: «Les 6es Assises Alpha se tiendront à Brest" in answer.answer
    [citation] = answer.citations
    assert citation.lang == "fr" and citation.translation_kind == "none" and citation.origin_doc_id == "b.fr"


def test_figures_of_two_editions_are_two_facts_not_a_disagreement(growth_engine):
    answer = growth_engine.ask("Combien de délégués aux Assises Alpha ?")
    assert "ne donnent pas les mêmes chiffres" not in answer.answer, answer.answer


def test_a_disagreement_opens_with_the_values_and_their_outlets(conflict_engine):
    answer = conflict_engine.ask("Hội nghị Alpha lần thứ 5 có bao nhiêu đại biểu?")
    first_line = answer.answer.splitlines()[0]
    assert "Báo A: 1.000 đại biểu" in first_line and "Báo B: 800 đại biểu" in first_line, first_line


def test_a_sentence_that_refers_back_in_either_language_is_quoted_after_the_sentence_it_refers_to(engine):
    """Read in any of its language versions: where only one version refers back ("C'est ce qu'a souligné…"
    beside a translation that names the speaker), both askers get the same two sentences."""
    answerer = engine.answerer
    checked = in_one_version = 0
    for article in engine.knowledge.originals():
        for line in article.lines[1:]:
            unit = Unit(line.id, [line.id])
            candidate = Candidate(unit, answerer.unit_text_of(unit))
            antecedent = answerer.antecedent(candidate)
            refers = [lang for lang, version in candidate.lines.items() if refers_back(version.text)]
            if not refers:
                assert antecedent is None
                continue
            assert antecedent is None or antecedent.unit.unit_id == article.lines[line.n - 2].id
            if antecedent is None:
                continue
            checked += 1
            in_one_version += len(refers) < len(candidate.lines)
            for lang, asked in (("vi", "Ai đã nói điều đó?"), ("fr", "Qui l'a dit ?")):
                question = analyse_question(asked, lang, engine.knowledge.glossary)
                answer = answerer._single(question, candidate, [], {})
                assert [c.sentence_id.rsplit(":", 1)[1] for c in answer.citations] == [str(line.n - 1), str(line.n)]
                assert answer.answer.index("[1]") < answer.answer.index("[2]")
    assert checked and in_one_version, "the bundled articles have sentences that refer back, some in one version only"


def _every_sentence_and_follower(engine):
    """(article, line, candidate, follower) for every sentence of the bundled originals."""
    answerer = engine.answerer
    for article in engine.knowledge.originals():
        for line in article.lines:
            unit = Unit(line.id, [line.id])
            candidate = Candidate(unit, answerer.unit_text_of(unit))
            yield article, line, candidate, answerer._follower(candidate)


def test_a_sentence_announcing_what_the_next_one_refers_back_to_is_quoted_with_it_in_both_languages(engine):
    followed = 0
    for article, line, candidate, follower in _every_sentence_and_follower(engine):
        following = article.lines[line.n] if line.n < len(article.lines) else None
        refers = following is not None and any(
            speaks_of_the_one_before(version.text) for version in engine.knowledge.versions(following.id).values())
        if not refers:
            assert follower is None
            continue
        assert follower is None or follower.unit.unit_id == following.id
        followed += follower is not None
        if follower is not None:
            for lang, asked in (("vi", "Đó là những gì?"), ("fr", "Lesquels ?")):
                question = analyse_question(asked, lang, engine.knowledge.glossary)
                answer = engine.answerer._single(question, candidate, [], {})
                cited = [c.sentence_id.rsplit(":", 1)[1] for c in answer.citations]
                assert cited[-1] == str(line.n + 1) and str(line.n) in cited
    assert followed, "the bundled articles have sentences the next one refers back to"


def test_a_who_answer_leads_with_the_person_its_follower_names_when_it_names_none(engine):
    composer = engine.answerer.composer
    led = 0
    for _, _, candidate, follower in _every_sentence_and_follower(engine):
        if follower is None:
            continue
        for lang, asked in (("vi", "Ai đã nói điều đó?"), ("fr", "Qui l'a dit ?")):
            question = analyse_question(asked, lang, engine.knowledge.glossary)
            if composer.shown_values(question, candidate):
                continue
            named = composer.shown_values(question, follower)
            answer = engine.answerer._single(question, candidate, [], {})
            if named:
                lead = answer.answer.split("\n\n", 1)[0]
                assert lead.startswith("**") and all(name in follower.lines[lang].text for name in named), lead
                led += 1
            else:
                assert not answer.answer.startswith("**")
    assert led, "a bundled sentence is followed by one saying who said it"


def _curated_pair_and_added_french(tmp_path_factory, name: str, date: str, added: str) -> Engine:
    """A curated pair whose two lines teach "đại biểu" = "délégués", and the French document `added`,
    added untranslated (outlet "Journal B")."""
    from engine_fixtures import write_article

    root = tmp_path_factory.mktemp(name)
    kb = root / "kb"
    kb.mkdir()
    write_article(kb, "a.vi", "vi", "2023-04-14", "Báo A",
                  "Hội nghị Alpha lần thứ 5 tại Huế có 1.000 đại biểu.\n\nNhiều đại biểu là doanh nghiệp.")
    write_article(kb, "a.fr", "fr", "2023-04-14", "Journal A",
                  "Les 5es Assises Alpha à Hué ont réuni 1 000 délégués.\n\nBeaucoup de délégués sont des entreprises.",
                  translation_of="a.vi")
    write_article(kb, "b.fr", "fr", date, "Journal B", added)
    (kb / "glossary.yaml").write_text(CONTEXT_GLOSSARY, encoding="utf-8")
    # the links the aligned pair teaches alone: the tests' hashing embedder would induce chance ones (lexicon.py);
    # its two lines are enough to show them as glosses
    settings = Settings.from_env(knowledge_dir=kb, data_dir=root / "data", lexicon_min_csls=3.0, gloss_min_pairs=2)
    return Engine(settings, notify=lambda m: None)


@pytest.fixture(scope="module")
def lexicon_engine(tmp_path_factory) -> Engine:
    """The lexicon its one curated pair teaches, without the bundled word list (lexicon.VOCABULARY_FILE)."""
    import coopbot.lexicon

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(coopbot.lexicon, "VOCABULARY_FILE", tmp_path_factory.mktemp("no-words") / "vocabulary.yaml")
        return _curated_pair_and_added_french(tmp_path_factory, "lexicon", "2025-02-04",
                                              "Les 6es Assises Alpha à Brest accueilleront 900 délégués.")


def test_a_passage_in_the_other_language_has_its_words_glossed_from_the_learned_lexicon(lexicon_engine):
    assert lexicon_engine.answerer.lexicon.translations.get("f:delegu") == "vb:đại_biểu"
    answer = lexicon_engine.ask("Hội nghị Alpha lần thứ 6 ở Brest sẽ đón bao nhiêu người?")
    assert "Đoạn trích tiếng Pháp: «Les 6es Assises Alpha à Brest" in answer.answer, answer.answer
    assert "délégués = đại biểu" in answer.answer, answer.answer
    asked_with_the_word = lexicon_engine.ask("Hội nghị Alpha lần thứ 6 ở Brest có bao nhiêu đại biểu?")
    assert "délégués = đại biểu" not in asked_with_the_word.answer, asked_with_the_word.answer


def test_a_count_read_in_the_other_language_leads_with_the_askers_noun(lexicon_engine):
    """"bao nhiêu đại biểu" counts "délégués" in a French-only passage: the lead says the figure with the
    asker's noun, and the passage shows it highlighted as written."""
    answer = lexicon_engine.ask("Hội nghị Alpha lần thứ 6 ở Brest có bao nhiêu đại biểu?")
    assert answer.answer.startswith("Theo Journal B (04/02/2025): 900 đại biểu."), answer.answer
    assert "**900 délégués**" in answer.answer, answer.answer


@pytest.fixture(scope="module")
def cross_conflict_engine(tmp_path_factory) -> Engine:
    """The 5th Assises' delegates: 1.000 in a curated pair, 800 in a French document added untranslated."""
    return _curated_pair_and_added_french(tmp_path_factory, "cross-conflict", "2023-05-02",
                                          "Les 5es Assises Alpha à Hué ont réuni 800 délégués.")


def test_a_disagreement_with_a_passage_in_the_other_language_names_its_value_once(cross_conflict_engine):
    answer = cross_conflict_engine.ask("Hội nghị Alpha lần thứ 5 có bao nhiêu đại biểu?")
    first_line, *quotes = answer.answer.splitlines()
    assert "Báo A: 1.000 đại biểu" in first_line and "Journal B: 800 đại biểu" in first_line, answer.answer
    french = next(q for q in quotes if "Journal B" in q)
    assert french.count("Journal B") == 1 and "Đoạn trích tiếng Pháp: «Les 5es Assises Alpha à Hué ont réuni **800 délégués**" in french, french


def test_a_passage_in_the_other_language_states_the_words_whose_translation_it_says(lexicon_engine):
    from coopbot.candidates import coverage, word_translations

    answerer = lexicon_engine.answerer
    question = lexicon_engine.parse("Brest sẽ đón bao nhiêu đại biểu?", "vi")
    translations = word_translations(question, answerer.lexicon.links(question.tokens, "vi"))
    assert translations.get("dai") == {"f:delegu"} == translations.get("bieu")
    unit = Unit("b.fr:1", ["b.fr:1"])
    french_only = Candidate(unit, answerer.unit_text_of(unit))
    weights, share = answerer._weights, lexicon_engine.settings.section_share
    assert coverage(question, french_only, weights, share, translations) > coverage(question, french_only, weights, share)


def test_a_passage_only_in_the_other_language_is_measured_against_the_closest_of_its_kind(lexicon_engine):
    """Cross-lingual similarity runs lower: the dense gap of a French-only unit for a Vietnamese asker is
    taken from the best French-only unit, not from the best sentence the asker's language has."""
    question, retrieval = lexicon_engine.retrieve("Hội nghị Alpha lần thứ 6 ở Brest có bao nhiêu đại biểu?")
    ranked = lexicon_engine.answerer.rank(question, retrieval)
    for cross in (True, False):
        kind = [c for c in ranked if (question.lang not in c.lines) == cross]
        assert kind and min(c.features.dense_gap for c in kind) == 0.0


def test_a_passage_only_in_the_other_language_is_also_measured_against_the_question_glossed(lexicon_engine):
    """The question with the words the lexicon links written in the other language ("đại biểu" →
    "délégués"): a French-only unit's `glossed` feature is how much closer its sentence is to that question
    than to the question as asked (never below 0); a unit the asker's language has gets 0."""
    retriever = lexicon_engine.retriever
    asked = "Hội nghị Alpha lần thứ 6 ở Brest có bao nhiêu đại biểu?"
    glossed = retriever.glossed_question(asked, "vi")
    assert glossed == "Hội nghị Alpha lần thứ 6 ở Brest có bao nhiêu délégués?"
    assert retriever.glossed_question("Hội nghị Alpha ở đâu?", "vi") is None
    question, retrieval = lexicon_engine.retrieve(asked)
    ranked = lexicon_engine.answerer.rank(question, retrieval)
    assert all(c.features.glossed == c.unit.glossed for c in ranked)
    assert all(c.unit.glossed == 0.0 for c in ranked if "vi" in c.lines)
    french_only = next(c for c in ranked if c.unit.unit_id == "b.fr:1")
    stored = lexicon_engine.index.vectors(["b.fr:1"])["b.fr:1"]
    # "délégués" brings the question closer to the French sentence
    assert float(stored @ retriever.embed_query(glossed)) > float(stored @ retriever.embed_query(asked))
    closer = float(stored @ retriever.embed_query(glossed)) - french_only.unit.similarity
    assert french_only.unit.glossed == pytest.approx(max(0.0, closer), abs=1e-5)


def test_a_passage_only_in_the_other_language_is_also_read_with_its_linked_words_translated(lexicon_engine):
    """The index reads a one-language sentence a third time, its linked words in the other language
    (index.glossed_texts); its similarity is the mean of its own, in-context and glossed readings. A translated
    sentence has its two versions and no extra reading."""
    index = lexicon_engine.index
    assert sorted(index.glossed) == ["b.fr:1"]
    expected = index.embedder.embed_documents(["Les 6es Assises Alpha à Brest accueilleront 900 đại biểu."])[0]
    assert index.glossed["b.fr:1"] == pytest.approx(np.asarray(expected), abs=1e-5)
    _, retrieval = lexicon_engine.retrieve("Hội nghị Alpha lần thứ 6 ở Brest có bao nhiêu đại biểu?")
    unit = next(u for u in retrieval.units if u.unit_id == "b.fr:1")
    readings = [index.vectors(["b.fr:1"])["b.fr:1"], index.in_context["b.fr:1"], index.glossed["b.fr:1"]]
    assert unit.similarity == pytest.approx(sum(float(v @ retrieval.query_vector) for v in readings) / 3, abs=1e-5)


def test_a_title_or_caption_without_the_kind_of_value_asked_never_comes_first(engine):
    """A heading names the topic and states nothing of it: for a "who"/"where" question, one without a
    person or a place ranks after every sentence that may answer, whatever its score."""
    for question in ("Qui a accueilli les 8es Assises ?", "Hội nghị lần thứ 8 diễn ra ở đâu?"):
        q, retrieval = engine.retrieve(question)
        ranked = engine.answerer.rank(q, retrieval)
        may = [Features.may_answer(c.features.vector()) for c in ranked]
        assert any(c.text.weak and not c.features.type_match for c in ranked)  # the case is exercised
        assert may == sorted(may, reverse=True), [(c.unit.unit_id, m, round(c.score, 3)) for c, m in zip(ranked, may, strict=True)]
        answer = engine.ask(question)
        assert answer.abstained or not any(c.sentence_id.endswith(":1") for c in answer.citations), answer.answer


def test_the_answerer_reads_the_quarantine_its_retriever_scanned(engine):
    """One scan of the knowledge for instruction-like units per loaded index, shared by both steps."""
    assert engine.answerer._quarantined is engine.retriever.quarantined


@pytest.fixture(scope="module")
def told_in_two_engine(tmp_path_factory) -> Engine:
    """An article that says what happened, then who led it; and one whose next line names nobody."""
    return small_engine(tmp_path_factory.mktemp("told_in_two"), [
        ("a.vi", "2024-05-22", "Báo A", """
Ngày 17/5, đoàn công tác thành phố Brest đã khánh thành ba nhà máy nước sạch tại Huế.

Đoàn do bà Claire Vignon, Phó Thị trưởng Brest, dẫn đầu.
"""),
        ("b.vi", "2024-05-22", "Báo B", """
Đoàn công tác thành phố Brest đã thăm một trường nghề tại Huế.

Chuyến thăm diễn ra trong không khí thân mật.
"""),
    ], GLOSSARY)


def _candidate(engine: Engine, question, unit_id: str) -> Candidate:
    return engine.answerer.candidates(question, [Unit(unit_id, [unit_id])])[0]


def test_a_best_sentence_without_the_person_asked_is_quoted_with_the_next_one_that_names_one(told_in_two_engine):
    engine = told_in_two_engine
    question = analyse_question("Ai dẫn đầu đoàn công tác sang Huế khánh thành nhà máy nước?", "vi",
                                engine.knowledge.glossary)
    best = _candidate(engine, question, "a.vi:1")
    assert not best.type_ok
    answer = engine.answerer._single(question, best, [], {})
    assert [c.sentence_id for c in answer.citations] == ["a.vi:1", "a.vi:2"]
    lead = answer.answer.split("\n\n", 1)[0]
    assert lead.startswith("**") and "Claire Vignon" in lead, answer.answer


def test_no_neighbour_is_added_when_the_best_names_the_kind_asked_or_the_next_names_none(told_in_two_engine):
    engine = told_in_two_engine
    question = analyse_question("Ai dẫn đầu đoàn công tác?", "vi", engine.knowledge.glossary)
    stating = _candidate(engine, question, "a.vi:2")
    assert stating.type_ok
    assert [c.sentence_id for c in engine.answerer._single(question, stating, [], {}).citations] == ["a.vi:2"]
    unstated = _candidate(engine, question, "b.vi:1")
    assert not unstated.type_ok
    assert [c.sentence_id for c in engine.answerer._single(question, unstated, [], {}).citations] == ["b.vi:1"]


@pytest.fixture(scope="module")
def counted_next_engine(tmp_path_factory) -> Engine:
    """An article whose first sentence holds a figure of another noun, and whose next one counts what is asked."""
    return small_engine(tmp_path_factory.mktemp("counted_next"), [
        ("c.vi", "2024-07-02", "Báo C", """
Đợt kêu gọi dự án tại Huế năm 2024 có 3 vòng xét chọn.

Đợt kêu gọi đã nhận được 23 hồ sơ.
"""),
    ], GLOSSARY)


def test_a_best_sentence_without_a_figure_of_the_noun_counted_is_quoted_with_the_next_one_that_has_it(
        counted_next_engine):
    engine = counted_next_engine
    question = analyse_question("Đợt kêu gọi dự án tại Huế nhận được bao nhiêu hồ sơ?", "vi", engine.knowledge.glossary)
    best = _candidate(engine, question, "c.vi:1")
    assert best.type_ok  # it holds a figure, of another noun
    answer = engine.answerer._single(question, best, [], {})
    assert [c.sentence_id for c in answer.citations] == ["c.vi:1", "c.vi:2"]
    assert answer.answer.startswith("**23 hồ sơ**"), answer.answer
    beds = analyse_question("Đợt kêu gọi dự án tại Huế có bao nhiêu giường?", "vi", engine.knowledge.glossary)
    assert engine.answerer.stating_neighbour(beds, _candidate(engine, beds, "c.vi:1")) is None


def test_the_value_a_passage_in_the_other_language_states_after_the_best_one_leads_the_answer(tmp_path_factory):
    engine = _curated_pair_and_added_french(
        tmp_path_factory, "told_in_two_french", "2024-05-22",
        "Le 17 mai, une délégation de Brest a inauguré trois réseaux d'eau potable à Hué.\n\n"
        "Conduite par Mme Claire Vignon, vice-présidente, elle a aussi visité l'Agence de l'eau.")
    question = analyse_question("Ai dẫn đầu đoàn Brest khánh thành mạng lưới nước ở Huế?", "vi",
                                engine.knowledge.glossary)
    best = _candidate(engine, question, "b.fr:1")
    assert not best.type_ok and "vi" not in best.lines
    answer = engine.answerer._single(question, best, [], {})
    assert [c.sentence_id for c in answer.citations] == ["b.fr:1", "b.fr:2"]
    assert answer.answer.startswith("**Claire Vignon**\n\n"), answer.answer


def test_an_answer_that_states_no_value_of_the_kind_asked_says_so_before_the_closest_passage(counting_engine):
    """A "how many delegates" question quoted a sentence that counts projects: coopbot says it did not find the
    figure asked, then quotes the passage closest to the question; a figure of the counted noun leads instead."""
    composer = counting_engine.answerer.composer
    delegates, _ = counting_engine.retrieve("Hội nghị Alpha lần thứ 5 có bao nhiêu đại biểu?")
    projects, _ = counting_engine.retrieve("Hội nghị Alpha lần thứ 5 ghi nhận bao nhiêu dự án?")
    unstated = composer.single(delegates, _candidate(counting_engine, delegates, "a.vi:1"), [], {})
    assert unstated.answer.startswith(value_not_found("number", "vi")) and "240 dự án" in unstated.answer
    assert not unstated.abstained and unstated.citations
    stated = composer.single(projects, _candidate(counting_engine, projects, "a.vi:1"), [], {})
    assert stated.answer.startswith("**240 dự án**"), stated.answer


def test_a_who_is_question_is_not_told_the_person_was_not_found(engine):
    """"Who is X?" asks a role: a passage naming X after a title is its answer, not a miss; a "who" question
    quoted a passage that names nobody is told the person asked was not found."""
    composer, originals = engine.answerer.composer, engine.answerer.knowledge.originals()
    naming = next(line.id for article in originals for line in article.lines if "Mesadieu" in line.text)
    dates = next(line.id for article in originals for line in article.lines
                 if line.text.startswith("Hội nghị hợp tác") and "14/4 đến 16/4" in line.text)
    who_is, _ = engine.retrieve("Anne-Louise Mesadieu, qui est-ce ?")
    answer = composer.single(who_is, _candidate(engine, who_is, naming), [], {})
    assert not answer.answer.startswith(value_not_found("person", "fr")), answer.answer
    who_opened, _ = engine.retrieve("Ai đã khai mạc Hội nghị lần thứ 12?")
    unstated = composer.single(who_opened, _candidate(engine, who_opened, dates), [], {})
    assert unstated.answer.startswith(value_not_found("person", "vi")), unstated.answer


@pytest.fixture(scope="module")
def named_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A place the glossary lacks (as an added document names it), and a closer sentence about another place."""
    return small_engine(tmp_path_factory.mktemp("named"), [
        ("a.vi", "2025-10-14", "Báo A", "Tại Thanh Hóa, chương trình mở lớp cho 450 người."),
        ("b.vi", "2025-10-15", "Báo B", "Dự án đào tạo 300 thanh niên học nghề tại Huế."),
    ], GLOSSARY)


def test_a_name_the_glossary_lacks_ranks_first_the_sentences_of_the_articles_that_name_it(named_engine):
    answerer = named_engine.answerer
    question = named_engine.parse("Dự án ở Thanh Hóa đào tạo bao nhiêu thanh niên học nghề?", "vi")
    assert answerer.names_beyond_glossary(question) == ["thanh hoa"]
    ranked = answerer.rank(question, named_engine.retriever.search(question))
    assert ranked[0].origin.id == "a.vi"
    # a glossary name is the `entities` feature's, not this rule's
    assert answerer.names_beyond_glossary(named_engine.parse("Dự án ở Huế đào tạo bao nhiêu thanh niên?", "vi")) == []


def test_a_name_of_words_each_written_in_lower_case_elsewhere_is_still_a_name(engine):
    """"hội" (hội nghị) and "an" are both written in lower case in the knowledge; "Hội An" is a town."""
    question = engine.parse("Chương trình ở Hội An gồm những hoạt động nào?", "vi")
    assert "Hội An" in question.names
    assert engine.answerer.names_beyond_glossary(question) == ["hoi an"]


def test_a_short_form_of_a_glossary_name_is_no_name_beyond_the_glossary(engine):
    """"Việt" of "Pháp – Việt" is Việt Nam's short form: an article that writes "franco-vietnamien" names it."""
    question = engine.parse("Đợt kêu gọi dự án Pháp – Việt giai đoạn 2024-2026 nhận được bao nhiêu hồ sơ?", "vi")
    assert "Việt" in question.names
    assert engine.answerer.names_beyond_glossary(question) == []


def test_another_partnerships_figure_is_no_disagreement_when_the_question_names_this_one(tmp_path_factory):
    engine = small_engine(tmp_path_factory.mktemp("partners"), [
        ("a.vi", "2025-10-14", "Báo A", "Dự án của Thanh Hóa được cấp kinh phí 450 000 euro."),
        ("b.vi", "2025-10-15", "Báo B", "Dự án của Huế được cấp kinh phí 900 000 euro."),
    ], GLOSSARY)
    answer = engine.ask("Dự án của Thanh Hóa được cấp kinh phí bao nhiêu euro?")
    assert not answer.abstained and not answer.signals.get("conflict")
    assert [c.doc_id for c in answer.citations] == ["a.vi"]
    assert "900 000" not in answer.answer


@pytest.mark.parametrize(("question", "kind"), [
    ("Huế và Brest ký thỏa thuận hợp tác bảo tồn di sản với bao nhiêu chuyên gia?", "number"),
    ("Huế và Brest ký thỏa thuận hợp tác bảo tồn di sản vào năm nào?", "date"),
])
def test_a_passage_without_any_figure_or_date_asked_is_no_answer(tmp_path, question, kind):
    """The closest passage states the fact around the value asked but no figure or date at all: coopbot abstains
    and says what the sources do not give, instead of quoting it as the closest passage."""
    engine = small_engine(tmp_path, [("a.vi", "2023-01-02", "Báo A", """
Huế và Brest ký thỏa thuận hợp tác bảo tồn di sản.
""")], GLOSSARY)
    answer = engine.ask(question)
    assert answer.abstained and not answer.citations, answer.answer
    assert answer.answer.startswith(value_unstated(kind, "vi")[:30]), answer.answer


def test_an_amount_of_money_is_no_count_of_what_the_question_counts(tmp_path):
    engine = small_engine(tmp_path, [("a.vi", "2023-01-02", "Báo A", """
Huế và Brest ký thỏa thuận hợp tác bảo tồn di sản với kinh phí 300 000 euro.
""")], GLOSSARY)
    experts = engine.ask("Huế và Brest ký thỏa thuận hợp tác bảo tồn di sản với bao nhiêu chuyên gia?")
    assert experts.abstained and not experts.citations, experts.answer
    budget = engine.ask("Huế và Brest ký thỏa thuận hợp tác bảo tồn di sản với kinh phí bao nhiêu?")
    assert not budget.abstained and "300 000 euro" in budget.answer, budget.answer


def test_a_time_counted_is_held_by_the_date_it_is_counted_from(tmp_path):
    engine = small_engine(tmp_path, [("a.vi", "2023-01-02", "Báo A", """
Huế và Brest ký thỏa thuận hợp tác bảo tồn di sản năm 2010.
""")], GLOSSARY)
    answer = engine.ask("Huế và Brest ký thỏa thuận hợp tác bảo tồn di sản cách đây bao nhiêu năm?")
    assert not answer.abstained and "2010" in answer.answer and answer.citations, answer.answer
