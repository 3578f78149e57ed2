"""The evaluation's question sets: dev (tuned on), test (frozen, reported), growth (new documents,
reported) and devgrowth (other new documents, tuned on: growth's counterpart on the dev side).

`dev.jsonl` and `test.jsonl` are asked of the bundled knowledge.  A grown set (growth, devgrowth) is
asked of a copy of it to which its `docs/` were added by `coopbot add`'s own code, indexed in a
temporary folder: the real knowledge and index are never touched.  With `translate`, the same add
also writes each document's machine translation, by the reference translator (reference_translator.py)
through `coopbot add --translate`'s code; the grown knowledge must then pass `coopbot check`.
Growth questions name their
documents by file name and their evidence by a verbatim excerpt; both are resolved to the doc and
sentence ids the add produced, so that one scorer serves every set.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .config import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from .ingest import AddReport
    from .translate import Translator

EVAL_DIR = PROJECT_ROOT / "eval"
SET_NAMES = ("dev", "test", "growth", "devgrowth")
# dev's first 155 questions are the first round's, which its cues and weights were developed against; the rest
# were written blind in the test set's style (eval/README.md): the report gives the two apart
DEV_FIRST_ROUND_LAST = 155
# devgrowth questions tagged so are kept out of `coopbot train` (eval/README.md): a validation part on the tuning side
VALIDATION_TAG = "validation"
GROWTH_DIR = EVAL_DIR / "growth"
GROWTH_DOCS_DIR = GROWTH_DIR / "docs"
GROWTH_TRANSLATIONS_DIR = GROWTH_DIR / "translations"  # reference translations of the documents' lines
# sets asked of the knowledge grown by their own documents (`docs/`, questions in `questions.jsonl`); devgrowth's
# documents and questions were written apart from growth's, never seeing them, to tune what growth reports
GROWN_SETS = {"growth": GROWTH_DIR, "devgrowth": EVAL_DIR / "devgrowth"}
RAW_PAGES_DIR = EVAL_DIR / "raw"  # the five source pages as collected (plain-RAG baseline, knowledge tests)


@dataclass
class Gold:
    id: str
    lang: str
    question: str
    answerable: bool
    expected: list[str]
    sources: list[str]
    evidence: list[str]
    pair: str | None = None
    kind: str = ""
    tags: list[str] = field(default_factory=list)
    evidence_text: list[str] = field(default_factory=list)  # growth: verbatim excerpts, resolved to `evidence`

    @property
    def source_langs(self) -> set[str]:
        """Languages of the documents that state the answer (the doc id's suffix)."""
        return {source.rsplit(".", 1)[-1] for source in self.sources}


def load_gold(path: Path) -> list[Gold]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise ValueError(f"{path}:{n}: invalid JSON: {exc}") from exc
        items.append(Gold(
            id=raw["id"], lang=raw["lang"], question=raw["question"], answerable=raw.get("answerable", True),
            expected=raw.get("expected", []), sources=raw.get("sources", []), evidence=raw.get("evidence", []),
            pair=raw.get("pair"), kind=raw.get("kind", ""), tags=raw.get("tags", []),
            evidence_text=raw.get("evidence_text", []),
        ))
    return items


def dev_origin(gold: Gold) -> str:
    """first-round (q001–q155) or blind (q156 on, and any id not numbered so)."""
    number = gold.id[1:]
    return "first-round" if gold.id.startswith("q") and number.isdigit() and int(number) <= DEV_FIRST_ROUND_LAST \
        else "blind"


def devgrowth_part(gold: Gold) -> str:
    """trained (the questions `coopbot train` fits on) or validation (tagged so: never trained on, they tell
    what the scorer does on documents and questions it has not seen, as growth's will be)."""
    return "validation" if VALIDATION_TAG in gold.tags else "trained"


def part_of(gold: list[Gold], files: list[Path], part: str) -> tuple[list[Gold], list[Path]]:
    """A devgrowth part's questions, and the documents but those that only another part's questions name: the
    validation part's documents are not even distractors when the scorer is fitted on the trained part."""
    others = {source for g in gold if devgrowth_part(g) != part for source in g.sources}
    own = {source for g in gold if devgrowth_part(g) == part for source in g.sources}
    return [g for g in gold if devgrowth_part(g) == part], [f for f in files if f.name in own or f.name not in others]


def set_path(name: str) -> Path:
    return GROWN_SETS[name] / "questions.jsonl" if name in GROWN_SETS else EVAL_DIR / f"{name}.jsonl"


@dataclass
class Workspace:
    """Where one set is asked: the settings to build an engine with, and the set's questions."""

    name: str
    settings: Settings
    gold: list[Gold]
    notes: list[str] = field(default_factory=list)
    translation: dict = field(default_factory=dict)  # translate mode: what the translator wrote (translation_facts)


@contextmanager
def workspace(name: str, settings: Settings, path: Path | None = None, translate: bool = False,
              part: str | None = None) -> Iterator[Workspace]:
    """The settings and questions of set `name` (`path` overrides the set's file); `translate` adds a
    grown set's documents with the reference translator (growth's: the only set with reference translations);
    `part` keeps devgrowth's questions of that part and the documents no question of another part names."""
    gold = load_gold(path or set_path(name))
    if name not in GROWN_SETS:
        yield Workspace(name, settings, gold)
        return
    from .reference_translator import load_reference_table

    table = load_reference_table(GROWN_SETS[name] / "translations") if translate else None
    files = sorted((GROWN_SETS[name] / "docs").iterdir())
    if part is not None:
        gold, files = part_of(gold, files, part)
    with grown_knowledge(settings, files, table) as grown:
        resolved, notes = resolve_growth_gold(gold, grown.settings, grown.doc_ids)
        facts = translation_facts(grown, table) if table is not None else {}
        yield Workspace(name, grown.settings, resolved, notes, facts)


@dataclass
class Grown:
    """A temporary copy of the knowledge with documents added: its settings, the doc id each file
    became, what `coopbot add` reported and the check of the result."""

    settings: Settings
    doc_ids: dict[str, str]
    report: AddReport
    check: dict


@contextmanager
def grown_knowledge(settings: Settings, files: list[Path], table: dict[str, str] | None = None) -> Iterator[Grown]:
    """A temporary copy of the knowledge with `files` added (as `coopbot add` does,
    `--translate` with the reference translator when a `table` is given), checked and indexed."""
    from .index import build_index, writer_lock
    from .ingest import add_documents
    from .vectorcache import seed_vectors

    with tempfile.TemporaryDirectory(prefix="coopbot-growth-") as tmp:
        knowledge_dir = Path(tmp) / "knowledge"
        shutil.copytree(settings.knowledge_dir, knowledge_dir)
        grown = replace(settings, knowledge_dir=knowledge_dir, data_dir=Path(tmp) / "data", chroma_url="")
        seed_vectors(settings.index_dir, grown.index_dir)  # as `coopbot add` over an indexed knowledge base
        with writer_lock(grown):
            translator = None if table is None else reference_translator(table, grown)
            report = add_documents(files, knowledge_dir, max_bytes=grown.max_add_bytes,
                                   min_encoded_chars=grown.encoded_payload_min_chars, translator=translator,
                                   pdf_running_share=grown.pdf_running_share, byline_lines=grown.byline_lines,
                                   byline_max_words=grown.byline_max_words)
            if report.rejected:
                reasons = "; ".join(f"{path.name}: {why}" for path, why in report.rejected)
                raise ValueError(f"growth documents rejected by coopbot add: {reasons}")
            check = checked_knowledge(knowledge_dir)
            build_index(grown, progress=False)
        doc_ids = {source.name: target.stem for source, target in report.added + report.unchanged}
        yield Grown(grown, doc_ids, report, check)


def reference_translator(table: dict[str, str], settings: Settings) -> Translator:
    """`coopbot add --translate`'s translator, with the reference translations as its chat model."""
    from .knowledge import read_knowledge
    from .reference_translator import REFERENCE_MODEL_NAME, ReferenceTranslator
    from .translate import Translator

    knowledge = read_knowledge(settings.knowledge_dir)[0]
    return Translator.for_knowledge(ReferenceTranslator(table=table), knowledge, settings, REFERENCE_MODEL_NAME)


def checked_knowledge(knowledge_dir: Path) -> dict:
    """`coopbot check` on the grown knowledge: raises with every problem, else its counts."""
    from .knowledge import read_knowledge

    knowledge, problems = read_knowledge(knowledge_dir)
    if problems:
        raise ValueError(f"the grown knowledge fails coopbot check ({len(problems)} problem(s)): "
                         + "; ".join(str(problem) for problem in problems))
    return {"passed": True, "documents": len(knowledge.articles),
            "machine_translations": sum(a.translation_kind == "machine" for a in knowledge.articles.values())}


def translation_facts(grown: Grown, table: dict[str, str]) -> dict:
    """How many lines the translator wrote and kept in the source language, and why, per document."""
    from .knowledge import MACHINE_TRANSLATOR
    from .reference_translator import REFERENCE_MODEL_NAME

    documents, kept = [], []
    for document in grown.report.documents:
        if document.translation is None:
            documents.append({"source": document.source.name, "translation": None,
                              "note": document.translation_note})
            continue
        lines = _article_lines(document.target)
        missing = [n for n, text in lines.items() if text not in table]
        documents.append({"source": document.source.name, "translation": document.translation.name,
                          "lines": len(lines), "untranslated": len(document.untranslated),
                          "missing_from_table": len(missing)})
        kept += [{"source": document.source.name, "line": check.n, "reason": check.reason,
                  "missing_from_table": check.n in missing} for check in document.untranslated]
    total = sum(d.get("lines", 0) for d in documents)
    return {"translator": f"{MACHINE_TRANSLATOR}{REFERENCE_MODEL_NAME}", "documents": documents, "lines": total,
            "translated": total - len(kept), "untranslated": len(kept),
            "missing_from_table": sum(d.get("missing_from_table", 0) for d in documents),
            "untranslated_lines": kept, "check": grown.check}


def _article_lines(path: Path) -> dict[int, str]:
    from .knowledge import parse_article

    article, _ = parse_article(path)
    return {line.n: line.text for line in article.lines} if article else {}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


def resolve_growth_gold(gold: list[Gold], settings: Settings, doc_ids: dict[str, str]) -> tuple[list[Gold], list[str]]:
    """Growth questions with file names turned into doc ids and excerpts into sentence ids;
    notes list what could not be resolved (an extraction that lost or split the excerpt)."""
    from .knowledge import load_knowledge

    knowledge = load_knowledge(settings.knowledge_dir)
    resolved, notes = [], []
    for item in gold:
        sources = [doc_ids.get(name, name) for name in item.sources]
        evidence = list(item.evidence)
        for excerpt in item.evidence_text:
            found = [line.id for source in sources if source in knowledge.articles
                     for line in knowledge.articles[source].lines if _squash(excerpt) in _squash(line.text)]
            if found:
                evidence.extend(knowledge.unit_id(sentence_id) for sentence_id in found)
            else:
                notes.append(f"{item.id}: evidence excerpt not found in {', '.join(sources)}: {excerpt[:60]!r}")
        resolved.append(replace(item, sources=sources, evidence=list(dict.fromkeys(evidence))))
    return resolved, notes
