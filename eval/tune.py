"""Calibrate the answerer's weights and thresholds on the gold set (prints a table).

Retrieval is run once per question and retrieval setting; only the answer step is replayed for
each answer setting, so a grid of a few hundred settings takes a few minutes.  Pick the best *overall* setting and
copy it into src/coopbot/config.py — never a per-question rule.

Usage: python eval/tune.py [--gold eval/gold.jsonl]
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace
from pathlib import Path

from coopbot.answer import ExtractiveAnswerer
from coopbot.engine import Engine
from coopbot.evaluate import load_gold, score
from coopbot.question import analyse_question
from coopbot.retrieve import HybridRetriever

RETRIEVAL_GRID = {
    "rrf_k": [3],
    "weight_bm25": [0.5],
    "answer_rrf_k": [20],
}
ANSWER_GRID = {
    "weight_coverage": [2.5, 3.0],
    "weight_listed": [0.5, 1.0, 1.5],
    "weight_phrase_vi": [1.0],
    "section_share": [0.75, 1.0],
    "companion_min_score": [0.8, 0.85, 0.9],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", type=Path, default=Path("eval/gold.jsonl"))
    args = parser.parse_args()
    engine = Engine()
    gold = load_gold(args.gold)
    questions = []
    for item in gold:
        text, lang = engine.validate(item.question)
        questions.append((item, text, lang, analyse_question(text, lang, engine.knowledge.glossary)))
    results = []
    for retrieval_values in itertools.product(*RETRIEVAL_GRID.values()):
        retrieval_settings = replace(engine.settings, **dict(zip(RETRIEVAL_GRID, retrieval_values, strict=True)))
        retriever = HybridRetriever(index=engine.index, knowledge=engine.knowledge, settings=retrieval_settings)
        retriever._vectors = engine.retriever._vectors
        prepared = [(item, question, retriever.search(text, lang)) for item, text, lang, question in questions]
        for answer_values in itertools.product(*ANSWER_GRID.values()):
            settings = replace(retrieval_settings, **dict(zip(ANSWER_GRID, answer_values, strict=True)))
            results.append((*replay(engine, settings, prepared), retrieval_values + answer_values))
    results.sort(reverse=True)
    print("accuracy answerable abstention  " + " ".join([*RETRIEVAL_GRID, *ANSWER_GRID]))
    for acc, ans, abst, values in results[:25]:
        print(f"{acc:.3f}    {ans:.3f}      {abst:.3f}       {values}")


def replay(engine: Engine, settings, prepared: list) -> tuple[float, float, float]:
    """Accuracy overall, on answerable and on unanswerable questions, answering with `settings`."""
    answerer = ExtractiveAnswerer(engine.knowledge, settings, engine.index)
    answerer._texts = engine.answerer._texts
    outcomes = [score(item, answerer.answer(q, r).to_dict(), []) for item, q, r in prepared]
    answerable = [o for o in outcomes if o.gold.answerable]
    unanswerable = [o for o in outcomes if not o.gold.answerable]
    return (sum(o.correct for o in outcomes) / len(outcomes),
            sum(o.correct for o in answerable) / len(answerable),
            sum(o.correct for o in unanswerable) / len(unanswerable))


if __name__ == "__main__":
    main()
