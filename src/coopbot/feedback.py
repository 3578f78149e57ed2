"""Thumbs up/down with an optional comment, kept durably in SQLite."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]'
)
"""
FIELDS = ("id", "created", "rating", "comment", "question", "language", "answer", "citations")
MAX_COMMENT_CHARS = 2000


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, rating: int, question: str, answer: str, citations: list | None = None,
            comment: str = "", language: str = "") -> int:
        if rating not in (-1, 1):
            raise ValueError("rating must be 1 (up) or -1 (down)")
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO feedback (created, rating, comment, question, language, answer, citations) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (time.strftime("%Y-%m-%dT%H:%M:%S%z"), rating, comment[:MAX_COMMENT_CHARS], question, language,
                 answer, json.dumps(citations or [], ensure_ascii=False)),
            )
            return int(cursor.lastrowid)

    def rows(self) -> list[dict]:
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM feedback ORDER BY id")]

    def export(self, fmt: str) -> str:
        rows = self.rows()
        if fmt == "jsonl":
            return "".join(json.dumps({**r, "citations": json.loads(r["citations"])}, ensure_ascii=False) + "\n"
                           for r in rows)
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
            return buffer.getvalue()
        raise ValueError("format must be csv or jsonl")
