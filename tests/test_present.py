"""Knowledge text is shown inert: no tag, link or image planted in a document survives."""

from __future__ import annotations

from coopbot.answer import Answer, Citation
from coopbot.present import chat_message, inert


def citation(text: str) -> Citation:
    return Citation(n=1, doc_id="x.fr", source_file="x.txt", title="<b>T</b>", outlet="O", date="2023-01-01",
                    lang="fr", text=text, original_text="Nguyên văn <img src=x onerror=alert(1)>", original_lang="vi",
                    sentence_id="x.fr:1", origin_doc_id="x.vi", is_translation=True)


def test_planted_markup_stays_text():
    planted = "<script>alert(1)</script> ![pixel](http://evil.example/p.png) [clic](javascript:alert(1))"
    shown = inert(planted)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "![pixel](" not in shown and "](javascript:" not in shown
    assert inert("l'ampleur d’un « projet »") == "l'ampleur d’un « projet »"


def test_chat_message_keeps_markers_and_labels_translations():
    answer = Answer("q", "fr", "Texte <i>planté</i> [1]", False, [citation("Passage ![x](http://e/x.png)")])
    html = chat_message(answer, "fr")
    assert "[1]" in html and "<i>" not in html and "<img" not in html and "![x](" not in html
    assert "Traduction de travail" in html and "<details" in html and "<b>T</b>" not in html
