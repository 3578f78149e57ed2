"""The JSON API over real HTTP against a started `coopbot serve`, and the Gradio app via gradio_client."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from engine_fixtures import STAFF_TOKEN


@pytest.fixture(scope="module")
def client(server_url):
    with httpx.Client(base_url=server_url, timeout=30) as http:
        yield http


def test_ask_returns_the_contract(client):
    response = client.post("/api/ask", json={"question": "Combien de délégués aux 12e Assises ?"})
    assert response.status_code == 200
    data = response.json()
    assert data["language"] == "fr" and data["mode"] == "extractive" and not data["abstained"]
    assert data["citations"][0]["lang"] == "fr" and data["citations"][0]["original_lang"] == "vi"
    assert set(data["timings_ms"]) == {"retrieve", "answer", "total"}
    assert "Content-Security-Policy" in response.headers


def test_forced_language_and_abstention(client):
    data = client.post("/api/ask", json={"question": "Giá vàng hôm nay là bao nhiêu?", "lang": "vi"}).json()
    assert data["abstained"] and data["citations"] == [] and data["language"] == "vi"


@pytest.mark.parametrize("body, status, code", [
    ({"question": ""}, 422, "empty_question"),
    ({"question": "x" * 2001}, 413, "question_too_long"),
    ({"question": "Who is the mayor of Lyon?"}, 422, "unsupported_language"),
])
def test_bad_questions_get_4xx_with_a_message(client, body, status, code):
    response = client.post("/api/ask", json=body)
    assert response.status_code == status
    assert response.json()["detail"]["code"] == code and response.json()["detail"]["message"]


def test_malformed_and_oversized_bodies(client):
    assert client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    assert client.post("/api/ask", json={"question": "Lyon ?", "lang": "en"}).status_code == 422
    huge = client.post("/api/ask", json={"question": "a" * 100_000})
    assert huge.status_code == 413 and "max" in huge.json()["detail"]["message"]


def test_follow_up_uses_the_conversation(client):
    first = "Quan hệ hợp tác giữa Hà Nội và vùng Ile-de-France bắt đầu từ năm nào?"
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": "… 1989 … [1]"}]
    data = client.post("/api/ask", json={"question": "Còn Lyon thì sao?", "history": history}).json()
    assert data["question"] == "Còn Lyon thì sao?" and data["language"] == "vi"
    assert "1997" in data["answer"]


def test_documents_health_and_docs(client):
    documents = client.get("/api/documents").json()
    assert len(documents) == 10
    assert {d["lang"] for d in documents} == {"vi", "fr"}
    assert all(d["translation_of"].endswith(".vi") for d in documents if d["lang"] == "fr")
    one = client.get(f"/api/documents/{documents[0]['id']}").json()
    assert one["lines"] and one["lines"][0]["n"] == 1
    assert client.get("/api/documents/nope").status_code == 404
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["sentences"] > 100
    assert client.get("/docs").status_code == 200
    assert "/api/ask" in client.get("/openapi.json").json()["paths"]


def test_brief_and_feedback_round_trip(client):
    brief = client.post("/api/brief", json={"topic": "Toulouse", "lang": "fr"}).json()
    assert brief["markdown"].startswith("# Note de synthèse") and brief["references"]
    created = client.post("/api/feedback", json={"rating": -1, "question": "q", "answer": "a", "comment": "faux"})
    assert created.status_code == 201
    staff = {"Authorization": f"Bearer {STAFF_TOKEN}"}
    assert '"comment": "faux"' in client.get("/api/feedback/export", headers=staff).text
    assert client.post("/api/feedback", json={"rating": 3, "question": "q", "answer": "a"}).status_code == 422


def test_a_vote_with_an_answer_id_replaces_the_earlier_one(client):
    vote = {"question": "Qui ?", "answer": "Lui [1]", "answer_id": "api-vote-1"}
    first = client.post("/api/feedback", json={**vote, "rating": 1, "comment": "bien"})
    second = client.post("/api/feedback", json={**vote, "rating": -1})
    assert first.json()["id"] == second.json()["id"]
    export = client.get("/api/feedback/export", headers={"Authorization": f"Bearer {STAFF_TOKEN}"}).text
    rows = [row for row in map(json.loads, export.splitlines()) if row["answer_id"] == "api-vote-1"]
    assert [(r["rating"], r["comment"]) for r in rows] == [(-1, "bien")]
    assert client.post("/api/feedback", json={**vote, "rating": 1, "answer_id": "a b"}).status_code == 422


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic c3RhZmY6d3Jvbmc="},  # staff:wrong
    {"Authorization": f"Basic {base64.b64encode(f'other:{STAFF_TOKEN}'.encode()).decode()}"},
])
def test_the_feedback_export_is_refused_without_staff_credentials(client, headers):
    response = client.get("/api/feedback/export", headers=headers)
    assert response.status_code == 401 and response.json()["detail"]["code"] == "staff_only"
    assert "comment" not in response.text and response.headers["WWW-Authenticate"].startswith("Basic")


def test_the_feedback_export_takes_the_staff_token_as_bearer_or_basic(client):
    assert client.get("/api/feedback/export", headers={"Authorization": f"Bearer {STAFF_TOKEN}"}).status_code == 200
    assert client.get("/api/feedback/export?fmt=csv", auth=("staff", STAFF_TOKEN)).text.startswith("id,created")


def test_the_feedback_export_is_refused_when_no_staff_token_is_set(settings, engine):
    from fastapi.testclient import TestClient

    from coopbot.api import Service, create_api

    assert settings.staff_token == ""
    with TestClient(create_api(Service(settings, engine))) as http:
        for auth in (None, ("staff", ""), ("coopbot", "anything")):
            response = http.get("/api/feedback/export", auth=auth)
            assert response.status_code == 403 and response.json()["detail"]["code"] == "export_disabled"
        assert http.get("/api/feedback/export", headers={"Authorization": "Bearer "}).status_code == 403


def test_gradio_app_answers_through_gradio_client(server_url):
    from gradio_client import Client

    gradio = Client(server_url + "/", verbose=False)
    cleared, history = gradio.predict("Ai là Phó Thị trưởng Toulouse?", [], "vi", {}, api_name="/ask")
    assert cleared == ""
    reply = history[-1]["content"]
    reply_text = reply if isinstance(reply, str) else " ".join(b.get("text", "") for b in reply)
    assert "Dardelet" in reply_text and "<details" in reply_text


def test_password_protection_when_configured(settings, engine):
    from dataclasses import replace

    from fastapi.testclient import TestClient

    from coopbot.api import Service, create_api

    protected = replace(settings, auth_user="staff", auth_password="s3cret")
    api = create_api(Service(protected, engine))
    with TestClient(api) as http:
        question = {"question": "Qui est le vice-maire de Toulouse ?"}
        assert http.post("/api/ask", json=question).status_code == 401
        assert http.post("/api/ask", json=question, auth=("staff", "wrong")).status_code == 401
        assert http.post("/api/ask", json=question, auth=("staff", "s3cret")).status_code == 200
        assert http.get("/api/health").status_code == 200, "health stays open for monitoring"
