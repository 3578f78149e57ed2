"""A live Engine keeps answering from the index it holds while another process rebuilds, then moves to the new one."""

from __future__ import annotations

import subprocess
from dataclasses import replace

from coopbot.engine import Engine
from coopbot.index import build_index

from engine_fixtures import FAST_EXPECTED, FAST_QUESTION, coopbot_command, settings_env

QUIMPER = "La ville de Quimper et la province de Quảng Trị ont signé un accord sur la pêche artisanale en 2031."
QUIMPER_QUESTION = "En quelle année Quimper et Quảng Trị ont-ils signé un accord sur la pêche ?"
MAX_ASKS_DURING_ADD = 200


def test_live_engine_answers_during_an_add_and_picks_up_the_new_document(fast_settings, tmp_path):
    build_index(fast_settings, progress=False)
    engine = Engine(fast_settings, notify=lambda message: None)
    old_build = engine.index.path.name
    assert "2031" not in engine.ask(QUIMPER_QUESTION).answer
    (tmp_path / "quimper.txt").write_text(QUIMPER, encoding="utf-8")
    adding = subprocess.Popen(coopbot_command("add", str(tmp_path / "quimper.txt")), env=settings_env(fast_settings),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    answered_during_add = 0
    while adding.poll() is None and answered_during_add < MAX_ASKS_DURING_ADD:
        answer = engine.ask(FAST_QUESTION)
        assert not answer.abstained and FAST_EXPECTED in answer.answer
        answered_during_add += 1
    assert adding.wait(timeout=120) == 0, adding.stdout.read()
    assert answered_during_add > 0
    answer = engine.ask(QUIMPER_QUESTION)
    assert engine.index.path.name != old_build
    assert not answer.abstained and "2031" in answer.answer
    assert any(c.doc_id.startswith("la-ville-de-quimper") for c in answer.citations)


def test_engine_checks_for_a_new_index_at_most_every_interval(fast_settings):
    build_index(fast_settings, progress=False)
    engine = Engine(replace(fast_settings, index_reload_interval_s=3600), notify=lambda message: None)
    held = engine.index.path.name
    build_index(fast_settings, progress=False)
    engine.ask(FAST_QUESTION)
    assert engine.index.path.name == held


def test_engine_waits_for_an_index_that_matches_the_knowledge(fast_settings):
    build_index(fast_settings, progress=False)
    engine = Engine(fast_settings, notify=lambda message: None)
    held = engine.index.path.name
    build_index(fast_settings, progress=False)
    (fast_settings.knowledge_dir / "glossary.yaml").write_text(
        (fast_settings.knowledge_dir / "glossary.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    answer = engine.ask(FAST_QUESTION)
    assert engine.index.path.name == held and FAST_EXPECTED in answer.answer


def test_the_units_come_back_in_the_answerers_order_with_the_fusion_order_kept(engine):
    answer, retrieval = engine.answer_with_retrieval("Có bao nhiêu đại biểu tham dự Hội nghị lần thứ 11 ở Toulouse?")
    assert not answer.abstained
    first_cited = engine.knowledge.unit_id(answer.citations[0].sentence_id)
    assert retrieval.units[0].unit_id == first_cited
    assert sorted(retrieval.first_stage) == sorted(u.unit_id for u in retrieval.units)
