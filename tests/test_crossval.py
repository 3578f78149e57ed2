"""Grouped k-fold calibration: pairs stay together, thresholds are chosen on training folds only,
and the held-out figure can be worse than the in-sample one."""

from __future__ import annotations

from coopbot.crossval import Thresholds, calibrate, cross_validate, fold_of, held_out_summary, right_with
from coopbot.evalsets import Gold
from coopbot.evaluate import Outcome


def outcome(qid: str, answerable: bool, probability: float | None, correct: bool = True, pair: str | None = None,
            lang: str = "vi", entities_known: bool = True) -> Outcome:
    gold = Gold(qid, lang, "?", answerable, ["x"] if answerable else [], ["a.vi"] if answerable else [], [], pair)
    signals = {"probability": probability, "ordinals_ok": True, "entities_known": entities_known}
    return Outcome(gold, {"abstained": False, "signals": signals}, [], correct=correct and answerable)


def test_pairs_share_a_fold_and_folds_are_stable() -> None:
    a, b = outcome("q1", True, 0.9, pair="p7"), outcome("q2", True, 0.9, pair="p7", lang="fr")
    assert fold_of(a, 5) == fold_of(b, 5) == fold_of(outcome("q9", True, 0.9, pair="p7"), 5)
    assert {fold_of(outcome(f"q{i}", True, 0.9), 5) for i in range(40)} == set(range(5))


def test_calibration_separates_answerable_from_unanswerable_by_probability() -> None:
    outcomes = ([outcome(f"a{i}", True, 0.5 + i * 0.01) for i in range(20)]
                + [outcome(f"u{i}", False, 0.1 + i * 0.01) for i in range(10)])
    chosen = calibrate(outcomes)
    assert 0.19 < chosen.min_probability <= 0.5
    assert all(right_with(o, chosen) for o in outcomes)


def test_a_dropped_gate_no_longer_abstains() -> None:
    unknown = outcome("u1", False, 0.95, entities_known=False)
    assert right_with(unknown, Thresholds(0.5))
    assert not right_with(unknown, Thresholds(0.5, frozenset({"ordinals_ok"})))


def test_a_question_without_any_candidate_abstains_at_any_threshold() -> None:
    assert right_with(outcome("u1", False, None), Thresholds(0.0))
    assert not right_with(outcome("a1", True, None), Thresholds(0.0))


def test_held_out_figures_come_from_thresholds_chosen_without_the_fold() -> None:
    # answerable questions all at 0.6 but half wrong; unanswerable at 0.3: whatever the folds, a held-out
    # fold is judged by thresholds its own questions did not choose
    outcomes = ([outcome(f"a{i}", True, 0.6, correct=i % 2 == 0) for i in range(20)]
                + [outcome(f"u{i}", False, 0.3) for i in range(10)])
    held = cross_validate(outcomes, k=5)
    assert len(held.choices) == 5 and set(held.right) == {o.gold.id for o in outcomes}
    summary = held_out_summary(outcomes, held)
    assert summary["answerable_vi"] == 0.5 and summary["abstention_recall"] == 1.0
