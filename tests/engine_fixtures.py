"""Session fixtures that build one real index (bundled e5 embedder) for the engine tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopbot.config import Settings
from coopbot.engine import Engine


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, knowledge_dir: Path) -> Settings:
    return Settings.from_env(knowledge_dir=knowledge_dir, data_dir=tmp_path_factory.mktemp("coopbot-data"))


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Engine:
    return Engine(settings, notify=lambda message: None)


def write_article(folder: Path, doc_id: str, lang: str, date: str, outlet: str, body: str,
                  translation_of: str | None = None) -> Path:
    """A small knowledge file for fixture knowledge bases."""
    meta = [f"id: {doc_id}", f"title: {outlet} {date}", f"outlet: {outlet}", f"date: '{date}'", f"lang: {lang}",
            f"source_file: {doc_id}.txt"]
    if translation_of:
        meta.append(f"translation_of: {translation_of}")
    path = folder / f"{doc_id}.md"
    path.write_text("---\n" + "\n".join(meta) + "\n---\n\n" + body.strip() + "\n", encoding="utf-8")
    return path


def small_engine(root: Path, articles: list[tuple[str, str, str, str]], glossary: str) -> Engine:
    """An Engine over a small Vietnamese knowledge base under `root`: (doc id, date, outlet, body) per article."""
    kb = root / "kb"
    kb.mkdir()
    for doc_id, date, outlet, body in articles:
        write_article(kb, doc_id, "vi", date, outlet, body)
    (kb / "glossary.yaml").write_text(glossary, encoding="utf-8")
    return Engine(Settings.from_env(knowledge_dir=kb, data_dir=root / "data"), notify=lambda m: None)


# Glossaries of the small fixture knowledge bases, and the knowledge bases that the answer and candidate
# tests (test_answer.py, test_candidates.py) share; module-scoped, as they were in test_answer.py.
GLOSSARY = """entries:
  - id: hue
    kind: place
    vi: [Huế]
    fr: [Hué]
    variants: [Hue]
    note: Ville du Vietnam.
"""

CONTEXT_GLOSSARY = GLOSSARY + """  - id: brest
    kind: place
    vi: [Brest]
    fr: [Brest]
    variants: [brest]
    note: Ville de France.
  - id: nantes
    kind: place
    vi: [Nantes]
    fr: [Nantes]
    variants: [nantes]
    note: Ville de France que les articles ne mentionnent pas.
"""


@pytest.fixture(scope="module")
def counting_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A figure of the counted noun stated far from the question's wording, an ordinal that counts
    nothing, an enumerating sentence, and a report whose body never names its edition."""
    return small_engine(tmp_path_factory.mktemp("counting"), [
        ("a.vi", "2023-04-14", "Báo A", """
Hội nghị Alpha lần thứ 5 tại Huế ghi nhận 240 dự án hợp tác giữa các địa phương.

Hai thành phố Huế và Brest đang thực hiện 4 mục tiêu gồm: bảo tồn di sản, giao thông xanh, du lịch bền vững và đào tạo nghề.

Huế và Brest có quan hệ hợp tác lâu dài.
"""),
        ("b.vi", "2010-11-12", "Báo B", """
Đến nay, các địa phương hai nước đã triển khai hơn 60 dự án hợp tác với nhiều nội dung thiết thực.
"""),
        ("c.vi", "2012-06-01", "Hội nghị Alpha lần thứ 3", """
Tại hội nghị, các đại biểu thảo luận về các vấn đề như môi trường, đào tạo, di sản và dịch vụ công.
"""),
    ], GLOSSARY)


@pytest.fixture(scope="module")
def context_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A sentence that says "the two cities" after a line naming them; an edition, and a time
    given as "N years ago"."""
    return small_engine(tmp_path_factory.mktemp("context"), [
        ("a.vi", "2023-04-14", "Báo A", """
Huế và Brest

Quan hệ giữa thành phố Huế và thành phố Brest được thiết lập với sự hỗ trợ của các trường đại học.

Hiện hai thành phố đang thực hiện 3 mục tiêu gồm: giao thông xanh, du lịch bền vững và đào tạo nghề.

Ngân sách

Huế và Brest đang hợp tác trong nhiều lĩnh vực: y tế, giáo dục, văn hóa và thể thao.
"""),
        ("b.vi", "2010-11-12", "Báo B", """
Hội nghị Alpha lần đầu tiên được tổ chức tại Huế.

Quan hệ đối tác đầu tiên giữa Huế và Brest được thiết lập cách đây 20 năm.
"""),
        ("c.vi", "2012-06-01", "Hội nghị Alpha lần thứ 4", """
Các đại biểu thảo luận về du lịch bền vững và đào tạo nghề.
"""),
    ], CONTEXT_GLOSSARY)


@pytest.fixture(scope="module")
def list_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The items of one list spread over two sources."""
    return small_engine(tmp_path_factory.mktemp("lists"), [
        ("a.vi", "2023-04-14", "Báo A", """
Huế và Brest hợp tác trong các lĩnh vực: y tế, giáo dục, cấp nước và văn hóa.
"""),
        ("b.vi", "2022-01-05", "Báo B", """
Huế và Brest còn hợp tác trong các lĩnh vực: du lịch, nông nghiệp, môi trường và đào tạo.
"""),
    ], CONTEXT_GLOSSARY)



def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], timeout_s: float = 90) -> tuple:
    """A real `coopbot serve` process on loopback with these COOPBOT_* variables; returns (process, url)."""
    import os
    import subprocess
    import sys
    import time

    import httpx

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "coopbot.cli", "serve", "--port", str(port)],
                               env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stdout.read().decode())
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("server did not start")


def stop_server(process) -> None:
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:  # open streaming connections can hold a graceful shutdown
        process.kill()
        process.wait(timeout=5)


# A fast, deterministic store for the crash, lock and live-swap tests: hashed bags of words load no model
# and keep dense similarity meaningful, which the learned scorer ranks by; its probabilities, calibrated on
# e5's similarities, are not, so abstention is off.
FAST_EMBEDDER = "hash:512"
FAST_QUESTION = "Depuis quand Lyon coopère-t-elle avec Hô Chi Minh-Ville ?"
FAST_EXPECTED = "1997"


@pytest.fixture
def fast_settings(make_kb, tmp_path: Path) -> Settings:
    """A copy of the real knowledge base with its own data folder, indexed with the hashing embedder."""
    return Settings.from_env(knowledge_dir=make_kb(), data_dir=tmp_path / "data", embedder=FAST_EMBEDDER,
                             abstention=False, index_reload_interval_s=0.0)


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a coopbot subprocess the same store and settings."""
    import os

    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
            "COOPBOT_KNOWLEDGE_DIR": str(settings.knowledge_dir), "COOPBOT_DATA_DIR": str(settings.data_dir),
            "COOPBOT_EMBEDDER": settings.embedder, "COOPBOT_CHROMA_URL": settings.chroma_url,
            "COOPBOT_ABSTENTION": str(settings.abstention),
            "COOPBOT_LOCK_TIMEOUT_S": str(settings.lock_timeout_s)}


def coopbot_command(*args: str) -> list[str]:
    import sys

    return [sys.executable, "-m", "coopbot.cli", *args]


def assert_store_consistent(settings: Settings) -> None:
    """The live index opens; Chroma's get() and query() agree with each other and with BM25 and the manifest."""
    from coopbot.index import open_index

    index = open_index(settings)
    collection = index.store._collection
    stored = set(collection.get()["ids"])
    assert len(stored) == index.manifest["sentences"] == len(index.bm25_ids)
    assert stored == set(index.bm25_ids)
    found = collection.query(query_embeddings=[index.embedder.embed_query(FAST_QUESTION)], n_results=10)
    assert found["ids"][0] and set(found["ids"][0]) <= stored


def assert_answers(settings: Settings, question: str = FAST_QUESTION, expected: str = FAST_EXPECTED) -> None:
    """A fresh Engine over the store answers the question with the expected fact and a citation."""
    answer = Engine(settings, notify=lambda message: None).ask(question)
    assert not answer.abstained and expected in answer.answer and answer.citations, answer.answer


KILLS = 20  # kill -9 points per crash test, spread over one unkilled run


def timed_run(command: list[str], env: dict[str, str]) -> float:
    """Run a coopbot command to the end; its wall time in seconds."""
    import subprocess
    import time

    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


def kill_points(duration: float, seed: int) -> list[float]:
    """KILLS instants, uniform over the run and stratified so that every phase of it gets some."""
    import random

    rng = random.Random(seed)
    return [(slot + rng.random()) * duration / KILLS for slot in range(KILLS)]


def run_and_kill(command: list[str], env: dict[str, str], after_s: float) -> bool:
    """Start the command and SIGKILL it after `after_s`; False if it had already finished."""
    import subprocess

    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=after_s)
        return False
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)
        return True


def build_state(index_dir: Path) -> tuple[str, set[str]]:
    import os

    current = index_dir / "current"
    builds = index_dir / "builds"
    return (os.readlink(current) if current.is_symlink() else "",
            {p.name for p in builds.iterdir()} if builds.is_dir() else set())


def phase_reached(index_dir: Path, before: tuple[str, set[str]]) -> str:
    """How far a killed build got, from what it left on disk."""
    current, builds = build_state(index_dir)
    if current != before[0]:
        return "swapped"
    new = [index_dir / "builds" / name for name in builds - before[1]]
    if not new:
        return "start-up or sweep"
    build = new[0]
    if (build / "manifest.json").exists():
        return "manifest written"
    if (build / "bm25_ids.json").exists() or (build / "bm25").exists():
        return "bm25"
    if (build / "chroma").exists():
        return "embedding and chroma writes"
    return "build folder made"


def assert_index_recovers(settings: Settings) -> None:
    """After the kills, one unkilled build sweeps what they left: no stale builds or swap links, lock free."""
    from dataclasses import replace

    from coopbot.index import build_index, writer_lock

    with writer_lock(replace(settings, lock_timeout_s=0.5)):
        pass
    build_index(settings, progress=False)
    index_dir = settings.index_dir
    assert len(list((index_dir / "builds").iterdir())) <= 2
    assert not [p for p in index_dir.iterdir() if p.name.startswith((".current-", ".previous-"))]
    assert_store_consistent(settings)
STAFF_TOKEN = "staff-token-for-tests"  # the server_url server's COOPBOT_STAFF_TOKEN (feedback export)


@pytest.fixture(scope="session")
def server_url(settings: Settings, engine: Engine, tmp_path_factory: pytest.TempPathFactory):
    """A real `coopbot serve` process on loopback, over the session's index (default per-minute rate limit,
    no burst limit: the tests send many requests in quick succession from one address)."""
    process, url = start_server({
        "COOPBOT_KNOWLEDGE_DIR": str(settings.knowledge_dir), "COOPBOT_DATA_DIR": str(settings.data_dir),
        "COOPBOT_FEEDBACK_DB": str(tmp_path_factory.mktemp("feedback") / "feedback.sqlite3"),
        "COOPBOT_RATE_LIMIT_BURST": "0", "COOPBOT_STAFF_TOKEN": STAFF_TOKEN})
    yield url
    stop_server(process)
