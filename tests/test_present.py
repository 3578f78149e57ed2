"""Knowledge text and questions are shown inert: no tag, link or image survives; dates are written one way."""

from __future__ import annotations

from coopbot.compose import Answer, Citation
from coopbot.present import answer_html, citation_html, display_date, inert, question_html


def citation(text: str) -> Citation:
    return Citation(n=1, doc_id="x.fr", source_file="x.txt", title="<b>T</b>", outlet="Vietnam+ (VietnamPlus)",
                    date="2023-04-14", lang="fr", text=text, original_text="Nguyên văn <img src=x onerror=alert(1)>",
                    original_lang="vi", sentence_id="x.fr:1", origin_doc_id="x.vi", is_translation=True)


def test_planted_markup_stays_text():
    planted = "<script>alert(1)</script> ![pixel](http://evil.example/p.png) [clic](javascript:alert(1))"
    shown = inert(planted)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "![pixel](" not in shown and "](javascript:" not in shown
    assert inert("l'ampleur d’un « projet »") == "l'ampleur d’un « projet »"


def test_answer_html_keeps_markers_as_buttons_and_labels_translations():
    answer = Answer("q", "fr", "Texte <i>planté</i> **gras** [1]\n- Selon X (14/04/2023) : autre [1]", False,
                    [citation("Passage ![x](http://e/x.png)")])
    html = answer_html(answer, "fr", {"x.fr": "date déduite"})
    assert html.count("class='coopbot-marker coopbot-ref-1'") == 2 and "<li>" in html
    assert "<i>" not in html and "<img" not in html and "<b>T</b>" not in html and "&lt;img src=x" in html
    assert "<strong>gras</strong>" in html, "the answer's **asked values** are its only Markdown, shown in bold"
    assert "![x](http://e/x.png)" in html, "images and links are shown as typed, not as Markdown"
    assert "\\(" not in html and "\\+" not in html, "no Markdown escapes in HTML"
    assert "Vietnam+ (VietnamPlus) · vers le 14 avril 2023" in html and "date déduite" in html
    assert "Traduction de travail" in html and "<details class='coopbot-citation coopbot-ref-1'>" in html


def test_a_marker_without_a_citation_stays_text():
    html = answer_html(Answer("q", "vi", "Năm 2023 [2]", False, [citation("Đoạn")]), "vi")
    assert "[2]" in html and "coopbot-ref-2" not in html


def test_question_html_is_exactly_the_typed_text():
    typed = "<img src=x onerror=alert(1)> **gras** [lien](http://a.example) http://a.example/x.png\nligne 2"
    html = question_html(typed)
    assert html == ("<p class='coopbot-question'>&lt;img src=x onerror=alert(1)&gt; **gras** "
                    "[lien](http://a.example) http://a.example/x.png\nligne 2</p>")


def test_dates_are_written_one_way_per_language():
    assert display_date("2023-04-14", "vi") == "14/04/2023"
    assert display_date("2023-04-14", "fr") == "14 avril 2023"
    assert display_date("2023-08-01", "fr") == "1er août 2023"
    assert display_date("2023-04-10", "vi", estimated=True) == "khoảng 10/04/2023"
    assert display_date("2023-04-10", "fr", estimated=True) == "vers le 10 avril 2023"


def test_machine_translations_and_untranslated_passages_are_labelled_apart():
    from dataclasses import replace

    curated = citation_html(citation("Passage"), "fr")
    machine = citation_html(replace(citation("Passage"), translation_kind="machine"), "fr")
    assert "Traduction de travail" in curated and "Traduction automatique" not in curated
    assert "Traduction automatique, non relue" in machine and "Traduction de travail" not in machine
    untranslated = replace(citation("Đoạn văn"), lang="vi", is_translation=False, translation_kind="none")
    assert "Passage en vietnamien, non traduit" in citation_html(untranslated, "fr")
    assert "Passage en" not in curated
