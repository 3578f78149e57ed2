"""Calibrate the answerer's weights and thresholds on the gold set (prints a table).

Retrieval is run once per question; only the answer step is replayed for each setting,
so a grid of a few hundred settings takes seconds.  Pick the best *overall* setting and
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

GRID = {
    "abstain_min_dense": [0.82, 0.83, 0.84],
    "abstain_min_coverage": [0.4, 0.5, 0.6],
    "absent_word_share": [0.02, 0.05, 0.1],
    "weight_type": [1.0, 1.5],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", type=Path, default=Path("eval/gold.jsonl"))
    args = parser.parse_args()
    engine = Engine()
    gold = load_gold(args.gold)
    prepared = []
    for item in gold:
        text, lang = engine.validate(item.question)
        question = analyse_question(text, lang, engine.knowledge.glossary)
        prepared.append((item, question, engine.retriever.search(text, lang)))
    results = []
    keys = list(GRID)
    for values in itertools.product(*GRID.values()):
        settings = replace(engine.settings, **dict(zip(keys, values, strict=True)))
        answerer = ExtractiveAnswerer(engine.knowledge, settings, engine.index)
        answerer._texts = engine.answerer._texts
        outcomes = [score(item, answerer.answer(q, r).to_dict(), []) for item, q, r in prepared]
        answerable = [o for o in outcomes if o.gold.answerable]
        unanswerable = [o for o in outcomes if not o.gold.answerable]
        acc = sum(o.correct for o in outcomes) / len(outcomes)
        results.append((acc, sum(o.correct for o in answerable) / len(answerable),
                        sum(o.correct for o in unanswerable) / len(unanswerable), values))
    results.sort(reverse=True)
    print("accuracy answerable abstention  " + " ".join(keys))
    for acc, ans, abst, values in results[:15]:
        print(f"{acc:.3f}    {ans:.3f}      {abst:.3f}       {values}")


if __name__ == "__main__":
    main()
