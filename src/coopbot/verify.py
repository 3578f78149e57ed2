"""Check a generated answer against the passages it cites, before anyone sees it.

The rules: every [n] names a passage that was given; every sentence carries at
least one [n]; every figure (number, year, date) and proper name in a sentence
appears in a passage that sentence cites. Comparison is on folded, lower-case text
with digit groups joined, so "1.000", "1 000" and "1000" meet, "Hà Nội" meets
"Ha Noi", and a French month name counts as its number ("14 avril 2023" meets
"14/4/2023"). A glossary entry named in a cited passage lends all its spellings
("Hô Chi Minh-Ville", "TP.HCM").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from . import language as languages
from .knowledge import Glossary, Knowledge
from .text import FR_STOPWORDS, VI_STOPWORDS, fold, nfc, normalize_numbers, split_sentences

MARKER = re.compile(r"\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
_LEADING_MARKERS = re.compile(r"^((?:\[\d+(?:\s*[,;–-]\s*\d+)*\]\s*[.!?…]?\s*)+)(.*)$", re.S)
ABBREVIATION = re.compile(r"(?:^|[\s(])(?:[A-ZĐ]|Mme|Mlle|Mgr|Dr|Pr|St|TS|PGS|GS|ThS|TP)\.$")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")
_TOKEN = re.compile(r"\w+")
_MONTH_NUMBERS = languages.month_numbers()
_MONTH = re.compile(r"\b(" + "|".join(_MONTH_NUMBERS) + r")\b")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str | None = None  # bad_citation | uncited_sentence | unsupported_figure | unsupported_name | empty_output
    detail: str = ""
    cited: tuple[int, ...] = ()  # passage numbers, in order of first appearance


@dataclass(frozen=True)
class Support:
    """What one passage allows an answer to state."""

    figures: frozenset[str]
    words: frozenset[str]


def comparable(text: str, months: bool = True) -> str:
    """Folded, lower-case, digit groups joined, French months as numbers (unless `months` is false:
    folded Vietnamese has "mai" in "thương mại")."""
    folded = normalize_numbers(fold(nfc(text))).lower()
    return _MONTH.sub(lambda m: f" {_MONTH_NUMBERS[m.group(1)]} ", folded) if months else folded


def figures(text: str, months: bool = True) -> set[str]:
    """Numbers as values: "04" and "4" meet, "1,5" and "1.5" meet."""
    out = set()
    for raw in _FIGURE.findall(comparable(MARKER.sub(" ", text), months)):
        whole, _, fraction = raw.replace(",", ".").partition(".")
        out.add((whole.lstrip("0") or "0") + (f".{fraction}" if fraction else ""))
    return out


def cited_numbers(text: str) -> list[int]:
    return [int(n) for group in MARKER.findall(text) for n in re.findall(r"\d+", group)]


def answer_sentences(answer: str) -> list[str]:
    """Sentences of a Markdown answer; markers right after a full stop belong to the sentence before,
    and "M. Dardelet" or "TP. Hồ Chí Minh" is not two sentences."""
    sentences: list[str] = []
    for line in answer.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        pieces: list[str] = []
        for piece in split_sentences(line):
            if pieces and ABBREVIATION.search(pieces[-1]):
                pieces[-1] = f"{pieces[-1]} {piece}"
            else:
                pieces.append(piece)
        for sentence in pieces:
            leading = _LEADING_MARKERS.match(sentence)
            if sentences and leading:
                sentences[-1] = f"{sentences[-1]} {leading.group(1).strip()}"
                sentence = leading.group(2).strip()
            if sentence:
                sentences.append(sentence)
    return sentences


def names(sentence: str, common_words: frozenset[str]) -> list[str]:
    """Capitalised words; the first word of the sentence only when it is not a common word."""
    tokens = [t for t in _TOKEN.findall(nfc(MARKER.sub(" ", sentence))) if not t.isdigit()]
    found = [t for i, t in enumerate(tokens) if t[:1].isupper() and (i or comparable(t) not in common_words)]
    return found


def common_words(texts: Iterable[str]) -> frozenset[str]:
    """Stopwords and every word the texts write in lower case: a sentence may start with them."""
    common = {comparable(w) for w in VI_STOPWORDS | FR_STOPWORDS}
    for text in texts:
        common.update(comparable(t) for t in _TOKEN.findall(text) if t[:1].islower())
    return frozenset(common)


class Verifier:
    """Checks answers against numbered passages; built once per knowledge base.

    What a passage supports is cached by its text: passages are knowledge units, few and
    asked about again and again."""

    def __init__(self, glossary: Glossary, common_words: frozenset[str], cache_size: int = 4096) -> None:
        self.glossary = glossary
        self.common_words = common_words
        self.support = lru_cache(maxsize=cache_size)(self._support)
        self.lent_words = lru_cache(maxsize=cache_size)(self._lent_words)

    @classmethod
    def for_knowledge(cls, knowledge: Knowledge, cache_size: int = 4096) -> Verifier:
        texts = (line.text for article in knowledge.articles.values() for line in article.lines)
        return cls(knowledge.glossary, common_words(texts), cache_size)

    @staticmethod
    def _support(passage: str) -> Support:
        return Support(frozenset(figures(passage)), frozenset(_TOKEN.findall(comparable(passage))))

    def _lent_words(self, passage: str) -> frozenset[str]:
        """Every spelling of the glossary entries the passage names (looked up only when needed)."""
        return frozenset(word for entry in self.glossary.find(passage) for form in entry.forms
                         for word in _TOKEN.findall(comparable(form)))

    def check(self, answer: str, passages: Mapping[int, str]) -> Verdict:
        sentences = answer_sentences(answer)
        if not sentences:
            return Verdict(False, "empty_output")
        cited: list[int] = []
        for sentence in sentences:
            numbers = cited_numbers(sentence)
            unknown = [n for n in numbers if n not in passages]
            if unknown:
                return Verdict(False, "bad_citation", f"[{unknown[0]}] in: {sentence}")
            if not numbers:
                return Verdict(False, "uncited_sentence", sentence)
            cited.extend(n for n in dict.fromkeys(numbers) if n not in cited)
            failure = self.unsupported(sentence, [passages[n] for n in dict.fromkeys(numbers)])
            if failure is not None:
                return failure
        return Verdict(True, cited=tuple(cited))

    def unsupported(self, sentence: str, texts: list[str]) -> Verdict | None:
        """Why the texts do not support the sentence's figures and names (None when they do)."""
        supports = [self.support(text) for text in texts]
        stated_figures = set().union(*(s.figures for s in supports))
        missing = sorted(figures(sentence) - stated_figures)
        if missing:
            return Verdict(False, "unsupported_figure", f"{missing[0]} in: {sentence}")
        stated_words = set().union(*(s.words for s in supports))
        lent: set[str] | None = None
        for name in names(sentence, self.common_words):
            parts = set(_TOKEN.findall(comparable(name)))
            if parts <= stated_words:
                continue
            if lent is None:
                lent = set().union(*(self.lent_words(text) for text in texts))
            if not parts <= stated_words | lent:
                return Verdict(False, "unsupported_name", f"{name} in: {sentence}")
        return None
