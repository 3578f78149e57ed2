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
