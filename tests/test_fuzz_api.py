"""Schemathesis against the app's own OpenAPI schema, in process: generated valid and malformed
requests never get a 5xx, and every response conforms to the schema (status, content type, body).
bench/fuzz_api.py runs the same against a real server with 1,000+ cases."""

from __future__ import annotations

import dataclasses

from coopbot.api import Service, create_api

from fuzzing import fuzz_app

EXAMPLES_PER_MODE = 20  # per operation, positive and negative: ~300 cases in the suite


def test_generated_requests_get_no_server_error_and_conform(settings, engine, tmp_path):
    fuzz_settings = dataclasses.replace(settings, rate_limit_per_minute=0, feedback_db=str(tmp_path / "fb.sqlite3"))
    report = fuzz_app(create_api(Service(fuzz_settings, engine)), EXAMPLES_PER_MODE)
    assert report.cases >= 150
    assert report.server_errors == 0, report.statuses
    assert report.failures == []


def test_a_100_kb_question_is_refused_before_retrieval(settings, engine, monkeypatch):
    """Refused from the Content-Length header alone: the retriever is never called (spy). The time is
    asserted with generous slack (shared CI cores); bench/fuzz_api.py prints the measured figure."""
    import time

    from starlette.testclient import TestClient

    from coopbot.retrieve import HybridRetriever

    searches = []
    original = HybridRetriever.search
    monkeypatch.setattr(HybridRetriever, "search", lambda self, *a, **k: searches.append(a) or original(self, *a, **k))
    app = create_api(Service(dataclasses.replace(settings, rate_limit_per_minute=0), engine))
    with TestClient(app) as client:
        assert client.post("/api/ask", json={"question": "Hội nghị lần thứ 12 diễn ra ở đâu?"}).status_code == 200
        assert len(searches) == 1, "the spy sees a normal question"
        started = time.perf_counter()
        response = client.post("/api/ask", json={"question": "a" * 100_000})
        elapsed_ms = (time.perf_counter() - started) * 1000
        too_long = client.post("/api/ask", json={"question": "Lyon ? " * 500})
    assert response.status_code == 413 and response.json()["detail"]["message"]
    assert too_long.status_code == 413 and too_long.json()["detail"]["code"] == "question_too_long"
    assert len(searches) == 1, "neither refused question reached retrieval"
    assert elapsed_ms < 1000
