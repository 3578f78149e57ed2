"""The answer's text (compose.py): the asked value that leads an answer."""

from __future__ import annotations

from coopbot.compose import (
    Composer,
    asked_values,
    in_asker_words,
    lowercase_words,
    name_proper,
    outlet_name,
    publication_date,
    since_phrases,
    typed_phrase,
    year_counted_back,
    years_ago_phrases,
    years_counted_since,
)
from coopbot.config import Settings
from coopbot.ingest import add_documents
from coopbot.knowledge import load_knowledge
from coopbot.lexicon import Lexicon
from coopbot.question import analyse_question
from coopbot.strings import display_date

SENTENCE = ("Tại Hội nghị lần thứ 11 ở Toulouse năm 2019 có 650 đại biểu, nhiều cuộc hội thảo, "
            "gặp gỡ doanh nghiệp B2B.")


def test_a_place_lead_is_a_name_not_a_capitalised_sentence_opening_or_an_acronym():
    knowledge = load_knowledge(Settings().knowledge_dir)
    question = analyse_question("Hội nghị lần thứ 11 được tổ chức ở đâu?", "vi", knowledge.glossary)
    common = lowercase_words(knowledge)
    assert {"tại", "hội"} <= common and "toulouse" not in common
    assert asked_values(question, SENTENCE, "vi", knowledge.glossary, common) == ["Toulouse"]
    # without what the knowledge writes in lower case, the sentence's opening passes for a name
    assert "Tại Hội" in asked_values(question, SENTENCE, "vi", knowledge.glossary)


def test_a_value_read_in_the_other_language_is_said_the_askers_way_figure_noun_and_month():
    knowledge = load_knowledge(Settings().knowledge_dir)
    lexicon = Lexicon({"vb:dự_án": "f:projet", "f:projet": "vb:dự_án"}, {"f:projet": "projets"})
    question = analyse_question("Lyon đã thực hiện bao nhiêu dự án chiếu sáng?", "vi", knowledge.glossary, lexicon)
    assert question.counted_as == {"fr": "projets"}
    assert in_asker_words(question, ["6 projets", "2025"]) == ["6 dự án", "2025"]
    dated = analyse_question("Hội nghị diễn ra khi nào?", "vi", knowledge.glossary)
    assert in_asker_words(dated, ["17 septembre 2025", "avril 1973", "2019", "14/4"]) == [
        "17/9/2025", "tháng 4/1973", "2019", "14/4"]
    dated_fr = analyse_question("Quand les Assises ont-elles eu lieu ?", "fr", knowledge.glossary)
    assert in_asker_words(dated_fr, ["ngày 14 tháng 4 năm 2023", "tháng 4", "1er mai", "tháng 3/2025"]) == [
        "14 avril 2023", "avril", "1er mai", "mars 2025"]
    money = Lexicon({"v:tiền": "f:argent", "f:argent": "v:tiền"}, {"f:argent": "argent"})
    paid = analyse_question("Phía Pháp góp bao nhiêu tiền cho dự án?", "vi", knowledge.glossary, money)
    assert paid.money and paid.counted_as == {"fr": "argent"}
    assert in_asker_words(paid, ["1,1 million d'euros", "450 000 euros"]) == ["1,1 million d'euros", "450 000 euros"]
    sent = analyse_question("Bao giờ sinh viên sang Pháp?", "vi", knowledge.glossary)
    assert asked_values(sent, "Đợt đầu tiên sang Pháp vào tháng 3/2025.", "vi", knowledge.glossary) == ["tháng 3/2025"]


def test_a_figure_lead_is_no_day_or_month_of_a_written_date():
    knowledge = load_knowledge(Settings().knowledge_dir)
    question = analyse_question("Dự án có quy mô bao nhiêu?", "vi", knowledge.glossary)
    dated = "Ngày 5 tháng 9 năm 2024, hai bên khởi động dự án cho 3 xã, kinh phí 1,2 triệu euro."
    assert asked_values(question, dated, "vi", knowledge.glossary) == ["3 xã", "1,2 triệu euro"]
    french = analyse_question("Combien de délégués ?", "fr", knowledge.glossary)
    assert asked_values(french, "Le 12 mars 2024, 800 délégués sont venus.", "fr", knowledge.glossary) == ["800 délégués"]


def test_a_figure_lead_keeps_its_noun_without_the_joining_word_after_it():
    knowledge = load_knowledge(Settings().knowledge_dir)
    question = analyse_question("Tuyến buýt có quy mô ra sao, bao nhiêu?", "vi", knowledge.glossary)
    sentence = "Tuyến dài 14 km, dự kiến sử dụng 25 xe và bố trí 22 điểm dừng."
    assert asked_values(question, sentence, "vi", knowledge.glossary) == ["14 km", "25 xe", "22 điểm dừng"]


def test_an_amount_of_money_asked_is_led_by_figures_written_in_a_currency_only():
    knowledge = load_knowledge(Settings().knowledge_dir)
    glossary = knowledge.glossary
    budget = analyse_question("Dự án có tổng kinh phí bao nhiêu?", "vi", glossary)
    assert budget.money
    dated = "Ngày 5 tháng 9 năm 2024, hai bên khởi động dự án cho 3 xã, kinh phí 1,2 triệu euro."
    assert asked_values(budget, dated, "vi", glossary) == ["1,2 triệu euro"]
    assert asked_values(budget, "Chương trình sẽ lắp đặt 12 trạm quan trắc.", "vi", glossary) == []
    french = analyse_question("Quel est le budget total de la nouvelle phase ?", "fr", glossary)
    assert asked_values(french, "La phase dispose de 620 000 euros sur quatre ans, pour 3 sites.", "fr",
                        glossary) == ["620 000 euros"]
    assert asked_values(french, "Soit 1,2 million d’euros et 2,3 tỷ đồng.", "fr", glossary) == [
        "1,2 million d’euros", "2,3 tỷ đồng"]


def test_a_counted_noun_the_lexicon_cannot_read_in_the_passage_leaves_any_figure_its_lead():
    """"ingénieurs" has no learned Vietnamese form: the passage's figure is the best reading there is, as the
    candidates' `counted_figures` reads it; a noun read in the passage's language still picks its own figure."""
    knowledge = load_knowledge(Settings().knowledge_dir)
    question = analyse_question("Combien d'ingénieurs iront se former à Rennes ?", "fr", knowledge.glossary, Lexicon())
    assert question.counted == "ingenieurs" and not question.counted_in("vi")
    assert asked_values(question, "Đồng Tháp sẽ cử 8 kỹ sư sang Rennes.", "vi", knowledge.glossary) == ["8 kỹ sư"]
    assert asked_values(question, "Rennes accueillera 8 ingénieurs et 3 techniciens.", "fr",
                        knowledge.glossary) == ["8 ingénieurs"]
    assert in_asker_words(question, ["8 kỹ sư"]) == ["8 kỹ sư"]  # not said to count what nothing says it counts
    assert typed_phrase(question.text, "ingenieurs") == "ingénieurs"  # as typed after "d'", accents kept


def test_a_count_written_in_words_leads_a_how_many_answer():
    knowledge = load_knowledge(Settings().knowledge_dir)
    question = analyse_question("Combien d'artisans seront accueillis à Blois ?", "fr", knowledge.glossary)
    sentence = "Douze artisans vietnamiens seront accueillis à Blois en 2025 pour un stage de six semaines."
    assert asked_values(question, sentence, "fr", knowledge.glossary) == ["Douze artisans"]
    vietnamese = analyse_question("Có bao nhiêu nghệ nhân sang Blois?", "vi", knowledge.glossary)
    assert asked_values(vietnamese, "Mười hai nghệ nhân sẽ sang Blois trong năm 2025.", "vi",
                        knowledge.glossary) == ["Mười hai nghệ nhân"]


def test_a_name_is_glossed_by_the_entry_form_its_learned_translation_names():
    from coopbot.compose import closest_form
    from coopbot.lexicon import learn_lexicon

    lexicon = learn_lexicon([("Kinh tế và đầu tư.", "L'économie et l'investissement."),
                             ("Kinh tế đô thị.", "L'économie urbaine."),
                             ("Đầu tư lớn.", "Un grand investissement.")], min_pairs=2, min_dice=0.5)
    forms = ["hợp tác đầu tư", "kinh tế", "doanh nghiệp"]
    assert closest_form("économie", "fr", forms, "vi", lexicon) == "kinh tế"
    assert closest_form("investissement", "fr", forms, "vi", lexicon) == "hợp tác đầu tư"
    assert closest_form("entreprises", "fr", forms, "vi", lexicon) == "hợp tác đầu tư"  # unlinked: the first form


def test_an_n_years_ago_is_an_asked_date_read_back_from_the_articles_year():
    knowledge = load_knowledge(Settings().knowledge_dir)
    question = analyse_question("Quand la coopération a-t-elle commencé ?", "fr", knowledge.glossary)
    sentence = "Il y a 30 ans, les deux villes ont signé un accord ; en 2019, un second."
    assert years_ago_phrases(sentence) == ["Il y a 30 ans"]
    assert asked_values(question, sentence, "fr", knowledge.glossary) == ["2019", "Il y a 30 ans"]
    assert year_counted_back("Il y a 30 ans", "2010-11-12") == 1980
    assert year_counted_back("cách đây 20 năm", "2023-04-14") == 2003
    assert year_counted_back("2019", "2010-11-12") is None and year_counted_back("cách đây 20 năm", "") is None


def who_lead(question: str, lang: str, sentence: str) -> list[str]:
    """The values a "who" question's lead takes from `sentence`, read with the bundled knowledge."""
    knowledge = load_knowledge(Settings().knowledge_dir)
    return asked_values(analyse_question(question, lang, knowledge.glossary), sentence, lang, knowledge.glossary,
                        lowercase_words(knowledge))


def test_a_who_lead_is_neither_the_person_asked_about_nor_a_place():
    sentence = ("Selon Mme Anne-Louise Mesadieu, déléguée de la Région Île-de-France, la relation avec Hanoï "
                "est un modèle.")
    assert who_lead("Qui est Anne-Louise Mesadieu ?", "fr", sentence) == []
    assert who_lead("Bà Anne-Louise Mesadieu là ai?", "vi", "Theo bà Anne-Louise Mesadieu, quan hệ rất hiệu quả.") == []
    assert who_lead("Qui a parlé de la relation avec Hanoï ?", "fr", sentence) == ["Anne-Louise Mesadieu"]


def test_a_who_lead_keeps_the_names_a_persons_title_opens_not_the_bodies_beside_them():
    sentence = ("Conduite par Mme Claire Vignon, la délégation a rencontré l'Agence de l'eau Rhône Méditerranée "
                "Corse et M. Paul Durand.")
    assert who_lead("Qui conduisait la délégation ?", "fr", sentence) == ["Claire Vignon", "Paul Durand"]
    assert who_lead("Ai dẫn đầu đoàn?", "vi", "Đoàn do ông Lê Văn Tám, Phó Chủ tịch Sở Kế hoạch, dẫn đầu.") == [
        "Lê Văn Tám"]
    # no title: a name in full, not a one-word place the glossary does not know
    assert who_lead("Qui a fait le déplacement ?", "fr", "Pour Nguyễn Văn Thắng, qui a fait le déplacement en "
                    "Savoie, la formation compte.") == ["Nguyễn Văn Thắng"]


def test_a_who_lead_is_the_name_without_its_title_or_the_word_opening_the_sentence():
    """"Bà" and "Selon" are capitalised only for opening the sentence; a Vietnamese name opening one keeps its
    first syllable, though the knowledge writes "đồng" in lower case."""
    assert who_lead("Qui est le maire de Blois ?", "fr", "Selon Marc Gricourt, maire de Blois, la coopération avance.") == [
        "Marc Gricourt"]
    assert who_lead("Qui préside Rennes Métropole ?", "fr", "Bà Nathalie Appéré, Chủ tịch Rennes Métropole, cho biết.") == [
        "Nathalie Appéré"]
    common = lowercase_words(load_knowledge(Settings().knowledge_dir))
    assert "đồng" in common and "la" in common
    assert name_proper("Đồng Tháp Mười", "Đồng Tháp Mười hợp tác với Rennes.", common) == "Đồng Tháp Mười"
    assert name_proper("La Rochelle", "La Rochelle accueille les Assises.", common) == "La Rochelle"


def test_a_gloss_that_only_repeats_the_word_is_left_out():
    lexicon = Lexicon({"f:toulous": "v:toulouse", "v:toulouse": "f:toulous", "f:delegu": "vb:đại_biểu",
                       "vb:đại_biểu": "f:delegu"}, {"f:toulous": "toulouse", "f:delegu": "délégués"})
    composer = Composer(load_knowledge(Settings().knowledge_dir), lexicon)
    assert composer._word_glosses("Les délégués de Toulouse.", "fr", "vi", None, "") == ["délégués = đại biểu"]


def test_a_document_added_without_outlet_or_date_is_named_by_its_file_and_dated_as_added(make_kb, tmp_path):
    """`coopbot add` writes a bilingual placeholder for a missing outlet and the day of the add for a missing
    date: an answer names the file instead, in the asker's words, and says the date is only the add's."""
    kb = make_kb()
    note = tmp_path / "ghi-chu.txt"
    note.write_text("Vĩnh Long và vùng Grand Est ký thỏa thuận hợp tác.\n\nHai bên sẽ đào tạo 500 học viên.\n",
                    encoding="utf-8")
    [(_, target)] = add_documents([note], kb).added
    knowledge = load_knowledge(kb)
    added = knowledge.articles[target.stem]
    assert not added.outlet_known and not added.publication_date_known
    assert outlet_name(added, "fr") == "le document ghi-chu.txt" and outlet_name(added, "vi") == "tài liệu ghi-chu.txt"
    assert publication_date(added, "fr") == f"date de publication inconnue, ajouté le {display_date(added.date, 'fr')}"
    assert publication_date(added, "vi").startswith("không rõ ngày đăng")
    bundled = knowledge.articles["bnews-2023-04-10.fr"]
    assert outlet_name(bundled, "fr") == bundled.outlet
    assert publication_date(bundled, "fr") == display_date(bundled.date, "fr")


def test_a_person_the_sentence_names_by_one_word_leads_as_the_article_names_them_in_full(make_kb, tmp_path):
    """Vietnamese news names a person in full once, then by the last word of the name ("ông Khởi"); French by
    title and surname ("M. Delorme"): the lead says who, in full, when the article does."""
    from coopbot.candidates import Candidate
    from coopbot.engine import Engine
    from coopbot.retrieve import Unit

    kb = make_kb()
    note = tmp_path / "ca-mau.txt"
    note.write_text("Ông Huỳnh Quốc Khởi, Phó Chủ tịch UBND tỉnh Cà Mau, đã ký biên bản ghi nhớ.\n\n"
                    "Theo ông Khởi, hai bên sẽ phục hồi 1.200 ha rừng ngập mặn.\n", encoding="utf-8")
    [(_, target)] = add_documents([note], kb).added
    engine = Engine(Settings(knowledge_dir=kb, data_dir=tmp_path / "data"))
    unit_id = next(line.id for line in engine.knowledge.articles[target.stem].lines if "Theo ông Khởi" in line.text)
    candidate = Candidate(Unit(unit_id, [unit_id]), engine.answerer.unit_text_of(Unit(unit_id, [unit_id])))
    question = analyse_question("Ai nói về rừng ngập mặn?", "vi", engine.knowledge.glossary)
    composer = engine.answerer.composer
    assert composer.said_values(question, candidate, ["Khởi"]) == ["Huỳnh Quốc Khởi"]
    assert composer.said_values(question, candidate, ["Lê Văn Tám"]) == ["Lê Văn Tám"]
    dated = analyse_question("Khi nào?", "vi", engine.knowledge.glossary)
    assert composer.said_values(dated, candidate, ["Khởi"]) == ["Khởi"], "only a person is said in full"


def test_a_place_lead_is_neither_a_titled_person_nor_the_capitalised_start_of_an_office():
    knowledge = load_knowledge(Settings().knowledge_dir)
    common = lowercase_words(knowledge)
    sentence = ("Phát biểu tại hội thảo, ông Phan Hữu Lộc, Phó Chủ tịch UBND tỉnh Bình Định, cho biết các trạm đo "
                "đặt tại Hoài Nhơn.")
    where = analyse_question("Các trạm đo của dự án ở Bình Định được đặt ở đâu?", "vi", knowledge.glossary)
    assert asked_values(where, sentence, "vi", knowledge.glossary, common) == ["Hoài Nhơn"]
    who = analyse_question("Ai phát biểu tại hội thảo?", "vi", knowledge.glossary)
    assert asked_values(who, sentence, "vi", knowledge.glossary, common) == ["Phan Hữu Lộc"]


def test_a_who_lead_is_no_place_the_sentence_names_after_a_place_word():
    """"à Long Xuyên", "la province d'An Giang": names the glossary lacks, read as places by the words before them
    (as `coopbot add` guesses), are no answer to "who"; the passage is then told the person was not found."""
    knowledge = load_knowledge(Settings().knowledge_dir)
    who = analyse_question("Quel élu régional conduisait la délégation venue fêter les dix ans du partenariat ?", "fr",
                           knowledge.glossary)
    places = ("La Région a célébré le 8 mars 2024, à Long Xuyên, les dix ans de son partenariat avec la province "
              "d'An Giang.")
    assert asked_values(who, places, "fr", knowledge.glossary, lowercase_words(knowledge)) == []
    said = "« Une preuve », a déclaré M. Patrick Delorme, vice-président de la Région."
    assert asked_values(who, said, "fr", knowledge.glossary, lowercase_words(knowledge)) == ["Patrick Delorme"]


def test_a_count_read_across_languages_is_led_by_no_amount_of_money():
    """The counted noun ("tấn") has no learned form in the passage's language, so any figure may lead, but an amount
    of money counts no tonnes."""
    knowledge = load_knowledge(Settings().knowledge_dir)
    tonnes = analyse_question("Cà Mau xuất khẩu bao nhiêu tấn tôm mỗi năm?", "vi", knowledge.glossary, Lexicon())
    sentence = "Le partenariat est doté de 1,8 million d'euros pour 120 familles."
    assert asked_values(tonnes, sentence, "fr", knowledge.glossary) == ["120 familles"]


def test_a_time_counted_is_read_from_the_year_it_runs_from_to_the_questions_year_or_the_articles():
    knowledge = load_knowledge(Settings().knowledge_dir)
    asked = analyse_question("Depuis combien d'années les deux villes coopèrent-elles ?", "fr", knowledge.glossary)
    up_to = analyse_question("Tính đến năm 2024, hai bên đã hợp tác được bao nhiêu năm?", "vi", knowledge.glossary)
    assert asked.counts_time and up_to.counts_time
    assert not analyse_question("Combien de délégués y ont participé ?", "fr", knowledge.glossary).counts_time
    sentence = "Celui-ci a rappelé que les deux collectivités travaillent ensemble depuis 2013, puis en 2019."
    assert since_phrases(sentence) == ["depuis 2013"]
    assert asked_values(asked, sentence, "fr", knowledge.glossary)[0] == "depuis 2013"
    assert years_counted_since("depuis 2013", asked, "2025-03-18") == (12, 2013)
    assert years_counted_since("bắt đầu từ năm 2011", up_to, "2025-03-18") == (13, 2011)  # to the year asked
    assert years_counted_since("2019", asked, "2025-03-18") is None
    assert since_phrases("Dự án kéo dài từ 2015 đến 2020.") == [] == since_phrases("depuis 2015 jusqu'en 2020")
