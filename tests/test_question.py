"""Question reading (coopbot.question): kind, cues, counted and listed nouns, two parts."""

from __future__ import annotations

import pytest

from coopbot.knowledge import load_knowledge
from coopbot.language import language
from coopbot.question import (
    analyse_question,
    asks_money,
    counted_noun,
    listed_noun,
    matched_cues,
    question_kind,
    two_parts,
    without_cues,
)


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        ("Có bao nhiêu đại biểu tham dự?", "vi", "number"),
        ("co bao nhieu dai bieu tham du", "vi", "number"),
        ("Combien de délégués ?", "fr", "number"),
        ("combien de projets", "fr", "number"),
        ("Hội nghị diễn ra khi nào?", "vi", "date"),
        ("hoi nghi dien ra khi nao", "vi", "date"),
        ("Hợp tác bắt đầu năm nào?", "vi", "date"),
        ("hop tac bat dau nam nao", "vi", "date"),
        ("Quand ont eu lieu les Assises ?", "fr", "date"),
        ("quand a eu lieu la premiere conference", "fr", "date"),
        ("Hội nghị lần thứ 12 diễn ra ở đâu?", "vi", "place"),
        ("hoi nghi lan thu 12 dien ra o dau", "vi", "place"),
        ("Où se sont tenues les premières Assises ?", "fr", "place"),
        ("ou se sont tenues les premieres assises", "fr", "place"),
        ("Ai là Bí thư Thành ủy Hà Nội?", "vi", "person"),
        ("ai la pho thi truong toulouse", "vi", "person"),
        ("Qui est le vice-président de la région ?", "fr", "person"),
        ("qui dirige la delegation", "fr", "person"),
        ("Parlez-moi de la coopération décentralisée.", "fr", "general"),
        ("Đoàn được tiếp vào hôm nào?", "vi", "date"),
        ("chuong trinh ap dung cho giai doan nao", "vi", "date"),
        ("À quel moment la séance s'est-elle ouverte ?", "fr", "date"),
        ("Quel élu a pris la parole ?", "fr", "person"),
        # a count of something other than time, whatever date word the question holds
        ("Combien de visiteurs la baie accueille-t-elle chaque année ?", "fr", "number"),
        ("Vào thời điểm Hội nghị lần thứ 8, có bao nhiêu tỉnh tham gia?", "vi", "number"),
        # a noun that asks an amount by itself
        ("Quel est le budget global du programme ?", "fr", "number"),
        ("Quelle somme la province apporte-t-elle ?", "fr", "number"),
        # a name asked of a thing, not of a person
        ("Chương trình hợp tác giữa hai tỉnh mang tên gì?", "vi", "general"),
    ],
)
def test_question_kind(text: str, lang: str, kind: str) -> None:
    assert question_kind(text, lang) == kind


# --------------------------------------------------------------------------- cues as typed


@pytest.mark.parametrize(("marked", "plain", "lang", "kind"), [
    ("Có bao nhiêu đại biểu tham dự?", "co bao nhieu dai bieu tham du", "vi", "number"),
    ("Hợp tác bắt đầu từ năm nào?", "hop tac bat dau tu nam nao", "vi", "date"),
    ("Hội nghị diễn ra ở đâu?", "hoi nghi dien ra o dau", "vi", "place"),
    ("En quelle année la coopération a-t-elle commencé ?", "en quelle annee la cooperation a-t-elle commence", "fr",
     "date"),
    ("Où se sont tenues les premières Assises ?", "ou se sont tenues les premieres assises", "fr", "place"),
])
def test_a_cue_is_met_typed_with_or_without_marks(marked: str, plain: str, lang: str, kind: str) -> None:
    assert question_kind(marked, lang) == question_kind(plain, lang) == kind
    assert matched_cues(marked, lang) == matched_cues(plain, lang)


def test_a_syllable_typed_with_marks_is_not_a_cue_it_only_folds_to() -> None:
    """"trùng tu nằm" (restored … lies) is not "từ năm" (since the year): no date question."""
    question = "Biệt thự Pháp cổ được bảo tồn, trùng tu nằm ở địa chỉ nào?"
    assert question_kind(question, "vi") != "date"
    assert "từ năm" not in matched_cues(question, "vi")
    assert "tu" in without_cues(question, "vi").split()


def test_so_the_department_is_not_so_the_number() -> None:
    """"Sở" (a city department) is not "số" (number): "who heads the Sở" asks for a person."""
    assert question_kind("Sở Ngoại vụ TP.HCM do ai đứng đầu?", "vi") == "person"
    assert question_kind("Số đại biểu tham dự là bao nhiêu?", "vi") == "number"


def test_typed_without_marks_a_syllable_may_be_any_it_folds_from() -> None:
    assert question_kind("so dai bieu tham du", "vi") == "number"


def test_vietnamese_names_with_marks_leave_a_question_typed_without_marks() -> None:
    assert question_kind("ai la bi thu thanh uy Hà Nội", "vi") == "person"
    assert counted_noun("co bao nhieu du an o Đà Nẵng", "vi") == "du an"


@pytest.mark.parametrize("question", [
    "Qui préside la délégation, le maire ou son adjoint ?",  # typed with accents: "ou" is written as meant
    "qui preside la delegation, le maire ou son adjoint",  # without: "ou" inside the question joins two things
    "les assises ont eu lieu en 2023 ou en 2024",
])
def test_french_ou_is_not_where(question: str) -> None:
    assert question_kind(question, "fr") != "place"
    assert "où" not in matched_cues(question, "fr")


@pytest.mark.parametrize("question", ["ou se sont tenues les premieres assises", "les assises se sont tenues ou ?",
                                      "Où se tiennent les Assises ?", "Les Assises se tiennent où ?"])
def test_french_where_opens_or_closes_the_question(question: str) -> None:
    assert question_kind(question, "fr") == "place"


@pytest.mark.parametrize(("question", "lang", "noun"), [
    ("Có bao nhiêu đại biểu tham dự?", "vi", "dai bieu"),
    ("co bao nhieu dai bieu tham du", "vi", "dai bieu"),
    ("Hội nghị có mấy phiên thảo luận?", "vi", "phien thao"),
    ("Combien de délégués ?", "fr", "delegues"),
    ("combien d'habitants compte Lyon", "fr", "habitants"),
    ("Combien la ville s'engage-t-elle à verser ?", "fr", ""),  # "la" is no counted noun
    ("Cái máy này giá bao nhiêu?", "vi", ""),  # "máy" (machine) is not "mấy" (how many)
    # the words after "bao nhiêu" up to a stopword: "và vùng" is the next part of the question, not what is counted
    ("Chuong trinh co tong kinh phi bao nhieu va vung Bourgogne chi bao nhieu?", "vi", ""),
    ("Tổng kinh phí là bao nhiêu và tỉnh Nord góp bao nhiêu?", "vi", ""),
    ("Lễ hội bán được bao nhiêu vé?", "vi", "ve"),  # "vé" typed with marks is no "về" (a stopword)
    ("Tong kinh phi la bao nhieu, rieng tinh Nord gop bao nhieu?", "vi", ""),  # nor after a comma
    ("Có bao nhiêu dự án ở TP.HCM?", "vi", "du an"),
])
def test_counted_noun(question: str, lang: str, noun: str) -> None:
    assert counted_noun(question, lang) == noun


@pytest.mark.parametrize(("question", "lang", "noun"), [
    ("Lyon hợp tác với TP.HCM trong những lĩnh vực nào?", "vi", "linh vuc"),
    ("lyon hop tac voi tp hcm trong nhung linh vuc nao", "vi", "linh vuc"),
    ("Quels sont les 3 thèmes des Assises ?", "fr", "themes"),
    ("Quelles thématiques ?", "fr", "thematiques"),
])
def test_listed_noun(question: str, lang: str, noun: str) -> None:
    assert listed_noun(question, lang) == noun


@pytest.mark.parametrize(("question", "lang", "money"), [
    ("Tổng kinh phí của chương trình là bao nhiêu?", "vi", True),
    ("Phía Pháp góp bao nhiêu tiền cho dự án?", "vi", True),
    ("Quel est le budget total de la phase 2 ?", "fr", True),
    ("Combien la ville s'engage-t-elle à verser ?", "fr", True),
    ("Phía Pháp tài trợ bao nhiêu suất học bổng?", "vi", False),  # it counts scholarships
    ("Combien de délégués ?", "fr", False),
    ("Quels projets le budget finance-t-il ?", "fr", False),  # a list, not a number
    ("co bao nhieu hoat dong cong dong", "vi", False),  # "đồng" is no money word: "cộng đồng", "hoạt động"
])
def test_a_how_much_question_with_a_money_word_asks_an_amount(question: str, lang: str, money: bool) -> None:
    assert asks_money(question, question_kind(question, lang), language(lang)) is money


def test_where_typed_without_its_accent_opens_a_question_typed_with_others() -> None:
    assert question_kind("Ou se tiennent les Assises de Hanoï ?", "fr") == "place"
    assert question_kind("Qui préside, le maire ou son adjoint ?", "fr") == "person"


# --------------------------------------------------------------------------- questions that ask for two things


@pytest.mark.parametrize(("question", "lang", "first", "second"), [
    ("Thành phố Hồ Chí Minh và Lyon hợp tác từ khi nào và có bao nhiêu dự án chiếu sáng đô thị?", "vi",
     "Thành phố Hồ Chí Minh và Lyon hợp tác từ khi nào", "có bao nhiêu dự án chiếu sáng đô thị?"),
    ("thanh pho ho chi minh va lyon hop tac tu khi nao va co bao nhieu du an chieu sang do thi", "vi",
     "thanh pho ho chi minh va lyon hop tac tu khi nao", "co bao nhieu du an chieu sang do thi"),
    ("Ai dẫn đầu đoàn Toulouse và ai tiếp đoàn?", "vi", "Ai dẫn đầu đoàn Toulouse", "ai tiếp đoàn?"),
    ("Qui a conduit la délégation et qui l'a reçue ?", "fr", "Qui a conduit la délégation", "qui l'a reçue ?"),
    ("Quand les Assises ont-elles ouvert, et quand ont-elles fermé ?", "fr",
     "Quand les Assises ont-elles ouvert", "quand ont-elles fermé ?"),
    # a first part that is only its question word asks about what the second names
    ("Où et en quelle année se sont tenues les premières Assises ?", "fr",
     "Où se sont tenues les premières Assises ?", "en quelle année se sont tenues les premières Assises ?"),
    # … also when the second opens with a cue phrase no opener lists, after a short word
    ("Où et à quelles dates se tiendra le premier atelier ?", "fr",
     "Où se tiendra le premier atelier ?", "à quelles dates se tiendra le premier atelier ?"),
    ("Ở đâu và vào ngày nào hội thảo đầu tiên diễn ra?", "vi",
     "Ở đâu hội thảo đầu tiên diễn ra?", "vào ngày nào hội thảo đầu tiên diễn ra?"),
    # a second question that names its subject first, after a question ended by a comma or its question word
    ("Ai ký thỏa thuận thay mặt Đà Nẵng, và lễ ký diễn ra vào ngày nào?", "vi",
     "Ai ký thỏa thuận thay mặt Đà Nẵng", "lễ ký diễn ra vào ngày nào?"),
    ("Lễ kỷ niệm được tổ chức ở đâu và vào ngày nào?", "vi", "Lễ kỷ niệm được tổ chức ở đâu", "vào ngày nào?"),
])
def test_a_question_asking_two_things_is_split_before_its_second_question_word(question, lang, first, second):
    assert two_parts(question, lang) == (first, second)


@pytest.mark.parametrize(("question", "lang"), [
    ("Hà Nội và Île-de-France hợp tác từ năm nào?", "vi"),
    ("ha noi va ile de france hop tac tu nam nao", "vi"),
    ("Hội nghị lần thứ 12 có bao nhiêu đại biểu Việt Nam và Pháp?", "vi"),
    ("Quand Hà Nội et l'Île-de-France ont-ils signé ?", "fr"),
    ("Combien de provinces vietnamiennes et de collectivités françaises participent ?", "fr"),
    ("Hà Nội và ai?", "vi"),  # nothing asked before the joining word
    ("Bao nhiêu đại biểu Pháp và Việt Nam dự Hội nghị năm nào?", "vi"),  # a question not ended before "và"
])
def test_a_question_asking_one_thing_is_not_split(question, lang, knowledge_dir):
    assert two_parts(question, lang) is None
    assert analyse_question(question, lang, load_knowledge(knowledge_dir).glossary).parts == []


def test_typed_with_marks_the_joining_word_is_read_as_written() -> None:
    """"vả" only folds to "và": typed with marks it joins nothing; typed without, "va" may be "và"."""
    assert two_parts("Ai dẫn đầu đoàn vả ai tiếp đoàn?", "vi") is None
    assert two_parts("ai dan dau doan va ai tiep doan", "vi") == ("ai dan dau doan", "ai tiep doan")


def test_each_part_is_read_on_its_own_and_the_second_keeps_the_context_of_the_whole(knowledge_dir):
    glossary = load_knowledge(knowledge_dir).glossary
    question = analyse_question("Hội nghị lần thứ 11 được tổ chức ở đâu và năm nào?", "vi", glossary)
    first, second = question.parts
    assert (first.kind, second.kind) == ("place", "date")
    assert second.text == "năm nào?" and second.ordinals == frozenset({11})
    assert {e.id for e in first.terms} <= {e.id for e in second.terms} and second.terms
    assert second.words == question.words


def test_the_first_part_keeps_its_own_names(knowledge_dir):
    """A name only the second part says (one the sources may never mention) is not the first part's."""
    glossary = load_knowledge(knowledge_dir).glossary
    first, second = analyse_question("Lyon và TP.HCM hợp tác từ năm nào và ai là Thị trưởng Marseille?", "vi",
                                     glossary).parts
    assert "Marseille" in second.names and "Marseille" not in first.names


def test_the_query_reads_a_name_as_a_passage_in_either_language_writes_it(knowledge_dir):
    """BM25 meets "Rennes" in a French passage ("f:ren") from a Vietnamese question typed with marks, and
    each token is asked once (a repeated token would weigh the name twice in its own language)."""
    glossary = load_knowledge(knowledge_dir).glossary
    vi = analyse_question("Hội nghị ở Rennes có bao nhiêu đại biểu?", "vi", glossary)
    assert {"f:rennes", "f:ren"} <= vi.tokens
    fr = analyse_question("Combien de délégués à Rennes ?", "fr", glossary)
    assert {"f:rennes", "f:ren"} <= fr.tokens
    assert len(fr.query_tokens) == len(set(fr.query_tokens))
