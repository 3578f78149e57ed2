"""How often `coopbot add --translate`'s line check refuses a faithful translation.

The bundled knowledge's curated translations are faithful and line-aligned with their originals,
so every line the check refuses there is a false refusal.  Each pair is checked both ways (the
Vietnamese line as the source and the French line as its translation, and the reverse), as if the
pair's document were being added: the common words come from the rest of the knowledge, as an add
sees only the knowledge before it.

With --growth, also the second figure: the growth documents added to a copy of the knowledge with
the reference translations as the translator (as `coopbot eval --growth --translate` adds them), lines
translated and kept in the source language, and why.

Usage: python eval/translation_check.py [--knowledge knowledge] [--reasons 40] [--growth]
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from coopbot.config import Settings
from coopbot.evalsets import GROWTH_DOCS_DIR, GROWTH_TRANSLATIONS_DIR, reference_translator
from coopbot.ingest import add_documents
from coopbot.knowledge import Article, Knowledge, read_knowledge
from coopbot.reference_translator import load_reference_table
from coopbot.translate import LineCheck, LineChecker, glossary_texts


def curated_pairs(knowledge: Knowledge) -> Iterator[tuple[Article, Article]]:
    """(original, curated translation) for every translation a person wrote."""
    for article in knowledge.articles.values():
        if article.translation_kind == "curated":
            yield knowledge.articles[article.translation_of], article


def adding(knowledge: Knowledge, source: Article) -> LineChecker:
    """The line check as `coopbot add --translate` would run it on `source`: the knowledge before the add
    is the rest of the knowledge (without the source and its translation) and the glossary."""
    others = [*((a.lang, line.text) for a in knowledge.articles.values() if a.origin_id != source.origin_id
                for line in a.lines), *glossary_texts(knowledge.glossary)]
    checker = LineChecker.for_texts(knowledge.glossary, others, Settings())
    return checker.for_document([line.text for line in source.lines])


def check_direction(knowledge: Knowledge, source: Article, target: Article) -> list[tuple[str, LineCheck]]:
    """Each line of `target` checked as the translation of the same line of `source`."""
    document = adding(knowledge, source)
    return [(s.text, document.check(s.text, t.text, target.lang, s.n))
            for s, t in zip(source.lines, target.lines, strict=True)]


def growth_figure(knowledge_dir: Path, reasons: int) -> None:
    """The growth documents added with the reference translator to a copy of the knowledge."""
    table = load_reference_table(GROWTH_TRANSLATIONS_DIR)
    with tempfile.TemporaryDirectory(prefix="coopbot-translation-check-") as tmp:
        copy = Path(tmp) / "knowledge"
        shutil.copytree(knowledge_dir, copy)
        translator = reference_translator(table, Settings.from_env(knowledge_dir=copy))
        report = add_documents(sorted(GROWTH_DOCS_DIR.iterdir()), copy, translator=translator,
                               pdf_running_share=Settings.pdf_running_share)
    kept = [(document.source.name, check) for document in report.documents for check in document.untranslated]
    lines = sum(document.kept for document in report.documents if document.translation is not None)
    print(f"growth reference translations: {lines - len(kept)} lines translated, {len(kept)} kept")
    for name, check in kept[:reasons]:
        print(f"  {name}:{check.n}: {check.reason}")


def dropped_name_faults(knowledge: Knowledge, source: Article, target: Article) -> tuple[int, int]:
    """(faults, refused): each capitalised word inside a source line that its accepted translation keeps
    as it is (a name the translator had to keep), removed from the translation in turn."""
    document = adding(knowledge, source)
    faults = refused = 0
    for s, t in zip(source.lines, target.lines, strict=True):
        if not document.check(s.text, t.text, target.lang).ok:
            continue
        for name in sorted(set(re.findall(r"(?<=[\w,] )[A-ZÀ-ỸĐ][\w-]+", s.text))):
            pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
            if pattern.search(t.text):
                faults += 1
                refused += not document.check(s.text, pattern.sub("", t.text), target.lang).ok
    return faults, refused


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--knowledge", type=Path, default=Path("knowledge"))
    parser.add_argument("--reasons", type=int, default=40, help="refusals to list")
    parser.add_argument("--growth", action="store_true", help="also the growth documents' reference translations")
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
    faults = [dropped_name_faults(knowledge, s, t) for o, tr in curated_pairs(knowledge) for s, t in ((o, tr), (tr, o))]
    made, caught = sum(f for f, _ in faults), sum(r for _, r in faults)
    print(f"kept names dropped from the curated translations: {caught}/{made} refused ({caught / max(made, 1):.1%})")
    for direction in ("vi→fr", "fr→vi"):
        lines, bad = totals[direction], totals[f"{direction} refused"]
        print(f"{direction}: {bad}/{lines} faithful lines refused ({bad / max(lines, 1):.1%})")
    kinds = Counter(check.reason.split(" ", 1)[0] for _, _, check in refused)
    print("reasons:", ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))
    for sentence_id, text, check in refused[:args.reasons]:
        print(f"  {sentence_id}: {check.reason} | {text[:110]}")
    if args.growth:
        growth_figure(args.knowledge, args.reasons)


if __name__ == "__main__":
    main()
