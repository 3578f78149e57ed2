"""Synthetic knowledge folders for the scale benchmark, made from the bundled sentences.

Each synthetic article copies the paragraph shape of a bundled article, and each of its
sentence units (a Vietnamese line and its aligned French line) is a bundled unit, often
spliced with the tail clauses of another unit, whose glossary names (places, people,
institutions…) are swapped for others of the same kind and whose numbers are redrawn — the
same substitutions in both languages, so the pair stays aligned and the text realistic.
Every Vietnamese line of the folder is unique. The bundled articles and glossary are kept.

Usage: python bench/synthetic_corpus.py OUT_DIR --lines 10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coopbot.knowledge import Glossary, Knowledge, load_knowledge  # noqa: E402

SPLICE_SHARE = 0.6
MAX_TRIES = 200
TRIES_PER_BASE = 10
SWAPPED_KINDS = ("place", "person", "institution", "event", "theme")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")
_NUMBER = re.compile(r"\d+")
FIRST_DATE = dt.date(2005, 1, 1)
DATE_SPAN_DAYS = 20 * 365


@dataclass(frozen=True)
class Template:
    """A bundled article pair: its outlets, paragraph shape and aligned (vi, fr) sentences."""

    outlets: tuple[str, str]
    paragraphs: list[int]
    units: list[tuple[str, str]]


def templates(knowledge: Knowledge) -> list[Template]:
    found = []
    for original in knowledge.originals():
        pair = knowledge.translations(original.id)
        if {"vi", "fr"} <= pair.keys():
            vi, fr = pair["vi"], pair["fr"]
            found.append(Template((vi.outlet, fr.outlet), [line.paragraph for line in vi.lines],
                                  [(a.text, b.text) for a, b in zip(vi.lines, fr.lines, strict=True)]))
    return found


def name_pairs(glossary: Glossary) -> dict[str, list[tuple[str, str]]]:
    """Canonical (vi, fr) names of the glossary entries, by kind."""
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for entry in glossary.entries:
        if entry.kind in SWAPPED_KINDS:
            by_kind.setdefault(entry.kind, []).append((entry.vi[0], entry.fr[0]))
    return by_kind


def splice(head: str, tail: str, share: float) -> str:
    """The first clauses of `head` followed by the last clauses of `tail` (a share of each)."""
    heads, tails = _CLAUSE_END.split(head), _CLAUSE_END.split(tail)
    if len(heads) < 2 or len(tails) < 2:
        return head
    cut_head = max(1, round(share * (len(heads) - 1)))
    cut_tail = max(1, round(share * (len(tails) - 1)))
    return " ".join(heads[:cut_head] + tails[cut_tail:])


def swap_names(unit: tuple[str, str], names: dict[str, list[tuple[str, str]]], rng: random.Random) -> tuple[str, str]:
    """Replace each glossary name found in both languages by another name of the same kind."""
    vi, fr = unit
    for pairs in names.values():
        for name_vi, name_fr in pairs:
            if name_vi in vi and name_fr in fr:
                other_vi, other_fr = rng.choice(pairs)
                vi, fr = vi.replace(name_vi, other_vi), fr.replace(name_fr, other_fr)
    return vi, fr


def redraw_numbers(unit: tuple[str, str], rng: random.Random) -> tuple[str, str]:
    """Give every number a new value of the same width (years stay plausible years)."""
    mapping: dict[str, str] = {}
    for number in _NUMBER.findall(unit[0]):
        if number not in mapping:
            mapping[number] = _new_number(number, rng)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(mapping, key=len, reverse=True))) + r")\b") \
        if mapping else None
    if pattern is None:
        return unit
    return tuple(pattern.sub(lambda m: mapping[m.group(0)], text) for text in unit)  # type: ignore[return-value]


def _new_number(number: str, rng: random.Random) -> str:
    if len(number) == 4 and number[:2] in ("19", "20"):
        return str(rng.randint(1975, 2030))
    if len(number) <= 2:
        return str(rng.randint(1, 31 if int(number) <= 31 else 99))
    return str(rng.randint(10 ** (len(number) - 1), 10 ** len(number) - 1))


class UnitMaker:
    """Draws new, unique (vi, fr) units from the bundled ones."""

    def __init__(self, pool: list[tuple[str, str]], names: dict[str, list[tuple[str, str]]], seed: int) -> None:
        self.pool = pool
        self.names = names
        self.rng = random.Random(seed)
        self.seen: set[str] = set()

    def make(self, base: tuple[str, str]) -> tuple[str, str]:
        """A variant of `base`, or of other bundled units once `base` seems used up."""
        for attempt in range(MAX_TRIES):
            unit = self._variant(base if attempt < TRIES_PER_BASE else self.rng.choice(self.pool))
            if unit[0] not in self.seen:
                self.seen.add(unit[0])
                return unit
        raise RuntimeError(f"no unique variant of {base[0][:60]!r} after {MAX_TRIES} tries")

    def _variant(self, base: tuple[str, str]) -> tuple[str, str]:
        vi, fr = base
        if self.rng.random() < SPLICE_SHARE:
            other, share = self.rng.choice(self.pool), self.rng.random()
            vi, fr = splice(vi, other[0], share), splice(fr, other[1], share)
        return redraw_numbers(swap_names((vi, fr), self.names, self.rng), self.rng)


def article_text(meta: dict, paragraphs: list[int], lines: list[str]) -> str:
    body, previous = [], None
    for paragraph, line in zip(paragraphs, lines, strict=False):
        if previous is not None and paragraph != previous:
            body.append("")
        body.append(line)
        previous = paragraph
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{front}---\n\n" + "\n".join(body) + "\n"


def write_article_pair(out: Path, number: int, template: Template, units: list[tuple[str, str]],
                       rng: random.Random) -> None:
    date = (FIRST_DATE + dt.timedelta(days=rng.randrange(DATE_SPAN_DAYS))).isoformat()
    doc = f"synth-{number:06d}"
    for lang, column in (("vi", 0), ("fr", 1)):
        lines = [unit[column] for unit in units]
        meta = {"id": f"{doc}.{lang}", "title": lines[0], "outlet": template.outlets[column], "date": date,
                "lang": lang, "source_file": f"{doc}.txt"}
        if lang == "fr":
            meta["translation_of"] = f"{doc}.vi"
        (out / f"{doc}.{lang}.md").write_text(article_text(meta, template.paragraphs, lines), encoding="utf-8")


def generate(out: Path, total_lines: int, knowledge_dir: Path = ROOT / "knowledge", seed: int = 6) -> int:
    """Write a knowledge folder of about `total_lines` sentence lines (both languages, the
    bundled articles included) into `out`. Returns the number of lines written."""
    knowledge = load_knowledge(knowledge_dir)
    out.mkdir(parents=True, exist_ok=True)
    for path in knowledge_dir.iterdir():
        if path.suffix in (".md", ".yaml") and path.name.lower() != "readme.md":
            shutil.copy2(path, out / path.name)
    written = knowledge.sentence_count()
    shapes = templates(knowledge)
    maker = UnitMaker([u for t in shapes for u in t.units], name_pairs(knowledge.glossary), seed)
    rng, number = random.Random(seed + 1), 0
    while written + 2 <= total_lines:
        template = rng.choice(shapes)
        count = min(len(template.units), (total_lines - written) // 2)
        units = [maker.make(base) for base in template.units[:count]]
        write_article_pair(out, number, template, units, rng)
        written += 2 * count
        number += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    print(f"{generate(args.out, args.lines, seed=args.seed)} sentence lines written to {args.out}")


if __name__ == "__main__":
    main()
