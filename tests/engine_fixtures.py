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


@pytest.fixture(scope="session")
def server_url(settings: Settings, engine: Engine, tmp_path_factory: pytest.TempPathFactory):
    """A real `coopbot serve` process on loopback, over the session's index."""
    process, url = start_server({
        "COOPBOT_KNOWLEDGE_DIR": str(settings.knowledge_dir), "COOPBOT_DATA_DIR": str(settings.data_dir),
        "COOPBOT_FEEDBACK_DB": str(tmp_path_factory.mktemp("feedback") / "feedback.sqlite3")})
    yield url
    stop_server(process)
