"""Show why the answerer chose what it chose for some gold questions.

For each question: the retrieval rank of every evidence sentence, then the answerer's
top candidates with their score (the learned probability) and the feature record it was computed from
(features.py), evidence marked with *.

Usage: python eval/diagnose.py q018 q067 [--gold eval/dev.jsonl] [--top 10]

Read dev questions only: the test and growth sets are reported, never tuned on.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from coopbot.engine import Engine
from coopbot.evaluate import load_gold
from coopbot.features import Features


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("ids", nargs="+")
    parser.add_argument("--gold", type=Path, default=Path("eval/dev.jsonl"))
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    engine = Engine()
    gold = {g.id: g for g in load_gold(args.gold)}
    for qid in args.ids:
        item = gold[qid]
        text, lang = engine.validate(item.question)
        question = engine.parse(text, lang)
        retrieval = engine.retriever.search(question)
        evidence = set(item.evidence)
        ranks = [i + 1 for i, u in enumerate(retrieval.units) if u.unit_id in evidence]
        print(f"\n== {qid} ({lang}, kind {question.kind}, listed {question.listed!r}, counted {question.counted!r})")
        print(f"   {item.question}\n   expected {item.expected}; evidence ranks {ranks[:6]}")
        print(f"   words {sorted(question.words)} terms {[e.id for e in question.terms]}")
        answerer = engine.answerer
        ranked = answerer.rank(question, retrieval)
        for c in ranked[: args.top]:
            mark = "*" if c.unit.unit_id in evidence else " "
            line = c.lines.get(lang) or c.lines[c.origin.lang]
            parts = " ".join(f"{name} {value:.2f}" for name, value in zip(Features.names(), c.features.vector(),
                                                                          strict=True))
            print(f" {mark} {c.score:5.3f} {c.unit.unit_id}: {line.text[:100]}\n      {parts}")
        answer = answerer.answer(question, retrieval)
        print(f"   -> {answer.answer[:200]}")


if __name__ == "__main__":
    main()
