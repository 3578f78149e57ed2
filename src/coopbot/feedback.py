"""Thumbs up/down with an optional comment, kept durably in SQLite.

A vote given for an identified answer (`answer_id`) replaces that answer's earlier vote,
so 👍 then 👎 leaves one 👎, and withdrawing it leaves none."""

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
    citations TEXT NOT NULL DEFAULT '[]',
    answer_id TEXT
)
"""
ONE_VOTE_PER_ANSWER = "CREATE UNIQUE INDEX IF NOT EXISTS feedback_answer ON feedback (answer_id) WHERE answer_id IS NOT NULL"
FIELDS = ("id", "created", "rating", "comment", "question", "language", "answer", "citations", "answer_id")
MAX_COMMENT_CHARS = 2000


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(feedback)")}
            if "answer_id" not in columns:  # a database written before votes were per answer
                db.execute("ALTER TABLE feedback ADD COLUMN answer_id TEXT")
            db.execute(ONE_VOTE_PER_ANSWER)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def add(self, rating: int, question: str, answer: str, citations: list | None = None,
            comment: str = "", language: str = "", answer_id: str | None = None) -> int:
        """Store a vote; one for the same `answer_id` replaces it (keeping its comment unless a new one
        is given). Returns the row id."""
        if rating not in (-1, 1):
            raise ValueError("rating must be 1 (up) or -1 (down)")
        with self._connect() as db:
            row = db.execute(
                "INSERT INTO feedback (created, rating, comment, question, language, answer, citations, answer_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (answer_id) WHERE answer_id IS NOT NULL DO UPDATE SET created = excluded.created, "
                "rating = excluded.rating, comment = CASE WHEN excluded.comment = '' THEN feedback.comment "
                "ELSE excluded.comment END RETURNING id",
                (time.strftime("%Y-%m-%dT%H:%M:%S%z"), rating, comment[:MAX_COMMENT_CHARS], question, language,
                 answer, json.dumps(citations or [], ensure_ascii=False), answer_id),
            ).fetchone()
            return int(row[0])

    def withdraw(self, answer_id: str) -> bool:
        """Forget the vote given for an answer; False if there was none."""
        with self._connect() as db:
            return db.execute("DELETE FROM feedback WHERE answer_id = ?", (answer_id,)).rowcount > 0

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
