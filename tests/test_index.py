"""The index: deterministic ids, manifest, atomic swap, crash safety, rebuilds, one writer."""

from __future__ import annotations

import json
import os
from dataclasses import replace

import pytest
from filelock import FileLock

from coopbot.answer import ExtractiveAnswerer
from coopbot.config import Settings
from coopbot.errors import CoopbotError
from coopbot.index import build_index, ensure_index, open_index, read_manifest
from coopbot.knowledge import load_knowledge
from coopbot.rarity import count_terms, rarity_weights

from engine_fixtures import write_article

GLOSSARY = """entries:
  - id: hue
    kind: place
    vi: [Huế]
    fr: [Hué]
    variants: [Hue]
    note: Ville du Vietnam.
"""


@pytest.fixture
def small_settings(tmp_path) -> Settings:
    kb = tmp_path / "kb"
    kb.mkdir()
    write_article(kb, "a.vi", "vi", "2023-01-02", "Báo A", "Thành phố Huế hợp tác với Brest.\nHai bên ký thỏa thuận năm 2001.")
    (kb / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    return Settings.from_env(knowledge_dir=kb, data_dir=tmp_path / "data")


def test_build_writes_manifest_and_deterministic_ids(small_settings):
    build = build_index(small_settings, progress=False)
    manifest = read_manifest(small_settings)
    knowledge = load_knowledge(small_settings.knowledge_dir)
    assert manifest["knowledge_hash"] == knowledge.content_hash
    assert manifest["embedder"] == "e5" and manifest["sentences"] == 2
    assert (small_settings.index_dir / "current").resolve() == build.resolve()
    index = open_index(small_settings)
    assert index.bm25_ids == ["a.vi:1", "a.vi:2"]
    assert sorted(index.store._collection.get()["ids"]) == ["a.vi:1", "a.vi:2"]


def test_rebuild_swaps_atomically_and_keeps_previous(small_settings):
    first = build_index(small_settings, progress=False)
    second = build_index(small_settings, progress=False)
    assert first != second
    assert (small_settings.index_dir / "current").resolve() == second.resolve()
    assert first.exists(), "the previous build stays for readers that still hold it"
    third = build_index(small_settings, progress=False)
    assert not first.exists() and second.exists() and third.exists()


def test_crash_mid_build_leaves_the_current_index_usable(small_settings):
    good = build_index(small_settings, progress=False)

    def crash(done: int) -> None:
        raise KeyboardInterrupt("killed while embedding")

    with pytest.raises(KeyboardInterrupt):
        build_index(small_settings, progress=False, after_embed=crash)
    assert (small_settings.index_dir / "current").resolve() == good.resolve()
    index = open_index(small_settings)
    assert len(index.dense_search(index.embedder.embed_query("Huế"), 2)) == 2


def test_missing_index_is_built_and_stale_index_rebuilt(small_settings):
    notices: list[str] = []
    knowledge = load_knowledge(small_settings.knowledge_dir)
    ensure_index(small_settings, knowledge, notices.append)
    assert notices and "building" in notices[0]
    write_article(small_settings.knowledge_dir, "b.vi", "vi", "2023-01-03", "Báo B", "Lyon hợp tác với TP.HCM.")
    knowledge = load_knowledge(small_settings.knowledge_dir)
    index = ensure_index(small_settings, knowledge, notices.append)
    assert "knowledge changed" in notices[-1]
    assert index.manifest["sentences"] == 3


def test_corrupt_index_is_rebuilt_with_a_notice(small_settings):
    build = build_index(small_settings, progress=False)
    (build / "bm25_ids.json").write_text("not json")
    notices: list[str] = []
    index = ensure_index(small_settings, load_knowledge(small_settings.knowledge_dir), notices.append)
    assert "unusable" in notices[0]
    assert index.path != build and index.manifest["sentences"] == 2


def test_embedder_mismatch_is_a_clear_error(small_settings):
    build_index(small_settings, progress=False)
    manifest_path = small_settings.index_dir / "current" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["embedder"] = "st:some-other-model"
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(CoopbotError) as caught:
        open_index(small_settings)
    assert caught.value.code == "embedder_mismatch"
    assert "coopbot index" in caught.value.message("fr")


def test_second_writer_fails_cleanly(small_settings, monkeypatch):
    monkeypatch.setattr("coopbot.index.LOCK_TIMEOUT_S", 0.2)
    small_settings.data_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(small_settings.data_dir / "index.lock")), pytest.raises(CoopbotError) as caught:
        build_index(small_settings, progress=False)
    assert "another coopbot process" in caught.value.message("fr")
    assert not (small_settings.index_dir / "current").exists()


def test_unknown_embedder_name(small_settings):
    with pytest.raises(ValueError, match="unknown embedder"):
        build_index(replace(small_settings, embedder="nope"), progress=False)
    assert not os.listdir(small_settings.index_dir / "builds"), "a failed build is removed"
    assert not (small_settings.index_dir / "current").exists()


def test_build_stores_word_rarity_that_matches_a_fresh_count(small_settings):
    build_index(small_settings, progress=False)
    index = open_index(small_settings)
    fresh = count_terms(load_knowledge(small_settings.knowledge_dir))
    assert index.term_counts == fresh
    assert fresh.units == 2 and fresh.counts["term:hue"] == 1 and fresh.counts["hue"] == 1


def test_answerer_counts_rarity_itself_for_a_build_without_stored_counts(small_settings):
    build = build_index(small_settings, progress=False)
    (build / "term_counts.json").unlink()
    index = open_index(small_settings)
    assert index.term_counts is None
    knowledge = load_knowledge(small_settings.knowledge_dir)
    answerer = ExtractiveAnswerer(knowledge, small_settings, index)
    assert answerer._weights == rarity_weights(count_terms(knowledge), small_settings.absent_word_share)
