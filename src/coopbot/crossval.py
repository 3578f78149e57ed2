"""Grouped k-fold cross-validation on the dev set: held-out figures for every tuned choice.

A figure measured on the questions a threshold was chosen on says nothing about new questions,
so every choice here is made on k-1 folds and scored on the fold left out; a vi/fr pair stays in
one fold (its two questions ask the same thing).  Answers are produced once with abstention off
(`Settings.abstention = False`) and the abstention rule is replayed on their signals, so a
threshold grid costs no engine calls.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .answer import is_supported

PROBABILITY_GRID = tuple(round(0.02 * i, 2) for i in range(41))
ALL_GATES = frozenset({"ordinals_ok", "entities_known"})
MIN_ABSTENTION_PRECISION = 0.9  # of the abstention thresholds chosen on dev (the bar)


@dataclass(frozen=True)
class Thresholds:
    """The abstention rule's free numbers: the learned scorer's probability, and the gates applied."""

    min_probability: float
    gates: frozenset[str] = ALL_GATES


def fold_of(outcome, k: int) -> int:
    """A stable fold for a question: its pair's (or its own id's) hash, so pairs stay together."""
    key = outcome.gold.pair or outcome.gold.id
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % k


def supported(outcome, thresholds: Thresholds) -> bool:
    signals = dict(outcome.answer.get("signals") or {})
    for gate in ALL_GATES:
        if gate not in thresholds.gates:
            signals[gate] = True
    if not signals:
        return not outcome.answer.get("abstained")
    return is_supported(signals, thresholds.min_probability)


def right_with(outcome, thresholds: Thresholds) -> bool:
    """Would the open answer be right once the abstention rule is applied with `thresholds`?"""
    if outcome.gold.answerable:
        return supported(outcome, thresholds) and outcome.correct
    return not supported(outcome, thresholds)


def calibrate(outcomes: Sequence, gates: frozenset[str] = ALL_GATES) -> Thresholds:
    """The threshold `coopbot train` would choose on `outcomes` (answered with abstention off): the most
    accurate of those whose abstention precision reaches MIN_ABSTENTION_PRECISION; ties go to fewer false
    abstentions, then to the lowest probability."""
    best_key, best = None, None
    for thresholds in (Thresholds(p, gates) for p in PROBABILITY_GRID):
        right = sum(right_with(o, thresholds) for o in outcomes)
        abstained = [o for o in outcomes if not supported(o, thresholds)]
        precision = sum(not o.gold.answerable for o in abstained) / len(abstained) if abstained else 1.0
        false_abstain = len(abstained) - sum(not o.gold.answerable for o in abstained)
        key = (precision >= MIN_ABSTENTION_PRECISION, right, -false_abstain)
        if best_key is None or key > best_key:
            best_key, best = key, thresholds
    return best


@dataclass
class HeldOut:
    """Per question, whether it was right when its fold was held out, and the choice made per fold."""

    right: dict[str, bool]
    choices: list[Thresholds]


def cross_validate(outcomes: Sequence, k: int = 5, gates: frozenset[str] = ALL_GATES) -> HeldOut:
    right: dict[str, bool] = {}
    choices = []
    for fold in range(k):
        train = [o for o in outcomes if fold_of(o, k) != fold]
        held = [o for o in outcomes if fold_of(o, k) == fold]
        chosen = calibrate(train, gates)
        choices.append(chosen)
        right.update({o.gold.id: right_with(o, chosen) for o in held})
    return HeldOut(right, choices)


def held_out_summary(outcomes: Sequence, held: HeldOut) -> dict:
    """Accuracy, answerable accuracy per language and abstention recall of the held-out answers."""
    def rate(items: list) -> float | None:
        return round(sum(held.right[o.gold.id] for o in items) / len(items), 4) if items else None

    answerable = [o for o in outcomes if o.gold.answerable]
    return {
        "accuracy": rate(list(outcomes)),
        "answerable_vi": rate([o for o in answerable if o.gold.lang == "vi"]),
        "answerable_fr": rate([o for o in answerable if o.gold.lang == "fr"]),
        "abstention_recall": rate([o for o in outcomes if not o.gold.answerable]),
    }


@dataclass(frozen=True)
class Ablation:
    """One mechanism switched off: a retrieval mode and/or settings, and/or an abstention gate, or the whole
    answer step (`first_stage`: the retrieval's top sentence, never abstaining)."""

    name: str
    what: str
    mode: str | None = None
    overrides: tuple[tuple[str, object], ...] = ()
    drop_gate: str | None = None
    first_stage: bool = False


ABLATIONS = (
    Ablation("full", "everything on (learned scorer: weights fitted on all of dev, threshold re-chosen per fold)"),
    Ablation("no rescoring", "answer from the fusion's top unit (TOP_K=1)", overrides=(("top_k", 1),)),
    Ablation("no edition gate", "abstain when no candidate names the edition asked", drop_gate="ordinals_ok"),
    Ablation("no section context", "entities named earlier in the section (SECTION_SHARE=0)",
             overrides=(("section_share", 0.0),)),
    Ablation("no merging/conflicts", "other sources grouped with the best (RELATED_MIN_SCORE=99, RELATED_POOL=0)",
             overrides=(("related_min_score", 99.0), ("related_pool", 0))),
    Ablation("no companions", "extra enumerating sentences for lists (COMPANION_MIN_SCORE=99)",
             overrides=(("companion_min_score", 99.0),)),
    Ablation("no glossary expansion", "BM25 glossary forms (WEIGHT_EXPANSION=0)", overrides=(("weight_expansion", 0.0),)),
    Ablation("no BM25", "dense retrieval only", mode="dense"),
    Ablation("no dense", "BM25 retrieval only, its top sentence never abstaining (the scorer needs dense similarity)",
             mode="bm25", first_stage=True),
    Ablation("no unknown-entity gate", "abstain when a named glossary entity is never mentioned",
             drop_gate="entities_known"),
)


def ablation_table(engine, dev: Sequence, run: Callable, run_first_stage: Callable, k: int = 5) -> list[dict]:
    """Each mechanism around the scorer switched off in turn, scored by grouped k-fold on dev (thresholds
    re-chosen per fold); the scorer's own features are ablated by refitting without them (`coopbot train`).
    `run(engine, gold)` returns the outcomes of one engine over the dev questions, `run_first_stage(engine,
    gold)` those of its retrieval's top sentences."""
    rows, full = [], None
    for ablation in ABLATIONS:
        variant = engine.variant(ablation.mode, abstention=False, **dict(ablation.overrides))
        outcomes = (run_first_stage if ablation.first_stage else run)(variant, dev)
        gates = ALL_GATES - {ablation.drop_gate}
        summary = held_out_summary(outcomes, cross_validate(outcomes, k, gates))
        full = full or summary
        rows.append({"name": ablation.name, "what": ablation.what, **summary,
                     "delta": round(summary["accuracy"] - full["accuracy"], 4)})
    return rows
