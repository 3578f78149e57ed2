"""The fake translator of `coopbot eval --translate`: reference translations served as a chat model,
through `coopbot add --translate`'s code, on a growth document added to a fast copy of the knowledge."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from coopbot.evalsets import GROWTH_DOCS_DIR, GROWTH_TRANSLATIONS_DIR, grown_knowledge, translation_facts
from coopbot.index import read_manifest
from coopbot.ingest import add_documents
from coopbot.knowledge import read_knowledge
from coopbot.reference_translator import load_reference_table, reply_from_table

DOCUMENT = "vi-hcm-lyon.md"
LEFT_OUT = "Chiếu sáng đô thị vẫn là lĩnh vực hợp tác nổi bật nhất."  # line 4 of DOCUMENT


@pytest.fixture(scope="module")
def table() -> dict[str, str]:
    return load_reference_table(GROWTH_TRANSLATIONS_DIR)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(GROWTH_DOCS_DIR / DOCUMENT, folder)
    return folder


def test_a_prompt_is_answered_line_by_line_from_the_table():
    prompt = "<vocabulary>\n(none)\n</vocabulary>\n\n<text>\n[1] A &amp; B\n[2] unknown line\n</text>"
    assert reply_from_table(prompt, {"A & B": "A và B"}) == "[1] A và B\n[2] unknown line"


def test_every_line_coopbot_add_keeps_has_its_reference_translation(make_kb, table):
    kb = make_kb()
    report = add_documents(sorted(GROWTH_DOCS_DIR.iterdir()), kb)
    knowledge = read_knowledge(kb)[0]
    assert sorted(p.name.removesuffix(".json") for p in GROWTH_TRANSLATIONS_DIR.glob("*.json")) == \
        sorted(p.name for p in GROWTH_DOCS_DIR.iterdir())
    for document in report.documents:
        own = load_reference_table_of(document.source.name)
        article = knowledge.articles[document.target.stem]
        assert [line.text for line in article.lines if line.text not in own] == [], document.source.name
        assert article.title in own, "a title that is not the first line is translated by one more call"


def load_reference_table_of(name: str) -> dict[str, str]:
    return json.loads((GROWTH_TRANSLATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def test_the_fake_translator_writes_a_translation_that_passes_check(fast_settings, docs, table):
    with grown_knowledge(fast_settings, sorted(docs.iterdir()), table) as grown:
        [document] = grown.report.documents
        knowledge, problems = read_knowledge(grown.settings.knowledge_dir)
        assert problems == [] and grown.check == {"passed": True, "documents": len(knowledge.articles),
                                                  "machine_translations": 1}
        original = knowledge.articles[document.target.stem]
        translation = knowledge.articles[document.translation.stem]
        assert translation.lang == "fr" and translation.translation_of == original.id
        assert translation.translator == "machine:reference-translations"
        refused = {check.n for check in document.untranslated}
        assert len(refused) < len(original.lines) / 2
        for source, line in zip(original.lines, translation.lines, strict=True):
            assert line.text == (source.text if source.n in refused else table[source.text])
        facts = translation_facts(grown, table)
        assert facts["lines"] == len(original.lines) and facts["missing_from_table"] == 0
        assert facts["translated"] == len(original.lines) - len(refused) and facts["untranslated"] == len(refused)
        assert read_manifest(grown.settings)["documents"] == len(knowledge.articles), "indexed with its translation"
    assert not (fast_settings.knowledge_dir / document.translation.name).exists(), "the real knowledge is untouched"


def test_a_line_missing_from_the_table_is_kept_in_the_source_language_and_listed(fast_settings, docs, table):
    partial = {source: target for source, target in table.items() if source != LEFT_OUT}
    with grown_knowledge(fast_settings, sorted(docs.iterdir()), partial) as grown:
        [document] = grown.report.documents
        facts = translation_facts(grown, partial)
        knowledge = read_knowledge(grown.settings.knowledge_dir)[0]
        translation = knowledge.articles[document.translation.stem]
    assert facts["missing_from_table"] == 1 and grown.check["passed"]
    [row] = [row for row in facts["untranslated_lines"] if row["missing_from_table"]]
    assert row == {"source": DOCUMENT, "line": 4, "reason": "not in French", "missing_from_table": True}
    assert translation.lines[3].text == LEFT_OUT and 4 in translation.meta["untranslated_lines"]
    assert knowledge.translation_kind(f"{translation.id}:4") == "none"
