"""Text handling (coopbot.text): language detection, folding, analysers, stopwords, stems."""

from __future__ import annotations

import unicodedata

import pytest

from coopbot.config import Settings
from coopbot.text import (
    analyse_fr,
    analyse_query,
    analyse_vi,
    content_words,
    detect_language,
    fold,
    fold_word,
    folded_words,
    is_stopword,
    name_tokens,
    normalize_numbers,
    size_word_caches,
    split_sentences,
    stem,
    stem_fr,
    word_cache_fill,
)

# --------------------------------------------------------------------------- detect_language

VI_WITH_DIACRITICS = [
    "Hội nghị lần thứ 12 diễn ra ở đâu?",
    "Ai là Bí thư Thành ủy Hà Nội?",
    "Có bao nhiêu địa phương Pháp tham gia hội nghị?",
    "Hợp tác giữa Hà Nội và vùng Ile-de-France bắt đầu từ năm nào?",
    "Thông điệp của hội nghị lần thứ 8 là gì?",
    "Lyon hợp tác với Thành phố Hồ Chí Minh trong những lĩnh vực nào?",
]

VI_WITHOUT_DIACRITICS = [
    "hoi nghi lan thu 12 dien ra o dau",
    "ai la pho thi truong toulouse",
    "bao nhieu dia phuong phap tham gia",
    "hop tac giua ha noi va ile de france bat dau tu nam nao",
    "co bao nhieu du an chieu sang o thanh pho ho chi minh",
    "thong diep cua hoi nghi lan thu 8 la gi",
    "ai dan dau doan dai bieu vung ile de france",
]

FR_WITH_ACCENTS = [
    "Où se sont tenues les premières Assises ?",
    "Quelle est la date des 12e Assises ?",
    "Combien de collectivités françaises participent ?",
    "Qui est le vice-président de la région Île-de-France ?",
    "Quels thèmes ont été abordés à Hanoï en 2023 ?",
]

FR_WITHOUT_ACCENTS = [
    "quand a eu lieu la premiere conference",
    "combien de delegues",
    "qui dirige la delegation de la region",
    "quels sont les themes des assises de 2010",
    "ou se sont tenues les premieres assises",
    "depuis quand Lyon coopere avec Ho Chi Minh Ville",
]


@pytest.mark.parametrize("text", VI_WITH_DIACRITICS)
def test_detects_vietnamese_with_diacritics(text: str) -> None:
    assert detect_language(text) == "vi"


@pytest.mark.parametrize("text", VI_WITHOUT_DIACRITICS)
def test_detects_vietnamese_without_diacritics(text: str) -> None:
    assert fold(text) == text  # really typed without any diacritic
    assert detect_language(text) == "vi"


@pytest.mark.parametrize("text", FR_WITH_ACCENTS)
def test_detects_french_with_accents(text: str) -> None:
    assert detect_language(text) == "fr"


@pytest.mark.parametrize("text", FR_WITHOUT_ACCENTS)
def test_detects_french_without_accents(text: str) -> None:
    assert fold(text) == text
    assert detect_language(text) == "fr"


def test_detection_ignores_the_default_when_it_has_evidence() -> None:
    assert detect_language("hoi nghi lan thu 12 dien ra o dau", default="fr") == "vi"
    assert detect_language("combien de delegues", default="vi") == "fr"


@pytest.mark.parametrize("text, lang", [
    ("jacques fournier la ai?", "vi"),
    ("jean pierre raffarin la ai", "vi"),
    ("ong le hong son tiep doan vung ile de france vao ngay nao?", "vi"),
    ("qui est jacques fournier", "fr"),
    ("le maire de lyon ou son adjoint", "fr"),
])
def test_the_question_words_decide_where_lower_case_names_would_not(text: str, lang: str) -> None:
    """Names typed in lower case are unknown words, read half French each; the frame "là ai" / "vào ngày nào"
    is Vietnamese."""
    assert detect_language(text) == lang


def test_detection_falls_back_to_the_default_without_words() -> None:
    assert detect_language("2023", default="vi") == "vi"
    assert detect_language("?!", default="fr") == "fr"


def test_detects_nfd_vietnamese() -> None:
    assert detect_language(unicodedata.normalize("NFD", "Hội nghị diễn ra ở đâu?")) == "vi"


@pytest.mark.parametrize(
    "text",
    [
        "What is the weather today?",
        "Who won the world cup?",
        "what is the weather in the world today",
        "What is the price of rice today?",
        "How many delegates came to the conference?",
        "Where was the first conference held?",
        "What time is it?",
        "Who is the mayor of Lyon?",
    ],
)
def test_english_is_neither_language(text: str) -> None:
    assert detect_language(text) is None


@pytest.mark.parametrize(
    "text",
    ["今天天气怎么样", "越南和法国的地方合作", "Какая погода сегодня?", "Кто мэр Лиона?", "ハノイはどこですか",
     "서울 날씨", "Hội nghị 河内"],
)
def test_other_scripts_are_neither_language(text: str) -> None:
    assert detect_language(text) is None


# --------------------------------------------------------------------------- fold / normalize_numbers


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("đường", "duong"),
        ("Đà Nẵng", "Da Nang"),
        ("Hà Nội", "Ha Noi"),
        ("Thủ đô Hà Nội", "Thu do Ha Noi"),
        ("Hanoï", "Hanoi"),
        ("Île-de-France", "Ile-de-France"),
        ("élève, ça, cœur", "eleve, ca, cœur"),
        ("hợp tác phi tập trung", "hop tac phi tap trung"),
        ("plain ascii 123", "plain ascii 123"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.000", "1000"),
        ("1 000", "1000"),
        ("1\u00a0000 délégués", "1000 délégués"),
        ("1\u202f000", "1000"),
        ("1.000.000", "1000000"),
        ("hơn 1.000 đại biểu", "hơn 1000 đại biểu"),
        ("16/4/2023", "16/4/2023"),
        ("13-16/4", "13-16/4"),
        ("12.5", "12.5"),
        ("1.2345", "1.2345"),
        ("năm 1989 và 1996", "năm 1989 và 1996"),
    ],
)
def test_normalize_numbers(text: str, expected: str) -> None:
    assert normalize_numbers(text) == expected


# --------------------------------------------------------------------------- analysers


@pytest.mark.parametrize("text", ["l'Agence d'Hanoï", "l’Agence d’Hanoï", "L'AGENCE D’HANOÏ"])
def test_analyse_fr_splits_elisions_and_folds(text: str) -> None:
    tokens = analyse_fr(text)
    agence, hanoi = stem_fr("agence"), stem_fr("hanoi")
    assert tokens == [f"f:{agence}", f"f:{hanoi}", f"fb:{agence}_{hanoi}"]


def test_analyse_fr_drops_stopwords_and_folds_accents() -> None:
    tokens = analyse_fr("Qu’est-ce que la coopération décentralisée ?")
    assert f"f:{stem_fr('cooperation')}" in tokens
    assert f"f:{stem_fr('decentralisee')}" in tokens
    assert not {"f:la", "f:que", "f:qu", "f:l", "f:d"} & set(tokens)
    assert all(fold(t) == t for t in tokens)


def test_analyse_fr_stems_inflections_together() -> None:
    assert analyse_fr("délégués")[0] == analyse_fr("délégué")[0] == analyse_fr("Delegue")[0]
    assert analyse_fr("visiter")[0] == analyse_fr("visite")[0]


def test_analyse_vi_syllables_bigrams_and_folded_fields() -> None:
    tokens = analyse_vi("Hà Nội")
    assert tokens == ["v:hà", "v:nội", "vb:hà_nội", "f:ha", "f:noi", "fb:ha_noi"]


def test_analyse_vi_stopwords_are_kept_in_bigrams_only() -> None:
    tokens = analyse_vi("Hà Nội và Pháp")
    assert "v:và" not in tokens
    assert "f:va" not in tokens
    assert "vb:nội_và" in tokens
    assert "fb:noi_va" in tokens
    assert "f:phap" in tokens


def test_analyse_vi_diacritic_free_input_meets_the_folded_field() -> None:
    accented = set(analyse_vi("hội nghị Hà Nội"))
    plain = set(analyse_vi("hoi nghi ha noi"))
    assert {"f:hoi", "f:nghi", "fb:ha_noi", "fb:hoi_nghi"} <= accented & plain
    assert "v:hội" in accented
    assert "v:hội" not in plain


# --------------------------------------------------------------------------- split_sentences


def test_split_sentences_keeps_abbreviations_inside_a_sentence() -> None:
    paragraph = (
        "Đoàn đại biểu TP.HCM đã tới Hà Nội. Hội nghị kết thúc vào ngày 15/4.  "
        "\"Đây là cơ hội lớn\", ông nói."
    )
    assert split_sentences(paragraph) == [
        "Đoàn đại biểu TP.HCM đã tới Hà Nội.",
        "Hội nghị kết thúc vào ngày 15/4.",
        "\"Đây là cơ hội lớn\", ông nói.",
    ]


def test_split_sentences_french() -> None:
    paragraph = "Le Sở Ngoại vụ TP.HCM a publié l’article. Les délégués sont venus ! Combien ? « Beaucoup. »"
    assert split_sentences(paragraph) == [
        "Le Sở Ngoại vụ TP.HCM a publié l’article.",
        "Les délégués sont venus !",
        "Combien ?",
        "« Beaucoup. »",
    ]


def test_split_sentences_does_not_split_before_lowercase() -> None:
    assert split_sentences("Khoảng 1.000 đại biểu... và nhiều khách mời.") == [
        "Khoảng 1.000 đại biểu... và nhiều khách mời."
    ]


def test_split_sentences_of_an_empty_paragraph() -> None:
    assert split_sentences("   \n ") == []


@pytest.fixture
def small_word_caches():
    size_word_caches(8)
    yield 8
    size_word_caches(Settings.word_cache_size)


def test_word_caches_stay_bounded_on_endless_new_words(small_word_caches) -> None:
    folded = [fold_word(f"Đà{n}ẵng") for n in range(100)]
    stems = [stem_fr(f"délégués{n}") for n in range(100)]
    assert folded[42] == "Da42ang" and stems[42] == stem_fr("délégués42")
    assert word_cache_fill() == {"fold_word": small_word_caches, "stem_fr": small_word_caches}


@pytest.mark.parametrize(
    ("word", "lang", "stop"),
    [
        ("thì", "vi", True),
        ("thí", "vi", False),  # "thí điểm" (pilot) is not "thì" (then)
        ("thi", "vi", True),  # typed without tone marks it may be "thì"
        ("của", "vi", True),
        ("étaient", "fr", True),
        ("à", "fr", True),
        ("domaines", "fr", False),
    ],
)
def test_is_stopword(word: str, lang: str, stop: bool) -> None:
    assert is_stopword(word, lang) is stop


def test_content_words_keep_syllables_that_only_fold_to_a_stopword() -> None:
    assert content_words("những dự án thí điểm nào", "vi") == ["du", "an", "thi", "diem"]


def test_a_document_full_of_foreign_names_is_told_by_its_sentences():
    french = ("La ville de La Rochelle et la ville de Đà Nẵng, dans le centre du Vietnam, ont signé leur accord "
              "de coopération le 14 mars 2005 à Đà Nẵng, avec Mme Phan Thị Thu Hà et les habitants de Mỹ Khê.")
    assert detect_language(french) == "fr"
    vietnamese = ("Thành phố Lyon và vùng Île-de-France của Pháp đã ký thỏa thuận hợp tác với Hà Nội, "
                  "với sự tham gia của ông Jean-Pierre Dupont và bà Marie-Thérèse Lefèvre tại Paris.")
    assert detect_language(vietnamese) == "vi"


# --------------------------------------------------------------------------- lingua and the fallback


@pytest.mark.parametrize(("text", "lang"), [
    ("Quelle est la recette du phở ?", "fr"),  # one Vietnamese word does not make French Vietnamese
    ("Ai là Phó Thị trưởng Toulouse?", "vi"),
    ("Bà Anne-Louise Mesadieu là ai?", "vi"),
    ("Qui est Lê Hồng Sơn ?", "fr"),
])
def test_questions_typed_with_marks_are_told_by_lingua(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_plain_vietnamese_that_lingua_misreads_is_told_by_its_words() -> None:
    text = "nguoi dan ha noi duoc loi gi tu hop tac voi ile de france?"  # lingua: French
    assert detect_language(text) == "vi"


# --------------------------------------------------------------------------- stems


def test_vietnamese_syllables_are_their_own_stems() -> None:
    assert stem_fr("dia") == "di"  # the French stemmer would make "địa" (place) "đi" (go)
    assert stem("dia", "vi") == "dia"
    assert stem("nghia", "vi") == "nghia"
    assert stem("toulouse", "vi") == stem_fr("toulouse")  # a French name in a Vietnamese text
    assert stem("delegues", "fr") == stem_fr("delegues")


def test_a_vietnamese_line_states_no_french_stems_of_its_syllables() -> None:
    stated = folded_words("Hợp tác giữa các địa phương với Toulouse", "vi")
    assert {"dia", "phuong", "giua", "toulouse", stem_fr("toulouse")} <= stated
    assert not {"di", "giu"} & stated
    assert stem_fr("delegues") in folded_words("Les délégués sont venus", "fr")


def test_a_plain_vietnamese_query_reads_only_its_foreign_words_as_french() -> None:
    tokens = analyse_query("hop tac dia phuong voi toulouse", "vi")
    assert "f:dia" in tokens and "f:di" not in tokens
    assert f"f:{stem_fr('toulouse')}" in tokens


def test_a_name_is_read_as_both_analysers_index_it() -> None:
    """"Rennes" is "f:rennes" in a Vietnamese line and "f:ren" in a French one; "Hué" and "Huế" fold alike."""
    tokens = set(name_tokens(["Rennes", "Hué"]))
    assert tokens & set(analyse_fr("Les Assises de Rennes"))
    assert tokens & set(analyse_vi("Hội nghị tại Rennes"))
    assert {"f:hue"} <= tokens and "f:hue" in analyse_vi("Thành phố Huế")
    assert not set(name_tokens(["Rennes"])) & set(analyse_fr("Les Assises de Lyon"))
