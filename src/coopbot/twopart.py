"""Answers to a question that asks for two things (`Question.parts`): each part's sentence, each cited,
and no more.

Each part is ranked over the one retrieval of the whole question, as a question of its own; the other
sources' markers and a list's companions are left out, since the asker wants the two facts, not all
that surrounds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .answer import Answer, Candidate, abstention_text
from .question import Question
from .strings import UNSTATED_PART

if TYPE_CHECKING:
    from .answer import ExtractiveAnswerer
    from .retrieve import Retrieval


def answer_in_parts(answerer: ExtractiveAnswerer, question: Question, retrieval: Retrieval,
                    signals: dict) -> Answer:
    """The best sentence of each part the sources support, quoted once when it states both parts; one
    line says which part they do not answer. Abstains only when they support neither part."""
    lang = question.lang
    found = [(part, _best(answerer, part, retrieval)) for part in question.parts]
    quoted: dict[str, tuple[Question, Candidate]] = {}
    for part, best in found:
        if best is not None:
            quoted.setdefault(best.unit.unit_id, (part, best))
    if not quoted:
        return Answer(question.text, lang, abstention_text(lang, signals["unknown_names"]), True, signals=signals)
    values = list(dict.fromkeys(v for part, best in found if best is not None
                                for v in answerer._shown_values(part, best)))
    citations = [answerer._cite(best, lang, n) for n, (_, best) in enumerate(quoted.values(), start=1)]
    sentences = " ".join(f"{answerer._text(best, lang, part, values)} [{n}]"
                         for n, (part, best) in enumerate(quoted.values(), start=1))
    unstated = [UNSTATED_PART[lang].format(part=part.text.strip(" ?")) for part, best in found if best is None]
    lead = f"**{', '.join(values)}**\n\n" if values else ""
    return Answer(question.text, lang, "\n\n".join([lead + sentences, *unstated]), False, citations,
                  signals=signals)


def _best(answerer: ExtractiveAnswerer, part: Question, retrieval: Retrieval) -> Candidate | None:
    """The part's best candidate, when the sources support answering the part on its own."""
    ranked = answerer.rank(part, retrieval)
    supported = bool(ranked) and answerer.supported(answerer.signals(part, retrieval, ranked))
    return ranked[0] if supported else None
