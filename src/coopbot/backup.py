"""`coopbot backup` / `coopbot restore`: the knowledge, the live index build and the feedback
database in one tar.gz, with a manifest of SHA-256 checksums.

Backup copies the feedback database through SQLite's online backup (consistent while the server
writes) and reads the index under the index lock.  Restore checks the archive (checksums, paths,
a knowledge base that loads, an index build that opens) in a staging folder beside each target,
then swaps the folders in by rename; if a swap fails the ones already made are undone, so a good
install is never left half-restored.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
import uuid
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from .config import Settings
from .errors import CoopbotError
from .index import MANIFEST, open_index, swap_current, writer_lock
from .knowledge import read_knowledge

ARCHIVE_MANIFEST = "coopbot-backup.json"
FORMAT = 1
PARTS = ("knowledge", "index", "feedback")


class BackupError(Exception):
    """Why an archive cannot be restored (or made); the message is one line for the user."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(settings: Settings, archive: Path) -> dict:
    """Write the archive (atomically: beside, then renamed) and return its manifest."""
    current = settings.index_dir / "current"
    if not current.exists():
        raise BackupError("no index to back up: run `coopbot index` first")
    with tempfile.TemporaryDirectory(prefix="coopbot-backup-") as scratch:
        feedback_copy = Path(scratch) / "feedback.sqlite3"
        _copy_sqlite(settings.feedback_path, feedback_copy)
        with writer_lock(settings):
            build = current.resolve()
            members = [(f"knowledge/{p.relative_to(settings.knowledge_dir).as_posix()}", p)
                       for p in _files_under(settings.knowledge_dir)]
            members += [(f"index/{p.relative_to(build).as_posix()}", p) for p in _files_under(build)]
            members.append(("feedback/feedback.sqlite3", feedback_copy))
            manifest = {"format": FORMAT, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                        "index_build": build.name,
                        "files": {name: {"sha256": _sha256(path), "bytes": path.stat().st_size}
                                  for name, path in members}}
            _write_archive(archive, members, manifest)
    return manifest


def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of the database even while it is written (an empty one if there is none yet)."""
    destination = sqlite3.connect(target)
    try:
        if source.exists():
            origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                origin.backup(destination)
            finally:
                origin.close()
    finally:
        destination.close()


def _write_archive(archive: Path, members: list[tuple[str, Path]], manifest: dict) -> None:
    archive.parent.mkdir(parents=True, exist_ok=True)
    tmp = archive.with_name(f".{archive.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(ARCHIVE_MANIFEST)
            info.size, info.mtime = len(data), int(time.time())
            tar.addfile(info, io.BytesIO(data))
            for name, path in members:
                tar.add(path, arcname=name, recursive=False)
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, archive)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass
class Staged:
    knowledge: Path
    index: Path
    feedback: Path


def restore_backup(settings: Settings, archive: Path) -> dict:
    """Check the archive completely beside the install, then swap it in; return its manifest."""
    settings.knowledge_dir.parent.mkdir(parents=True, exist_ok=True)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    settings.feedback_path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".coopbot-restore-", dir=settings.data_dir))
    try:
        manifest = _extract_checked(archive, staging)
        staged = _stage_beside(settings, staging, manifest)
        _verify_staged(settings, staged)
        with writer_lock(settings):
            _swap_in(settings, staged)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _extract_checked(archive: Path, staging: Path) -> dict:
    """Extract into `staging`; refuse a corrupt archive, unsafe paths, or any checksum mismatch."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = _read_manifest(tar)
            expected = manifest["files"]
            names = {m.name for m in tar.getmembers() if m.isfile()} - {ARCHIVE_MANIFEST}
            if names != set(expected):
                raise BackupError("archive contents do not match its manifest")
            for name in expected:
                _check_name(name)
            tar.extractall(staging / "files", members=[tar.getmember(n) for n in expected], filter="data")
    except (tarfile.TarError, EOFError, OSError, KeyError, ValueError, json.JSONDecodeError) as exc:
        raise BackupError(f"corrupt or unreadable archive ({type(exc).__name__}: {exc})") from exc
    for name, facts in expected.items():
        if _sha256(staging / "files" / name) != facts["sha256"]:
            raise BackupError(f"checksum mismatch for {name}")
    return manifest


def _read_manifest(tar: tarfile.TarFile) -> dict:
    handle = tar.extractfile(ARCHIVE_MANIFEST)
    if handle is None:
        raise BackupError("archive has no manifest")
    manifest = json.loads(handle.read())
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError("not a coopbot backup of a known format")
    return manifest


def _check_name(name: str) -> None:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or path.parts[0] not in PARTS:
        raise BackupError(f"unsafe path in archive: {name!r}")


def _stage_beside(settings: Settings, staging: Path, manifest: dict) -> Staged:
    """Move each part next to its final place (same file system, so the swap is a rename)."""
    token = uuid.uuid4().hex[:8]
    files = staging / "files"
    knowledge = settings.knowledge_dir.with_name(f".{settings.knowledge_dir.name}.restoring-{token}")
    shutil.move(str(files / "knowledge"), knowledge)
    build = settings.index_dir / "builds" / f"{manifest['index_build']}-restored-{token}"
    build.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(files / "index"), build)
    feedback = settings.feedback_path.with_name(f".{settings.feedback_path.name}.restoring-{token}")
    shutil.move(str(files / "feedback" / "feedback.sqlite3"), feedback)
    return Staged(knowledge, build, feedback)


def _verify_staged(settings: Settings, staged: Staged) -> None:
    """The staged knowledge must load and the staged build must open and match it; else nothing is swapped."""
    try:
        knowledge, problems = read_knowledge(staged.knowledge)
        if problems or not knowledge.articles:
            raise BackupError(f"the archived knowledge is invalid ({len(problems)} problem(s))")
        build_manifest = json.loads((staged.index / MANIFEST).read_text())
        if build_manifest.get("knowledge_hash") != knowledge.content_hash:
            raise BackupError("the archived index was not built from the archived knowledge")
        _probe_index(settings, staged.index)
        with closing(sqlite3.connect(f"file:{staged.feedback}?immutable=1", uri=True)) as database:
            if database.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("the archived feedback database is damaged")
    except (BackupError, CoopbotError, OSError, ValueError, sqlite3.Error) as exc:
        _discard(staged)
        raise BackupError(str(exc)) from exc


def _probe_index(settings: Settings, build: Path) -> None:
    """Open the staged build through a throwaway `current` link, as the server will."""
    probe = Path(tempfile.mkdtemp(prefix=".probe-", dir=settings.data_dir))
    try:
        (probe / "index").mkdir()
        (probe / "index" / "current").symlink_to(build)
        open_index(replace(settings, data_dir=probe))
    finally:
        shutil.rmtree(probe, ignore_errors=True)


def _discard(staged: Staged) -> None:
    shutil.rmtree(staged.knowledge, ignore_errors=True)
    shutil.rmtree(staged.index, ignore_errors=True)
    staged.feedback.unlink(missing_ok=True)


def _swap_in(settings: Settings, staged: Staged) -> None:
    """Rename each staged part into place, keeping the old one aside until all are in; undo on failure."""
    token = uuid.uuid4().hex[:8]
    old_knowledge = settings.knowledge_dir.with_name(f".{settings.knowledge_dir.name}.pre-restore-{token}")
    old_feedback = settings.feedback_path.with_name(f".{settings.feedback_path.name}.pre-restore-{token}")
    current = settings.index_dir / "current"
    old_build = current.resolve() if current.exists() else None
    undo: list = []
    try:
        if settings.knowledge_dir.exists():
            os.rename(settings.knowledge_dir, old_knowledge)
            undo.append(lambda: os.rename(old_knowledge, settings.knowledge_dir))
        os.rename(staged.knowledge, settings.knowledge_dir)
        undo.insert(0, lambda: os.rename(settings.knowledge_dir, staged.knowledge))
        if settings.feedback_path.exists():
            os.rename(settings.feedback_path, old_feedback)
            undo.insert(0, lambda: os.rename(old_feedback, settings.feedback_path))
        os.rename(staged.feedback, settings.feedback_path)
        undo.insert(0, lambda: os.rename(settings.feedback_path, staged.feedback))
        swap_current(settings.index_dir, staged.index)
    except OSError:
        for step in undo:
            step()
        if old_build is not None:
            swap_current(settings.index_dir, old_build)
        _discard(staged)
        raise
    shutil.rmtree(old_knowledge, ignore_errors=True)
    old_feedback.unlink(missing_ok=True)
