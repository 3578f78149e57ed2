"""Generative mode over real HTTP: ChatOpenAI against a fake OpenAI-compatible server on loopback,
through the engine, the JSON API and the web chat, for a success and each fallback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coopbot.compose import Answer
from coopbot.engine import Engine
from coopbot.generate import make_chat_model

from engine_fixtures import free_port
from fake_llm_server import FakeLLMServer, Reply, echo_first_passage

QUESTION = "Combien de délégués ont participé aux 12e Assises ?"
TIMEOUT_S = 1.0


@pytest.fixture(scope="module")
def llm():
    with FakeLLMServer() as server:
        yield server


def generative(engine: Engine, base_url: str) -> Engine:
    settings = replace(engine.settings, llm_base_url=base_url, llm_model="fake-model", llm_timeout_s=TIMEOUT_S)
    return engine.with_chat_model(make_chat_model(settings), settings)


@pytest.fixture(scope="module")
def llm_engine(engine, llm) -> Engine:
    return generative(engine, llm.base_url)


def test_a_faithful_model_answers_generatively(llm_engine, llm):
    llm.replies = echo_first_passage
    answer = llm_engine.ask(QUESTION)
    assert answer.mode == "generative" and answer.fallback_reason is None
    assert answer.answer.endswith("[1]") and len(answer.citations) == 1
    assert answer.citations[0].text in answer.answer
    request = llm.requests[-1]
    assert request["model"] == "fake-model" and not request.get("stream")
    assert [m["role"] for m in request["messages"]] == ["system", "user"]


def test_a_streamed_answer_arrives_in_pieces_then_verified(llm_engine, llm):
    llm.replies = lambda request: Reply(echo_first_passage(request), chunk_chars=5)
    items = list(llm_engine.ask_stream(QUESTION))
    assert llm.requests[-1]["stream"] is True
    drafts, final = items[:-1], items[-1]
    assert len(drafts) > 5 and all(isinstance(d, str) for d in drafts)
    assert isinstance(final, Answer) and final.mode == "generative" and drafts[-1].startswith(final.citations[0].text)


@pytest.mark.parametrize(("reply", "reason"), [
    (Reply("Plus de 4 321 délégués ont participé [1]."), "unsupported_figure"),
    (Reply("Plus de délégués que jamais [9]."), "bad_citation"),
    (Reply("Beaucoup de délégués ont participé."), "uncited_sentence"),
    (Reply(""), "empty_output"),
    (Reply("Plus de 1 000 délégués [1].", delay_s=TIMEOUT_S + 1), "timeout"),
    (Reply("overloaded", status=500), "llm_error"),
])
@pytest.mark.parametrize("streamed", [False, True])
def test_each_failure_falls_back_to_the_extractive_answer(engine, llm_engine, llm, reply, reason, streamed):
    llm.replies = [reply]
    answer = list(llm_engine.ask_stream(QUESTION))[-1] if streamed else llm_engine.ask(QUESTION)
    assert answer.mode == "extractive" and answer.fallback_reason == reason
    assert answer.answer == engine.ask(QUESTION).answer


def test_an_unreachable_server_falls_back(engine):
    answer = generative(engine, f"http://127.0.0.1:{free_port()}/v1").ask(QUESTION)
    assert answer.mode == "extractive" and answer.fallback_reason == "connection_error"


def test_the_api_answers_after_verification(llm_engine, llm, tmp_path):
    from fastapi.testclient import TestClient

    from coopbot.api import Service, create_api

    settings = replace(llm_engine.settings, feedback_db=str(tmp_path / "feedback.sqlite3"))
    with TestClient(create_api(Service(settings, engine=llm_engine))) as http:
        llm.replies = echo_first_passage
        good = http.post("/api/ask", json={"question": QUESTION}).json()
        llm.replies = ["Plus de 4 321 délégués [1]."]
        bad = http.post("/api/ask", json={"question": QUESTION}).json()
    assert good["mode"] == "generative" and good["fallback_reason"] is None and good["citations"]
    assert bad["mode"] == "extractive" and bad["fallback_reason"] == "unsupported_figure"
    assert "4 321" not in bad["answer"]


def test_the_web_chat_streams_then_shows_the_checked_answer(llm_engine, llm, tmp_path):
    from coopbot.api import Service
    from coopbot.ui import build_ui

    service = Service(replace(llm_engine.settings, feedback_db=str(tmp_path / "f.sqlite3")), engine=llm_engine)
    respond = next(f.fn for f in build_ui(service).fns.values() if f.api_name == "ask")
    llm.replies = [Reply("Plus de 4 321 délégués ont participé [1].", chunk_chars=4)]
    updates = list(respond(QUESTION, [], "fr", {}))
    drafts = [history[-1]["content"] for _, history, _ in updates[:-1]]
    assert any("4 321" in d and "vérification des sources" in d for d in drafts)
    _, history, answers = updates[-1]
    assert "4 321" not in history[-1]["content"] and "coopbot-citation" in history[-1]["content"]
    assert answers["1"]["fallback_reason"] == "unsupported_figure"


def test_eval_runs_both_modes_side_by_side(settings, engine, llm, tmp_path, monkeypatch, repo_root):
    import json

    from typer.testing import CliRunner

    from coopbot.cli import app

    lines = (repo_root / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    unanswerable = next(line for line in lines if '"answerable": false' in line)
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join([*lines[:3], unanswerable]) + "\n", encoding="utf-8")
    env = {"COOPBOT_KNOWLEDGE_DIR": str(settings.knowledge_dir), "COOPBOT_DATA_DIR": str(settings.data_dir)}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    refused = runner.invoke(app, ["eval", "--set", "dev", "--llm", "--gold", str(gold), "--out", str(tmp_path / "no")])
    assert refused.exit_code == 2 and "COOPBOT_LLM_BASE_URL" in refused.output
    monkeypatch.setenv("COOPBOT_LLM_BASE_URL", llm.base_url)
    monkeypatch.setenv("COOPBOT_LLM_MODEL", "fake-model")
    llm.replies = echo_first_passage
    result = runner.invoke(app, ["eval", "--set", "dev", "--llm", "--no-baselines", "--gold", str(gold),
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "report.json").read_text())["sets"]["dev"]
    assert set(report["systems"]) == {"coopbot", "coopbot-llm"}
    assert report["systems"]["coopbot"]["all"]["generative_rate"] == 0.0
    assert report["systems"]["coopbot-llm"]["all"]["generative_rate"] == 0.75
    assert report["fallbacks"] == {"none": 3, "unsupported": 1}
    assert "Generative (coopbot-llm)" in (tmp_path / "report.md").read_text()
