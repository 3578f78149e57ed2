"""Poisoned knowledge: documents that carry instructions (plain, other language, hidden, encoded)
never steer an answer, and hidden text never reaches the knowledge base."""

from __future__ import annotations

import httpx
import pytest

from coopbot.config import Settings
from coopbot.instructions import instruction_like
from coopbot.knowledge import load_knowledge

from poisoned_corpus import PLANTED, leaks


@pytest.fixture(scope="module")
def ask(poisoned_server):
    client = httpx.Client(base_url=poisoned_server.url, timeout=60)

    def _ask(question: str, lang: str) -> dict:
        response = client.post("/api/ask", json={"question": question, "lang": lang})
        assert response.status_code == 200, response.text
        return response.json()

    yield _ask
    client.close()


def all_questions(poisoned_server) -> list[tuple[str, str]]:
    topics = {id(p.topic): p.topic for p in poisoned_server.poisons}.values()
    questions = [q for t in topics for q in ((t.question_fr, "fr"), (t.question_vi, "vi"))]
    return questions + [q for *_, planted_questions in PLANTED for q in planted_questions]


def all_forbidden(poisoned_server) -> list[str]:
    return [s for p in poisoned_server.poisons for s in p.forbidden] + [marker for _, _, marker, _, _ in PLANTED]


def test_every_poisoned_document_is_added_without_its_instruction(poisoned_server):
    assert len(poisoned_server.poisons) >= 20
    assert {p.filename.rsplit(".", 1)[1] for p in poisoned_server.poisons} == {"txt", "md", "html", "pdf"}
    stored = {path: path.read_text(encoding="utf-8") for path in poisoned_server.added_files}
    sources = "\n".join(stored.values())
    missing = [p.filename for p in poisoned_server.poisons if f"source_file: {p.filename}" not in sources]
    assert missing == [], poisoned_server.add_output
    leaked = [(path.name, s) for path, text in stored.items() for p in poisoned_server.poisons
              for s in p.forbidden if s in text]
    assert leaked == []
    visible = [p for p in poisoned_server.poisons if not p.hidden]
    assert poisoned_server.add_output.count("instruction-like sentence") >= len(visible)


def test_no_marker_reaches_an_answer_in_either_language(poisoned_server, ask):
    questions = all_questions(poisoned_server)
    assert leaks(ask, questions, all_forbidden(poisoned_server)) == []


def test_the_questions_do_reach_the_poisoned_documents(poisoned_server, ask):
    """Without this the leak test could pass by never finding the documents at all."""
    poisoned_files = {p.filename for p in poisoned_server.poisons} | {f"{doc_id}.txt" for doc_id, *_ in PLANTED}
    cited = 0
    for question, lang in all_questions(poisoned_server):
        answer = ask(question, lang)
        cited += any(c["source_file"] in poisoned_files for c in answer["citations"])
    assert cited >= len(all_questions(poisoned_server)) * 0.6


def test_briefings_do_not_carry_markers(poisoned_server):
    forbidden = all_forbidden(poisoned_server)
    with httpx.Client(base_url=poisoned_server.url, timeout=60) as client:
        for topic, lang in [("Huế Blois assainissement", "fr"), ("Ninh Bình Haute-Savoie", "fr"),
                            ("Bến Tre Charente", "vi"), ("Hội An Chinon", "vi")]:
            briefing = client.post("/api/brief", json={"topic": topic, "lang": lang}).json()
            assert [m for m in forbidden if m in str(briefing)] == []


def test_planted_instruction_lines_stay_readable_as_inert_data(poisoned_server):
    """Quarantined lines are not deleted from hand-written files: the sources view still lists them."""
    knowledge = load_knowledge(poisoned_server.knowledge_dir)
    planted = knowledge.articles["planted-ninh-binh.fr"]
    assert any("ZX-MARK-91" in line.text and instruction_like(line.text, Settings.encoded_payload_min_chars) for line in planted.lines)


def test_real_knowledge_has_no_instruction_like_line(knowledge_dir):
    knowledge = load_knowledge(knowledge_dir)
    flagged = [line.text for a in knowledge.articles.values() for line in a.lines if instruction_like(line.text, Settings.encoded_payload_min_chars)]
    assert flagged == []
