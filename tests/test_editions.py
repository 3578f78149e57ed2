"""Editions a text names (coopbot.editions), remembered for knowledge texts only."""

from __future__ import annotations

import pytest

from coopbot.editions import ordinals, ordinals_cache_fill
from coopbot.knowledge import Glossary
from coopbot.question import analyse_question


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hội nghị lần thứ 12 diễn ra ở đâu?", {12}),
        ("hoi nghi lan thu 12", {12}),
        ("Hội nghị hợp tác phi tập trung Việt-Pháp lần thứ 8", {8}),
        ("les 12e Assises", {12}),
        ("les 12ème Assises", {12}),
        ("8es Assises de la coopération", {8}),
        ("les douzièmes Assises", {12}),
        ("la douzieme conference", {12}),
        ("les premières Assises", {1}),
        ("Hội nghị được tổ chức lần đầu tiên vào năm 1996", {1}),
        ("lan dau tien", {1}),
        ("le premier partenariat entre les deux villes", set()),
        ("mối quan hệ đối tác đầu tiên", set()),
        ("Thành phố nào đã đăng cai kỳ hội nghị đầu tiên?", {1}),
        ("hoi nghi lan thu nhat", {1}),
        ("les 1res Assises", {1}),
        ("la 1re édition", {1}),
        ("Hội nghị năm 2023 tại Hà Nội", set()),
        ("Combien de délégués ?", set()),
    ],
)
def test_ordinals(text: str, expected: set[int]) -> None:
    assert ordinals(text) == expected


def test_a_questions_own_ordinals_are_not_remembered() -> None:
    before = ordinals_cache_fill()
    asked = [analyse_question(f"Hội nghị lần thứ {n} có bao nhiêu đại biểu? ({n})", "vi", Glossary([]))
             for n in range(1, 40)]
    assert [q.ordinals for q in asked] == [frozenset({n}) for n in range(1, 40)]
    assert ordinals_cache_fill() == before


def test_ordinals_of_a_text_typed_with_marks_are_read_as_written() -> None:
    assert ordinals("Hội nghị lần thứ 12") == {12}
    assert ordinals("những người thứ 3") == {3}
    assert ordinals("la 12ème édition") == {12}
