"""The index: deterministic ids, manifest, atomic swap, crash safety, rebuilds, one writer."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from filelock import FileLock

from coopbot.answer import ExtractiveAnswerer
from coopbot.config import Settings
from coopbot.engine import Engine
from coopbot.errors import CoopbotError
from coopbot.index import build_index, ensure_index, open_index, read_manifest
from coopbot.knowledge import load_knowledge
from coopbot.rarity import count_terms, rarity_weights

from engine_fixtures import (
    FAST_EXPECTED,
    FAST_QUESTION,
    GLOSSARY,
    KILLS,
    assert_answers,
    assert_index_recovers,
    assert_store_consistent,
    build_state,
    coopbot_command,
    free_port,
    kill_points,
    phase_reached,
    run_and_kill,
    settings_env,
    timed_run,
    write_article,
)


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


def test_sentences_in_one_language_are_stored_read_after_their_title(small_settings, engine):
    """A sentence without a translation gets a second reading, its article's title before it; a translated
    one has its two language versions and gets none (the bundled knowledge is all translated)."""
    build_index(small_settings, progress=False)
    index = open_index(small_settings)
    assert sorted(index.in_context) == ["a.vi:1", "a.vi:2"]
    expected = index.embedder.embed_documents(["Báo A 2023-01-02. Hai bên ký thỏa thuận năm 2001."])[0]
    assert index.in_context["a.vi:2"] == pytest.approx(np.asarray(expected), abs=1e-5)
    sentence = index.vectors(["a.vi:2"])["a.vi:2"]
    assert float(sentence @ index.in_context["a.vi:2"]) < 0.999
    assert engine.index.in_context == {}


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


def test_changed_bm25_parameters_rebuild_the_index(small_settings):
    knowledge = load_knowledge(small_settings.knowledge_dir)
    first = ensure_index(small_settings, knowledge, lambda message: None)
    assert first.manifest["bm25"] == [small_settings.bm25_k1, small_settings.bm25_b]
    notices: list[str] = []
    tuned = replace(small_settings, bm25_b=small_settings.bm25_b / 2)
    index = ensure_index(tuned, knowledge, notices.append)
    assert "indexing settings changed" in notices[0]
    assert index.path != first.path and index.manifest["bm25"][1] == tuned.bm25_b


def test_bm25_search_weighs_query_tokens(small_settings):
    index = open_index(small_settings) if read_manifest(small_settings) else ensure_index(
        small_settings, load_knowledge(small_settings.knowledge_dir), lambda message: None)
    single = dict(index.bm25_search({"f:brest": 1.0}, 5))
    double = dict(index.bm25_search({"f:brest": 2.0}, 5))
    assert len(single) == 1 and next(iter(double.values())) == pytest.approx(2 * next(iter(single.values())))
    assert index.bm25_search({"f:brest": 0.0, "f:unknown": 1.0}, 5) == []


def test_a_changed_word_list_rebuilds_the_index(small_settings, tmp_path, monkeypatch):
    """The lexicon is learned when the index is built: a build that read another word list is stale."""
    import coopbot.lexicon

    knowledge = load_knowledge(small_settings.knowledge_dir)
    first = ensure_index(small_settings, knowledge, lambda message: None)
    words = tmp_path / "vocabulary.yaml"
    words.write_text("pairs:\n  - [kinh phí, budget]\n", encoding="utf-8")
    monkeypatch.setattr(coopbot.lexicon, "VOCABULARY_FILE", words)
    notices: list[str] = []
    index = ensure_index(small_settings, knowledge, notices.append)
    assert "indexing settings changed" in notices[0]
    assert index.path != first.path and index.manifest["vocabulary"] != first.manifest["vocabulary"]
    assert index.lexicon.induced.get("vb:kinh_phí") == "f:budget"


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


def test_second_writer_fails_cleanly(small_settings):
    settings = replace(small_settings, lock_timeout_s=0.2)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(str(settings.data_dir / "index.lock")), pytest.raises(CoopbotError) as caught:
        build_index(settings, progress=False)
    assert caught.value.code == "index_busy"
    assert "Un autre processus coopbot écrit l'index" in caught.value.message("fr")
    assert not (settings.index_dir / "current").exists()


def test_unknown_embedder_name(small_settings):
    with pytest.raises(ValueError, match="unknown embedder"):
        build_index(replace(small_settings, embedder="nope"), progress=False)
    assert not os.listdir(small_settings.index_dir / "builds"), "a failed build is removed"
    assert not (small_settings.index_dir / "current").exists()


def test_index_killed_at_random_points_keeps_the_previous_index(fast_settings):
    build_index(fast_settings, progress=False)
    env, command = settings_env(fast_settings), coopbot_command("index")
    duration = timed_run(command, env)
    seed = random.randrange(1 << 30)
    phases: Counter[str] = Counter()
    for at in kill_points(duration, seed):
        before = build_state(fast_settings.index_dir)
        killed = run_and_kill(command, env, at)
        phases[phase_reached(fast_settings.index_dir, before) if killed else "finished"] += 1
        try:
            assert_store_consistent(fast_settings)
            assert_answers(fast_settings)
        except AssertionError as failure:
            raise AssertionError(f"after a kill at {at:.2f} s of {duration:.2f} s (seed {seed}): {failure}") from failure
    print(f"coopbot index: {KILLS} kills over {duration:.2f} s, by phase reached: {dict(phases)}")
    assert sum(phases[p] for p in ("build folder made", "embedding and chroma writes", "bm25",
                                   "manifest written")) >= 1, f"no kill landed mid-build: {dict(phases)}"
    assert_index_recovers(fast_settings)


CHROMA_START_TIMEOUT_S = 60


def start_chroma_server(folder, port: int) -> subprocess.Popen:
    """`chroma run` (installed with chromadb, beside this Python) on loopback; returns once it beats."""
    import httpx

    chroma = os.path.join(os.path.dirname(sys.executable), "chroma")
    process = subprocess.Popen([chroma, "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                               env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + CHROMA_START_TIMEOUT_S
    while time.monotonic() < deadline:
        assert process.poll() is None, "chroma run exited"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the Chroma server did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def chroma_url(tmp_path):
    port = free_port()
    server = start_chroma_server(tmp_path / "chroma-server", port)
    yield f"http://127.0.0.1:{port}"
    stop(server)


def server_collections(url: str) -> set[str]:
    import chromadb

    port = int(url.rsplit(":", 1)[1])
    return {c.name for c in chromadb.HttpClient(host="127.0.0.1", port=port).list_collections()}


def test_index_on_a_chroma_server_answers_with_citations(fast_settings, chroma_url):
    settings = replace(fast_settings, chroma_url=chroma_url)
    build_index(settings, progress=False)
    assert not (settings.index_dir / "current" / "chroma").exists(), "vectors live on the server"
    assert_store_consistent(settings)
    answer = Engine(settings, notify=lambda message: None).ask(FAST_QUESTION)
    assert not answer.abstained and FAST_EXPECTED in answer.answer and answer.citations
    assert read_manifest(settings)["chroma_url"] == chroma_url


def test_server_builds_swap_collections_and_drop_old_ones(fast_settings, chroma_url):
    settings = replace(fast_settings, chroma_url=chroma_url)
    builds = [build_index(settings, progress=False) for _ in range(3)]
    assert server_collections(chroma_url) == {f"coopbot-{b.name}" for b in builds[1:]}
    assert read_manifest(settings)["collection"] == f"coopbot-{builds[-1].name}"
    assert_store_consistent(settings)


def test_a_chroma_server_that_is_down_is_a_clear_error(fast_settings, tmp_path):
    port = free_port()
    server = start_chroma_server(tmp_path / "chroma-server", port)
    settings = replace(fast_settings, chroma_url=f"http://127.0.0.1:{port}")
    build_index(settings, progress=False)
    engine = Engine(settings, notify=lambda message: None)
    stop(server)
    with pytest.raises(CoopbotError) as caught:
        engine.ask(FAST_QUESTION)
    assert caught.value.code == "chroma_unreachable" and settings.chroma_url in caught.value.message("fr")
    with pytest.raises(CoopbotError, match="injoignable"):
        Engine(settings, notify=lambda message: None)
    done = subprocess.run(coopbot_command("index"), env=settings_env(settings), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"Le serveur Chroma {settings.chroma_url} est injoignable" in done.stderr


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


def test_sentence_vector_cache_is_float32_and_bounded(engine):
    index = replace(engine.index, vector_cache_size=4)
    ids = engine.index.bm25_ids[:6]
    first = index.vectors(ids[:3])
    assert set(first) == set(ids[:3]) and all(v.dtype == np.float32 for v in first.values())
    index.vectors(ids[3:])
    assert len(index._vectors) <= 4 and set(index.vectors(ids[3:])) == set(ids[3:])
