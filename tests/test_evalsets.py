"""The evaluation's sets: their files hold what eval/README.md promises, and the questions of a grown set
(growth, devgrowth) resolve to the documents `coopbot add` made of them."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from coopbot.config import Settings
from coopbot.evalsets import (
    GROWN_SETS,
    SET_NAMES,
    Gold,
    dev_origin,
    devgrowth_part,
    load_gold,
    part_of,
    resolve_growth_gold,
    set_path,
)
from coopbot.evaluate import fact_matches
from coopbot.ingest import add_documents
from coopbot.knowledge import load_knowledge


def test_the_test_set_is_frozen_at_the_hash_recorded_in_eval_readme(repo_root: Path) -> None:
    digest = hashlib.sha256(set_path("test").read_bytes()).hexdigest()
    assert digest in (repo_root / "eval" / "README.md").read_text(encoding="utf-8")


def test_the_test_set_has_the_counts_issue_13_asks_for() -> None:
    items = load_gold(set_path("test"))
    answerable = Counter(i.lang for i in items if i.answerable)
    assert answerable["vi"] >= 90 and answerable["fr"] >= 90
    unanswerable = [i for i in items if not i.answerable]
    assert len(unanswerable) >= 40 and sum(i.kind == "absent" for i in unanswerable) >= 20
    pairs = Counter(i.pair for i in items if i.pair)
    assert sum(n == 2 for n in pairs.values()) >= 40
    plain = [i for i in items if "no-diacritics" in i.tags]
    assert len(plain) >= 0.15 * len(items)
    assert all(not re.search(r"[^\x00-\x7f]", i.question) for i in plain)
    assert len({i.id for i in items}) == len(items)


@pytest.mark.parametrize("name", ["dev", "test"])
def test_every_pattern_is_stated_by_the_evidence_in_the_question_language(name: str, knowledge_dir: Path) -> None:
    knowledge = load_knowledge(knowledge_dir)
    missing = []
    for item in load_gold(set_path(name)):
        assert item.answerable == bool(item.expected and item.sources and item.evidence), item.id
        if not item.answerable:
            continue
        evidence = " ".join(knowledge.aligned(sentence, item.lang).text for sentence in item.evidence)
        missing += [f"{item.id}: {p}" for p in item.expected if not fact_matches(p, evidence)]
        assert {e.rsplit(":", 1)[0] for e in item.evidence} <= set(item.sources), item.id
    assert missing == []


@pytest.mark.parametrize(("name", "formats"), [("growth", {"html", "pdf", "txt", "md"}),
                                             ("devgrowth", {"html", "txt", "md"})])
def test_grown_set_questions_name_documents_that_exist_and_ask_each_in_both_languages(name: str,
                                                                                    formats: set[str]) -> None:
    items = load_gold(set_path(name))
    documents = {p.name for p in (GROWN_SETS[name] / "docs").iterdir()}
    assert len(documents) >= 6 and {p.rsplit(".", 1)[1] for p in documents} >= formats
    assert {p.split("-", 1)[0] for p in documents} == {"vi", "fr"}, "documents in each language"
    answerable = [i for i in items if i.answerable]
    assert len(items) >= 70 and len(items) - len(answerable) >= 10
    for document in documents:
        asked_in = {i.lang for i in answerable if document in i.sources}
        assert asked_in == {"vi", "fr"}, document
    bundled = {article.id for article in load_knowledge(Settings().knowledge_dir).articles.values()}
    assert all(set(i.sources) <= documents | bundled and set(i.sources) & documents and i.evidence_text
               for i in answerable), "each names an added document (and may name a bundled article it contradicts)"


def test_growth_gold_resolves_file_names_and_excerpts_to_the_added_ids(tmp_path: Path, make_kb) -> None:
    kb = make_kb()
    page = tmp_path / "nantes-hue.txt"
    page.write_text("Nantes et Huế coopèrent depuis 2014.\n\nLe projet de rénovation du marché a coûté 2 millions "
                    "d'euros et a été inauguré en 2019.\n", encoding="utf-8")
    report = add_documents([page], kb)
    doc_ids = {source.name: target.stem for source, target in report.added}
    gold = [Gold("g1", "vi", "Chợ khánh thành năm nào?", True, ["2019"], ["nantes-hue.txt"], [],
                 evidence_text=["a été inauguré en 2019"]),
            Gold("g2", "fr", "Quel budget ?", True, ["2"], ["nantes-hue.txt"], [], evidence_text=["absent excerpt"])]
    resolved, notes = resolve_growth_gold(gold, type("S", (), {"knowledge_dir": kb})(), doc_ids)
    doc_id = doc_ids["nantes-hue.txt"]
    assert resolved[0].sources == [doc_id] and resolved[0].source_langs == {"fr"}
    [unit] = resolved[0].evidence
    assert unit.startswith(f"{doc_id}:") and "2019" in load_knowledge(kb).line(unit).text
    assert resolved[1].evidence == [] and len(notes) == 1 and "g2" in notes[0]


def test_devgrowth_is_apart_from_growth() -> None:
    """devgrowth tunes what growth reports: other documents, other question ids."""
    documents = {name: {p.name for p in (GROWN_SETS[name] / "docs").iterdir()} for name in GROWN_SETS}
    assert not documents["growth"] & documents["devgrowth"]
    ids = {name: {g.id for g in load_gold(set_path(name))} for name in GROWN_SETS}
    assert not ids["growth"] & ids["devgrowth"]


def test_devgrowth_evidence_is_found_in_the_added_documents_and_states_the_patterns(make_kb) -> None:
    """Every excerpt resolves to a sentence `coopbot add` kept, and every pattern matches that sentence
    (patterns give the fact's wording in both languages: a passage may be quoted in its own)."""
    kb = make_kb()
    report = add_documents(sorted((GROWN_SETS["devgrowth"] / "docs").iterdir()), kb)
    assert not report.rejected
    doc_ids = {source.name: target.stem for source, target in report.added}
    resolved, notes = resolve_growth_gold(load_gold(set_path("devgrowth")), type("S", (), {"knowledge_dir": kb})(),
                                          doc_ids)
    assert notes == []
    knowledge = load_knowledge(kb)
    for item in (g for g in resolved if g.answerable and "relative-date" not in g.tags):  # those are computed
        evidence = " ".join(knowledge.line(unit).text for unit in item.evidence)
        assert all(fact_matches(p, evidence) for p in item.expected), item.id


def test_gold_rows_are_valid_json_with_unique_ids() -> None:
    for name in SET_NAMES:
        rows = [json.loads(line) for line in set_path(name).read_text(encoding="utf-8").splitlines() if line]
        assert len({r["id"] for r in rows}) == len(rows), name


def test_dev_is_split_into_the_first_rounds_questions_and_those_written_blind():
    dev = load_gold(set_path("dev"))
    origins = [dev_origin(g) for g in dev]
    assert origins.count("first-round") == 155 and origins.count("blind") == len(dev) - 155
    assert dev_origin(replace(dev[0], id="q155")) == "first-round"
    assert dev_origin(replace(dev[0], id="q156")) == "blind" and dev_origin(replace(dev[0], id="g001")) == "blind"


def test_devgrowth_validation_part_asks_of_documents_no_trained_question_asks_of() -> None:
    """The validation part predicts unseen documents only if the scorer never fitted on questions about them."""
    items = load_gold(set_path("devgrowth"))
    parts = {part: [i for i in items if devgrowth_part(i) == part] for part in ("trained", "validation")}
    assert len(parts["validation"]) >= 70 and sum(not i.answerable for i in parts["validation"]) >= 10
    assert {i.lang for i in parts["validation"] if i.answerable} == {"vi", "fr"}
    added = {p.name for p in (GROWN_SETS["devgrowth"] / "docs").iterdir()}
    documents = {part: {s for i in rows for s in i.sources} & added for part, rows in parts.items()}
    assert documents["validation"] and not documents["validation"] & documents["trained"]


def test_a_devgrowth_part_keeps_its_questions_and_leaves_out_the_documents_only_the_other_part_names() -> None:
    gold = [Gold("t1", "vi", "?", True, ["x"], ["old.txt"], []),
            Gold("v1", "fr", "?", True, ["x"], ["new.md", "knowledge-article.vi"], [], tags=["validation"]),
            Gold("v2", "vi", "?", False, [], [], [], tags=["validation"]), Gold("t2", "fr", "?", False, [], [], [])]
    files = [Path("docs/new.md"), Path("docs/old.txt"), Path("docs/unasked.html")]
    questions, kept = part_of(gold, files, "trained")
    assert [g.id for g in questions] == ["t1", "t2"] and kept == [Path("docs/old.txt"), Path("docs/unasked.html")]
    questions, kept = part_of(gold, files, "validation")
    assert [g.id for g in questions] == ["v1", "v2"] and kept == [Path("docs/new.md"), Path("docs/unasked.html")]
