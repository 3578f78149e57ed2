"""coopbot: cited answers, in Vietnamese or French, on Vietnam–France decentralised cooperation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .compose import Answer
    from .engine import Engine

__all__ = ["ask", "default_engine"]
__version__ = "0.1.0"

_engine: Engine | None = None


def default_engine() -> Engine:
    """The process-wide engine, built on first use from COOPBOT_* settings."""
    global _engine
    if _engine is None:
        from .engine import Engine

        _engine = Engine()
    return _engine


def ask(question: str, lang: str | None = None) -> Answer:
    """Answer one question from the bundled knowledge base (see design.md for the contract)."""
    return default_engine().ask(question, lang)
