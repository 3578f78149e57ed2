"""Grouped k-fold calibration: pairs stay together, thresholds are chosen on training folds only,
and the held-out figure can be worse than the in-sample one."""

from __future__ import annotations

from coopbot.config import Settings
from coopbot.crossval import Thresholds, calibrate, cross_validate, fold_of, held_out_summary, right_with
from coopbot.evalsets import Gold
from coopbot.evaluate import Outcome


def outcome(qid: str, answerable: bool, dense: float, correct: bool = True, pair: str | None = None,
            lang: str = "vi", entities_known: bool = True) -> Outcome:
    gold = Gold(qid, lang, "?", answerable, ["x"] if answerable else [], ["a.vi"] if answerable else [], [], pair)
    signals = {"dense_top": dense, "coverage": 1.0, "ordinals_ok": True,
               "entities_known": entities_known}
    return Outcome(gold, {"abstained": False, "signals": signals}, [], correct=correct and answerable)


def test_pairs_share_a_fold_and_folds_are_stable() -> None:
    a, b = outcome("q1", True, 0.9, pair="p7"), outcome("q2", True, 0.9, pair="p7", lang="fr")
    assert fold_of(a, 5) == fold_of(b, 5) == fold_of(outcome("q9", True, 0.9, pair="p7"), 5)
    assert {fold_of(outcome(f"q{i}", True, 0.9), 5) for i in range(40)} == set(range(5))


def test_calibration_separates_answerable_from_unanswerable_by_dense_similarity() -> None:
    outcomes = ([outcome(f"a{i}", True, 0.86 + i * 0.001) for i in range(20)]
                + [outcome(f"u{i}", False, 0.80 + i * 0.001) for i in range(10)])
    chosen = calibrate(outcomes, 0.83)
    assert 0.81 <= chosen.min_dense <= 0.86
    assert all(right_with(o, chosen) for o in outcomes)


def test_a_dropped_gate_no_longer_abstains() -> None:
    unknown = outcome("u1", False, 0.95, entities_known=False)
    assert right_with(unknown, Thresholds(0.8, 0.0))
    assert not right_with(unknown, Thresholds(0.8, 0.0, frozenset({"ordinals_ok"})))


def test_held_out_figures_come_from_thresholds_chosen_without_the_fold() -> None:
    # answerable questions all at 0.86 but half wrong; unanswerable at 0.80: whatever the folds, a held-out
    # fold is judged by thresholds its own questions did not choose
    outcomes = ([outcome(f"a{i}", True, 0.86, correct=i % 2 == 0) for i in range(20)]
                + [outcome(f"u{i}", False, 0.80) for i in range(10)])
    held = cross_validate(outcomes, Settings(), k=5)
    assert len(held.choices) == 5 and set(held.right) == {o.gold.id for o in outcomes}
    summary = held_out_summary(outcomes, held)
    assert summary["answerable_vi"] == 0.5 and summary["abstention_recall"] == 1.0
