"""Vectors kept from one index build to the next, so that a rebuild embeds only the texts it has not met.

`coopbot add` rebuilds the whole index beside the current one. Without this, every rebuild embeds every
sentence, every extra reading and every word the lexicon compares again (about 18 s on the bundled
knowledge, most of it spent on texts that did not change). A build now reads the vectors the previous
build stored, keyed by the embedder, the kind of reading (passage or query) and a hash of the text, and
embeds only what is missing; it then stores the vectors it used, so that the file holds the current
build's texts and no more (a removed document's vectors go with it).

The file is written by the one index writer (under its lock), to a temporary name then renamed: a
process killed mid-write leaves the previous file, and a file that cannot be read is ignored (the build
embeds everything, as the first one did). Vectors are kept as float32, the precision the stores keep,
and a first build hands on the same float32 values, so a build from the cache equals one from scratch.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from .embeddings import embed_as_queries

CACHE_FILE = "vectors.npz"
PASSAGE, QUERY = "passage", "query"


def text_key(kind: str, text: str) -> str:
    return hashlib.blake2b(f"{kind}\0{text}".encode(), digest_size=16).hexdigest()


class CachedEmbeddings(Embeddings):
    """An embedder that answers from `known` vectors (text_key → vector) where it can and remembers, in
    `used`, every vector it handed out: what the next build may reuse."""

    def __init__(self, inner: Embeddings, known: dict[str, np.ndarray] | None = None) -> None:
        self.inner = inner
        self._known = known or {}
        self.used: dict[str, np.ndarray] = {}
        self.embedded = 0  # texts the inner embedder was asked for (the rest came from `known`)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._vectors(PASSAGE, texts, self.inner.embed_documents).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._vectors(QUERY, [text], lambda missing: [self.inner.embed_query(missing[0])])[0].tolist()

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        """Many short texts read as queries (`embeddings.embed_as_queries`), batched by the inner embedder."""
        return self._vectors(QUERY, texts, lambda missing: embed_as_queries(self.inner, missing))

    def _vectors(self, kind: str, texts: Sequence[str], embed: Callable[[list[str]], object]) -> np.ndarray:
        keys = [text_key(kind, text) for text in texts]
        for key in keys:
            if key not in self.used and key in self._known:
                self.used[key] = self._known[key]
        missing = list(dict.fromkeys(text for text, key in zip(texts, keys, strict=True) if key not in self.used))
        if missing:
            self.embedded += len(missing)
            fresh = np.asarray(embed(missing), dtype=np.float32)
            self.used.update(zip((text_key(kind, text) for text in missing), fresh, strict=True))
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self.used[key] for key in keys])


def load_vectors(index_dir: Path, embedder: str) -> dict[str, np.ndarray]:
    """The vectors the last build stored with this embedder (`embeddings.embedder_fingerprint`); none when
    there are none, they came from another embedder or model version, or the file cannot be read."""
    try:
        with np.load(index_dir / CACHE_FILE) as stored:
            if str(stored["embedder"]) != embedder:
                return {}
            return dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return {}


def save_vectors(index_dir: Path, embedder: str, vectors: dict[str, np.ndarray]) -> None:
    """Store `vectors` for the next build in place of the last ones, atomically."""
    keys = sorted(vectors)
    matrix = np.vstack([vectors[key] for key in keys]).astype(np.float32) if keys else np.zeros((0, 0), np.float32)
    partial = index_dir / f".{CACHE_FILE}.{os.getpid()}.tmp"
    with open(partial, "wb") as out:
        np.savez(out, embedder=np.array(embedder), keys=np.array(keys, dtype=str), vectors=matrix)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, index_dir / CACHE_FILE)


def remove_partial_vectors(index_dir: Path) -> None:
    """Temporary files of a write that was killed (the writer holds the lock, so none is in use)."""
    for partial in index_dir.glob(f".{CACHE_FILE}.*.tmp"):
        partial.unlink(missing_ok=True)


def seed_vectors(source_index_dir: Path, index_dir: Path) -> None:
    """Start a new index folder with another's vectors (a copy of a knowledge base indexed apart)."""
    if (source_index_dir / CACHE_FILE).is_file():
        index_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source_index_dir / CACHE_FILE, index_dir / CACHE_FILE)
