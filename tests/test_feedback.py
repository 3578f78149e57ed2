"""Feedback votes: one per answer, changeable and withdrawable; older databases are upgraded in place."""

from __future__ import annotations

import sqlite3

from coopbot.feedback import FeedbackStore


def test_one_vote_per_answer_replaces_and_withdraws(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    first = store.add(1, "q", "a", comment="clair", answer_id="answer-1")
    assert store.add(-1, "q", "a", answer_id="answer-1") == first
    store.add(1, "q2", "a2", answer_id="answer-2")
    assert [(r["answer_id"], r["rating"], r["comment"]) for r in store.rows()] == [
        ("answer-1", -1, "clair"), ("answer-2", 1, "")]
    assert store.withdraw("answer-1") and not store.withdraw("answer-1")
    assert [r["answer_id"] for r in store.rows()] == ["answer-2"]


def test_votes_without_an_answer_id_are_kept_apart(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add(1, "q", "a")
    store.add(-1, "q", "a")
    assert [r["rating"] for r in store.rows()] == [1, -1]


def test_a_database_from_before_answer_ids_is_upgraded(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL, rating INTEGER "
                   "NOT NULL, comment TEXT NOT NULL DEFAULT '', question TEXT NOT NULL, language TEXT NOT NULL "
                   "DEFAULT '', answer TEXT NOT NULL, citations TEXT NOT NULL DEFAULT '[]')")
        db.execute("INSERT INTO feedback (created, rating, question, answer) VALUES ('2023', 1, 'q', 'a')")
    store = FeedbackStore(path)
    store.add(-1, "q", "a", answer_id="x")
    store.add(1, "q", "a", answer_id="x")
    assert [(r["rating"], r["answer_id"]) for r in store.rows()] == [(1, None), (1, "x")]
    assert "answer_id" in store.export("csv").splitlines()[0]
