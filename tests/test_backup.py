"""`coopbot backup` / `coopbot restore`: a restored install answers the whole gold set exactly as
the original; a corrupt or tampered archive is refused and the install left as it was."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from coopbot.config import Settings
from coopbot.engine import Engine
from coopbot.feedback import FeedbackStore


def coopbot(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coopbot.cli", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)


def install_env(settings: Settings) -> dict[str, str]:
    return {"COOPBOT_KNOWLEDGE_DIR": str(settings.knowledge_dir), "COOPBOT_DATA_DIR": str(settings.data_dir),
            "COOPBOT_FEEDBACK_DB": str(settings.feedback_path)}


@pytest.fixture(scope="module")
def archive(settings, engine, tmp_path_factory) -> tuple[Path, Settings]:
    """A backup of the session install, with one feedback row."""
    original = Settings.from_env(knowledge_dir=settings.knowledge_dir, data_dir=settings.data_dir,
                                 feedback_db=str(tmp_path_factory.mktemp("fb") / "feedback.sqlite3"))
    FeedbackStore(original.feedback_path).add(1, "Lyon ?", "1997 [1]", [], "good", "fr")
    path = tmp_path_factory.mktemp("backup") / "coopbot.tar.gz"
    result = coopbot(["backup", str(path)], install_env(original))
    assert result.returncode == 0, result.stderr
    return path, original


def test_restore_into_a_fresh_folder_answers_the_gold_set_identically(archive, engine, repo_root, tmp_path):
    path, original = archive
    fresh = Settings.from_env(knowledge_dir=tmp_path / "site" / "knowledge", data_dir=tmp_path / "site" / "data")
    result = coopbot(["restore", str(path)], install_env(fresh))
    assert result.returncode == 0, result.stderr
    notes: list[str] = []
    restored = Engine(fresh, notify=notes.append)
    assert notes == [], "the restored index is used as it is, not rebuilt"
    gold = [json.loads(line) for line in (repo_root / "eval" / "dev.jsonl").read_text().splitlines() if line.strip()]
    for item in gold:
        question, lang = item["question"], item.get("lang")
        before, after = engine.ask(question, lang).to_dict(), restored.ask(question, lang).to_dict()
        before.pop("timings_ms"), after.pop("timings_ms")
        assert after == before, question
    assert FeedbackStore(fresh.feedback_path).export("jsonl") == FeedbackStore(original.feedback_path).export("jsonl")


def tampered(source: Path, target: Path, change) -> Path:
    """A copy of the archive with one member's bytes changed by `change`."""
    with tarfile.open(source, "r:gz") as tar_in, tarfile.open(target, "w:gz") as tar_out:
        for member in tar_in.getmembers():
            data = tar_in.extractfile(member).read() if member.isfile() else b""
            if member.name.startswith("knowledge/") and member.name.endswith(".md"):
                data = change(data)
                member.size = len(data)
            tar_out.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.parametrize("damage", ["truncated", "checksum", "garbage"])
def test_a_corrupt_archive_is_refused_and_the_install_is_untouched(archive, tmp_path, damage):
    path, _ = archive
    site = Settings.from_env(knowledge_dir=tmp_path / "knowledge", data_dir=tmp_path / "data")
    assert coopbot(["restore", str(path)], install_env(site)).returncode == 0
    before = {p: p.read_bytes() for p in site.knowledge_dir.rglob("*") if p.is_file()}
    current = os.readlink(site.index_dir / "current")
    bad = tmp_path / "bad.tar.gz"
    if damage == "truncated":
        bad.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "checksum":
        tampered(path, bad, lambda data: data.replace(b"Lyon", b"Nice", 1))
    else:
        bad.write_bytes(b"not an archive at all")
    result = coopbot(["restore", str(bad)], install_env(site))
    assert result.returncode == 1 and "refused" in result.stderr
    assert {p: p.read_bytes() for p in site.knowledge_dir.rglob("*") if p.is_file()} == before
    assert os.readlink(site.index_dir / "current") == current
    leftovers = [p.name for p in [*site.knowledge_dir.parent.iterdir(), *site.data_dir.iterdir()]
                 if "restoring" in p.name or "probe" in p.name or "restore-" in p.name]
    assert leftovers == []
