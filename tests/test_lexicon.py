"""The bilingual lexicon learned from aligned lines (lexicon.py)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from langchain_core.embeddings import Embeddings

from coopbot.config import Settings
from coopbot.embeddings import HashingEmbeddings
from coopbot.knowledge import load_knowledge
from coopbot.lexicon import (
    Lexicon,
    aligned_pairs,
    centred,
    glossary_pairs,
    induce_links,
    knowledge_lexicon,
    learn_lexicon,
    load_lexicon,
    save_lexicon,
    vocabulary_links,
    word_tokens,
)
from coopbot.question import analyse_question
from coopbot.retrieve import expand_query
from coopbot.text import analyse

PAIRS = [
    ("Hội nghị có 800 đại biểu tham dự.", "Les Assises ont réuni 800 délégués."),
    ("Nhiều đại biểu là doanh nghiệp.", "Beaucoup de délégués sont des entreprises."),
    ("Các doanh nghiệp trình bày dự án.", "Les entreprises présentent des projets."),
    ("Hội nghị bàn về di sản.", "Les Assises débattent du patrimoine."),
    ("Di sản và dự án đô thị.", "Le patrimoine et les projets urbains."),
]


def test_words_that_travel_together_are_linked_both_ways():
    lexicon = learn_lexicon(PAIRS, min_pairs=2, min_dice=0.5)
    assert lexicon.translations["vb:đại_biểu"] == "f:delegu"
    assert lexicon.translations["f:delegu"] == "vb:đại_biểu"
    assert lexicon.translations["f:entrepris"] == "vb:doanh_nghiệp"
    assert lexicon.translations["vb:di_sản"] == "f:patrimoin"


def test_a_word_seen_once_or_without_a_single_best_partner_is_not_linked():
    lexicon = learn_lexicon(PAIRS, min_pairs=2, min_dice=0.5)
    assert "f:urbain" not in lexicon.translations  # one pair only
    assert "f:debattent" not in lexicon.translations
    stricter = learn_lexicon(PAIRS, min_pairs=3, min_dice=0.5)
    assert "f:delegu" not in stricter.translations


def test_glosses_write_the_passage_word_and_its_translation_and_skip_what_the_asker_wrote():
    lexicon = learn_lexicon(PAIRS, min_pairs=2, min_dice=0.5)
    glosses = lexicon.glosses("Les entreprises et les délégués.", "fr", "vi")
    assert ("entreprises", "doanh nghiệp") in glosses and ("délégués", "đại biểu") in glosses
    known = {"vb:đại_biểu"}
    assert ("délégués", "đại biểu") not in lexicon.glosses("Les entreprises et les délégués.", "fr", "vi", known)
    assert lexicon.glosses("Les entreprises.", "fr", "fr") == []
    # the French side is shown as its most frequent written word
    assert ("doanh nghiệp", "entreprises") in lexicon.glosses("Các doanh nghiệp lớn.", "vi", "fr")


def test_the_lexicon_survives_a_round_trip_through_its_file(tmp_path):
    lexicon = learn_lexicon(PAIRS, min_pairs=2, min_dice=0.5)
    lexicon.induced = {"vb:kinh_phí": "f:budget", "f:budget": "vb:kinh_phí"}
    save_lexicon(lexicon, tmp_path)
    assert load_lexicon(tmp_path) == lexicon
    assert len(load_lexicon(tmp_path / "missing")) == 0


def test_a_link_few_pairs_teach_serves_matching_but_is_not_shown_as_a_gloss(tmp_path):
    more = [*PAIRS, ("Đại biểu phát biểu.", "Les délégués prennent la parole.")]
    lexicon = learn_lexicon(more, min_pairs=2, min_dice=0.5, shown_min_pairs=3)
    assert lexicon.translations["f:entrepris"] == "vb:doanh_nghiệp"  # two pairs: linked
    glosses = lexicon.glosses("Les entreprises et les délégués.", "fr", "vi")
    assert ("délégués", "đại biểu") in glosses  # three pairs: shown
    assert [words for words, _ in glosses] == ["délégués"]
    assert ("entreprises", "doanh nghiệp") in lexicon.glosses("Les entreprises.", "fr", "vi", induced=True)
    assert lexicon.translate(["f:entrepris"], "fr") == ["vb:doanh_nghiệp"]
    save_lexicon(lexicon, tmp_path)
    assert load_lexicon(tmp_path) == lexicon


def test_the_bundled_knowledge_links_its_domain_words():
    knowledge = load_knowledge(Settings().knowledge_dir)
    lexicon = learn_lexicon(aligned_pairs(knowledge), 2, 0.5)
    assert len(aligned_pairs(knowledge)) > 50
    assert lexicon.translations.get("f:patrimoin") == "vb:di_sản"
    assert lexicon.translations.get("vb:dự_án") == "f:projet"


def test_retrieval_asks_bm25_for_the_other_languages_words_too():
    knowledge = load_knowledge(Settings().knowledge_dir)
    lexicon = learn_lexicon(PAIRS, min_pairs=2, min_dice=0.5)
    question = replace(analyse_question("Có bao nhiêu doanh nghiệp?", "vi", knowledge.glossary), terms=[])
    query = expand_query(question, 0.25, lexicon)
    assert query["f:entrepris"] == 0.25 and query["vb:doanh_nghiệp"] == 1.0
    assert "f:entrepris" not in expand_query(question, 0.25)


def test_a_typed_phrase_is_translated_by_its_longest_linked_opening():
    lexicon = learn_lexicon(PAIRS, min_pairs=2, min_dice=0.5)
    vi_tokens = frozenset(t for t, _ in word_tokens("Có bao nhiêu đại biểu?", "vi"))
    assert lexicon.phrase("dai bieu", vi_tokens, "vi") == "delegues"
    fr_tokens = frozenset(t for t, _ in word_tokens("Combien de projets ?", "fr"))
    assert lexicon.phrase("projets", fr_tokens, "fr") == "du an"
    assert lexicon.phrase("stands", frozenset(t for t, _ in word_tokens("Combien de stands ?", "fr")), "fr") == ""


def test_the_glossary_forms_teach_the_lexicon_words_the_aligned_lines_alone_do_not_link():
    knowledge = load_knowledge(Settings().knowledge_dir)
    assert ("ẩm thực", "gastronomie") in glossary_pairs(knowledge)
    lines_only = learn_lexicon(aligned_pairs(knowledge), 2, 0.5)
    with_glossary = knowledge_lexicon(knowledge, 2, 0.5)
    assert "vb:ẩm_thực" not in lines_only.translations
    assert with_glossary.translations.get("vb:ẩm_thực") == "f:gastronom"


def _linked(pairs: list[tuple[str, str]]) -> Lexicon:
    """A lexicon linking each French word to its Vietnamese words (syllable or syllable pair)."""
    translations, written = {}, {}
    for french, vietnamese in pairs:
        f = next(t for t in analyse(french, "fr") if t.startswith("f:"))
        v = "vb:" + vietnamese.replace(" ", "_") if " " in vietnamese else "v:" + vietnamese
        translations |= {f: v, v: f}
        written[f] = french
    return Lexicon(translations, written)


def test_adjacent_linked_words_are_glossed_as_one_phrase_in_their_order():
    lexicon = _linked([("coopération", "hợp tác"), ("internationale", "quốc tế"), ("deux", "hai"), ("pays", "hai nước")])
    assert lexicon.glosses("la coopération internationale", "fr", "vi") == [("coopération internationale", "hợp tác quốc tế")]
    assert lexicon.glosses("hợp tác quốc tế", "vi", "fr") == [("hợp tác quốc tế", "coopération internationale")]
    # a word both translations say is said once
    assert lexicon.glosses("des deux pays", "fr", "vi") == [("deux pays", "hai nước")]
    # punctuation or an unlinked word ends a phrase
    assert lexicon.glosses("coopération, internationale", "fr", "vi") == [
        ("coopération", "hợp tác"), ("internationale", "quốc tế")]
    assert lexicon.glosses("coopération très internationale", "fr", "vi") == [
        ("coopération", "hợp tác"), ("internationale", "quốc tế")]
    # a phrase whose words the asker all wrote is not glossed; one they wrote in part is
    assert lexicon.glosses("coopération internationale", "fr", "vi", frozenset({"vb:hợp_tác", "vb:quốc_tế"})) == []
    assert lexicon.glosses("coopération internationale", "fr", "vi", frozenset({"vb:hợp_tác"})) == [
        ("coopération internationale", "hợp tác quốc tế")]
    # nor a name glossed already
    assert lexicon.glosses("coopération internationale", "fr", "vi", named="Internationale") == [("coopération", "hợp tác")]


class _WordVectors(Embeddings):
    """Fixed vectors per word: a translation shares its word's direction, a hub sits near everything."""

    VECTORS = {
        "kinh phí": [1.0, 0.1, 0.0, 0.0, 0.0, 0.0], "budget": [0.95, 0.1, 0.05, 0.0, 0.0, 0.0],
        "huyện": [0.0, 1.0, 0.1, 0.0, 0.0, 0.0], "districts": [0.05, 0.95, 0.1, 0.0, 0.0, 0.0],
        "long": [0.0, 0.0, 0.0, 1.0, 0.0, 0.0], "lòng": [0.0, 0.0, 0.0, 0.95, 0.1, 0.0],
        "chung": [0.5, 0.5, 0.5, 0.0, 0.1, 0.0], "délégation": [0.5, 0.5, 0.5, 0.1, 0.0, 0.0],
        "xa": [0.0, 0.0, 0.0, 0.0, 1.0, 0.0], "près": [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    }

    def embed_query(self, text: str) -> list[float]:
        vector = np.asarray(self.VECTORS[text])
        return (vector / np.linalg.norm(vector)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]


def test_the_embedder_links_words_that_are_each_others_nearest_and_not_words_written_alike():
    words = {"vi": {"vb:kinh_phí": "kinh phí", "v:huyện": "huyện", "v:lòng": "lòng", "v:xa": "xa", "v:chung": "chung"},
             "fr": {"f:budget": "budget", "f:district": "districts", "f:long": "long", "f:pres": "près",
                    "f:deleg": "délégation"}}
    links = induce_links(words, _WordVectors(), min_csls=Settings().lexicon_min_csls, neighbours=2)
    assert links["vb:kinh_phí"] == "f:budget" and links["f:budget"] == "vb:kinh_phí"
    assert links["v:huyện"] == "f:district"
    assert "v:lòng" not in links  # its nearest, "long", is written alike: a false friend, not a translation
    assert "v:xa" not in links and "f:pres" not in links  # far from everything: nearest each other, but weakly
    strict = induce_links(words, _WordVectors(), min_csls=2.0, neighbours=2)
    assert strict == {}


class _LeaningVectors(_WordVectors):
    """Four numbers in each language, each language's words leaning one shared way (as a multilingual model's
    words of one language do): the Vietnamese toward the first meaning, the French toward the last."""

    VECTORS = {
        **{word: [float(i == m) + 1.5 * (m == 0) for m in range(4)] + [1.0, 0.0]
           for i, word in enumerate(["một", "hai", "ba", "bốn"])},
        **{word: [float(i == m) + 1.5 * (m == 3) for m in range(4)] + [0.0, 1.0]
           for i, word in enumerate(["un", "deux", "trois", "quatre"])},
    }


def test_each_languages_shared_lean_is_taken_away_before_words_are_compared():
    words = {"vi": {f"v:{w}": w for w in ["một", "hai", "ba", "bốn"]},
             "fr": {f"f:{w}": w for w in ["un", "deux", "trois", "quatre"]}}
    links = induce_links(words, _LeaningVectors(), min_csls=0.0, neighbours=2)
    assert {a: b for a, b in links.items() if a.startswith("v:")} == {
        "v:một": "f:un", "v:hai": "f:deux", "v:ba": "f:trois", "v:bốn": "f:quatre"}
    vectors = np.asarray([_LeaningVectors().embed_query(w) for w in ["một", "hai", "ba", "bốn"]])
    assert np.allclose(np.linalg.norm(centred(vectors), axis=1), 1.0)


def test_induced_links_serve_matching_but_are_never_shown_as_glosses():
    lexicon = Lexicon(induced={"vb:kinh_phí": "f:budget", "f:budget": "vb:kinh_phí"}, written={"f:budget": "budget"})
    tokens = frozenset(t for t, _ in word_tokens("Tổng kinh phí là bao nhiêu?", "vi"))
    assert lexicon.links(tokens, "vi") == {"vb:kinh_phí": "f:budget"}
    assert lexicon.translate(sorted(tokens), "vi") == ["f:budget"]
    assert lexicon.phrase("kinh phi", tokens, "vi") == "budget"
    assert lexicon.glosses("Le budget total.", "fr", "vi") == []
    # the question glossed for the embedder alone (retrieve.glossed_question) may use them
    assert lexicon.glosses("Le budget total.", "fr", "vi", induced=True) == [("budget", "kinh phí")]
    assert lexicon.glossed("Le budget total.", "fr", "vi") == "Le kinh phí total."
    assert lexicon.glossed("Le total.", "fr", "vi") is None
    # a link the aligned lines teach wins over an induced one
    both = Lexicon(translations={"vb:kinh_phí": "f:financ", "f:financ": "vb:kinh_phí"}, induced=lexicon.induced)
    assert both.links(tokens, "vi") == {"vb:kinh_phí": "f:financ"}


def test_indexing_with_an_embedder_stores_induced_links_for_words_no_aligned_line_links():
    knowledge = load_knowledge(Settings().knowledge_dir)
    counted = knowledge_lexicon(knowledge, 2, 0.5)
    # 64 hashed dimensions: different words often share one, so some meet as each other's nearest
    induced = knowledge_lexicon(knowledge, 2, 0.5, HashingEmbeddings(64), min_csls=0.0, neighbours=10)
    listed, _ = vocabulary_links()
    assert counted.translations == induced.translations
    assert counted.induced == {t: target for t, target in listed.items() if t not in counted.translations}
    assert set(induced.induced) > set(counted.induced) and not set(induced.induced) & set(induced.translations)


def test_a_word_list_links_each_pair_of_single_tokens_both_ways(tmp_path):
    words = tmp_path / "vocabulary.yaml"
    words.write_text("pairs:\n  - [kinh phí, budget]\n  - [đoàn, délégation]\n  - [ban chỉ đạo, pilotage]\n"
                     "  - [diện tích, superficie totale]\n", encoding="utf-8")
    links, forms = vocabulary_links(words)
    assert links == {"vb:kinh_phí": "f:budget", "f:budget": "vb:kinh_phí", "v:đoàn": "f:deleg", "f:deleg": "v:đoàn"}
    assert forms["f:deleg"] == "délégation"
    assert vocabulary_links(tmp_path / "none.yaml") == ({}, {})


def test_the_word_list_links_what_the_translated_lines_leave_unlinked_and_no_more():
    knowledge = load_knowledge(Settings().knowledge_dir)
    lexicon = knowledge_lexicon(knowledge, 2, 0.5)
    listed, _ = vocabulary_links()
    assert lexicon.induced["vb:kinh_phí"] == "f:budget" and lexicon.induced["f:budget"] == "vb:kinh_phí"
    taught = [t for t in listed if t in lexicon.translations]
    assert taught, "the case is exercised"
    assert not set(taught) & set(lexicon.induced)  # a link the aligned lines teach is kept


def test_a_word_inside_a_french_compound_is_glossed_as_itself_not_as_the_compound():
    """"Chủ tịch" is linked to "président"; the knowledge writing "vice-président" more often must not make
    a president's title read "vice-président" in a gloss."""
    pairs = [("Phó Chủ tịch Vùng phát biểu.", "Le vice-président de la Région a parlé."),
             ("Phó Chủ tịch Vùng dẫn đầu đoàn.", "Le vice-président de la Région conduit la délégation."),
             ("Chủ tịch thành phố tiếp đoàn.", "Le président de la ville reçoit la délégation.")]
    lexicon = learn_lexicon(pairs, min_pairs=2, min_dice=0.5)
    assert lexicon.translations["vb:chủ_tịch"] == "f:president"
    assert dict(lexicon.glosses("Chủ tịch Rennes Métropole cho biết.", "vi", "fr"))["Chủ tịch"] == "président"
    assert ("f:president", "président") in word_tokens("le vice-président", "fr")
