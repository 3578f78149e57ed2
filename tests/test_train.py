"""The learned scorer: `coopbot train` reproduces the shipped model, and the model reads its features."""

from __future__ import annotations

import json

import pytest

from coopbot.engine import Engine
from coopbot.evalsets import load_gold, set_path
from coopbot.features import SCORER_PATH, Features, LearnedScorer
from coopbot.knowledge import parse_glossary
from coopbot.train import collect_rows, train, write_glossary_without_new_names


def test_retraining_on_dev_reproduces_the_shipped_scorer(settings):
    shipped = json.loads(SCORER_PATH.read_text(encoding="utf-8"))
    retrained = json.loads(train(Engine(settings, notify=lambda m: None)).to_json())
    assert retrained["features"] == shipped["features"] == Features.names()
    assert retrained["trained_on"] == "dev.jsonl" and retrained["trained_on_sha256"] == shipped["trained_on_sha256"]
    # to 1 %: most processes retrain it to the printed digits, but some (1 CI run in 4 on the same commit) land near-tied
    # candidates the other way (dense 25.168 for 25.147); a changed feature, row or weighting moves weights far more
    assert retrained["weights"] == pytest.approx(shipped["weights"], rel=1e-2, abs=1e-2)
    assert retrained["threshold"] == pytest.approx(shipped["threshold"], abs=2e-3)
    assert retrained["held_out_accuracy"] == pytest.approx(shipped["held_out_accuracy"], abs=3e-3)  # a question


def test_collecting_the_rows_never_reads_the_shipped_scorer(settings, monkeypatch):
    """Retraining must not depend on the model it replaces, nor fail when that model's features changed."""
    def refuse(cls, path=SCORER_PATH):
        raise AssertionError("the shipped scorer was read")

    monkeypatch.setattr(LearnedScorer, "load", classmethod(refuse))
    rows = collect_rows(Engine(settings, notify=lambda m: None), load_gold(set_path("dev"))[:5])
    assert len(rows) == 5 and all(len(r.vectors) == len(r.labels) > 0 for r in rows)


def test_the_threshold_is_the_most_accurate_of_those_precise_enough_or_the_most_accurate(tmp_path):
    from coopbot.evalsets import Gold
    from coopbot.train import QuestionRows, choose_threshold

    def row(qid: str, answerable: bool) -> QuestionRows:
        return QuestionRows(Gold(qid, "vi", "?", answerable, [], [], []), [], [], True)

    held = ([(row(f"a{i}", True), 0.8, True) for i in range(8)] + [(row("a9", True), 0.3, True)]
            + [(row(f"u{i}", False), 0.2, False) for i in range(4)] + [(row("u9", False), 0.9, False)])
    for precision_first in (True, False):
        threshold, figures = choose_threshold(held, 0.9, precision_first)
        assert 0.2 < threshold <= 0.3 and figures["held_out_abstention_precision"] == 1.0
        assert figures["held_out_accuracy"] == round(13 / 14, 4)  # all right but the confident unanswerable
    # abstaining below 0.8 is right for four unanswerable and wrong for one answerable (precision 0.8): more
    # accurate than never abstaining, the only threshold whose precision reaches 0.9
    held = ([(row(f"a{i}", True), 0.8, True) for i in range(5)] + [(row("b", True), 0.15, True)]
            + [(row(f"u{i}", False), 0.2, False) for i in range(4)])
    threshold, figures = choose_threshold(held, 0.9, precision_first=False)
    assert 0.2 < threshold <= 0.8
    assert figures == {"held_out_accuracy": 0.9, "held_out_abstention_precision": 0.8}
    threshold, figures = choose_threshold(held, 0.9, precision_first=True)
    assert threshold == 0.0
    assert figures == {"held_out_accuracy": 0.6, "held_out_abstention_precision": 1.0}


def features(**values: float) -> Features:
    base = dict.fromkeys(Features.names(), 0.0)
    return Features(**{**base, **values})


def test_probability_follows_the_learned_weights():
    scorer = LearnedScorer({name: 0.0 for name in Features.names()} | {"coverage": 4.0, "weak": -2.0}, -2.0, 0.5, {})
    assert scorer.probability(features()) == pytest.approx(1 / (1 + 2.718281828 ** 2), rel=1e-6)
    assert scorer.probability(features(coverage=1.0)) > 0.5 > scorer.probability(features(coverage=1.0, weak=1.5))


def test_a_scorer_file_for_other_features_is_refused(tmp_path):
    data = json.loads(SCORER_PATH.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    path = tmp_path / "scorer.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="coopbot train"):
        LearnedScorer.load(path)


def test_the_shipped_scorer_loads_and_round_trips():
    scorer = LearnedScorer.load()
    assert 0.0 < scorer.threshold < 1.0
    assert json.loads(scorer.to_json()) == json.loads(SCORER_PATH.read_text(encoding="utf-8"))


def test_a_candidate_about_another_edition_or_a_heading_without_the_value_asked_may_not_answer():
    def vector(**values):
        return features(**values).vector()
    assert Features.may_answer(vector())
    assert not Features.may_answer(vector(edition=-1.0))
    assert not Features.may_answer(vector(weak=1.0))
    assert Features.may_answer(vector(weak=1.0, type_match=1.0))
    assert Features.may_answer(vector(type_match=0.0))  # a sentence without the kind asked may still answer


def test_a_one_language_copy_loses_the_names_only_its_new_articles_mention(tmp_path):
    """The copies `coopbot train` asks stand for documents added next month: the glossary does not know their
    names yet. A name a bilingual article mentions stays, as do general words and names mentioned nowhere."""
    source = tmp_path / "glossary.yaml"
    source.write_text(
        "entries:\n"
        "  - {id: rennes, kind: place, vi: [Rennes], fr: [Rennes], variants: [x], note: n}\n"
        "  - {id: lyon, kind: place, vi: [Lyon], fr: [Lyon], variants: [x], note: n}\n"
        "  - {id: dai-bieu, kind: concept, vi: [đại biểu], fr: [délégués], variants: [x], note: n}\n"
        "  - {id: brest, kind: place, vi: [Brest], fr: [Brest], variants: [x], note: n}\n", encoding="utf-8")
    target = tmp_path / "reduced.yaml"
    write_glossary_without_new_names(source, ["Les délégués de Rennes et de Lyon."], ["Lyon coopère."], target)
    glossary, problems = parse_glossary(target)
    assert not problems
    assert [entry.id for entry in glossary.entries] == ["lyon", "dai-bieu", "brest"]


def test_a_devgrowth_question_weighs_as_much_as_its_rows_repeated():
    """devgrowth's few questions about added documents are weighed DEVGROWTH_WEIGHT times in the fit: the
    model is the one fitted on their rows repeated that many times, and unlike the one fitted on them once."""
    import numpy as np

    from coopbot.evalsets import Gold
    from coopbot.train import DEVGROWTH_WEIGHT, QuestionRows, fit

    width = len(Features.names())

    def rows(qid: str, first: float, grown: bool = False) -> QuestionRows:
        vectors = [tuple([first] + [0.1 * i] * (width - 1)) for i in range(4)]
        return QuestionRows(Gold(qid, "vi", "?", True, [], [], []), vectors, [1, 0, 0, 0], True, grown=grown)

    dev = [rows(f"d{i}", 0.9 - 0.05 * i) for i in range(6)]
    grown = [rows(f"g{i}", 0.2 + 0.1 * i, grown=True) for i in range(3)]
    plain = [QuestionRows(r.gold, r.vectors, r.labels, True) for r in grown]
    assert DEVGROWTH_WEIGHT == int(DEVGROWTH_WEIGHT) > 1
    weighed, repeated = fit(dev + grown), fit(dev + plain * int(DEVGROWTH_WEIGHT))
    probe = [v for r in grown for v in r.vectors]
    assert np.allclose(weighed.predict_proba(probe), repeated.predict_proba(probe), atol=1e-4)
    assert not np.allclose(weighed.predict_proba(probe), fit(dev + plain).predict_proba(probe), atol=1e-3)


def test_devgrowth_rows_are_those_of_its_trained_part(settings, monkeypatch):
    """`coopbot train` asks devgrowth's trained part only (`evalsets.part_of` leaves out the validation part's
    questions and documents), each question's rows marked grown, and cross-language when asked in the other language."""
    from contextlib import contextmanager
    from types import SimpleNamespace

    import coopbot.engine
    import coopbot.train as training
    from coopbot.evalsets import Gold

    gold = [Gold("t1", "vi", "?", True, [], ["a.fr"], []), Gold("t2", "fr", "?", False, [], [], [])]
    asked = []

    @contextmanager
    def grown(name, given, part=None):
        asked.append((name, part))
        yield SimpleNamespace(settings=given, gold=gold)

    monkeypatch.setattr(training, "workspace", grown)
    monkeypatch.setattr(coopbot.engine, "Engine", lambda *args, **kwargs: None)
    monkeypatch.setattr(training, "collect_rows",
                        lambda engine, questions: [training.QuestionRows(g, [], [], True) for g in questions])
    rows = training.devgrowth_rows(settings)
    assert asked == [("devgrowth", "trained")]
    assert [(r.gold.id, r.grown, r.cross) for r in rows] == [("t1", True, True), ("t2", True, False)]
