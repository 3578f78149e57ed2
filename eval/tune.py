"""Tune the answerer's settings on the dev set, judged by grouped k-fold cross-validation.

Every setting of the grid answers dev once with abstention off; the abstention thresholds are then
re-chosen on each training fold and the setting is scored on the held-out fold (vi/fr pairs stay in
one fold).  Printed: each setting's held-out accuracy, and the held-out accuracy of the whole
procedure (pick the best setting on k-1 folds, score it on the fold left out) — never an in-sample
figure.  Between settings that answer as well, the one whose vi/fr pairs are answered alike more often
(same citations, facts and abstention) comes first: a setting that makes the two languages diverge for
no gain in accuracy is the worse one.  Copy a winning *global* setting into src/coopbot/config.py only
when its held-out gain is real; never tune on eval/test.jsonl or the growth set.

Usage: python eval/tune.py [--k 5]
"""

from __future__ import annotations

import argparse
import itertools

from coopbot.crossval import calibrate, cross_validate, fold_of, held_out_summary, right_with
from coopbot.engine import Engine
from coopbot.evalsets import load_gold, set_path
from coopbot.evaluate import answer_all, metrics, pair_consistency

GRID = {
    "related_min_score": [0.03, 0.06, 0.1, 0.2, 0.3],
    "companion_min_score": [0.6, 0.7, 0.8, 0.9, 1.0],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--k", type=int, default=5)
    args = parser.parse_args()
    engine = Engine()
    dev = load_gold(set_path("dev"))
    settings_grid = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    answered = [answer_all(engine.variant(abstention=False, **setting), dev) for setting in settings_grid]
    summaries = [held_out(outcomes, args.k) for outcomes in answered]
    print("held-out accuracy  answerable vi  answerable fr  abst. R   pairs   cit. P   " + " ".join(GRID))
    # best first: held-out accuracy, then, between settings that answer as well, pair consistency
    ranked = sorted(zip(settings_grid, answered, summaries, strict=True),
                    key=lambda row: (-round(row[2]["accuracy"], 3), -consistency(row[1])))
    for setting, outcomes, m in ranked:
        print(f"{m['accuracy']:.3f}              {m['answerable_vi']:.3f}          {m['answerable_fr']:.3f}"
              f"          {m['abstention_recall']:.3f}     {consistency(outcomes):.3f}   "
              f"{metrics(outcomes)['citation_precision']:.3f}    {list(setting.values())}")
    print(f"\nheld-out accuracy of choosing the best setting on k-1 folds: {nested(answered, args.k):.3f}")


def held_out(outcomes: list, k: int) -> dict:
    return held_out_summary(outcomes, cross_validate(outcomes, k))


def consistency(outcomes: list) -> float:
    """Share of vi/fr pairs answered alike (same citations, facts and abstention)."""
    pairs = [p["consistent"] for p in pair_consistency(outcomes)]
    return sum(pairs) / len(pairs) if pairs else 0.0


def nested(answered: list[list], k: int) -> float:
    """The tuning procedure itself, cross-validated: per fold, the setting (and thresholds) best on
    the other folds (most right, then most consistent across vi/fr pairs), scored on this one."""
    right = 0
    for fold in range(k):
        best = None
        for outcomes in answered:
            train = [o for o in outcomes if fold_of(o, k) != fold]
            thresholds = calibrate(train)
            score = (sum(right_with(o, thresholds) for o in train), consistency(train))
            if best is None or score > best[0]:
                best = (score, outcomes, thresholds)
        _, outcomes, thresholds = best
        right += sum(right_with(o, thresholds) for o in outcomes if fold_of(o, k) == fold)
    return right / len(answered[0])


if __name__ == "__main__":
    main()
