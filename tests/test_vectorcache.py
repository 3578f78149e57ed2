"""Vectors reused from one index build to the next: only new texts are embedded, and a build from the
cache is the build from scratch."""

from __future__ import annotations

import json

import numpy as np
import pytest

from coopbot.config import Settings
from coopbot.embeddings import HashingEmbeddings
from coopbot.index import build_index, open_index, read_manifest
from coopbot.vectorcache import CACHE_FILE, CachedEmbeddings, load_vectors, save_vectors, text_key

from engine_fixtures import GLOSSARY, write_article

EMBEDDER = "hash:64"


class CountingEmbeddings(HashingEmbeddings):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.asked: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.asked += texts
        return super().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.asked.append(text)
        return super().embed_query(text)


def knowledge_folder(root, *bodies: str):
    folder = root / "kb"
    folder.mkdir(parents=True)
    (folder / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    for n, body in enumerate(bodies, start=1):
        write_article(folder, f"d{n}.vi", "vi", f"2023-01-0{n}", f"Báo {n}", body)
    return folder


FIRST = "Thành phố Huế hợp tác với Brest.\nHai bên ký thỏa thuận năm 2001."
SECOND = "Đoàn đại biểu Brest thăm Huế năm 2019.\nHai thành phố mở lớp đào tạo du lịch."


def settings_for(root, knowledge, embedder: str = EMBEDDER) -> Settings:
    return Settings.from_env(knowledge_dir=knowledge, data_dir=root / "data", embedder=embedder)


def test_texts_are_embedded_once_and_handed_on_as_float32():
    inner = CountingEmbeddings(16)
    cached = CachedEmbeddings(inner)
    vectors = cached.embed_documents(["một", "hai", "một"])
    assert inner.asked == ["một", "hai"]
    assert vectors[0] == vectors[2]
    assert vectors[1] == np.asarray(inner.embed_documents(["hai"])[0], dtype=np.float32).tolist()
    cached.embed_documents(["hai"])
    cached.embed_query("hai")  # a query is another reading of the same text
    assert inner.asked.count("hai") == 3 and cached.embedded == 3
    assert set(cached.used) == {text_key("passage", "một"), text_key("passage", "hai"), text_key("query", "hai")}


def test_known_vectors_are_reused_and_counted_as_used():
    known = {text_key("passage", "một"): np.ones(16, dtype=np.float32)}
    inner = CountingEmbeddings(16)
    cached = CachedEmbeddings(inner, known)
    assert cached.embed_documents(["một", "hai"])[0] == [1.0] * 16
    assert inner.asked == ["hai"] and cached.embedded == 1 and len(cached.used) == 2


def test_a_rebuild_embeds_only_new_texts_and_equals_a_build_from_scratch(tmp_path):
    kb = knowledge_folder(tmp_path / "kept", FIRST)
    settings = settings_for(tmp_path / "kept", kb)
    build_index(settings, progress=False)
    first = read_manifest(settings)
    assert first["embedded"] > 0 and first["reused"] == 0
    write_article(kb, "d2.vi", "vi", "2023-01-02", "Báo 2", SECOND)
    grown = build_index(settings, progress=False)
    second = read_manifest(settings)
    assert second["embedded"] > 0 and second["reused"] == first["embedded"]

    scratch_kb = knowledge_folder(tmp_path / "scratch", FIRST, SECOND)
    scratch_settings = settings_for(tmp_path / "scratch", scratch_kb)
    scratch = build_index(scratch_settings, progress=False)
    assert read_manifest(scratch_settings)["reused"] == 0
    cached, fresh = open_index(settings), open_index(scratch_settings)
    ids = ["d1.vi:1", "d1.vi:2", "d2.vi:1", "d2.vi:2"]
    for line_id, vector in cached.vectors(ids).items():
        assert np.array_equal(vector, fresh.vectors(ids)[line_id])
    for line_id in ids:
        assert np.array_equal(cached.in_context[line_id], fresh.in_context[line_id])
    assert json.loads((grown / "lexicon.json").read_text()) == json.loads((scratch / "lexicon.json").read_text())


def test_the_cache_keeps_the_current_build_texts_only(tmp_path):
    kb = knowledge_folder(tmp_path, FIRST, SECOND)
    settings = settings_for(tmp_path, kb)
    build_index(settings, progress=False)
    both = len(load_vectors(settings.index_dir, EMBEDDER))
    (kb / "d2.vi.md").unlink()
    build_index(settings, progress=False)
    manifest = read_manifest(settings)
    kept = load_vectors(settings.index_dir, EMBEDDER)
    assert len(kept) == manifest["embedded"] + manifest["reused"] < both
    assert manifest["embedded"] == 0


@pytest.mark.parametrize("damage", ["garbage", "other embedder", "upgraded model"])
def test_unusable_vectors_are_ignored(tmp_path, monkeypatch, damage):
    kb = knowledge_folder(tmp_path, FIRST)
    settings = settings_for(tmp_path, kb)
    build_index(settings, progress=False)
    everything = read_manifest(settings)["embedded"]
    if damage == "garbage":
        (settings.index_dir / CACHE_FILE).write_bytes(b"PK\x03\x04 not a zip")
    elif damage == "upgraded model":  # same embedder name, another version of the package its weights come from
        monkeypatch.setattr("coopbot.index.embedder_fingerprint", lambda spec: f"{spec} weights==2")
    else:
        settings = settings_for(tmp_path, kb, embedder="hash:32")
    build_index(settings, progress=False)
    assert read_manifest(settings)["reused"] == 0 and read_manifest(settings)["embedded"] == everything
    assert open_index(settings).vectors(["d1.vi:1"])


def test_a_write_killed_half_way_leaves_the_last_vectors(tmp_path):
    (tmp_path / "index").mkdir()
    save_vectors(tmp_path / "index", EMBEDDER, {"k": np.ones(4, dtype=np.float32)})
    (tmp_path / "index" / f".{CACHE_FILE}.999.tmp").write_bytes(b"half")
    assert list(load_vectors(tmp_path / "index", EMBEDDER)) == ["k"]
    kb = knowledge_folder(tmp_path, FIRST)
    settings = Settings.from_env(knowledge_dir=kb, data_dir=tmp_path, embedder=EMBEDDER)
    assert settings.index_dir == tmp_path / "index"
    build_index(settings, progress=False)
    assert not list(settings.index_dir.glob(f".{CACHE_FILE}.*.tmp"))


def test_a_grown_copy_starts_from_the_knowledge_base_vectors(tmp_path):
    """The evaluation's growth sets add documents to a copy of the knowledge, as `coopbot add` adds them to an
    indexed knowledge base: only the added documents are embedded."""
    from coopbot.evalsets import grown_knowledge

    kb = knowledge_folder(tmp_path, FIRST)
    settings = settings_for(tmp_path, kb)
    build_index(settings, progress=False)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "note.txt").write_text("Đoàn đại biểu Brest thăm Huế năm 2019. Hai thành phố mở lớp đào tạo du lịch.\n",
                                   encoding="utf-8")
    with grown_knowledge(settings, sorted(docs.iterdir())) as grown:
        manifest = read_manifest(grown.settings)
        assert manifest["reused"] == read_manifest(settings)["embedded"] and manifest["embedded"] > 0
