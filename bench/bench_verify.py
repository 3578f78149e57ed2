"""Speed of verifying a generated answer (prints figures; no pass/fail).

Answers are built from real knowledge units: six numbered passages, as the model sees them,
and an answer that restates two of them with their markers (the usual shape). Measures
`Verifier.check` alone, and the whole `settle` step (evidence text, check, citations).

Usage: python bench/bench_verify.py [--answers 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from coopbot.answer import ExtractiveAnswerer
from coopbot.candidates import unit_text
from coopbot.compose import Answer
from coopbot.config import Settings
from coopbot.generate import Generator, number_passages
from coopbot.knowledge import load_knowledge
from coopbot.question import analyse_question
from coopbot.verify import Verifier

PASSAGES = 6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    settings = Settings.from_env()
    knowledge = load_knowledge(settings.knowledge_dir)
    started = time.perf_counter()
    verifier = Verifier.for_knowledge(knowledge)
    print(f"Verifier.for_knowledge: {(time.perf_counter() - started) * 1000:.1f} ms (once per engine)")
    units = [unit_text(knowledge, knowledge.unit_id(line.id), line.id)
             for article in knowledge.originals() for line in article.lines]
    rng = random.Random(7)
    cases = []
    for _ in range(args.answers):
        passages = number_passages(rng.sample(units, PASSAGES), PASSAGES)
        lang = rng.choice(["vi", "fr"])
        chosen = [p for p in passages if lang in p.unit.lines][:2]
        text = " ".join(f"{p.unit.lines[lang].text} [{p.n}]" for p in chosen)
        cases.append((lang, text, passages))
    answerer = ExtractiveAnswerer(knowledge, settings)
    generator = Generator(GenericFakeChatModel(messages=iter([])), answerer, verifier, settings)  # never called
    questions = {lang: analyse_question("?", lang, knowledge.glossary) for lang in ("vi", "fr")}
    check_us, settle_us, passed = [], [], 0
    for _ in range(args.rounds):
        started = time.perf_counter()
        for _, text, passages in cases:
            passed += verifier.check(text, {p.n: p.evidence() for p in passages}).ok
        check_us.append((time.perf_counter() - started) / len(cases) * 1e6)
        started = time.perf_counter()
        for lang, text, passages in cases:
            generator.settle(text, questions[lang], passages, Answer("?", lang, "", True))
        settle_us.append((time.perf_counter() - started) / len(cases) * 1e6)
    print(f"{len(cases)} answers × {args.rounds} rounds, {passed / args.rounds / len(cases):.0%} verified")
    print(f"Verifier.check: first round (passages not yet cached) {check_us[0]:.0f} µs per answer; "
          f"later rounds median {statistics.median(check_us[1:]):.0f} µs")
    print(f"settle (evidence text + check + citations), cached passages: median "
          f"{statistics.median(settle_us):.0f} µs per answer")


if __name__ == "__main__":
    main()
