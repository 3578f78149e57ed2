"""Named features of an answer candidate, and the learned scorer that combines them.

Every candidate (a retrieved unit the answerer considers) gets one `Features` record, computed once;
the scorer is a logistic regression over that record, fitted on the dev set by `coopbot train`
(train.py) and shipped as `scorer.json` beside this module.  Its output is the probability that the
candidate states the answer; the best candidate's probability decides abstention.  No weight here
is typed by hand: `coopbot train` writes them all, and eval/report.md shows them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

SCORER_PATH = Path(__file__).with_name("scorer.json")
SCORER_VERSION = 10


@dataclass(frozen=True)
class Features:
    """What is known of one candidate, each in [0, 1] or {-1, 0, 1}; the names are the model's."""

    dense: float  # cosine similarity to the question, averaged over its readings (its language versions, or
    # a one-language sentence alone and after its article's title)
    dense_gap: float  # how far its best version's similarity is below the best candidate's of its kind
    coverage: float  # rarity-weighted share of the question's words and glossary terms it states
    entities: float  # share of the question's glossary entities (by id, any language) it names
    type_match: float  # it holds the kind of value asked (number, date, place, person, list)
    edition: float  # +1 names the edition asked, -1 names only others, 0 no edition asked
    counted: float  # a figure right before the noun a "how many" question counts
    listed: float  # an enumeration opened by the noun a "which Xs" question lists
    weak: float  # a title, subheading or caption
    cross: float  # the knowledge has it only in the other language (an added, untranslated document)
    glossed: float  # such a passage: how much closer it is to the question with its linked words translated
    source: float  # +1 its article is the one the question names (outlet or year), -1 another is, 0 none (sources.py)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def vector(self) -> tuple[float, ...]:
        return astuple(self)

    @classmethod
    def may_answer(cls, vector: Sequence[float]) -> bool:
        """Whether a candidate (by its `vector`) can be the answer, however well it scores: not when it
        names only another edition than the one asked, nor when it is a title or caption without the
        kind of value asked (it names the topic, it states nothing about it)."""
        values = dict(zip(cls.names(), vector, strict=True))
        return values["edition"] >= 0 and not (values["weak"] and not values["type_match"])


@dataclass(frozen=True)
class LearnedScorer:
    """A logistic regression over `Features`, with the abstention threshold chosen by cross-validation."""

    weights: dict[str, float]
    intercept: float
    threshold: float
    meta: dict

    def threshold_for(self, features: Features) -> float:
        """The abstention threshold for a best candidate: its own for a passage in the other language only."""
        return self.meta.get("threshold_cross", self.threshold) if features.cross else self.threshold

    def probability(self, features: Features) -> float:
        z = self.intercept + sum(self.weights[name] * value
                                 for name, value in zip(Features.names(), features.vector(), strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def load(cls, path: Path = SCORER_PATH) -> LearnedScorer:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != SCORER_VERSION or data.get("features") != Features.names():
            raise ValueError(f"{path} was trained for other features; run `coopbot train`")
        return cls(dict(zip(data["features"], data["weights"], strict=True)), data["intercept"], data["threshold"],
                   {k: v for k, v in data.items() if k not in ("weights", "intercept", "threshold")})

    def to_json(self) -> str:
        data = {"version": SCORER_VERSION, "features": Features.names(),
                "weights": [round(self.weights[n], 6) for n in Features.names()],
                "intercept": round(self.intercept, 6), "threshold": round(self.threshold, 4), **self.meta}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
