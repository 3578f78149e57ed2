"""Which editions of the Assises a text names: "lần thứ 12", "12e", "douzièmes Assises", "lần đầu
tiên" (the first). The answerer compares a question's editions with its candidates' (a sentence about
another edition cannot answer), so a knowledge sentence's ordinals are read once and remembered."""

from __future__ import annotations

from functools import lru_cache

from . import language as languages
from .config import Settings
from .text import nfc


def ordinals(text: str) -> frozenset[int]:
    """Ordinals named in a knowledge text (see `find_ordinals`), remembered: the answerer asks this of
    the same candidate sentences many times per question (a question's own text goes to `find_ordinals`)."""
    return _ordinals(text)


def size_ordinals_cache(size: int) -> None:
    """Bound what `ordinals` remembers (least recently used texts go first)."""
    global _ordinals
    if _ordinals.cache_parameters()["maxsize"] != size:
        _ordinals = lru_cache(maxsize=size)(find_ordinals)


def ordinals_cache_fill() -> int:
    return _ordinals.cache_info().currsize


def find_ordinals(text: str) -> frozenset[int]:
    """Ordinals named in a text: "lần thứ 12", "12e", "douzièmes Assises", "lần đầu tiên" (1). An ordinal
    word counts only before an event noun: "premier partenariat" names no edition."""
    words = nfc(text).lower()
    found = {int(next(g for g in m.groups() if g)) for pattern in languages.ordinal_patterns()
             for m in pattern.finditer(words)}
    found |= {value for pattern, value in languages.ordinal_word_patterns() if pattern.search(words)}
    if languages.first_edition().search(words):
        found.add(1)
    return frozenset(found)


_ordinals = lru_cache(maxsize=Settings.ordinals_cache_size)(find_ordinals)
