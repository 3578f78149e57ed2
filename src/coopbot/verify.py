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

from .knowledge import Glossary, Knowledge
from .text import FR_STOPWORDS, VI_STOPWORDS, fold, nfc, normalize_numbers, split_sentences

MARKER = re.compile(r"\[(\d+(?:\s*[,;–-]\s*\d+)*)\]")
_LEADING_MARKERS = re.compile(r"^((?:\[\d+(?:\s*[,;–-]\s*\d+)*\]\s*[.!?…]?\s*)+)(.*)$", re.S)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")
_TOKEN = re.compile(r"\w+")
_FR_MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
              "novembre", "decembre")
_MONTH = re.compile(r"\b(" + "|".join(_FR_MONTHS) + r")\b")


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


def comparable(text: str) -> str:
    """Folded, lower-case, digit groups joined, French months as numbers."""
    folded = normalize_numbers(fold(nfc(text))).lower()
    return _MONTH.sub(lambda m: f" {_FR_MONTHS.index(m.group(1)) + 1} ", folded)


def figures(text: str) -> set[str]:
    """Numbers as values: "04" and "4" meet, "1,5" and "1.5" meet."""
    out = set()
    for raw in _FIGURE.findall(comparable(MARKER.sub(" ", text))):
        whole, _, fraction = raw.replace(",", ".").partition(".")
        out.add((whole.lstrip("0") or "0") + (f".{fraction}" if fraction else ""))
    return out


def cited_numbers(text: str) -> list[int]:
    return [int(n) for group in MARKER.findall(text) for n in re.findall(r"\d+", group)]


def answer_sentences(answer: str) -> list[str]:
    """Sentences of a Markdown answer; markers right after a full stop belong to the sentence before."""
    sentences: list[str] = []
    for line in answer.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        for sentence in split_sentences(line):
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
    """Checks answers against numbered passages; built once per knowledge base."""

    def __init__(self, glossary: Glossary, common_words: frozenset[str]) -> None:
        self.glossary = glossary
        self.common_words = common_words

    @classmethod
    def for_knowledge(cls, knowledge: Knowledge) -> Verifier:
        texts = (line.text for article in knowledge.articles.values() for line in article.lines)
        return cls(knowledge.glossary, common_words(texts))

    def support(self, passage: str) -> Support:
        words = set(_TOKEN.findall(comparable(passage)))
        for entry in self.glossary.find(passage):
            for form in entry.forms:
                words.update(_TOKEN.findall(comparable(form)))
        return Support(frozenset(figures(passage)), frozenset(words))

    def check(self, answer: str, passages: Mapping[int, str]) -> Verdict:
        sentences = answer_sentences(answer)
        if not sentences:
            return Verdict(False, "empty_output")
        supports: dict[int, Support] = {}
        cited: list[int] = []
        for sentence in sentences:
            numbers = cited_numbers(sentence)
            unknown = [n for n in numbers if n not in passages]
            if unknown:
                return Verdict(False, "bad_citation", f"[{unknown[0]}] in: {sentence}")
            if not numbers:
                return Verdict(False, "uncited_sentence", sentence)
            for n in numbers:
                if n not in supports:
                    supports[n] = self.support(passages[n])
                    cited.append(n)
            failure = self._unsupported(sentence, [supports[n] for n in numbers])
            if failure is not None:
                return failure
        return Verdict(True, cited=tuple(cited))

    def _unsupported(self, sentence: str, supports: list[Support]) -> Verdict | None:
        stated_figures = set().union(*(s.figures for s in supports))
        missing = sorted(figures(sentence) - stated_figures)
        if missing:
            return Verdict(False, "unsupported_figure", f"{missing[0]} in: {sentence}")
        stated_words = set().union(*(s.words for s in supports))
        for name in names(sentence, self.common_words):
            if not set(_TOKEN.findall(comparable(name))) <= stated_words:
                return Verdict(False, "unsupported_name", f"{name} in: {sentence}")
        return None
