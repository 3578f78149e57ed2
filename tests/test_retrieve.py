"""Hybrid retrieval on the real knowledge base: cross-lingual, diacritic-free, fusion, expansion."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from coopbot.question import analyse_question
from coopbot.retrieve import HybridRetriever, Retrieval, Unit, expand_query

from engine_fixtures import GLOSSARY, small_engine


def top_units(engine, question: str, lang: str, k: int = 5) -> list[str]:
    return [u.unit_id for u in engine.retriever.search(engine.parse(question, lang)).units[:k]]


def unit_of(engine, needle: str) -> str:
    """The unit id of the Vietnamese sentence containing `needle`."""
    for article in engine.knowledge.originals():
        for line in article.lines:
            if needle in line.text:
                return line.id
    raise AssertionError(needle)


def test_french_question_finds_vietnamese_fact(engine):
    lyon = unit_of(engine, "được thiết lập từ năm 1997")
    assert lyon in top_units(engine, "En quelle année la coopération entre Lyon et Hô Chi Minh-Ville a-t-elle commencé ?", "fr")


def test_vietnamese_without_diacritics(engine):
    lyon = unit_of(engine, "được thiết lập từ năm 1997")
    assert lyon in top_units(engine, "hop tac giua thanh pho ho chi minh va lyon bat dau nam nao", "vi")


def test_units_group_both_languages_of_a_sentence(engine):
    units = engine.retriever.search(engine.parse("Lyon Hô Chi Minh-Ville 1997", "fr")).units
    langs = {sid.rsplit(":", 1)[0].rsplit(".", 1)[1] for u in units[:3] for sid in u.sentence_ids}
    assert langs == {"vi", "fr"}
    assert all(u.unit_id.split(":")[0].endswith(".vi") for u in units)


def test_reciprocal_rank_fusion_adds_ranks(engine, settings):
    retriever = HybridRetriever(index=engine.index, knowledge=engine.knowledge, settings=settings)
    a, b = unit_of(engine, "năm 1997"), unit_of(engine, "năm 1989")
    units: dict[str, Unit] = {}
    retriever._fuse(units, [(a, 0.9), (b, 0.8)], "dense")
    retriever._fuse(units, [(b, 12.0)], "bm25", 0.5)
    k = settings.rrf_k
    assert units[a].rrf == 1 / (k + 1)
    assert units[b].rrf == 1 / (k + 2) + 0.5 / (k + 1)
    assert units[b].bm25 == 12.0 and units[a].bm25 == 0.0


def test_hybrid_beats_or_matches_each_mode_on_a_paraphrase(engine, settings):
    target = unit_of(engine, "650 đại biểu")
    question = engine.parse("Combien de participants à la conférence de Toulouse en 2019 ?", "fr")
    ranks = {}
    for mode in ("hybrid", "dense", "bm25"):
        retriever = HybridRetriever(index=engine.index, knowledge=engine.knowledge, settings=settings, mode=mode)
        ids = [u.unit_id for u in retriever.search(question).units]
        ranks[mode] = ids.index(target) if target in ids else 99
    assert ranks["hybrid"] <= 2
    assert ranks["hybrid"] <= max(ranks["dense"], ranks["bm25"])


def test_glossary_expansion_crosses_languages_and_spellings(engine):
    tokens = expand_query(engine.parse("Hanoï", "fr"))
    assert "v:hà" in tokens and "f:ha" in tokens
    tokens = expand_query(engine.parse("vung IDF", "vi"))
    assert "f:ile" in tokens


def test_expansion_adds_each_glossary_token_once_and_lighter(engine):
    query = expand_query(engine.parse("Hà Nội hợp tác với Hà Nội", "vi"), expansion_weight=0.25)
    assert query["v:hà"] == 2.0  # the question's own tokens count as often as they are typed
    assert query["f:hanoi"] == 0.25 and query["v:thủ"] == 0.25  # the glossary's other forms, once each
    assert all(weight in (0.25, 1.0, 2.0) for weight in query.values())


def test_langchain_retriever_interface(engine):
    docs = engine.retriever.invoke("Quand a été fondée la coopération entre Hanoï et l'Île-de-France ?")
    assert docs and len(docs) <= engine.settings.top_k
    assert all(d.id.split(":")[0].endswith(".fr") for d in docs)
    assert any("1989" in d.page_content for d in docs[:3])


def test_reordering_puts_the_rescored_units_first_and_keeps_the_fusion_order():
    units = [Unit(f"a.vi:{n}") for n in range(1, 6)]
    retrieval = Retrieval(units, None, 0.9, 1.0)
    reordered = retrieval.reordered([units[3], units[1]])
    assert [u.unit_id for u in reordered.units] == ["a.vi:4", "a.vi:2", "a.vi:1", "a.vi:3", "a.vi:5"]
    assert reordered.first_stage == [u.unit_id for u in units]
    assert reordered.reordered([units[0]]).first_stage == reordered.first_stage, "the fusion order is kept"


def test_query_cache_keeps_compact_vectors_and_only_the_latest_questions(engine, settings):
    small = dataclasses.replace(settings, query_cache_size=3)
    retriever = HybridRetriever(index=engine.index, knowledge=engine.knowledge, settings=small)
    questions = [f"Qui est le vice-maire de Toulouse ? ({n})" for n in range(5)]
    vectors = [retriever.embed_query(q) for q in questions]
    assert list(retriever._vectors) == questions[2:]
    assert all(v.dtype == np.float32 and v.shape == (len(vectors[0]),) for v in retriever._vectors.values())
    assert retriever.embed_query(questions[4]) is vectors[4]
    assert retriever.search(engine.parse(questions[0], "fr")).units, "a float32 query vector searches like any other"


def test_a_query_cache_of_size_zero_keeps_nothing_and_still_searches(engine, settings):
    """COOPBOT_QUERY_CACHE_SIZE=0 times the embedder on every question (bench_ask.py): no cache, no error."""
    uncached = HybridRetriever(index=engine.index, knowledge=engine.knowledge,
                               settings=dataclasses.replace(settings, query_cache_size=0))
    question = "Qui est le vice-maire de Toulouse ?"
    first = uncached.embed_query(question)
    assert len(uncached._vectors) == 0 and uncached.embed_query(question) is not first
    assert np.allclose(first, uncached.embed_query(question))
    assert uncached.search(engine.parse(question, "fr")).units


def test_retrieval_expands_only_the_entities_the_parsed_question_names(engine):
    """One parse: "bat dau tu" (when it began) is a question phrase, not the glossary's "đầu tư"
    (investment); retrieval takes the parsed question's entities, as the answer step does."""
    question = analyse_question("Hop tac Viet Phap bat dau tu nam nao?", "vi", engine.knowledge.glossary)
    assert "kinh-te-dau-tu" not in {t.id for t in question.terms}
    parsed = expand_query(question, 0.25)
    raw = dataclasses.replace(question, terms=engine.knowledge.glossary.find(question.text))
    assert "f:invest" in expand_query(raw, 0.25), "the glossary's reading of the raw text would expand it"
    assert "f:invest" not in parsed and "f:franc" in parsed
    retrieved, retrieval = engine.retrieve(question.text)
    assert [t.id for t in retrieved.terms] == [t.id for t in question.terms]
    assert retrieval.units


def test_units_only_bm25_found_get_their_own_similarity(engine, settings):
    """A unit outside the dense list is compared on the same scale as the others: its stored vectors'
    similarity to the question (best version and mean over versions), not zero."""
    narrow = HybridRetriever(index=engine.index, knowledge=engine.knowledge,
                             settings=dataclasses.replace(settings, first_stage_k=3))
    retrieval = narrow.search(engine.parse("Combien de délégués ont participé aux Assises à Hanoï ?", "fr"))
    dense_ids = {sid for sid, _ in engine.index.dense_search(retrieval.query_vector, 3)}
    bm25_only = [u for u in retrieval.units if not dense_ids & set(u.sentence_ids)]
    assert bm25_only
    for unit in bm25_only:
        lines = [line.id for line in engine.knowledge.versions(unit.sentence_ids[0]).values()]
        vectors = engine.index.vectors(lines)
        versions = [float(vectors[i] @ retrieval.query_vector) for i in lines]
        assert unit.dense == pytest.approx(max(versions), abs=1e-5)
        assert unit.similarity == pytest.approx(sum(versions) / len(versions), abs=1e-5)
        assert 0.5 < unit.similarity <= unit.dense < retrieval.dense_top


def test_the_answer_step_weighs_the_mean_similarity_over_language_versions(engine):
    """A bilingual unit's best version runs higher than a one-language document's single measure would:
    the candidates' `dense` feature is the mean over the versions, not the best one."""
    question, retrieval = engine.retrieve("Combien de délégués ont participé aux Assises à Hanoï ?")
    ranked = engine.answerer.rank(question, retrieval)
    bilingual = [c for c in ranked if len(c.lines) == 2]
    assert bilingual
    assert all(c.features.dense == c.unit.similarity for c in ranked)
    assert any(c.unit.similarity < c.unit.dense for c in bilingual)


def test_a_one_language_unit_is_measured_alone_and_after_its_title(tmp_path):
    """A sentence added in one language has a single version; its similarity (what the answer step weighs)
    is the mean of that version's and of its reading after the article's title, its best (`dense`) the
    version's own."""
    engine = small_engine(tmp_path, [("a.vi", "2024-03-14", "Báo Bình Định",
                                      "Bình Định chống xói lở bờ biển.\nGiai đoạn 2 có kinh phí dự kiến 650.000 euro.")],
                          GLOSSARY)
    retrieval = engine.retriever.search(engine.parse("Giai đoạn 2 cần bao nhiêu kinh phí?", "vi"))
    unit = next(u for u in retrieval.units if u.unit_id == "a.vi:2")
    alone = float(engine.index.vectors(["a.vi:2"])["a.vi:2"] @ retrieval.query_vector)
    in_context = float(engine.index.in_context["a.vi:2"] @ retrieval.query_vector)
    assert abs(alone - in_context) > 1e-4
    assert unit.dense == pytest.approx(alone, abs=1e-5)
    assert unit.similarity == pytest.approx((alone + in_context) / 2, abs=1e-5)
