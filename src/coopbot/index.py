"""Build and open the search index: a Chroma collection (cosine) and a BM25 index.

A build is written into a fresh folder under ``builds/`` and becomes live by
atomically replacing the ``current`` symlink, so a crash mid-build never damages
the index in use.  One writer at a time, enforced by a file lock.  With a Chroma
server (COOPBOT_CHROMA_URL) each build writes its own collection, named in the
manifest; a build's collection is dropped when its local folder is swept.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import bm25s
import chromadb
import numpy as np
from cachetools import LRUCache
from filelock import FileLock, Timeout
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from .config import Settings
from .embeddings import embedder_fingerprint, make_embedder
from .errors import CoopbotError
from .knowledge import Knowledge, load_knowledge
from .lexicon import Lexicon, knowledge_lexicon, load_lexicon, save_lexicon, vocabulary_digest
from .rarity import TermCounts, count_terms, load_term_counts, save_term_counts
from .text import SUPPORTED_LANGS, analyse
from .vectorcache import CachedEmbeddings, load_vectors, remove_partial_vectors, save_vectors

MANIFEST = "manifest.json"
# bump when the analysers, the BM25 layout, the stored term counts, the lexicon or the extra readings change
FORMAT_VERSION = 14
IN_CONTEXT_FILE = "in_context.npz"
GLOSSED_FILE = "glossed.npz"


@dataclass
class Index:
    """An opened, consistent index build."""

    path: Path
    manifest: dict
    store: Chroma
    bm25: bm25s.BM25
    bm25_ids: list[str]
    embedder: Embeddings
    term_counts: TermCounts | None = None  # word and term rarity, counted at build time
    lexicon: Lexicon = field(default_factory=Lexicon)  # word translations learned from the aligned lines
    in_context: dict[str, np.ndarray] = field(default_factory=dict)  # one-language sentences read after their title
    glossed: dict[str, np.ndarray] = field(default_factory=dict)  # and read with their linked words translated
    vector_cache_size: int = Settings.vector_cache_size
    _vectors: LRUCache = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._vectors = LRUCache(maxsize=self.vector_cache_size)

    def dense_search(self, query_vector: np.ndarray, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Sentence ids with cosine similarity, best first (among those whose metadata match `where`)."""
        k = min(k, len(self.bm25_ids))
        with _chroma_errors(self.manifest.get("chroma_url", "")):
            found = self.store._collection.query(query_embeddings=[query_vector], n_results=k, include=["distances"],
                                                 where=where)
        return [(sid, 1.0 - dist) for sid, dist in zip(found["ids"][0], found["distances"][0], strict=True)]

    def vectors(self, sentence_ids: list[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of some sentences (to compare candidates with each other); the same
        candidates come back question after question, so fetched vectors are kept (bounded)."""
        known = {sid: self._vectors[sid] for sid in dict.fromkeys(sentence_ids) if sid in self._vectors}
        missing = [sid for sid in dict.fromkeys(sentence_ids) if sid not in known]
        if missing:
            with _chroma_errors(self.manifest.get("chroma_url", "")):
                found = self.store._collection.get(ids=missing, include=["embeddings"])
            for sid, vector in zip(found["ids"], found["embeddings"], strict=True):
                known[sid] = self._vectors[sid] = np.asarray(vector, dtype=np.float32)
        return known

    def bm25_search(self, query: dict[str, float], k: int) -> list[tuple[str, float]]:
        """Sentence ids with BM25 scores, best first; `query` weighs each token (a count, or less
        for a token only added by expansion)."""
        vocab = self.bm25.vocab_dict
        by_weight: dict[float, list[str]] = {}
        for token, weight in query.items():
            if token in vocab and weight > 0:
                by_weight.setdefault(weight, []).append(token)
        if not by_weight:
            return []
        scores = sum(weight * self.bm25.get_scores(tokens) for weight, tokens in by_weight.items())
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(top, key=lambda i: -scores[i])
        return [(self.bm25_ids[i], float(scores[i])) for i in ranked if scores[i] > 0]


@contextmanager
def _chroma_errors(chroma_url: str) -> Iterator[None]:
    """A Chroma server that is down or unreachable is a user-facing error, not a traceback."""
    if not chroma_url:
        yield
        return
    try:
        yield
    except CoopbotError:
        raise
    except Exception as exc:
        if not _is_connection_error(exc):
            raise
        raise CoopbotError("chroma_unreachable", url=chroma_url) from exc


def _is_connection_error(exc: BaseException) -> bool:
    import httpx

    return isinstance(exc, httpx.TransportError | ConnectionError) or "Could not connect" in str(exc)


def _chroma_client(settings: Settings, build: Path) -> chromadb.ClientAPI:
    chroma_settings = chromadb.config.Settings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        with _chroma_errors(settings.chroma_url):
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https",
                settings=chroma_settings,
            )
    return chromadb.PersistentClient(path=str(build / "chroma"), settings=chroma_settings)


def _drop_server_collection(settings: Settings, build_id: str) -> None:
    """Delete a build's collection on the Chroma server, if it has one (best effort: a sweep)."""
    if not settings.chroma_url:
        return
    try:
        _chroma_client(settings, Path()).delete_collection(_collection_name(build_id))
    except Exception:  # already gone, or the server is down: the next sweep tries again
        return


def _collection_name(build_id: str) -> str:
    return f"coopbot-{build_id}"


@contextmanager
def writer_lock(settings: Settings) -> Iterator[None]:
    """Hold the store's single-writer lock (re-entrant within a process); give up after lock_timeout_s.

    The lock is an OS file lock: a writer killed with SIGKILL releases it with its process."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock_path = settings.data_dir / "index.lock"
    lock = FileLock(str(lock_path), is_singleton=True)
    try:
        lock.acquire(timeout=settings.lock_timeout_s)
    except Timeout as exc:
        raise CoopbotError("index_busy", lock=str(lock_path), seconds=settings.lock_timeout_s) from exc
    try:
        yield
    finally:
        lock.release()


def build_index(
    settings: Settings,
    knowledge: Knowledge | None = None,
    progress: bool = True,
    after_embed: Callable[[int], None] | None = None,
) -> Path:
    """Build a new index beside the current one and swap it in. Returns the build path."""
    with writer_lock(settings):
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        _remove_stale_links(settings.index_dir)
        remove_partial_vectors(settings.index_dir)
        knowledge = knowledge or load_knowledge(settings.knowledge_dir)
        return _build_locked(settings, knowledge, progress, after_embed)


def _build_locked(settings: Settings, knowledge: Knowledge, progress: bool,
                  after_embed: Callable[[int], None] | None) -> Path:
    started = time.perf_counter()
    build_id = time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    builds = settings.index_dir / "builds"
    build = builds / build_id
    build.mkdir(parents=True)
    documents = knowledge.documents()
    try:
        fingerprint = embedder_fingerprint(settings.embedder)
        embedder = CachedEmbeddings(make_embedder(settings.embedder), load_vectors(settings.index_dir, fingerprint))
        with _chroma_errors(settings.chroma_url):
            store = Chroma(
                collection_name=_collection_name(build_id), embedding_function=embedder,
                client=_chroma_client(settings, build), collection_configuration={"hnsw": {"space": "cosine"}},
            )
            _add_in_batches(store, documents, progress, after_embed, settings)
        _build_bm25(documents, build, settings)
        save_term_counts(count_terms(knowledge), build)
        lexicon = knowledge_lexicon(knowledge, settings.lexicon_min_pairs, settings.lexicon_min_dice, embedder,
                                    settings.lexicon_min_csls, settings.lexicon_csls_neighbours, settings.gloss_min_pairs)
        save_lexicon(lexicon, build)
        _save_readings(in_context_texts(knowledge), embedder, build / IN_CONTEXT_FILE, settings.embed_batch)
        _save_readings(glossed_texts(knowledge, lexicon), embedder, build / GLOSSED_FILE, settings.embed_batch)
    except BaseException:
        _drop_server_collection(settings, build_id)
        shutil.rmtree(build, ignore_errors=True)  # a killed process leaves it; the next build sweeps it
        raise
    manifest = {
        "format": FORMAT_VERSION, "build_id": build_id, "knowledge_hash": knowledge.content_hash,
        "embedder": settings.embedder, "chroma_url": settings.chroma_url,
        "bm25": _bm25_parameters(settings), "vocabulary": vocabulary_digest(),
        "collection": _collection_name(build_id), "sentences": len(documents),
        "documents": len(knowledge.articles), "build_seconds": round(time.perf_counter() - started, 2),
        "embedded": embedder.embedded, "reused": len(embedder.used) - embedder.embedded,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    (build / MANIFEST).write_text(json.dumps(manifest, indent=2))
    _fsync_tree(build)
    swap_current(settings.index_dir, build)
    _keep_vectors(settings.index_dir, fingerprint, embedder)
    _remove_old_builds(settings, builds, keep={build.name, _previous_name(settings.index_dir)})
    return build


def _keep_vectors(index_dir: Path, fingerprint: str, embedder: CachedEmbeddings) -> None:
    """Store the build's vectors for the next one. The build stands without them: a failure to write
    (a full disk) only costs the next build its reuse."""
    try:
        save_vectors(index_dir, fingerprint, embedder.used)
    except OSError:
        remove_partial_vectors(index_dir)


def stored_metadata(document: Document) -> dict:
    """What the vector store keeps of a sentence: where it is, and in which languages its unit exists
    (`in_vi`, `in_fr`), so that a search can look among the passages an asker cannot read in their language."""
    meta = {k: document.metadata[k] for k in ("doc_id", "unit_id", "lang", "line")}
    meta.update({f"in_{lang}": bool(document.metadata.get(f"text_{lang}")) for lang in SUPPORTED_LANGS})
    return meta


def _add_in_batches(store: Chroma, documents: list[Document], progress: bool,
                    after_embed: Callable[[int], None] | None, settings: Settings) -> None:
    from tqdm import tqdm

    bar = tqdm(total=len(documents), desc="index", unit="line", disable=not progress, file=sys.stderr)
    for start in range(0, len(documents), settings.embed_batch):
        batch = documents[start : start + settings.embed_batch]
        store.add_texts(
            [d.page_content for d in batch],
            metadatas=[stored_metadata(d) for d in batch],
            ids=[d.id for d in batch],
        )
        bar.update(len(batch))
        if after_embed:
            after_embed(start + len(batch))
    bar.close()


def in_context_texts(knowledge: Knowledge) -> dict[str, str]:
    """Each sentence the knowledge has in one language only, read after its article's title.

    A translated sentence is measured against the question in both its languages and the answer step
    weighs the mean, a steadier measure than one version alone; a sentence added in one language gets
    its second reading from its title instead ("Bình Định chung tay chống xói lở. Giai đoạn 2 …"),
    which also says what a sentence that does not repeat its subject is about."""
    return {line.id: f"{article.title}. {line.text}" if article.title else line.text
            for article in knowledge.originals() for line in article.lines
            if len(knowledge.versions(line.id)) == 1}


def glossed_texts(knowledge: Knowledge, lexicon: Lexicon) -> dict[str, str]:
    """Each sentence the knowledge has in one language only, its words the lexicon links (induced links too)
    written in the other language: a third reading, closer to a question asked in that language than the
    sentence alone (the mirror of `retrieve.glossed_question`; held-out on dev's one-language copies with
    `coopbot train`: 0.700 -> 0.704, the glossed reading in place of the in-context one 0.698; measured
    before the centring of word vectors and in an earlier environment, see lexicon.py)."""
    texts = {}
    for article in knowledge.originals():
        other = "fr" if article.lang == "vi" else "vi"
        for line in article.lines:
            if len(knowledge.versions(line.id)) == 1 and (glossed := lexicon.glossed(line.text, article.lang, other)):
                texts[line.id] = glossed
    return texts


def _save_readings(texts: dict[str, str], embedder: Embeddings, path: Path, batch: int) -> None:
    ids = list(texts)
    vectors = [v for start in range(0, len(ids), batch)
               for v in embedder.embed_documents([texts[i] for i in ids[start : start + batch]])]
    np.savez(path, ids=np.array(ids, dtype=str), vectors=np.array(vectors, dtype=np.float32))


def load_readings(path: Path) -> dict[str, np.ndarray]:
    """A build's extra readings of one-language sentences (line id → vector): in context, or glossed."""
    with np.load(path) as stored:
        return dict(zip(stored["ids"].tolist(), stored["vectors"], strict=True))


def _build_bm25(documents: list[Document], build: Path, settings: Settings) -> None:
    corpus = [analyse(d.page_content, d.metadata["lang"]) or ["∅"] for d in documents]
    retriever = bm25s.BM25(k1=settings.bm25_k1, b=settings.bm25_b)
    retriever.index(corpus, show_progress=False)
    retriever.save(str(build / "bm25"))
    (build / "bm25_ids.json").write_text(json.dumps([d.id for d in documents]))


def _bm25_parameters(settings: Settings) -> list[float]:
    return [settings.bm25_k1, settings.bm25_b]


def _fsync_tree(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


def swap_current(index_dir: Path, build: Path) -> None:
    """Point `current` at the new build atomically (rename of a symlink)."""
    current = index_dir / "current"
    if current.is_symlink() or current.exists():
        previous = index_dir / "previous"
        tmp_prev = index_dir / f".previous-{uuid.uuid4().hex}"
        tmp_prev.symlink_to(os.readlink(current) if current.is_symlink() else current.name)
        os.replace(tmp_prev, previous)
    tmp = index_dir / f".current-{uuid.uuid4().hex}"
    tmp.symlink_to(build.relative_to(index_dir))
    os.replace(tmp, current)


def _remove_stale_links(index_dir: Path) -> None:
    """Temporary symlinks of a swap killed half-way (a writer holds the lock, so none is in use)."""
    for link in [*index_dir.glob(".current-*"), *index_dir.glob(".previous-*")]:
        link.unlink(missing_ok=True)


def _previous_name(index_dir: Path) -> str:
    previous = index_dir / "previous"
    return Path(os.readlink(previous)).name if previous.is_symlink() else ""


def _remove_old_builds(settings: Settings, builds: Path, keep: set[str]) -> None:
    """Every build but the live and the previous one, including those of killed writers."""
    for build in builds.iterdir():
        if build.name not in keep:
            _drop_server_collection(settings, build.name)
            shutil.rmtree(build, ignore_errors=True)


def read_manifest(settings: Settings) -> dict | None:
    return _read_manifest_at(settings.index_dir / "current")


def _read_manifest_at(build: Path) -> dict | None:
    try:
        return json.loads((build / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def current_build(settings: Settings) -> str:
    """Which build `current` points at ("" if none): cheap enough to check before every answer."""
    try:
        return os.readlink(settings.index_dir / "current")
    except OSError:
        return ""


def open_index(settings: Settings) -> Index:
    """Open the current build; raise CoopbotError if it is missing or unusable."""
    build = (settings.index_dir / "current").resolve()  # once: a swap meanwhile must not mix two builds
    manifest = _read_manifest_at(build)
    if manifest is None:
        raise CoopbotError("index_unavailable", detail="no index built yet")
    if manifest.get("embedder") != settings.embedder:
        raise CoopbotError("embedder_mismatch", built=manifest.get("embedder"), configured=settings.embedder)
    if manifest.get("chroma_url", "") != settings.chroma_url:
        raise CoopbotError("index_unavailable", detail="built on another Chroma store")
    try:
        bm25 = bm25s.BM25.load(str(build / "bm25"), show_progress=False, verbosity=0)
        bm25_ids = json.loads((build / "bm25_ids.json").read_text())
        in_context, glossed = load_readings(build / IN_CONTEXT_FILE), load_readings(build / GLOSSED_FILE)
        embedder = make_embedder(settings.embedder)
        with _chroma_errors(settings.chroma_url):
            store = Chroma(collection_name=manifest["collection"], embedding_function=embedder,
                           client=_chroma_client(settings, build), create_collection_if_not_exists=False)
            count = store._collection.count()
    except CoopbotError:
        raise
    except Exception as exc:  # a torn or foreign build: report, the caller rebuilds
        raise CoopbotError("index_unavailable", detail=f"{type(exc).__name__}: {exc}") from exc
    if count != len(bm25_ids) or count != manifest.get("sentences"):
        raise CoopbotError("index_unavailable", detail=f"inconsistent build ({count} vectors, {len(bm25_ids)} lines)")
    return Index(build, manifest, store, bm25, bm25_ids, embedder, load_term_counts(build), load_lexicon(build),
                 in_context, glossed, settings.vector_cache_size)


def ensure_index(settings: Settings, knowledge: Knowledge, notify: Callable[[str], None] | None = None) -> Index:
    """Open the index, building it first when missing, stale or broken."""
    notify = notify or (lambda message: print(message, file=sys.stderr))
    manifest = read_manifest(settings)
    reason = None
    if manifest is None:
        reason = "no index yet: building it"
    elif manifest.get("knowledge_hash") != knowledge.content_hash:
        reason = "knowledge changed: rebuilding the index"
    elif (manifest.get("bm25") != _bm25_parameters(settings) or manifest.get("format") != FORMAT_VERSION
          or manifest.get("vocabulary", "") != vocabulary_digest()):
        reason = "indexing settings changed: rebuilding the index"
    if reason is None:
        try:
            return open_index(settings)
        except CoopbotError as exc:
            if exc.code != "index_unavailable":
                raise
            reason = f"index unusable ({exc.params.get('detail')}): rebuilding it"
    notify(f"coopbot: {reason}")
    build_index(settings, knowledge, progress=False)
    return open_index(settings)
