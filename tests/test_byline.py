"""A byline is read for its outlet and date; an article's own sentences, even dated ones, are not bylines."""

from __future__ import annotations

import pytest

from coopbot.byline import find_byline, read_byline, without_byline

MAX_WORDS = 16


@pytest.mark.parametrize(("line", "date", "outlet"), [
    ("La Gazette du Val de Loire – Rubrique International Publié le 12 mars 2024", "2024-03-12",
     "La Gazette du Val de Loire"),
    ("Báo Đà Nẵng – Đăng ngày 20/9/2025", "2025-09-20", "Báo Đà Nẵng"),
    ("Service de presse | mis à jour le 3 avril 2023", "2023-04-03", "Service de presse"),
    ("Ngày 15/11/2023", "2023-11-15", ""),
    ("Publiée le 3 mai 2024", "2024-05-03", ""),
    ("Publié le 12 mars 2025 par Soizic Le Bihan – L'Écho du Morbihan", "2025-03-12", "L'Écho du Morbihan"),
    ("Cần Thơ, ngày 18 tháng 4 năm 2025 – Sở Ngoại vụ thành phố Cần Thơ", "2025-04-18", "Sở Ngoại vụ thành phố Cần Thơ"),
])
def test_a_byline_gives_its_date_and_the_outlet_before_a_dash_or_else_after_the_date(line, date, outlet):
    byline = read_byline(line, MAX_WORDS)
    assert byline is not None
    assert (byline.date, byline.outlet) == (date, outlet)


@pytest.mark.parametrize("line", [
    "La Région a célébré le 8 mars 2024 à Long Xuyên",  # a sentence's date, no outlet, no publishing word
    "Lễ ký kết ngày 14/11/2023",  # a heading with its event's date
    "Chiều 14/11/2023, tại TP Đà Lạt, hai bên đã ký kết thỏa thuận.",  # ended as a sentence
    "Publié en mars 2024",  # no day: not a full date
    "Le 12 mars 2024 – Paris – publié le 13 mars 2024",  # two dates: which one dates it is unclear
    "Publié le 12 mars 2024 " + "mot " * MAX_WORDS,  # too long for a byline
])
def test_a_line_of_the_article_is_no_byline(line):
    assert read_byline(line, MAX_WORDS) is None


def test_the_byline_is_sought_after_the_title_in_the_first_lines_only():
    body = ["Publié le 2 juin 2024", "", "Premier paragraphe.", "Deuxième.", "Troisième.", "Ngày 15/11/2023"]
    assert find_byline(body, skip_first=True, lines=3, max_words=MAX_WORDS) is None
    assert find_byline(body, skip_first=False, lines=3, max_words=MAX_WORDS).date == "2024-06-02"


def test_removing_the_byline_leaves_one_paragraph_break_and_none_leading():
    body = ["Titre", "", "Outlet – Publié le 12 mars 2024", "", "Phrase un.", "Phrase deux."]
    byline = find_byline(body, skip_first=True, lines=3, max_words=MAX_WORDS)
    assert without_byline(body, byline) == ["Titre", "", "Phrase un.", "Phrase deux."]
    assert without_byline(body[2:], byline) == ["Phrase un.", "Phrase deux."]
