"""`coopbot train`: fit the learned scorer (features.py) on the dev set, deterministically.

Rows are the answerer's candidates for every dev question (the fused top TOP_K units), labelled 1
when the unit is one of the question's evidence sentences; unanswerable questions give only
negatives.  A logistic regression (scikit-learn, a development dependency: the engine itself only
reads the weights) is fitted by grouped k-fold (a vi/fr pair stays in one fold) to get held-out
probabilities, from which the abstention threshold is chosen: the best held-out accuracy whose
abstention precision is at least `min_abstention_precision`.  The final model is fitted on all of
dev and written with its held-out figures.  Never train on the test or growth set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .crossval import fold_of
from .evalsets import Gold, load_gold, set_path
from .evaluate import Outcome
from .features import Features, LearnedScorer

REGULARISATION_C = 1.0


@dataclass
class QuestionRows:
    gold: Gold
    vectors: list[tuple[float, ...]]
    labels: list[int]
    gates_ok: bool


def collect_rows(engine, gold: list[Gold]) -> list[QuestionRows]:
    """The candidates' features and labels for each question (the engine must score by hand: the
    features do not depend on the scorer, but the gates read the hand-ranked window)."""
    rows = []
    for item in gold:
        question, retrieval = engine.retrieve(item.question)
        ranked = engine.answerer.rank(question, retrieval)
        signals = engine.answerer.signals(question, retrieval, ranked)
        gates_ok = signals["ordinals_ok"] and signals["numbers_ok"] and signals["entities_known"]
        evidence = set(item.evidence)
        rows.append(QuestionRows(item, [c.features.vector() for c in ranked],
                                 [int(c.unit.unit_id in evidence) for c in ranked], gates_ok))
    return rows


def fit(rows: list[QuestionRows]):
    """Logistic regression on standardised features (so that the penalty treats a narrow feature such as
    the cosine similarity like a wide one); `raw_weights` turns it back into weights on the raw features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    vectors = [v for r in rows for v in r.vectors]
    labels = [label for r in rows for label in r.labels]
    return make_pipeline(StandardScaler(), LogisticRegression(C=REGULARISATION_C, max_iter=5000)).fit(vectors, labels)


def raw_weights(model) -> tuple[list[float], float]:
    """The pipeline's weights and intercept on unscaled features: w/σ and b − Σ w·μ/σ."""
    scaler, regression = model[0], model[-1]
    scale = [s if s else 1.0 for s in scaler.scale_]
    weights = [float(w / s) for w, s in zip(regression.coef_[0], scale, strict=True)]
    intercept = float(regression.intercept_[0] - sum(w * m for w, m in zip(weights, scaler.mean_, strict=True)))
    return weights, intercept


def held_out_best(rows: list[QuestionRows], k: int) -> list[tuple[QuestionRows, float, bool]]:
    """Per question: the best candidate's probability under a model that never saw its fold, and
    whether that candidate is evidence."""
    out = []
    for fold in range(k):
        train = [r for r in rows if _fold(r, k) != fold]
        model = fit(train)
        for r in (r for r in rows if _fold(r, k) == fold):
            if not r.vectors:
                out.append((r, 0.0, False))
                continue
            probabilities = model.predict_proba(r.vectors)[:, 1]
            best = int(probabilities.argmax())
            out.append((r, float(probabilities[best]), bool(r.labels[best])))
    return out


def _fold(rows: QuestionRows, k: int) -> int:
    return fold_of(Outcome(rows.gold, {}, []), k)


def choose_threshold(held: list[tuple[QuestionRows, float, bool]], min_precision: float) -> tuple[float, dict]:
    """The probability threshold with the best held-out accuracy among those whose abstention precision
    reaches `min_precision` (the best accuracy overall when none does)."""
    best_key, best = None, None
    for t in sorted({round(p, 4) for _, p, _ in held} | {0.0}):
        right, abstained, abstained_right = 0, 0, 0
        for r, p, top_ok in held:
            abstain = p < t or not r.gates_ok
            abstained += abstain
            abstained_right += abstain and not r.gold.answerable
            right += (not abstain and top_ok) if r.gold.answerable else abstain
        precision = abstained_right / abstained if abstained else 1.0
        key = (precision >= min_precision, right, -t)
        if best_key is None or key > best_key:
            best_key, best = key, (t, {"held_out_accuracy": round(right / len(held), 4),
                                       "held_out_abstention_precision": round(precision, 4)})
    return best


def train(engine, gold_path: Path | None = None, k: int = 5, min_abstention_precision: float = 0.9) -> LearnedScorer:
    gold_path = gold_path or set_path("dev")
    rows = collect_rows(engine, load_gold(gold_path))
    threshold, figures = choose_threshold(held_out_best(rows, k), min_abstention_precision)
    raw, intercept = raw_weights(fit(rows))
    weights = dict(zip(Features.names(), raw, strict=True))
    meta = {"trained_on": gold_path.name, "trained_on_sha256": hashlib.sha256(gold_path.read_bytes()).hexdigest(),
            "folds": k, "min_abstention_precision": min_abstention_precision, "regularisation_c": REGULARISATION_C,
            "candidates": sum(len(r.labels) for r in rows), "positives": sum(sum(r.labels) for r in rows), **figures}
    return LearnedScorer(weights, intercept, threshold, meta)
