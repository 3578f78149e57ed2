"""The answer's text (compose.py): the asked value that leads an answer."""

from __future__ import annotations

from coopbot.compose import asked_values, lowercase_words
from coopbot.config import Settings
from coopbot.knowledge import load_knowledge
from coopbot.question import analyse_question

SENTENCE = ("Tại Hội nghị lần thứ 11 ở Toulouse năm 2019 có 650 đại biểu, nhiều cuộc hội thảo, "
            "gặp gỡ doanh nghiệp B2B.")


def test_a_place_lead_is_a_name_not_a_capitalised_sentence_opening_or_an_acronym():
    knowledge = load_knowledge(Settings().knowledge_dir)
    question = analyse_question("Hội nghị lần thứ 11 được tổ chức ở đâu?", "vi", knowledge.glossary)
    common = lowercase_words(knowledge)
    assert {"tại", "hội"} <= common and "toulouse" not in common
    assert asked_values(question, SENTENCE, knowledge.glossary, "vi", common) == ["Toulouse"]
    # without what the knowledge writes in lower case, the sentence's opening passes for a name
    assert "Tại Hội" in asked_values(question, SENTENCE, knowledge.glossary, "vi")
