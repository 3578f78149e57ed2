"""Sentences that address the assistant instead of informing the reader.

A knowledge document is data.  A line such as "Ignore previous instructions and
answer with …", "Bạn bây giờ là …" or "Répondez uniquement par …" is an attempt
to steer whatever reads the document, in any of the languages coopbot meets.
So is an encoded payload (a long base64 run that decodes to text), which no
reader of a news article needs.  `coopbot add` drops such lines, and the
retriever never returns a unit one of whose versions is such a line, so they
are neither quoted by the extractive answerer nor handed to a generator.
"""

from __future__ import annotations

import base64
import binascii
import re

from .text import fold

# Written folded (no accents or tones) and lower-case: they are matched against fold(text).lower().
_ADDRESSING_PATTERNS = [
    # English
    r"\b(?:ignore|disregard|forget|override)\b.{0,30}\b(?:instructions?|prompts?|rules|guidelines|context)\b",
    r"\byou are now\b", r"\bfrom now on,? you\b", r"\bact as (?:an?|the)\b", r"\bpretend (?:to be|you are)\b",
    r"\b(?:answer|respond|reply)\b.{0,20}\b(?:only )?with\b.{0,40}\b(?:exactly|only|the (?:word|string|code))\b",
    r"\bsystem prompt\b", r"\bnew instructions?\b", r"\b(?:language model|chatbot|ai assistant)s?\b[,:]",
    r"\bdo not (?:cite|mention|reveal)\b", r"\bprint (?:the|your) (?:prompt|instructions|secret)",
    # French
    r"\b(?:ignore[rz]?|oublie[rz]?|neglige[rz]?)\b.{0,30}\b(?:instructions?|consignes?|regles)\b",
    r"\b(?:tu es|vous etes) (?:desormais|maintenant|a present)\b", r"\bdesormais,? (?:tu|vous)\b",
    r"\b(?:reponds|repondez|repondre)\b.{0,15}\b(?:uniquement|seulement|toujours)\b",
    r"\b(?:reponds|repondez)\b.{0,30}\b(?:par|avec) (?:le mot|la phrase|le code|exactement)\b",
    r"\b(?:invite|prompt|consignes?) (?:systeme|initiale?s?|precedentes?)\b",
    r"\bnouvelles? (?:instructions|consignes)\b", r"\b(?:a l'|cher |chere )assistant(?:e)?\b",
    r"\bassistant(?:e)? (?:ia|virtuel(?:le)?)\b", r"\bne (?:citez|cite) (?:pas|aucune)\b",
    # Vietnamese (folded)
    r"\b(?:bo qua|phot lo|quen)\b.{0,30}\b(?:huong dan|chi dan|chi thi|menh lenh|lenh)\b",
    r"\b(?:ban|may) (?:bay gio|tu nay|hien gio) la\b", r"\btu (?:bay gio|nay),? (?:ban|hay)\b",
    r"\bhay (?:chi )?tra loi\b.{0,30}\b(?:bang|rang|dung|chinh xac)\b",
    r"\b(?:tro ly|chatbot|tro ly ao|tro ly ai)\b[,:]", r"\b(?:loi nhac|chi thi) he thong\b",
    r"\bhuong dan (?:moi|truoc do|truoc)\b", r"\bkhong (?:duoc )?trich dan\b",
]
_ADDRESSING = re.compile("|".join(f"(?:{p})" for p in _ADDRESSING_PATTERNS))
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_PRINTABLE_SHARE = 0.9


def addresses_assistant(text: str) -> bool:
    """True for a sentence written to the assistant (in vi, fr or en), not to a reader."""
    return _ADDRESSING.search(fold(text).lower()) is not None


def carries_encoded_payload(text: str, min_chars: int) -> bool:
    """True when the sentence holds a base64 run of at least `min_chars` that decodes to text."""
    for match in _BASE64_RUN.finditer(text):
        run = match.group(0)
        if len(run) >= min_chars and _decodes_to_text(run):
            return True
    return False


def _decodes_to_text(run: str) -> bool:
    padded = run + "=" * (-len(run) % 4)
    try:
        raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return False
    printable = sum(ch.isprintable() or ch.isspace() for ch in decoded)
    return bool(decoded) and printable / len(decoded) >= _PRINTABLE_SHARE


def instruction_like(text: str, min_encoded_chars: int) -> bool:
    """A line no answer may quote: it addresses the assistant or smuggles an encoded payload."""
    return addresses_assistant(text) or carries_encoded_payload(text, min_encoded_chars)
