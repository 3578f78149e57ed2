"""The scorer itself, on hand-made right and wrong answers: it must be able to fail."""

from __future__ import annotations

import json

from coopbot.evaluate import (
    Gold,
    blind_dev_test_gap,
    dev_test_gap_interval,
    fact_matches,
    load_gold,
    metrics,
    other_language_ceiling,
    pair_consistency,
    score,
    wilson_interval,
)


def gold(**overrides) -> Gold:
    base = dict(id="t1", lang="fr", question="Combien de délégués ?", answerable=True, expected=["800", "1000"],
                sources=["a.vi"], evidence=["a.vi:3"], pair="p1")
    return Gold(**{**base, **overrides})


def answer(text: str, lang: str = "fr", origin: str = "a.vi", abstained: bool = False, line: int = 3) -> dict:
    citations = [] if abstained else [{"n": 1, "doc_id": origin.replace(".vi", f".{lang}"), "origin_doc_id": origin,
                                       "lang": lang, "text": text, "sentence_id": f"{origin}:{line}"}]
    return {"question": "q", "language": lang, "answer": text, "abstained": abstained, "citations": citations,
            "timings_ms": {"retrieve": 10.0, "answer": 1.0, "total": 11.0}}


def test_patterns_are_folded_and_numbers_normalised():
    assert fact_matches("ha ?noi", "Hội nghị tại Hà Nội")
    assert fact_matches("1000", "plus de 1 000 délégués") and fact_matches("1000", "hơn 1.000 đại biểu")
    assert not fact_matches(r"\b60\b", "240 dự án")


def test_right_answer_scores_correct():
    outcome = score(gold(), answer("Selon A : 800 délégués ; selon B : plus de 1 000 [1]"), ["a.vi:3"])
    assert outcome.correct and outcome.language_ok and outcome.source_ok
    assert outcome.cited_facts == [True]


def test_missing_fact_wrong_language_or_source_fail():
    assert not score(gold(), answer("800 délégués [1]"), []).correct
    wrong_lang = score(gold(), answer("800 và 1.000 đại biểu [1]", lang="vi"), [])
    assert not wrong_lang.correct and not wrong_lang.language_ok
    wrong_source = score(gold(), answer("800 et 1 000 [1]", origin="b.vi"), [])
    assert not wrong_source.correct and not wrong_source.source_ok
    assert not score(gold(), answer("", abstained=True), []).correct


def test_unanswerable_needs_abstention_without_citations():
    item = gold(answerable=False, expected=[], sources=[], evidence=[])
    assert score(item, answer("Les sources ne permettent pas…", abstained=True), []).correct
    assert not score(item, answer("800 délégués [1]"), []).correct


def test_metrics_and_pairs():
    right = score(gold(), answer("800 et 1 000 [1]"), ["x:1", "a.vi:3"])
    wrong = score(gold(id="t2", lang="vi"), answer("800 [1]", lang="vi", line=4), ["x:1"])
    abstain_ok = score(gold(id="t3", answerable=False, pair=None), answer("", abstained=True), [])
    m = metrics([right, wrong, abstain_ok])
    assert m["accuracy"] == round(2 / 3, 4) and m["recall@1"] == 0.0 and m["recall@5"] == 0.5
    assert m["mrr"] == 0.25 and m["abstention_recall"] == 1.0 and m["abstention_precision"] == 1.0
    rows = pair_consistency([right, wrong])
    assert rows == [{"pair": "p1", "questions": ["t1", "t2"], "same_sources": False, "same_facts": False,
                     "consistent": False, "both_correct": False}]


def test_recall_before_the_answerers_rescoring_is_reported_apart():
    rescored = score(gold(), answer("800 et 1 000 [1]"), ["a.vi:3", "x:1"], ["x:1", "y:2", "z:3", "w:4", "v:5", "a.vi:3"])
    m = metrics([rescored])
    assert m["recall@1"] == 1.0 and m["first_stage_recall@1"] == 0.0
    assert m["recall@5"] == 1.0 and m["first_stage_recall@5"] == 0.0


def test_gold_file_is_well_formed(repo_root):
    items = load_gold(repo_root / "eval" / "dev.jsonl")
    assert len(items) >= 100
    assert sum(i.lang == "vi" for i in items) >= 40 and sum(i.lang == "fr" for i in items) >= 40
    assert sum(not i.answerable for i in items) >= 15
    for item in items:
        assert item.answerable == bool(item.expected and item.sources and item.evidence), item.id
    raw = [json.loads(line) for line in (repo_root / "eval" / "dev.jsonl").read_text().splitlines() if line]
    assert len({r["id"] for r in raw}) == len(raw)


def test_the_report_gives_the_growth_table_in_both_modes():
    from coopbot.evaluate import breakdown
    from coopbot.report import growth_modes, headline

    def outcomes(cross_right: bool) -> list:
        same = score(gold(id="s", lang="vi", sources=["a.vi"]), answer("800 và 1.000 [1]", lang="vi"), [])
        cross = score(gold(id="c", lang="fr", sources=["a.vi"]),
                      answer("800 et 1 000 [1]" if cross_right else "", abstained=not cross_right), [])
        return [same, cross]

    facts = {"translator": "machine:reference-translations", "lines": 10, "translated": 8, "untranslated": 2,
             "missing_from_table": 1, "check": {"passed": True, "documents": 3, "machine_translations": 1},
             "untranslated_lines": [{"source": "d.md", "line": 4, "reason": "not in French",
                                     "missing_from_table": True}]}
    growth = {"questions": 2, "pairs": [], "pair_consistency": None,
              "systems": {"coopbot": breakdown(outcomes(False), by_document_language=True)},
              "translated": {"systems": {"coopbot": breakdown(outcomes(True), by_document_language=True)},
                             "translation": facts}}
    lines = "\n".join(growth_modes(growth))
    assert "| asker | answering document | no translator (default) | fake translator (reference translations) |" \
        in lines
    assert "| vi | same language (same:vi) | 1.000 (n=1) | 1.000 (n=1) |" in lines
    assert "| fr | other language (cross:fr) | 0.000 (n=1) | 1.000 (n=1) |" in lines
    assert "8 of 10 lines machine-translated, 2 kept in the source language (1 missing from the reference table, " \
           "1 refused by the line check)" in lines and "`coopbot check` on the grown knowledge: passed" in lines
    assert "d.md:4 not in French" in lines
    summary = "\n".join(headline({"sets": {"growth": growth}}))
    assert "with the fake translator at add: same:vi 1.000 (n=1); same:fr n/a (n=0); cross:vi n/a (n=0); " \
           "cross:fr 1.000 (n=1); 8 of 10 lines translated, 2 kept untranslated; coopbot check passed" in summary
    assert growth_modes({**growth, "translated": None}) == []


def test_an_accuracy_comes_with_the_interval_its_sample_size_allows():
    assert wilson_interval(5, 10) == [0.2366, 0.7634]
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and 0.27 < high < 0.28, "no success still leaves room above 0"
    assert wilson_interval(0, 0) is None
    narrow, wide = wilson_interval(40, 50), wilson_interval(8, 10)
    assert wide[0] < narrow[0] < 0.8 < narrow[1] < wide[1]
    outcomes = [score(gold(), answer("800 et 1 000 [1]"), ["a.vi:3"]),
                score(gold(), answer("800 seulement [1]"), ["a.vi:3"])]
    table = metrics(outcomes)
    assert table["answerable"] == 2 and table["answerable_interval"] == wilson_interval(1, 2)


def test_the_dev_test_gap_is_given_with_its_interval():
    def section(accuracy: float, n: int) -> dict:
        by_lang = {"answerable_accuracy": accuracy, "answerable": n}
        return {"systems": {"coopbot": {"all": by_lang, "vi": by_lang, "fr": by_lang}}}

    report = {"sets": {"dev": section(0.8, 150), "test": section(0.7, 50)}}
    low, high = dev_test_gap_interval(report)["vi"]
    assert low < 0.1 < high and round(high - 0.1, 4) == round(0.1 - low, 4)
    small = dev_test_gap_interval({"sets": {"dev": section(0.8, 150), "test": section(0.7, 10)}})["vi"]
    assert small[1] - small[0] > high - low, "fewer test questions: a wider interval"
    assert dev_test_gap_interval({"sets": {"dev": section(0.8, 150)}}) == {}


def test_the_gap_of_devs_blind_part_to_test_is_reported_apart():
    def by_lang(accuracy: float, n: int) -> dict:
        cell = {"answerable_accuracy": accuracy, "answerable": n}
        return {"all": cell, "vi": cell, "fr": cell}

    report = {"sets": {"dev": {"systems": {"coopbot": by_lang(0.8, 150)},
                               "by_origin": {"first-round": by_lang(0.9, 60), "blind": by_lang(0.75, 90)}},
                       "test": {"systems": {"coopbot": by_lang(0.7, 50)}}}}
    blind = blind_dev_test_gap(report)
    assert blind["gap"]["fr"] == 0.05 and blind["interval"]["fr"][0] < 0.05 < blind["interval"]["fr"][1]
    assert blind_dev_test_gap({"sets": {"dev": {"systems": {}}, "test": {}}}) == {}


def test_the_other_language_ceiling_counts_facts_the_other_version_states(engine):
    """thoidai-2023-04-12:16 says HCMC and Lyon cooperate since 1997: a year reads the same in both languages,
    a phrase does not."""
    year = gold(id="c1", lang="vi", expected=["1997"], evidence=["thoidai-2023-04-12.vi:16"])
    phrase = gold(id="c2", lang="vi", expected=["tu nam 1997"], evidence=["thoidai-2023-04-12.vi:16"])
    ceiling = other_language_ceiling(engine.knowledge, [year, phrase])
    assert ceiling["vi"] == {"share": 0.5, "questions": 2}, "the French version says 'en 1997'"
    assert ceiling["fr"] == {"share": None, "questions": 0}
