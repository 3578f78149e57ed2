"""Shared fixtures: where the repository and its knowledge base are, and throwaway copies of it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# No machine here reaches a model hub: a model that is not on disk must fail at once, not wait on the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def knowledge_dir(repo_root: Path) -> Path:
    return repo_root / "knowledge"


@pytest.fixture
def make_kb(tmp_path: Path, knowledge_dir: Path) -> Callable[..., Path]:
    """Return a function that copies the real knowledge folder into tmp_path and returns the copy.

    Each call makes a fresh copy (``make_kb()`` -> tmp_path/"kb", ``make_kb("other")`` ->
    tmp_path/"other"), so a test can break it without touching knowledge/.
    """

    def _make(name: str = "kb") -> Path:
        target = tmp_path / name
        shutil.copytree(knowledge_dir, target)
        return target

    return _make


pytest_plugins = ["engine_fixtures", "fake_llm_server", "poisoned_corpus"]
