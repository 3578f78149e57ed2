"""Tone marks put back on Vietnamese typed without them, from the knowledge's own words."""

from __future__ import annotations

import pytest

from coopbot.diacritics import DiacriticRestorer
from coopbot.knowledge import load_knowledge


@pytest.fixture(scope="module")
def restorer(knowledge_dir) -> DiacriticRestorer:
    knowledge = load_knowledge(knowledge_dir)
    texts = [line.text for article in knowledge.articles.values() if article.lang == "vi" for line in article.lines]
    return DiacriticRestorer(texts + [form for entry in knowledge.glossary.entries for form in entry.vi])


@pytest.mark.parametrize(("typed", "restored"), [
    ("Bi thu Thanh uy Ha Noi la ai?", "Bí thư Thành ủy Hà Nội là ai?"),
    ("co bao nhieu du an hop tac phi tap trung", "có bao nhiêu dự án hợp tác phi tập trung"),
    ("Hoi nghi lan thu 8 duoc to chuc o thanh pho nao?", "Hội nghị lần thứ 8 được tổ chức ở thành phố nào?"),
])
def test_plain_vietnamese_gets_the_marks_the_articles_use(restorer, typed, restored):
    assert restorer.restore(typed) == restored


def test_marked_and_unknown_syllables_are_left_as_typed(restorer):
    assert restorer.restore("Hội nghị xyzt 2023") == "Hội nghị xyzt 2023"
    assert restorer.restore("HA NOI") == "HÀ NỘI"


def test_neighbours_choose_between_marks():
    """"ban" alone is most often "bạn", but after "ủy" it is "ban"."""
    restorer = DiacriticRestorer(["bạn bè", "bạn học", "bạn", "Ủy ban nhân dân"])
    assert restorer.restore("uy ban nhan dan") == "ủy ban nhân dân"
    assert restorer.restore("ban hoc") == "bạn học"


def test_the_embedder_reads_plain_vietnamese_restored_and_other_text_as_typed(engine):
    retriever = engine.retriever
    assert retriever.dense_query("Bi thu Thanh uy Ha Noi la ai?", "vi") == "Bí thư Thành ủy Hà Nội là ai?"
    assert retriever.dense_query("Qui est le maire ?", "fr") == "Qui est le maire ?"
    assert retriever.dense_query("Bí thư la ai?", "vi") == "Bí thư la ai?"
