"""How rare each folded word and glossary term is across the knowledge's units.

The counts are taken once, when the index is built, and stored in the build
(`term_counts.json`), so that opening a large knowledge base does not re-read
every line; the answerer turns them into inverse-document-frequency weights.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .knowledge import Knowledge
from .text import folded_words

COUNTS_FILE = "term_counts.json"
MENTION = "mention:"  # counts of a glossary term named anywhere, nested names included
TERM = "term:"  # counts of a glossary term named on its own (the outermost match)


@dataclass(frozen=True)
class TermCounts:
    units: int
    counts: dict[str, int]  # folded word, "term:<glossary id>" or "mention:<glossary id>" → units stating it

    def mentioned(self) -> frozenset[str]:
        """The glossary entries the knowledge names somewhere."""
        return frozenset(key.removeprefix(MENTION) for key in self.counts if key.startswith(MENTION))

    def stated(self) -> frozenset[str]:
        """The glossary entries the knowledge names somewhere on their own, not only inside a longer one
        ("maire" is not said by "maire adjoint")."""
        return frozenset(key.removeprefix(TERM) for key in self.counts if key.startswith(TERM))


def count_terms(knowledge: Knowledge) -> TermCounts:
    """In how many units (a sentence and its translations) each folded word and glossary term occurs."""
    counts: dict[str, int] = {}
    units = 0
    for article in knowledge.originals():
        for line in article.lines:
            units += 1
            versions = [line] + [v for v in knowledge.versions(line.id).values() if v.doc_id != line.doc_id]
            seen = set()
            for version in versions:
                seen |= folded_words(version.text, knowledge.articles[version.doc_id].lang)
            joined = " ".join(v.text for v in versions)
            seen |= {f"{TERM}{e.id}" for e in knowledge.glossary.find_outermost(joined)}
            seen |= {f"{MENTION}{e.id}" for e in knowledge.glossary.find(joined)}
            for key in seen:
                counts[key] = counts.get(key, 0) + 1
    return TermCounts(units, counts)


def rarity_weights(term_counts: TermCounts, absent_share: float) -> dict[str, float]:
    """Inverse document frequency of every folded word and glossary term over the units.

    A word the knowledge never uses counts as if a share `absent_share` of units used it:
    paraphrases ("existent", "sujets") are absent too, so absence alone must not decide. A glossary
    term (a named place, body or event) the knowledge never mentions weighs the most: an answer that
    leaves out "Đà Nẵng" is about something else."""
    units = term_counts.units
    weights = {key: math.log((units + 1) / (count + 0.5)) for key, count in term_counts.counts.items()}
    weights["_absent"] = math.log((units + 1) / (0.5 + absent_share * units))
    weights["_absent_term"] = math.log((units + 1) / 0.5)
    return weights


def save_term_counts(term_counts: TermCounts, folder: Path) -> None:
    payload = {"units": term_counts.units, "counts": term_counts.counts}
    (folder / COUNTS_FILE).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def load_term_counts(folder: Path) -> TermCounts | None:
    """The counts stored in an index build, or None for a build made before they were stored."""
    try:
        payload = json.loads((folder / COUNTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return TermCounts(int(payload["units"]), {str(k): int(v) for k, v in payload["counts"].items()})
