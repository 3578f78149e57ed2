"""Answers to a question that asks for two things (`Question.parts`): each part's sentence, each cited,
and no more.

Each part is ranked over the one retrieval of the whole question, as a question of its own; the other
sources' markers and a list's companions are left out, since the asker wants the two facts, not all
that surrounds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .candidates import Candidate, stated_values
from .compose import Answer, abstention_text
from .question import Question
from .strings import UNSTATED_PART

if TYPE_CHECKING:
    from .answer import ExtractiveAnswerer
    from .retrieve import Retrieval


def answer_in_parts(answerer: ExtractiveAnswerer, question: Question, retrieval: Retrieval,
                    signals: dict) -> Answer:
    """The best sentence of each part the sources support, quoted once when it answers both parts, after the
    sentence it refers back to ("Trong đó…", "La Région en finance…"); one line says which part they do not answer.
    Abstains only when they support neither part."""
    lang = question.lang
    found = _answers(answerer, question, retrieval)
    shown: dict[str, tuple[Question, Candidate]] = {}
    for part, best in found:
        if best is not None:
            before = answerer.antecedent(best)
            if before is not None:
                shown.setdefault(before.unit.unit_id, (part, before))
            shown.setdefault(best.unit.unit_id, (part, best))
    if not shown:
        return Answer(question.text, lang, abstention_text(lang, signals["unknown_names"], signals["unsaid_terms"]), True, signals=signals)
    values = list(dict.fromkeys(v for part, best in found if best is not None and lang in best.lines
                                for v in answerer.composer.shown_values(part, best)))
    citations = [answerer.composer.cite(best, lang, n) for n, (_, best) in enumerate(shown.values(), start=1)]
    sentences = " ".join(f"{answerer.composer.text(best, lang, part, values or None)} [{n}]"
                         for n, (part, best) in enumerate(shown.values(), start=1))
    unstated = [UNSTATED_PART[lang].format(part=part.text.strip(" ?")) for part, best in found if best is None]
    said = list(dict.fromkeys(v for part, best in found if best is not None and lang in best.lines
                              for v in answerer.composer.said_values(part, best, answerer.composer.shown_values(part, best))))
    lead = f"**{', '.join(said)}**\n\n" if said else ""
    return Answer(question.text, lang, "\n\n".join([lead + sentences, *unstated]), False, citations,
                  signals=signals)


def _answers(answerer: ExtractiveAnswerer, question: Question,
             retrieval: Retrieval) -> list[tuple[Question, Candidate | None]]:
    """Each part with the sentence that answers it (None when the sources do not support it): the part's best
    sentence, or its neighbour that states the value asked when it does not (`stating_neighbour`)."""
    found: list[tuple[Question, Candidate | None]] = []
    for part in question.parts:
        ranked = _supported_ranking(answerer, part, retrieval)
        if ranked:
            ranked = [answerer.stating_neighbour(part, ranked[0]) or ranked[0], *ranked[1:]]
        quoted = [best for _, best in found if best is not None]
        found.append((part, (_quoted_answer(answerer, part, ranked, quoted) or ranked[0]) if ranked else None))
    return found


def _supported_ranking(answerer: ExtractiveAnswerer, part: Question, retrieval: Retrieval) -> list[Candidate]:
    """The part's candidates, best first, when the sources support answering the part on its own (else none)."""
    ranked = answerer.rank(part, retrieval)
    return ranked if ranked and answerer.supported(answerer.signals(part, retrieval, ranked)) else []


def _quoted_answer(answerer: ExtractiveAnswerer, part: Question, ranked: list[Candidate],
                   quoted: list[Candidate]) -> Candidate | None:
    """A sentence already quoted for the other part that answers this one too: this part's best sentence, or
    another source's that gives the same figures or dates for it (the same fact, which is not quoted twice)."""
    best = ranked[0]
    values = stated_values(part, best)
    return next((candidate for candidate in quoted if candidate.unit.unit_id == best.unit.unit_id
                 or (values and stated_values(part, candidate) == values)), None)
