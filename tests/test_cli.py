"""The `coopbot` command: ask (text, JSON, JSON Lines), exit codes, index, brief, feedback export."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from coopbot.cli import app

runner = CliRunner()


@pytest.fixture
def env(settings, engine) -> dict:
    """Point the CLI at the session's already-built index."""
    return {"COOPBOT_KNOWLEDGE_DIR": str(settings.knowledge_dir), "COOPBOT_DATA_DIR": str(settings.data_dir)}


def test_ask_json_follows_the_contract(env):
    result = runner.invoke(app, ["ask", "--json", "Combien de délégués aux 12e Assises ?"], env=env)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["language"] == "fr" and data["mode"] == "extractive" and not data["abstained"]
    assert data["citations"] and data["citations"][0]["lang"] == "fr"


def test_ask_reads_json_lines_from_stdin(env):
    stdin = "Hội nghị lần thứ 12 diễn ra ở đâu?\n\nQui est le vice-maire de Toulouse ?\nWhat time is it?\n"
    result = runner.invoke(app, ["ask", "--json", "-"], input=stdin, env=env)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r.get("language") for r in rows[:2]] == ["vi", "fr"]
    assert rows[2]["error"]["code"] == "unsupported_language"


def test_plain_ask_prints_numbered_sources(env):
    result = runner.invoke(app, ["ask", "Quan hệ hợp tác giữa TP.HCM và Lyon bắt đầu từ năm nào?"], env=env)
    assert result.exit_code == 0
    assert "1997" in result.stdout and "[1]" in result.stdout and "thoidai" in result.stdout


@pytest.mark.parametrize("question", ["", "  ", "x" * 2001])
def test_bad_questions_exit_2_with_a_message(env, question):
    result = runner.invoke(app, ["ask", question], env=env)
    assert result.exit_code == 2
    assert result.stderr.strip() and "Traceback" not in result.output


def test_brief_writes_markdown_and_docx(env, tmp_path):
    result = runner.invoke(app, ["brief", "Lyon", "--lang", "fr"], env=env)
    assert result.exit_code == 0
    assert result.stdout.startswith("# Note de synthèse: Lyon") and "1997" in result.stdout
    out = tmp_path / "brief.docx"
    assert runner.invoke(app, ["brief", "Toulouse", "-o", str(out)], env=env).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_feedback_export(env, tmp_path, settings):
    from coopbot.feedback import FeedbackStore

    db = tmp_path / "fb.sqlite3"
    FeedbackStore(db).add(1, "q?", "a [1]", [{"n": 1}], comment="utile", language="fr")
    env = {**env, "COOPBOT_FEEDBACK_DB": str(db)}
    jsonl = runner.invoke(app, ["feedback", "export", "--format", "jsonl"], env=env)
    assert json.loads(jsonl.stdout)["comment"] == "utile"
    csv_out = runner.invoke(app, ["feedback", "export", "--format", "csv"], env=env)
    assert csv_out.stdout.splitlines()[0].startswith("id,created,rating")
    assert runner.invoke(app, ["feedback", "export", "--format", "xml"], env=env).exit_code == 2


@pytest.mark.parametrize("args", [["--set", "test", "--translate"], ["--growth", "--translate", "--url", "http://x"]])
def test_eval_translate_needs_the_growth_set_asked_in_process(args):
    result = runner.invoke(app, ["eval", "--fast", *args])
    assert result.exit_code == 2 and "--translate needs the growth set" in result.output
