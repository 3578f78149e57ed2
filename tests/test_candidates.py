"""What the answerer reads off a candidate statement (candidates.py): counted figures, coverage of the
question's entities, the kind of fact it states, lists that the asked noun opens."""

from __future__ import annotations

from dataclasses import replace

from coopbot.candidates import (
    Candidate,
    counted_figures,
    counts_asked_noun,
    coverage,
    lists_asked_noun,
    type_matches,
)
from coopbot.knowledge import Line
from coopbot.question import analyse_question
from coopbot.retrieve import Unit
from coopbot.text import analyse_fr, fold, folded_words, words


def test_an_ordinal_is_not_taken_for_a_count(counting_engine):
    engine = counting_engine
    question = analyse_question("Có bao nhiêu dự án hợp tác?", "vi", engine.knowledge.glossary)
    unit = Unit("a.vi:1", ["a.vi:1"])
    assert counted_figures(question, Candidate(unit, engine.answerer.unit_text_of(unit))) == ["240"]


def test_entities_named_in_the_section_count_less_than_named_in_the_sentence(context_engine):
    engine = context_engine
    question = analyse_question("Huế và Brest hợp tác thế nào?", "vi", engine.knowledge.glossary)
    weights = engine.answerer._weights

    def covered(sentence_id: str, share: float) -> float:
        unit = Unit(sentence_id, [sentence_id])
        return coverage(question, Candidate(unit, engine.answerer.unit_text_of(unit)), weights, share)

    assert covered("a.vi:3", 0.0) < covered("a.vi:3", 0.75) < covered("a.vi:3", 1.0)
    assert covered("a.vi:5", 0.0) == covered("a.vi:5", 1.0), "a new section inherits nothing"
    assert covered("a.vi:5", 0.0) > covered("a.vi:3", 0.0)


def test_a_time_given_as_years_ago_is_a_date(context_engine):
    """"cách đây 20 năm" (20 years ago) says when: test_answer.py asks the since-when question it answers."""
    unit = Unit("b.vi:2", ["b.vi:2"])
    assert type_matches("date", Candidate(unit, context_engine.answerer.unit_text_of(unit)), {})


def test_a_list_is_one_the_asked_noun_opens(list_engine):
    """"lĩnh vực: a, b, c" enumerates fields; "lĩnh vực" followed much later by commas does not."""
    question = analyse_question("Huế và Brest hợp tác trong những lĩnh vực nào?", "vi", list_engine.knowledge.glossary)
    unit = Unit("a.vi:1", ["a.vi:1"])
    opened = Candidate(unit, list_engine.answerer.unit_text_of(unit))
    assert lists_asked_noun(question, opened)
    loose_line = Line("a.vi", 1, 1, 1, "Lĩnh vực hợp tác của hai thành phố ngày càng mở rộng, đa dạng, hiệu quả và bền vững.")
    loose = Candidate(unit, replace(opened.text, lines={"vi": loose_line}))
    assert not lists_asked_noun(question, loose)


def test_a_list_in_the_other_language_is_opened_by_the_translated_noun(list_engine):
    """A French "quels domaines" question lists what a Vietnamese-only sentence enumerates after "lĩnh vực",
    once the lexicon links the two nouns; unlinked, the French noun cannot be found in it."""
    glossary = list_engine.knowledge.glossary
    asked = analyse_question("Dans quels domaines Huế et Brest coopèrent-ils ?", "fr", glossary)
    unit = Unit("a.vi:1", ["a.vi:1"])
    opened = Candidate(unit, list_engine.answerer.unit_text_of(unit))
    vietnamese_only = Candidate(unit, replace(opened.text, lines={"vi": opened.lines["vi"]}))
    assert asked.listed == "domaines"
    assert lists_asked_noun(replace(asked, listed_as={"vi": "linh vuc"}), vietnamese_only)
    assert not lists_asked_noun(replace(asked, listed_as={}), vietnamese_only)


def _written_as(engine, text: str, lang: str = "vi") -> Candidate:
    """The first unit of the fixture as a candidate that writes `text`, in `lang` only."""
    unit = Unit("a.vi:1", ["a.vi:1"])
    base = engine.answerer.unit_text_of(unit)
    return Candidate(unit, replace(base, lines={lang: Line(f"a.{lang}", 1, 1, 1, text)}, folded=fold(text).lower(),
                                   analysed=frozenset(analyse_fr(text)) if lang == "fr" else base.analysed))


def test_thang_long_gives_no_date_but_a_month_does(list_engine):
    """"Thăng Long" (the old name of Hà Nội) is not "tháng" (month): a unit naming it holds no date."""
    assert not type_matches("date", _written_as(list_engine, "Bảo tàng tại Hoàng Thành Thăng Long mở cửa cho khách."), {})
    assert type_matches("date", _written_as(list_engine, "Bảo tàng mở cửa cho khách từ tháng Tư."), {})


def test_a_passage_in_the_other_language_states_a_name_written_alike(list_engine):
    """A name the glossary does not know ("Rennes", "Huế") is the same word in a French passage, though the
    French analyser stems it ("ren"): a Vietnamese question naming it is covered by the passage that names it."""
    question = analyse_question("Thành phố Rennes hợp tác với ai?", "vi", list_engine.knowledge.glossary)
    assert "rennes" in question.words
    weights = list_engine.answerer._weights
    naming = coverage(question, _written_as(list_engine, "Rennes coopère avec la province de Quảng Nam.", "fr"),
                      weights, 0.0)
    other = coverage(question, _written_as(list_engine, "Lyon coopère avec la province de Quảng Nam.", "fr"),
                     weights, 0.0)
    assert naming > other == 0.0


def test_a_vietnamese_word_typed_with_marks_is_stated_only_as_written(list_engine):
    """Folded, "phở bò" (beef soup) is "phố bộ" (street, ministry): a question typed with marks is covered by
    the sentence that writes its words with the same marks; typed without marks, it is matched folded."""
    unit = Unit("a.vi:1", ["a.vi:1"])
    own = Candidate(unit, list_engine.answerer.unit_text_of(unit))

    def saying(text: str) -> Candidate:
        line = Line("a.vi", 1, 1, 1, text)
        return Candidate(unit, replace(own.text, lines={"vi": line}, tokens={"vi": folded_words(text, "vi")},
                                       written_vi=frozenset(words(text))))

    soup, street = saying("Huế nổi tiếng với món phở bò."), saying("Huế nổi tiếng với phố cổ của Bộ Văn hóa.")
    weights = list_engine.answerer._weights

    def covered(question_text: str, candidate: Candidate) -> float:
        question = analyse_question(question_text, "vi", list_engine.knowledge.glossary)
        assert {"pho", "bo"} <= set(question.words)
        return coverage(question, candidate, weights, 0.0)

    assert covered("Huế có phở bò không?", soup) > covered("Huế có phở bò không?", street)
    assert covered("Hue co pho bo khong?", soup) == covered("Hue co pho bo khong?", street) > 0.0
    # a French name is no Vietnamese syllable: a Vietnamese text may write it without its accents
    rhone = analyse_question("Phở bò ở Rhône?", "vi", list_engine.knowledge.glossary)
    assert "rhone" in rhone.words
    assert (coverage(rhone, saying("Phở bò ở Rhone."), weights, 0.0)
            == coverage(rhone, saying("Phở bò ở Rhône."), weights, 0.0) == 1.0)


def test_a_number_in_words_counts_only_right_before_the_counted_noun(list_engine):
    """"Douze artisans" counts artisans (the `counted` feature), "deux pays" counts no artisan; a number in
    words is never a figure compared between sources."""
    unit = Unit("a.vi:1", ["a.vi:1"])
    base = list_engine.answerer.unit_text_of(unit)

    def candidate(text: str, lang: str) -> Candidate:
        return Candidate(unit, replace(base, lines={lang: Line(f"a.{lang}", 1, 1, 1, text)}, folded=fold(text).lower()))

    french = analyse_question("Combien d'artisans viendront ?", "fr", list_engine.knowledge.glossary)
    assert counts_asked_noun(french, candidate("Douze artisans vietnamiens viendront à Blois.", "fr"))
    assert counts_asked_noun(french, candidate("Une dizaine d'artisans viendront.", "fr"))
    assert not counts_asked_noun(french, candidate("Les deux pays enverront des artisans.", "fr"))
    assert not counted_figures(french, candidate("Douze artisans vietnamiens viendront à Blois.", "fr"))
    vietnamese = analyse_question("Có bao nhiêu nghệ nhân sang Pháp?", "vi", list_engine.knowledge.glossary)
    assert counts_asked_noun(vietnamese, candidate("Mười hai nghệ nhân sẽ sang Pháp.", "vi"))
    assert not counts_asked_noun(vietnamese, candidate("Hai bên cử nghệ nhân sang Pháp.", "vi"))


def test_a_count_of_people_is_answered_by_a_count_of_any_noun_of_people_and_no_other(list_engine):
    """"combien de participants" by "800 délégués" or "neuf personnes", "bao nhiêu người" by "1.000 đại biểu";
    "combien de techniciens" keeps its own noun, and people count no "projets"."""
    unit = Unit("a.vi:1", ["a.vi:1"])
    base = list_engine.answerer.unit_text_of(unit)

    def candidate(text: str, lang: str) -> Candidate:
        return Candidate(unit, replace(base, lines={lang: Line(f"a.{lang}", 1, 1, 1, text)}, folded=fold(text).lower()))

    glossary = list_engine.knowledge.glossary
    participants = analyse_question("Combien de participants sont venus ?", "fr", glossary)
    assert counted_figures(participants, candidate("Les Assises ont réuni 800 délégués et 40 projets.", "fr")) == ["800"]
    assert counts_asked_noun(participants, candidate("La délégation comptait neuf personnes.", "fr"))
    assert not counts_asked_noun(participants, candidate("Le programme compte 40 projets.", "fr"))
    people = analyse_question("Hội nghị có bao nhiêu người tham dự?", "vi", glossary)
    assert counted_figures(people, candidate("Hội nghị có hơn 1.000 đại biểu và 50 tỉnh.", "vi")) == ["1000"]
    technicians = analyse_question("Combien de techniciens ont été formés ?", "fr", glossary)
    assert not counts_asked_noun(technicians, candidate("Le centre a formé 45 personnes.", "fr"))


def test_an_amount_of_money_asked_is_stated_only_by_a_figure_in_a_currency(list_engine):
    """A "how much money" question is not answered by a count: the money-asking kind of number holds only for
    a figure written in a currency, in either language, with its scale word."""
    counted = _written_as(list_engine, "Chương trình sẽ lắp đặt 12 trạm quan trắc.")
    assert type_matches("number", counted, {}) and not type_matches("number", counted, {}, money=True)
    for amount in ("Tổng kinh phí là 1,5 triệu euro.", "Tỉnh đối ứng 2,3 tỷ đồng.",
                   "Un budget total de 1 250 000 euros.", "Soit 1,2 million d’euros.", "Coût : € 300."):
        assert type_matches("number", _written_as(list_engine, amount), {}, money=True), amount


def test_a_figure_of_the_question_is_stated_alike_in_either_language(list_engine):
    """"Từ năm 2016" and "Depuis 2016": a year or figure the question names is a concept a passage states in any
    language, with no lexicon."""
    question = analyse_question("Từ năm 2016 tới nay Rennes đào tạo bao nhiêu kỹ sư?", "vi", list_engine.knowledge.glossary)
    assert "2016" in question.numbers
    weights = list_engine.answerer._weights
    dated = coverage(question, _written_as(list_engine, "Depuis 2016, Rennes a formé 40 ingénieurs.", "fr"), weights, 0.0)
    undated = coverage(question, _written_as(list_engine, "Rennes a formé 40 ingénieurs.", "fr"), weights, 0.0)
    assert dated > undated > 0.0
