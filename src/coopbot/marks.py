"""Diacritics: Unicode normalisation, folding (Vietnamese tones, French accents) and telling a text
typed without any mark (as on many phones) from one typed with them."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Remove diacritics (Vietnamese tones and French accents); đ becomes d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def typed_plain(text: str) -> bool:
    """Typed without any diacritic or accent (as on many phones)."""
    return fold(text) == text


def without_names(text: str) -> str:
    """The text minus capitalised words after the first: Vietnamese names ("Lê Hồng Sơn",
    "Hà Nội") inside a French question must not make it Vietnamese."""
    found = _WORD.findall(text)
    kept = [w for i, w in enumerate(found) if i == 0 or not w[:1].isupper()]
    return " ".join(kept)
