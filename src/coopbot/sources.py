"""Which articles a question names as its source.

A briefing writer asks "D'après l'article de 2010, combien de collectivités…" or "bài của Sở Ngoại vụ
TP.HCM nói về hội nghị lần thứ mấy?": the figure asked for is the one that article gives, not the one a
later article gives for "today". A question names an article by its outlet (any of the names its front
matter's `outlet` gives, in any of its language versions) or by its publication year. The answer step
reads this as one feature among others (`Features.source`); the scorer learns how much it weighs. A document
added without a publication date (`coopbot add` dates it the day it adds it) is named by no year, and may be the
article a year names: its feature is 0, not -1 (held-out, refitted: all 0.7957 -> 0.7981, dev same-language
0.818 -> 0.820, copies 0.727 -> 0.726, abstention precision 0.946; naming by outlet only, measured again: the same
accuracies, abstention precision 0.930).

Outlet names are matched on folded words, on word boundaries, so a question typed without marks finds
them. A name of several words is found by its opening words (at least two, at least half of them:
"Sở Ngoại vụ" for "Sở Ngoại vụ TP.HCM", "service des affaires étrangères de" for "Service des affaires
étrangères de Hô Chi Minh-Ville"), so "người dân Hà Nội" does not name the magazine "Người Hà Nội". A
one-word name ("BNEWS", "Vietnam+") counts only when no other article's line uses that word: "Vietnam"
alone names no outlet.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from .knowledge import Knowledge
from .question import numbers, padded_words

_NAME_PARTS = re.compile(r"[(),;]")
_YEAR = re.compile(r"^(19|20)\d\d$")


def source_words(text: str) -> str:
    """Folded lower-case words, padded (`question.padded_words`), "+" kept: "Vietnam+" is not "Vietnam"."""
    return padded_words(text, kept="+")


def name_opening(name: str) -> str:
    """The opening words by which a name of several words is found (padded), or the single word."""
    words = source_words(name).split()
    return " " + " ".join(words[: max(2, math.ceil(len(words) / 2))]) + " " if words else ""


@dataclass(frozen=True)
class SourceNames:
    openings: dict[str, frozenset[str]]  # padded opening words of an outlet name → origin article ids
    years: dict[str, frozenset[str]]  # publication year → origin article ids
    undated: frozenset[str] = frozenset()  # origin ids of the articles whose publication date is unknown

    @classmethod
    def of(cls, knowledge: Knowledge) -> SourceNames:
        openings: dict[str, set[str]] = defaultdict(set)
        years: dict[str, set[str]] = defaultdict(set)
        lines_by_origin: dict[str, list[str]] = defaultdict(list)
        undated = set()
        for article in knowledge.articles.values():
            if article.publication_date_known:
                years[article.date[:4]].add(article.origin_id)
            else:
                undated.add(article.origin_id)
            lines_by_origin[article.origin_id] += [source_words(line.text) for line in article.lines]
            for name in _NAME_PARTS.split(article.outlet):
                opening = name_opening(name)
                if opening.strip():
                    openings[opening].add(article.origin_id)
        kept = {opening: frozenset(origins) for opening, origins in openings.items()
                if len(opening.split()) > 1 or not _used_elsewhere(opening, origins, lines_by_origin)}
        return cls(kept, {year: frozenset(origins) for year, origins in years.items()}, frozenset(undated))

    def named(self, question: str) -> frozenset[str]:
        """The origin ids of the articles the question names by outlet or publication year."""
        words = source_words(question)
        found = {origin for opening, origins in self.openings.items() if opening in words for origin in origins}
        found |= {origin for year in self.asked_years(question) for origin in self.years.get(year, ())}
        return frozenset(found)

    def unsure(self, question: str) -> frozenset[str]:
        """The articles that may be the one a question names by a year: those whose publication date is
        unknown (a document added without one is dated the day it was added)."""
        return self.undated if self.asked_years(question) else frozenset()

    @staticmethod
    def asked_years(question: str) -> set[str]:
        return {n for n in numbers(question) if _YEAR.match(n)}


def _used_elsewhere(opening: str, origins: set[str], lines_by_origin: dict[str, list[str]]) -> bool:
    return any(opening in line for origin, lines in lines_by_origin.items() if origin not in origins
               for line in lines)


def source_agreement(named: frozenset[str], origin_id: str, unsure: frozenset[str] = frozenset()) -> float:
    """+1 the question names this article, −1 it names others only, 0 it names none or this article may be the
    one it names (`unsure`: the year asked cannot be compared with an unknown publication date)."""
    if not named or (origin_id not in named and origin_id in unsure):
        return 0.0
    return 1.0 if origin_id in named else -1.0
