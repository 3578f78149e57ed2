"""`coopbot train`: fit the learned scorer (features.py) on the dev set, deterministically.

Rows are the answerer's candidates for every dev question (the fused top TOP_K units), labelled 1
when the unit is one of the question's evidence sentences; unanswerable questions give only
negatives.  Dev questions are also asked of copies of the knowledge in which the articles they are
about exist in the other language only (the rest bilingual), so that the model learns what a passage
in the language the asker did not use looks like among translated ones (a document added
untranslated), from dev alone; and devgrowth's trained questions (not its validation part) are asked of the knowledge
grown by their own documents (added in one language, as `coopbot add` adds them), their rows weighed `DEVGROWTH_WEIGHT`.
A logistic regression (scikit-learn, a development dependency: the engine itself only reads the weights) is fitted by grouped k-fold (a vi/fr pair stays in one fold) to get held-out
probabilities, from which the abstention threshold is chosen on the questions asked of the whole
knowledge: the best held-out accuracy whose abstention precision is at least `min_abstention_precision`;
and, accuracy first (see `choose_threshold`), on the questions asked of one-language copies, the
threshold for a best passage that the knowledge has only in the other language (`threshold_cross`).  The final model is fitted on all of
dev (and devgrowth) and written with its held-out figures.  Never train on the test or growth set.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from .config import Settings
from .crossval import MIN_ABSTENTION_PRECISION, fold_of
from .evalsets import Gold, load_gold, set_path, workspace
from .evaluate import Outcome
from .features import Features, LearnedScorer

# scikit-learn's default penalty, kept in the model file. At 14,820 standardised rows it hardly acts: C = 3 moved no
# weight by more than 0.3 % and no held-out figure at all
REGULARISATION_C = 1.0
# how much a devgrowth question's rows weigh in the fit against a dev question's: its 72 trained questions about
# documents added in one language stand beside 916 about the bundled articles (grouped 5-fold, held out: weight 3 beats 1
# and 6 on devgrowth's cross-language questions and leaves dev's no worse)
DEVGROWTH_WEIGHT = 3.0


@dataclass
class QuestionRows:
    gold: Gold
    vectors: list[tuple[float, ...]]
    labels: list[int]
    gates_ok: bool
    cross: bool = False  # asked of the knowledge in the other language only
    grown: bool = False  # a devgrowth question, asked of the knowledge grown by devgrowth's documents

    @property
    def weight(self) -> float:
        return DEVGROWTH_WEIGHT if self.grown else 1.0


def collect_rows(engine, gold: list[Gold]) -> list[QuestionRows]:
    """The candidates' features and labels for each question, and its abstention gates. Neither reads the
    shipped scorer (the candidates are left unscored, the gates read the whole candidate set, not its
    ranking), so that retraining does not depend on the model it replaces."""
    rows = []
    for item in gold:
        question, retrieval = engine.retrieve(item.question)
        candidates = engine.answerer.candidates(question, retrieval.units[: engine.settings.top_k])
        gates = engine.answerer.gates(question, candidates)
        evidence = set(item.evidence)
        rows.append(QuestionRows(item, [c.features.vector() for c in candidates],
                                 [int(c.unit.unit_id in evidence) for c in candidates],
                                 gates["ordinals_ok"] and gates["entities_known"]))
    return rows


# Articles reduced to one language together, the others staying bilingual: an added, untranslated document
# among translated ones, as growth brings them.  Every article is in one group.
REDUCED_GROUPS = 3


@contextmanager
def reduced_knowledge(settings: Settings, keep: str, origins: set[str]) -> Iterator[Settings]:
    """A temporary copy of the knowledge in which the articles `origins` exist in `keep` only (as
    originals), the others in both languages, indexed."""
    import frontmatter

    from .index import build_index
    from .knowledge import knowledge_files

    with tempfile.TemporaryDirectory(prefix=f"coopbot-train-{keep}-") as tmp:
        knowledge_dir = Path(tmp) / "knowledge"
        knowledge_dir.mkdir()
        bilingual, one_language = [], []
        for path in knowledge_files(settings.knowledge_dir):
            post = frontmatter.load(str(path))
            origin = post.metadata.get("translation_of") or post.metadata.get("id")
            if origin in origins:
                if post.metadata.get("lang") != keep:
                    continue
                post.metadata.pop("translation_of", None)
                one_language.append(post.content)
            else:
                bilingual.append(post.content)
            (knowledge_dir / path.name).write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")
        write_glossary_without_new_names(settings.knowledge_dir / "glossary.yaml", one_language, bilingual,
                                         knowledge_dir / "glossary.yaml")
        reduced = replace(settings, knowledge_dir=knowledge_dir, data_dir=Path(tmp) / "data", chroma_url="")
        build_index(reduced, progress=False)
        yield reduced


# glossary kinds a curated glossary holds whatever the document (general words), unlike the names of an
# article's places, people, institutions, events and themes
GENERAL_GLOSSARY_KINDS = frozenset({"concept", "country"})


def write_glossary_without_new_names(source: Path, new: list[str], known: list[str], target: Path) -> None:
    """The glossary less the names that only the `new` texts mention (`GENERAL_GLOSSARY_KINDS` aside, which a
    glossary holds whatever the document): a document added next month brings names the glossary does not
    know yet, so a copy's one-language articles must not be read through entries curated from them."""
    import yaml

    from .knowledge import parse_glossary

    glossary, _ = parse_glossary(source)
    named = {entry.id: entry.kind for text in new for entry in glossary.find(text)}
    named_before = {entry.id for text in known for entry in glossary.find(text)}
    dropped = {id_ for id_, kind in named.items() if kind not in GENERAL_GLOSSARY_KINDS and id_ not in named_before}
    raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    raw["entries"] = [entry for entry in raw["entries"] if entry["id"] not in dropped]
    target.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")


def cross_language_rows(settings: Settings, gold: list[Gold]) -> list[QuestionRows]:
    """Rows for the dev questions about articles that a copy of the knowledge holds in the other language
    only (evidence ids moved to that language's line-aligned file), the other articles staying bilingual."""
    from .engine import Engine
    from .knowledge import load_knowledge

    originals = sorted(a.id for a in load_knowledge(settings.knowledge_dir).originals())
    groups = [set(originals[i::REDUCED_GROUPS]) for i in range(REDUCED_GROUPS)]
    rows = []
    for keep, asked in (("vi", "fr"), ("fr", "vi")):
        for origins in groups:
            questions = [replace(g, evidence=[_moved(e, origins, keep) for e in g.evidence]) for g in gold
                         if g.lang == asked and (not g.answerable or set(g.sources) & origins)]
            with reduced_knowledge(settings, keep, origins) as reduced:
                engine = Engine(reduced, notify=lambda message: None)
                rows += [replace(r, cross=True) for r in collect_rows(engine, questions)]
    return rows


def devgrowth_rows(settings: Settings) -> list[QuestionRows]:
    """Rows for devgrowth's trained part, asked of the knowledge grown by its documents only (`evalsets.part_of`:
    the validation part's questions and documents stay unseen), added in one language, untranslated, as `coopbot
    add` adds them: a question in the language its documents are not written in is a cross-language row, like those
    of the one-language copies."""
    from .engine import Engine

    with workspace("devgrowth", settings, part="trained") as space:
        rows = collect_rows(Engine(space.settings, notify=lambda message: None), space.gold)
    return [replace(r, grown=True, cross=r.gold.answerable and r.gold.lang not in r.gold.source_langs) for r in rows]


def _moved(sentence_id: str, origins: set[str], keep: str) -> str:
    doc_id, n = sentence_id.rsplit(":", 1)
    return f"{doc_id.rsplit('.', 1)[0]}.{keep}:{n}" if doc_id in origins and keep != doc_id.rsplit(".", 1)[1] else sentence_id


def fit(rows: list[QuestionRows]):
    """Logistic regression on standardised features (so that the penalty treats a narrow feature such as
    the cosine similarity like a wide one); `raw_weights` turns it back into weights on the raw features."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    vectors = [v for r in rows for v in r.vectors]
    labels = [label for r in rows for label in r.labels]
    weights = [r.weight for r in rows for _ in r.labels]
    return make_pipeline(StandardScaler(), LogisticRegression(C=REGULARISATION_C, max_iter=5000)).fit(
        vectors, labels, standardscaler__sample_weight=weights, logisticregression__sample_weight=weights)


def raw_weights(model) -> tuple[list[float], float]:
    """The pipeline's weights and intercept on unscaled features: w/σ and b − Σ w·μ/σ."""
    scaler, regression = model[0], model[-1]
    scale = [s if s else 1.0 for s in scaler.scale_]
    weights = [float(w / s) for w, s in zip(regression.coef_[0], scale, strict=True)]
    intercept = float(regression.intercept_[0] - sum(w * m for w, m in zip(weights, scaler.mean_, strict=True)))
    return weights, intercept


def held_out_best(rows: list[QuestionRows], k: int, learn_cross: bool = True,
                  dropped: str | None = None) -> list[tuple[QuestionRows, float, bool]]:
    """Per question: the best candidate's probability under a model that never saw its fold (nor, unless
    `learn_cross`, any cross-language row; nor the feature `dropped`), and whether that candidate is evidence."""
    keep = [i for i, name in enumerate(Features.names()) if name != dropped]
    out = []
    for fold in range(k):
        train = [r for r in rows if _fold(r, k) != fold and (learn_cross or not r.cross)]
        model = fit([replace(r, vectors=[[v[i] for i in keep] for v in r.vectors]) for r in train])
        for r in (r for r in rows if _fold(r, k) == fold):
            if not r.vectors:
                out.append((r, 0.0, False))
                continue
            probabilities = model.predict_proba([[v[i] for i in keep] for v in r.vectors])[:, 1]
            best = max(range(len(r.vectors)), key=lambda i: (Features.may_answer(r.vectors[i]), probabilities[i]))
            out.append((r, float(probabilities[best]), bool(r.labels[best])))
    return out


def _fold(rows: QuestionRows, k: int) -> int:
    return fold_of(Outcome(rows.gold, {}, []), k)


def _abstains(rows: QuestionRows, probability: float, t: float) -> bool:
    return probability < t or not rows.gates_ok


def _right(rows: QuestionRows, probability: float, top_ok: bool, t: float) -> bool:
    """Right at threshold t: an answerable question answered from evidence, an unanswerable one abstained."""
    abstain = _abstains(rows, probability, t)
    return (not abstain and top_ok) if rows.gold.answerable else abstain


def choose_threshold(held: list[tuple[QuestionRows, float, bool]], min_precision: float,
                     precision_first: bool = True) -> tuple[float, dict]:
    """The probability threshold with the best held-out accuracy (correct abstentions count as right answers)
    among those whose abstention precision reaches `min_precision` (`precision_first`), or the most accurate
    with precision breaking ties. Compared by nested cross-validation on dev (the threshold chosen on four
    folds, scored on the fifth): for questions asked of the whole knowledge both give accuracy 0.780, and
    precision first abstains with precision 0.927 against 0.800; for the one-language copies precision first
    costs 2.6 points (0.650 against 0.676), so `train` chooses that threshold accuracy first."""
    best_key, best = None, None
    for t in sorted({round(p, 4) for _, p, _ in held} | {0.0}):
        right = sum(_right(r, p, ok, t) for r, p, ok in held)
        abstained = [r for r, p, _ in held if _abstains(r, p, t)]
        precision = sum(not r.gold.answerable for r in abstained) / len(abstained) if abstained else 1.0
        precise = precision >= min_precision
        key = (precise, right, -t) if precision_first else (right, precise, -t)
        if best_key is None or key > best_key:
            best_key, best = key, (t, {"held_out_accuracy": round(right / len(held), 4),
                                       "held_out_abstention_precision": round(precision, 4)})
    return best


def feature_ablation(rows: list[QuestionRows], k: int, learn_cross: bool, min_precision: float) -> list[dict]:
    """Each feature left out in turn, the model refitted per fold: held-out accuracy (threshold re-chosen the
    same way) on questions asked of the whole knowledge and of the one-language copies."""
    table = []
    for dropped in [None, *Features.names()]:
        held = held_out_best(rows, k, learn_cross, dropped)
        threshold, figures = choose_threshold([h for h in held if not h[0].cross], min_precision)
        cross = choose_threshold([h for h in held if h[0].cross], min_precision, precision_first=False)[1]
        table.append({"without": dropped or "(none)", "same_language": figures["held_out_accuracy"],
                      "cross_language": cross["held_out_accuracy"]})
    return table


def _split_accuracy(held: list[tuple[QuestionRows, float, bool]], t: float, t_cross: float) -> dict:
    """Held-out accuracy, each question at the threshold of its kind, apart for dev's questions asked of the
    whole knowledge and of a one-language copy, and devgrowth's asked in their documents' language and not."""
    out = {}
    for name, grown, cross in (("held_out_same_language", False, False), ("held_out_cross_language", False, True),
                               ("held_out_devgrowth_same_language", True, False),
                               ("held_out_devgrowth_cross_language", True, True)):
        part = [(r, p, ok) for r, p, ok in held if r.cross == cross and r.grown == grown]
        if part:
            out[name] = round(sum(_right(r, p, ok, t_cross if cross else t) for r, p, ok in part) / len(part), 4)
    return out


def train(engine, gold_path: Path | None = None, k: int = 5,
          min_abstention_precision: float = MIN_ABSTENTION_PRECISION, learn_cross: bool = True,
          grown: bool = True) -> LearnedScorer:
    """The scorer fitted on dev (and, when `grown`, devgrowth), with its held-out figures."""
    gold_path = gold_path or set_path("dev")
    gold = load_gold(gold_path)
    rows = collect_rows(engine, gold) + cross_language_rows(engine.settings, gold)
    if grown:
        rows += devgrowth_rows(engine.settings)
    held = held_out_best(rows, k, learn_cross)
    threshold, figures = choose_threshold([h for h in held if not h[0].cross], min_abstention_precision)
    threshold_cross, cross_figures = choose_threshold([h for h in held if h[0].cross], min_abstention_precision,
                                                      precision_first=False)
    figures.update(_split_accuracy(held, threshold, threshold_cross))
    figures.update({"threshold_cross": threshold_cross,
                    "held_out_cross_abstention_precision": cross_figures["held_out_abstention_precision"]})
    raw, intercept = raw_weights(fit([r for r in rows if learn_cross or not r.cross]))
    figures["feature_ablation"] = feature_ablation(rows, k, learn_cross, min_abstention_precision)
    weights = dict(zip(Features.names(), raw, strict=True))
    if grown:
        figures["also_trained_on_sha256"] = hashlib.sha256(set_path("devgrowth").read_bytes()).hexdigest()
    meta = {"trained_on": gold_path.name, "trained_on_sha256": hashlib.sha256(gold_path.read_bytes()).hexdigest(),
            "folds": k, "min_abstention_precision": min_abstention_precision, "learn_cross": learn_cross, "regularisation_c": REGULARISATION_C,
            "candidates": sum(len(r.labels) for r in rows), "positives": sum(sum(r.labels) for r in rows), **figures}
    return LearnedScorer(weights, intercept, threshold, meta)
