"""The languages' resource files (coopbot/lang/*.yaml) and their loader (coopbot.language)."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from coopbot import language as languages
from coopbot.language import KIND_ORDER, LANGS, TypedPattern, compared_words, language
from coopbot.marks import fold


@pytest.mark.parametrize("code", LANGS)
def test_each_language_file_loads_with_cues_of_every_kind(code: str) -> None:
    data = language(code)
    assert data.code == code
    assert all(data.cues[kind] for kind in KIND_ORDER)
    assert data.stopwords and data.common_words and data.letters
    assert data.counted.written.groups == data.listed.written.groups == 1


def test_the_files_are_read_once() -> None:
    assert language("vi") is language("vi")


def test_an_unknown_language_has_no_file() -> None:
    with pytest.raises(KeyError):
        language("en")


def test_cues_are_written_with_their_marks() -> None:
    assert "bao nhiêu" in language("vi").cues["number"]
    assert "từ năm" in language("vi").cues["date"]
    assert "où" in language("fr").cues["place"]
    assert all(fold(cue) != cue for cue in ("bao nhiêu", "từ năm", "où"))


def test_the_files_ship_as_package_data(repo_root) -> None:
    folder = resources.files("coopbot").joinpath("lang")
    assert {f"{code}.yaml" for code in LANGS} <= {entry.name for entry in folder.iterdir()}
    pyproject = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "lang/*.yaml" in pyproject["tool"]["setuptools"]["package-data"]["coopbot"]


def test_a_cue_folding_to_another_common_word_is_a_homograph() -> None:
    assert language("fr").homograph("où")  # typed without accents it is also "ou" (or)
    assert not language("fr").homograph("quand")
    assert not any(language("vi").homograph(cue) for cue in language("vi").all_cues)


def test_compared_words_keep_marks_only_when_typed_with_them() -> None:
    assert compared_words("Trùng tu nằm ở đâu?") == " trùng tu nằm ở đâu "
    assert compared_words("trung tu nam o dau") == " trung tu nam o dau "
    assert compared_words("ai la bi thu Hà Nội") == " ai la bi thu ha noi "  # a name's marks aside


def test_a_typed_pattern_is_searched_as_the_text_was_typed() -> None:
    pattern = TypedPattern.compile(r"\btừ năm\b")
    assert pattern.search("hợp tác từ năm 1989")
    assert not pattern.search("trùng tu nằm ở đó")
    assert pattern.search("hop tac tu nam 1989")


def test_thang_long_names_no_month() -> None:
    months = languages.date_markers()
    assert not months.search("hoàng thành thăng long")
    assert months.search("ngày 14 tháng 4")
    assert months.search("le 14 avril 2023")
    assert months.search("le 14 aout 2023")


def test_years_ago_give_their_number() -> None:
    found = [next(g for g in m.groups() if g) for m in languages.years_ago().finditer("cách đây 30 năm, il y a 25 ans")]
    assert found == ["30", "25"]


def test_month_numbers_follow_the_calendar() -> None:
    assert languages.month_numbers()["aout"] == 8
    assert len(languages.month_numbers()) == 12


def test_person_titles_and_captions() -> None:
    assert languages.named_person().search("theo ông Nguyễn Văn A")
    assert languages.named_person().search("selon Mme Dupont")
    assert not languages.named_person().search("ông bà")
    assert languages.caption().search("(Ảnh: TTXVN)")
    assert languages.caption().search("(Photo : VNA)")


def test_followup_frames() -> None:
    frames = languages.followup_frames()
    assert frames.search("con lyon thi sao")
    assert frames.search("et toulouse")
    assert not frames.search("combien de delegues")


def test_english_words_only_tell_english_apart() -> None:
    assert {"the", "what", "where"} <= languages.english_words()


@pytest.mark.parametrize(("sentence", "refers"), [
    ("C’est ce qu’a souligné le secrétaire du Comité du Parti.", True),
    ("Cela montre l'intérêt des deux parties.", True),
    ("Il a rappelé que la coopération date de 1989.", True),
    ("Đây là ý kiến của ông Lê Hồng Sơn.", True),
    ("ĐIỀU NÀY cho thấy sự quan tâm của hai bên.", True),
    ("Trong đó, tỉnh Aveyron tài trợ 850.000 euro.", True),  # "of which": the sentence before states the whole
    # a pronoun before the verb standing for what the sentence before names ("en" = of the programme's budget)
    ("La Région en finance 780 000 euros, le CHU apporte 170 000 euros.", True),
    ("Le comité de sélection, réuni à Paris le 18 juin 2024, en a retenu 14.", True),
    ("Le Département des Hautes-Alpes y apporte 480 000 euros.", True),
    ("Ceux-ci passeront trois mois à Grenoble.", True),
    ("Les deux régions ont signé un accord en 2019.", False),  # "en" a preposition
    ("La délégation a passé trois jours en France en avril.", False),
    ("Ce projet a été lancé en 2019.", False),
    ("Île-de-France et Hanoï coopèrent depuis 1989.", False),
    ("Đây cũng là dịp gặp gỡ.", False),
])
def test_a_sentence_opening_with_a_reference_to_the_one_before_is_recognised(sentence: str, refers: bool) -> None:
    assert languages.refers_back(sentence) is refers


@pytest.mark.parametrize(("sentence", "speaks"), [
    ("Đó là các dự án thí điểm trùng tu khu phố cổ.", True),
    ("C'est ce qu'a souligné le secrétaire du Parti.", True),
    ("Il s'agit de projets pilotes de restauration.", True),
    ("La Région en finance 780 000 euros.", True),  # a share of the whole the sentence before states
    ("Elles devraient réunir 900 délégués.", False),
    ("Il a rappelé que la coopération date de 1989.", False),
    ("Ce projet a été lancé en 2019.", False),
])
def test_a_sentence_pointing_at_what_the_one_before_says_is_told_from_one_naming_its_subject(
        sentence: str, speaks: bool) -> None:
    assert languages.speaks_of_the_one_before(sentence) is speaks
    assert languages.refers_back(sentence) or not speaks
