"""The web surface of a real server: Gradio file routes, foreign origins, oversized uploads, and
per-client rate limiting."""

from __future__ import annotations

import asyncio
import dataclasses

import httpx
import pytest
from starlette.testclient import TestClient

from coopbot.api import EarlyRefusals, Service, create_api
from coopbot.config import Settings

TRAVERSALS = [
    "/gradio_api/file=/etc/passwd",
    "/gradio_api/file=../../../../etc/passwd",
    "/gradio_api/file=..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/gradio_api/file=%2Fetc%2Fpasswd",
    "/gradio_api/file=..%252F..%252Fetc%252Fpasswd",
    "/gradio_api/file=/proc/self/environ",
    "/gradio_api/file=knowledge/glossary.yaml",
    "/file=/etc/passwd",
    "/gradio_api/file=....//....//etc/passwd",
    "/static/../../../../etc/passwd",
    "/assets/..%2F..%2F..%2Fetc%2Fpasswd",
]


@pytest.fixture(scope="module")
def client(server_url):
    with httpx.Client(base_url=server_url, timeout=30) as http:
        yield http


@pytest.mark.parametrize("path", TRAVERSALS)
def test_file_routes_do_not_serve_files_outside_the_app(client, path):
    response = client.get(path)
    assert response.status_code in (400, 403, 404), (path, response.status_code)
    assert "root:" not in response.text and "entries:" not in response.text


@pytest.mark.parametrize("path, body", [
    ("/api/ask", {"question": "Hội nghị lần thứ 12 diễn ra ở đâu?"}),
    ("/api/feedback", {"rating": 1, "question": "q", "answer": "a"}),
    ("/api/brief", {"topic": "Lyon"}),
    ("/gradio_api/queue/join", {"data": ["Lyon ?"], "fn_index": 0, "session_hash": "x"}),
])
@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1.evil.example"])
def test_foreign_origins_cannot_change_state(client, path, body, origin):
    response = client.post(path, json=body, headers={"Origin": origin})
    assert response.status_code == 403
    assert response.json()["detail"]["code"] == "forbidden_origin"


def test_the_server_own_origin_is_allowed(client, server_url):
    response = client.post("/api/ask", json={"question": "Lyon ?", "lang": "fr"}, headers={"Origin": server_url})
    assert response.status_code == 200


def test_an_upload_one_byte_over_the_limit_is_refused(client):
    limit = 65536  # Settings.max_request_bytes, the server's default
    boundary = "coopbotboundary"

    def upload(total: int) -> httpx.Response:
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n"
                "Content-Type: text/plain\r\n\r\n").encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        body = head + b"a" * (total - len(head) - len(tail)) + tail
        return client.post("/gradio_api/upload", content=body,
                           headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

    assert upload(limit).status_code == 200
    over = upload(limit + 1)
    assert over.status_code == 413 and str(limit) in over.json()["detail"]["message"]


def test_a_chunked_upload_over_gradio_limit_is_refused(client):
    """Without Content-Length the app cannot refuse from the headers; Gradio's own max_file_size (1 MB) holds."""
    boundary = "coopbotboundary"

    def chunks():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"b.txt\"\r\n"
               "Content-Type: text/plain\r\n\r\n").encode()
        for _ in range(17):
            yield b"b" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post("/gradio_api/upload", content=chunks(),
                           headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413


def test_a_flooding_client_gets_429_while_others_go_on(settings, engine):
    app = create_api(Service(dataclasses.replace(settings, rate_limit_per_minute=5), engine))
    question = {"question": "Combien de délégués aux 12e Assises ?"}

    def client_at(address: str) -> TestClient:
        return TestClient(app, client=(address, 40000))

    with client_at("10.0.0.1") as flooder, client_at("10.0.0.2") as other:
        statuses = [flooder.post("/api/ask", json=question).status_code for _ in range(8)]
        refused = flooder.post("/api/ask", json=question)
        assert other.post("/api/ask", json=question).status_code == 200
        assert flooder.get("/api/health").status_code == 200, "reading is not limited"
    assert statuses == [200] * 5 + [429] * 3
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    detail = refused.json()["detail"]
    assert detail["code"] == "rate_limited" and "5" in detail["message"] and "Réessayez" in detail["message"]


def test_a_client_flooding_on_after_refusals_gets_nothing_while_others_go_on(settings, engine):
    boxed = dataclasses.replace(settings, rate_limit_per_minute=5, rate_limit_strikes=2, rate_limit_penalty_s=120)
    app = create_api(Service(boxed, engine))
    question = {"question": "Combien de délégués aux 12e Assises ?"}
    with TestClient(app, client=("10.0.1.1", 40000)) as flooder, TestClient(app, client=("10.0.1.2", 40000)) as other:
        refusals = [flooder.post("/api/ask", json=question) for _ in range(10)][5:]
        assert other.post("/api/ask", json=question).status_code == 200
    assert [r.status_code for r in refusals] == [429] * 5
    assert [int(r.headers["Retry-After"]) for r in refusals][2:] == [120] * 3, "the third refusal starts the penalty"
    assert int(refusals[0].headers["Retry-After"]) <= 60
    assert refusals[-1].json()["detail"]["code"] == "rate_limited"
    assert refusals[-1].headers["X-Content-Type-Options"] == "nosniff"


def test_a_refused_request_is_answered_without_reading_its_body_or_routing(settings):
    routed: list[str] = []

    async def app(scope, receive, send):
        routed.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def receive():
        raise AssertionError("the body was read")

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    middleware = EarlyRefusals(app, dataclasses.replace(settings, rate_limit_per_minute=1, rate_limit_burst=0))
    scope = {"type": "http", "method": "POST", "path": "/api/ask", "headers": [(b"content-length", b"40")],
             "client": ("10.0.1.3", 40000), "scheme": "http", "server": ("testserver", 80), "query_string": b""}
    for _ in range(3):
        asyncio.run(middleware(scope, receive, send))
    assert routed == ["/api/ask"]
    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [200, 429, 429]


def test_a_burst_is_cut_short_within_the_minute_allowance(settings, engine):
    limited = dataclasses.replace(settings, rate_limit_per_minute=60, rate_limit_burst=3, rate_limit_burst_seconds=30)
    app = create_api(Service(limited, engine))
    with TestClient(app, client=("10.0.0.3", 40000)) as burster:
        statuses = [burster.post("/api/feedback", json={"rating": 1, "question": "q", "answer": "a"}).status_code
                    for _ in range(5)]
        refused = burster.post("/api/feedback", json={"rating": 1, "question": "q", "answer": "a"})
    assert statuses == [201] * 3 + [429] * 2
    assert 1 <= int(refused.headers["Retry-After"]) <= 30


def test_limiting_off_turns_the_burst_limit_off_too(settings, engine):
    unlimited = dataclasses.replace(settings, rate_limit_per_minute=0, rate_limit_burst=1)
    with TestClient(create_api(Service(unlimited, engine)), client=("10.0.0.4", 40000)) as client:
        statuses = {client.post("/api/feedback", json={"rating": 1, "question": "q", "answer": "a"}).status_code
                    for _ in range(4)}
    assert statuses == {201}


def test_boolean_settings_read_the_usual_words(monkeypatch):
    monkeypatch.setenv("COOPBOT_ACCESS_LOG", "yes")
    assert Settings.from_env().access_log is True
    monkeypatch.setenv("COOPBOT_ACCESS_LOG", "0")
    assert Settings.from_env().access_log is False
