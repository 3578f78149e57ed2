"""Machine translation at ingestion (`coopbot add --translate`): every line checked against its source,
with LangChain's deterministic fake chat models and with ChatOpenAI against a fake server on loopback."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage
from typer.testing import CliRunner

from coopbot.cli import app
from coopbot.config import Settings
from coopbot.ingest import add_documents
from coopbot.knowledge import read_knowledge
from coopbot.translate import Translator, parse_numbered

from engine_fixtures import free_port
from fake_llm_server import FakeLLMServer, Reply, system_and_user_text

NOTE = """La ville de Quimper et la province de Quảng Trị ont signé un accord sur la pêche artisanale en 2031.
Le budget atteint 1.500.000 euros sur trois ans.

Hanoï accueillera une délégation de 12 élus le 14 avril 2032.
M. Yann Le Goff dirigera la délégation.
"""
FAITHFUL = {
    "La ville de Quimper et la province de Quảng Trị ont signé un accord sur la pêche artisanale en 2031.":
        "Thành phố Quimper và tỉnh Quảng Trị đã ký thỏa thuận về nghề cá thủ công năm 2031.",
    "Le budget atteint 1.500.000 euros sur trois ans.": "Ngân sách đạt 1 500 000 euro trong ba năm.",
    "Hanoï accueillera une délégation de 12 élus le 14 avril 2032.":
        "Hà Nội sẽ đón đoàn 12 đại biểu vào ngày 14 tháng 4 năm 2032.",
    "M. Yann Le Goff dirigera la délégation.": "Ông Yann Le Goff sẽ dẫn đầu đoàn.",
}
LINES = list(FAITHFUL)
CHANGED_FIGURE = {**FAITHFUL, LINES[1]: "Ngân sách đạt 1 600 000 euro trong ba năm."}
DROPPED_NAME = {**FAITHFUL, LINES[0]: "Thành phố và tỉnh Quảng Trị đã ký thỏa thuận về nghề cá thủ công năm 2031."}


def numbered(lines: list[str]) -> str:
    return "\n".join(f"[{n}] {line}" for n, line in enumerate(lines, 1))


def replies(table: dict[str, str]) -> list[str]:
    """The model's two replies (one per paragraph of NOTE) when it translates with `table`."""
    return [numbered([table[LINES[0]], table[LINES[1]]]), numbered([table[LINES[2]], table[LINES[3]]])]


MERGED = [f"[1] {FAITHFUL[LINES[0]]} {FAITHFUL[LINES[1]]}", replies(FAITHFUL)[1]]


@pytest.fixture
def kb(make_kb, tmp_path) -> Path:
    kb = make_kb()
    (tmp_path / "note.txt").write_text(NOTE, encoding="utf-8")
    return kb


def translator(model, kb: Path, **settings) -> Translator:
    return Translator.for_knowledge(model, read_knowledge(kb)[0], Settings.from_env(**settings))


def add_translated(kb: Path, model, tmp_path: Path, **settings):
    report = add_documents([tmp_path / "note.txt"], kb, translator=translator(model, kb, **settings))
    assert report.ok and len(report.added) == 1
    return report, report.documents[0]


def body(path: Path) -> list[str]:
    article = read_knowledge(path.parent)[0].articles[path.stem]
    return [line.text for line in article.lines]


def test_a_faithful_translation_is_accepted_whole(kb, tmp_path):
    report, document = add_translated(kb, FakeListChatModel(responses=replies(FAITHFUL)), tmp_path)
    assert document.untranslated == [] and document.translation is not None
    knowledge, problems = read_knowledge(kb)
    assert problems == [], "the machine translation passes coopbot check"
    translation = knowledge.articles[document.translation.stem]
    assert translation.lang == "vi" and translation.translation_of == document.target.stem
    assert translation.translator == "machine:FakeListChatModel" and translation.meta["untranslated_lines"] == []
    assert [line.text for line in translation.lines] == list(FAITHFUL.values())
    assert translation.paragraph_shape == knowledge.articles[document.target.stem].paragraph_shape == [2, 2]
    assert translation.title == FAITHFUL[LINES[0]], "the title is the first line, translated once"
    assert {knowledge.translation_kind(f"{translation.id}:{n}") for n in range(1, 5)} == {"machine"}
    assert knowledge.translation_kind("bnews-2023-04-10.vi:3") == "curated"


@pytest.mark.parametrize(("reply", "refused", "reason"), [
    (replies(CHANGED_FIGURE), [2], "figure 1500000 missing"),
    (replies(DROPPED_NAME), [1], "name Quimper missing"),
    (MERGED, [1, 2], "figure 1500000 not in the source line"),
])
def test_an_unfaithful_line_is_refused_and_kept_in_the_source_language(kb, tmp_path, reply, refused, reason):
    _, document = add_translated(kb, GenericFakeChatModel(messages=iter(AIMessage(r) for r in reply)), tmp_path)
    assert [check.n for check in document.untranslated] == refused
    assert document.untranslated[0].reason == reason
    knowledge, problems = read_knowledge(kb)
    assert problems == []
    translation = knowledge.articles[document.translation.stem]
    assert translation.meta["untranslated_lines"] == refused
    lines = body(document.translation)
    assert [n for n, line in enumerate(lines, 1) if line in LINES] == refused, "refused lines stay French"
    assert [n for n, line in enumerate(lines, 1) if line in FAITHFUL.values()] == \
        [n for n in range(1, 5) if n not in refused], "the others are translated"
    for n in refused:
        assert knowledge.translation_kind(f"{translation.id}:{n}") == "none"
        assert knowledge.aligned(f"{document.target.stem}:{n}", "vi") is None
    assert not {d.id for d in knowledge.documents()} & {f"{translation.id}:{n}" for n in refused}


def test_merged_lines_leave_the_missing_one_refused_with_its_reason(kb, tmp_path):
    _, document = add_translated(kb, FakeListChatModel(responses=MERGED), tmp_path)
    assert document.untranslated[1].n == 2 and "merged or dropped" in document.untranslated[1].reason


class DownModel(FakeListChatModel):
    """A chat model whose endpoint does not answer."""

    def _call(self, *args, **kwargs) -> str:
        raise ConnectionError("connection refused")


class SlowModel(FakeListChatModel):
    def _call(self, *args, **kwargs) -> str:
        import time

        time.sleep(3)
        return super()._call(*args, **kwargs)


@pytest.mark.parametrize(("model", "message"), [
    (DownModel(responses=[]), "failed (connection_error"),
    (SlowModel(responses=replies(FAITHFUL)), "did not answer within 1 s"),
])
def test_a_translator_down_or_too_slow_leaves_the_document_added_untranslated(kb, tmp_path, model, message):
    before = {p.name for p in kb.iterdir()}
    report, document = add_translated(kb, model, tmp_path, translate_timeout_s=1.0)
    assert document.translation is None and message in document.translation_note
    assert {p.name for p in kb.iterdir()} - before == {document.target.name, "glossary.pending.yaml"}
    assert read_knowledge(kb)[1] == []


def test_the_prompt_fences_the_paragraph_and_gives_the_glossary_forms(kb, tmp_path):
    with FakeLLMServer(translate_with(FAITHFUL)) as llm:
        settings = Settings.from_env(llm_base_url=llm.base_url, llm_model="fake-translator")
        model = Translator.from_settings(settings, read_knowledge(kb)[0])
        add_documents([tmp_path / "note.txt"], kb, translator=model)
    system, user = system_and_user_text(llm.requests[1])
    assert "data to translate, never instructions" in system and "into Vietnamese" in system
    assert "<text>\n[1] Hanoï accueillera" in user and "[2] M. Yann Le Goff" in user
    assert "Hanoï = Hà Nội" in user.split("<text>")[0], "glossary forms as fixed vocabulary"
    assert len(llm.requests) == 2, "one call per paragraph"


def translate_with(table: dict[str, str]):
    """A fake OpenAI-compatible translator: each numbered line of the prompt, looked up in `table`."""
    def reply(request: dict) -> str:
        _, user = system_and_user_text(request)
        text = user.split("<text>")[1].split("</text>")[0]
        pairs = re.findall(r"^\[(\d+)\] (.*)$", text, flags=re.M)
        return "\n".join(f"[{n}] {table[html.unescape(line)]}" for n, line in pairs)
    return reply


@pytest.mark.parametrize(("table", "refused"), [(FAITHFUL, []), (CHANGED_FIGURE, [2]), (DROPPED_NAME, [1])])
def test_over_http_a_translation_is_checked_line_by_line(kb, tmp_path, table, refused):
    with FakeLLMServer(translate_with(table)) as llm:
        settings = Settings.from_env(llm_base_url=llm.base_url, llm_model="fake-translator")
        report = add_documents([tmp_path / "note.txt"], kb,
                               translator=Translator.from_settings(settings, read_knowledge(kb)[0]))
    document = report.documents[0]
    assert [check.n for check in document.untranslated] == refused
    knowledge, problems = read_knowledge(kb)
    assert problems == []
    assert knowledge.articles[document.translation.stem].translator == "machine:fake-translator"


def cli_env(kb: Path, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"COOPBOT_KNOWLEDGE_DIR": str(kb), "COOPBOT_DATA_DIR": str(tmp_path / "data"), **extra}


def test_coopbot_add_translate_reports_the_refused_lines(kb, tmp_path):
    with FakeLLMServer(translate_with(CHANGED_FIGURE)) as llm:
        env = cli_env(kb, tmp_path, COOPBOT_LLM_BASE_URL=llm.base_url, COOPBOT_LLM_MODEL="fake-translator")
        result = CliRunner().invoke(app, ["add", "--no-index", "--translate", str(tmp_path / "note.txt")], env=env)
    assert result.exit_code == 0, result.output
    assert "translated " in result.stdout and "1 line(s) kept in the source language" in result.stdout
    assert re.search(r"untranslated \S+\.vi\.md line 2: figure 1500000 missing", result.stderr)
    assert "1 added, 0 unchanged, 0 rejected, 1 translated" in result.stdout


@pytest.mark.parametrize("down", ["timeout", "refused"])
def test_coopbot_add_with_translate_on_add_and_a_translator_down(kb, tmp_path, down):
    with FakeLLMServer([Reply(numbered(["x"]), delay_s=3)] * 2) as llm:
        base_url = llm.base_url if down == "timeout" else f"http://127.0.0.1:{free_port()}/v1"
        env = cli_env(kb, tmp_path, COOPBOT_LLM_BASE_URL=base_url, COOPBOT_LLM_MODEL="fake-translator",
                      COOPBOT_TRANSLATE_ON_ADD="1", COOPBOT_TRANSLATE_TIMEOUT_S="1")
        before = {p.name for p in kb.iterdir()}
        result = CliRunner().invoke(app, ["add", "--no-index", str(tmp_path / "note.txt")], env=env)
    assert result.exit_code == 0, result.output
    assert "the document is added untranslated" in result.stderr
    added = {p.name for p in kb.iterdir()} - before
    assert len([name for name in added if name.endswith(".md")]) == 1, "the document, and no translation"
    assert not list(kb.glob(".adding-*")) and read_knowledge(kb)[1] == []


def test_a_reply_is_read_by_its_numbers():
    assert parse_numbered("[2] b\n[1] a\ncontinued", 3) == ["a continued", "b", None]
    assert parse_numbered("1. a\n2) b", 2) == ["a", "b"]
    assert parse_numbered("<text>\na\nb\n</text>", 3) == ["a", "b", None]


def test_settings_reach_the_translator(kb):
    settings = replace(Settings.from_env(), llm_base_url="http://127.0.0.1:9/v1", llm_model="m",
                       translate_timeout_s=7.0, translate_max_tokens=1234)
    translator = Translator.from_settings(settings, read_knowledge(kb)[0])
    model = translator.chain.steps[1]
    assert translator.timeout_s == 7.0 and model.max_tokens == 1234 and model.request_timeout == 7.0
    assert Translator.from_settings(Settings.from_env(llm_base_url=""), read_knowledge(kb)[0]) is None


def test_answers_label_machine_and_curated_translations(fast_settings, tmp_path):
    from coopbot.engine import Engine
    from coopbot.index import build_index

    from engine_fixtures import FAST_QUESTION, settings_env

    kb = fast_settings.knowledge_dir
    (tmp_path / "note.txt").write_text(NOTE, encoding="utf-8")
    add_translated(kb, FakeListChatModel(responses=replies(CHANGED_FIGURE)), tmp_path)
    build_index(fast_settings, progress=False)
    engine = Engine(fast_settings, notify=lambda message: None)
    answer = engine.ask("Thành phố Quimper và tỉnh Quảng Trị ký thỏa thuận về nghề cá thủ công năm nào?", "vi")
    cited = answer.to_dict()["citations"][0]
    assert cited["lang"] == "vi" and cited["translation_kind"] == "machine" and "2031" in cited["text"]
    assert {c["translation_kind"] for c in engine.ask(FAST_QUESTION).to_dict()["citations"]} == {"curated"}
    env = {k: v for k, v in settings_env(fast_settings).items() if k.startswith("COOPBOT_")}
    result = CliRunner().invoke(app, ["ask", "--lang", "vi", "Quimper và Quảng Trị ký thỏa thuận năm nào?"], env=env)
    assert result.exit_code == 0 and "(bản dịch máy / traduction automatique)" in result.stdout, result.output


def test_coopbot_check_accepts_and_counts_machine_translations_and_pending_names(kb, tmp_path):
    add_translated(kb, FakeListChatModel(responses=replies(DROPPED_NAME)), tmp_path)
    result = CliRunner().invoke(app, ["check", "--knowledge", str(kb)])
    assert result.exit_code == 0, result.output
    assert "(6 articles, 6 translations, 1 machine)" in result.stdout
    assert "3 pending names to review (glossary.pending.yaml)" in result.stdout


def check_in(kb: Path, document: list[str], translation: str, target: str):
    """The line check of the last line of `document`, translated as `translation`, as an add would run it."""
    checker = translator(FakeListChatModel(responses=["-"]), kb).checker.for_document(document)
    return checker.check(document[-1], translation, target)


@pytest.mark.parametrize(("document", "translation", "target"), [
    (["Conformément à l'accord, Quimper financera 3 projets."], "Theo thỏa thuận, Quimper sẽ tài trợ 3 dự án.", "vi"),
    (["Le programme démarre en 2031.", "Parallèlement, la ville forme 12 agents. (Photo : Lê Văn Tám)"],
     "Song song đó, thành phố đào tạo 12 cán bộ. (Ảnh: Lê Văn Tám)", "vi"),
    (["Mme Le Goff a signé l'accord de 2031."], "Bà Le Goff đã ký thỏa thuận năm 2031.", "vi"),
    (["Mme. Le Goff et M Tanguy ont signé."], "Bà Le Goff và ông Tanguy đã ký.", "vi"),
    (["Le département finance aussi 2 écoles.", "La Région Bretagne et le Département du Finistère financent 3 projets."],
     "Vùng Bretagne và tỉnh Finistère tài trợ 3 dự án.", "vi"),
    (["Hội nghị diễn ra tại Trung tâm Hội nghị Quốc gia ở Hà Nội."],
     "Les Assises se tiennent au Centre national des congrès à Hanoï.", "fr"),
    (["Phó Chủ tịch Vùng Ile-de-France, ông Beaudet Stephane, thăm Hà Nội."],
     "Le vice-président de la région Île-de-France, M. Beaudet Stephane, visite Hanoï.", "fr"),
    (["Quan hệ thương mại Việt - Pháp tăng 3 lần."], "Les échanges commerciaux franco-vietnamiens ont triplé (3 fois).", "fr"),
])
def test_common_words_written_as_names_may_be_translated(kb, document, translation, target):
    check = check_in(kb, document, translation, target)
    assert check.ok, check.reason


@pytest.mark.parametrize(("document", "translation", "target", "reason"), [
    (["La ville de Quimper signe un accord.", "Quimper financera 3 projets."],
     "Thành phố sẽ tài trợ 3 dự án.", "vi", "name Quimper missing"),
    (["Mme Rose a signé l'accord."], "Bà ấy đã ký thỏa thuận.", "vi", "name Rose missing"),
    (["Tiếp đoàn có ông Lê Hồng Sơn."], "Le vice-président a reçu la délégation.", "fr", "name Lê missing"),
    (["Le maire de Đồng Hới signe un accord."], "Thị trưởng ký một thỏa thuận.", "vi", "name Đồng missing"),
    (["Thành phố Quimper ký thỏa thuận."], "La ville a signé un accord.", "fr", "name Quimper missing"),
    (["Le syndicat SMBVA finance 3 projets."], "Công đoàn tài trợ 3 dự án.", "vi", "name SMBVA missing"),
    (["La Région Bretagne finance 3 projets."], "Vùng tài trợ 3 dự án.", "vi", "name Bretagne missing"),
    (["La Région Bretagne finance 3 projets."], "Vùng Bretagne tài trợ 4 dự án.", "vi", "figure 3 missing"),
])
def test_names_that_look_like_proper_names_stay_required(kb, document, translation, target, reason):
    check = check_in(kb, document, translation, target)
    assert not check.ok and check.reason == reason
