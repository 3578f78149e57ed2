"""How often `coopbot add --translate`'s line check refuses a faithful translation.

The bundled knowledge's curated translations are faithful and line-aligned with their originals,
so every line the check refuses there is a false refusal.  Each pair is checked both ways (the
Vietnamese line as the source and the French line as its translation, and the reverse), as if the
pair's document were being added: the common words come from the rest of the knowledge, as an add
sees only the knowledge before it.

Usage: python eval/translation_check.py [--knowledge knowledge] [--reasons 40]
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from coopbot.config import Settings
from coopbot.knowledge import Article, Knowledge, read_knowledge
from coopbot.translate import LineCheck, LineChecker


def curated_pairs(knowledge: Knowledge) -> Iterator[tuple[Article, Article]]:
    """(original, curated translation) for every translation a person wrote."""
    for article in knowledge.articles.values():
        if article.translation_kind == "curated":
            yield knowledge.articles[article.translation_of], article


def check_direction(knowledge: Knowledge, source: Article, target: Article) -> list[tuple[str, LineCheck]]:
    """Each line of `target` checked as the translation of the same line of `source`."""
    others = [line.text for a in knowledge.articles.values() if a.origin_id != source.origin_id for line in a.lines]
    checker = LineChecker.for_texts(knowledge.glossary, others, Settings.encoded_payload_min_chars)
    document = checker.for_document([line.text for line in source.lines])
    return [(s.text, document.check(s.text, t.text, target.lang, s.n))
            for s, t in zip(source.lines, target.lines, strict=True)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    parser.add_argument("--reasons", type=int, default=40, help="refusals to list")
    args = parser.parse_args()
    knowledge, _ = read_knowledge(args.knowledge)
    totals: Counter[str] = Counter()
    refused: list[tuple[str, str, LineCheck]] = []
    for original, translation in curated_pairs(knowledge):
        for source, target in ((original, translation), (translation, original)):
            direction = f"{source.lang}→{target.lang}"
            for text, check in check_direction(knowledge, source, target):
                totals[direction] += 1
                if not check.ok:
                    totals[f"{direction} refused"] += 1
                    refused.append((f"{source.id}:{check.n}", text, check))
    for direction in ("vi→fr", "fr→vi"):
        lines, bad = totals[direction], totals[f"{direction} refused"]
        print(f"{direction}: {bad}/{lines} faithful lines refused ({bad / max(lines, 1):.1%})")
    kinds = Counter(check.reason.split(" ", 1)[0] for _, _, check in refused)
    print("reasons:", ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))
    for sentence_id, text, check in refused[:args.reasons]:
        print(f"  {sentence_id}: {check.reason} | {text[:110]}")


if __name__ == "__main__":
    main()
