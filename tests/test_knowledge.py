"""The knowledge base (knowledge/) and its loader/validator (coopbot.knowledge, `coopbot check`)."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import frontmatter
import pytest
from typer.testing import CliRunner

from coopbot.cli import app
from coopbot.errors import CoopbotError
from coopbot.knowledge import (
    REQUIRED_FIELDS,
    Glossary,
    GlossaryEntry,
    Problem,
    load_knowledge,
    read_knowledge,
)

# A small original/translation pair used to build broken copies.
VI = "sngv-hcm-2010-11-12.vi.md"
FR = "sngv-hcm-2010-11-12.fr.md"
GLOSSARY = "glossary.yaml"

ORIGINAL_IDS = {
    "bnews-2023-04-10.vi",
    "nguoihanoi-2023-04-13.vi",
    "sngv-hcm-2010-11-12.vi",
    "thoidai-2023-04-12.vi",
    "vietnamplus-2023-04-14.vi",
}


# --------------------------------------------------------------------------- helpers


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a file, failing loudly if `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture edit: {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def file_line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of `path` containing `needle`."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path.name}")


def body_lines(path: Path) -> list[str]:
    """The sentence lines of a knowledge file, read without the project's loader."""
    return [line.strip() for line in frontmatter.load(str(path)).content.splitlines() if line.strip()]


def find_problem(problems: list[Problem], path: Path, *keywords: str) -> Problem:
    """The problem about `path` whose message has every keyword; check its `<path>:<line>: <message>` form."""
    about = [p for p in problems if Path(p.path).resolve() == path.resolve()]
    matching = [p for p in about if all(k.lower() in p.message.lower() for k in keywords)]
    assert matching, f"no problem about {path.name} mentioning {keywords}; got: {[str(p) for p in problems]}"
    problem = matching[0]
    prefix = f"{problem.path}:"
    assert str(problem).startswith(prefix)
    assert Path(problem.path).resolve() == path.resolve()
    match = re.fullmatch(r"(?P<line>\d+): (?P<message>.+)", str(problem)[len(prefix):], re.DOTALL)
    assert match, f"not in <path>:<line>: <message> form: {problem}"
    assert int(match["line"]) == problem.line >= 1
    assert match["message"] == problem.message
    return problem


# --------------------------------------------------------------------------- the real knowledge base


@pytest.fixture(scope="module")
def kb(knowledge_dir: Path):
    knowledge, problems = read_knowledge(knowledge_dir)
    assert problems == [], "\n".join(str(p) for p in problems)
    return knowledge


def test_real_knowledge_loads_without_problems(knowledge_dir: Path) -> None:
    knowledge, problems = read_knowledge(knowledge_dir)
    assert [str(p) for p in problems] == []
    assert load_knowledge(knowledge_dir).content_hash == knowledge.content_hash != ""


def test_five_vietnamese_originals_and_five_french_translations(kb) -> None:
    originals = kb.originals()
    translations = [a for a in kb.articles.values() if a.translation_of]
    assert {a.id for a in originals} == ORIGINAL_IDS
    assert all(a.lang == "vi" for a in originals)
    assert len(translations) == 5
    assert all(a.lang == "fr" for a in translations)
    assert {a.translation_of for a in translations} == ORIGINAL_IDS
    for translation in translations:
        original = kb.articles[translation.translation_of]
        assert translation.id == original.id.removesuffix(".vi") + ".fr"
        assert translation.source_file == original.source_file
        assert translation.path.name == original.path.name.replace(".vi.md", ".fr.md")


def test_translations_are_aligned_line_for_line(kb) -> None:
    for original in kb.originals():
        translation = kb.translations(original.id)["fr"]
        assert len(translation.lines) == len(original.lines) > 0, original.id
        assert [line.paragraph for line in translation.lines] == [line.paragraph for line in original.lines]
        assert translation.paragraph_shape == original.paragraph_shape
        assert [line.n for line in translation.lines] == list(range(1, len(original.lines) + 1))


def test_aligned_files_have_the_same_line_count_read_independently(knowledge_dir: Path) -> None:
    for vi_path in sorted(knowledge_dir.glob("*.vi.md")):
        fr_path = vi_path.with_name(vi_path.name.replace(".vi.md", ".fr.md"))
        vi_body = frontmatter.load(str(vi_path)).content.strip().split("\n")
        fr_body = frontmatter.load(str(fr_path)).content.strip().split("\n")
        assert len(vi_body) == len(fr_body), vi_path.name
        # blank lines (paragraph breaks) in exactly the same places
        assert [i for i, s in enumerate(vi_body) if not s.strip()] == [i for i, s in enumerate(fr_body) if not s.strip()]


def test_glossary_has_at_least_40_entries(kb) -> None:
    assert len(kb.glossary.entries) >= 40
    assert len({e.id for e in kb.glossary.entries}) == len(kb.glossary.entries)


def test_every_sentence_line_is_nfc(kb) -> None:
    for article in kb.articles.values():
        assert unicodedata.is_normalized("NFC", article.title)
        for line in article.lines:
            assert unicodedata.is_normalized("NFC", line.text), line.id


def test_knowledge_files_on_disk_are_nfc(knowledge_dir: Path) -> None:
    for path in [*knowledge_dir.glob("*.md"), knowledge_dir / GLOSSARY]:
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path.name


def test_documents_one_per_sentence_line_with_metadata(kb) -> None:
    docs = kb.documents()
    assert len(docs) == kb.sentence_count() == kb.sentence_count("vi") + kb.sentence_count("fr")
    assert len({d.id for d in docs}) == len(docs)
    for doc in docs:
        meta = doc.metadata
        for key in ("doc_id", "line", "paragraph", "title", "outlet", "date", "lang", "text_vi", "text_fr"):
            assert key in meta, key
        article = kb.articles[meta["doc_id"]]
        line = article.lines[meta["line"] - 1]
        assert doc.id == meta["id"] == f"{article.id}:{line.n}"
        assert doc.page_content == line.text
        assert meta["paragraph"] == line.paragraph
        assert (meta["title"], meta["outlet"], meta["date"], meta["lang"]) == (
            article.title, article.outlet, article.date, article.lang,
        )
        # the aligned sentence in both languages: its own text in its language, the other one at the same line
        assert meta[f"text_{article.lang}"] == doc.page_content
        other = "fr" if article.lang == "vi" else "vi"
        assert meta[f"text_{other}"] == kb.translations(article.origin_id)[other].lines[line.n - 1].text
        assert meta["unit_id"] == f"{article.origin_id}:{line.n}"


def test_document_text_fr_is_line_n_of_the_french_file(kb, knowledge_dir: Path) -> None:
    fr_lines = body_lines(knowledge_dir / "vietnamplus-2023-04-14.fr.md")
    vi_lines = body_lines(knowledge_dir / "vietnamplus-2023-04-14.vi.md")
    docs = {d.id: d for d in kb.documents()}
    for n in (1, 2, len(vi_lines)):
        doc = docs[f"vietnamplus-2023-04-14.vi:{n}"]
        assert doc.page_content == vi_lines[n - 1]
        assert doc.metadata["text_vi"] == vi_lines[n - 1]
        assert doc.metadata["text_fr"] == fr_lines[n - 1]
        assert doc.metadata["line"] == n
    doc = docs["vietnamplus-2023-04-14.vi:2"]
    assert doc.page_content.startswith("Phiên khai mạc Hội nghị hợp tác")
    assert doc.metadata["text_fr"].startswith("Séance d'ouverture des 12e Assises")
    assert doc.metadata["outlet"].startswith("Vietnam+")
    assert doc.metadata["date"] == "2023-04-14"
    assert doc.metadata["paragraph"] == 2
    assert doc.metadata["lang"] == "vi"


# --------------------------------------------------------------------------- extraction from the raw pages

BOILERPLATE = [
    "Tin bài liên quan",
    "Đọc nhiều",
    "Thời tiết hôm nay",
    "IUU",
    "Bangkok",
    "POWERED BY",
    "Tin cùng chuyên mục",
    "Related news",
    "Last modified",
    "Bình luận",
    ".jpg",
    "Xin chờ",
    "Phiên bản di động",
    "DN cần biết",
    "Nổi bật",
    "Trang chủ",
]


def _sources_dir(repo_root: Path) -> Path:
    """The raw pages the articles were extracted from, kept in the project (eval/raw/)."""
    return repo_root / "eval" / "raw"


def _knowledge_text_without_notes(path: Path) -> str:
    """A knowledge file's body and front matter, minus the `*_note` provenance fields.

    Those notes deliberately quote the page to justify a deduced date or outlet (e.g.
    'the page only says "Last modified 12-11-2010"', 'the "DN cần biết" section'); they
    are metadata, not article text.
    """
    post = frontmatter.load(str(path))
    kept = [f"{k}: {v}" for k, v in post.metadata.items() if not k.endswith("_note")]
    return "\n".join([*kept, post.content])


@pytest.mark.parametrize("marker", BOILERPLATE)
def test_no_page_boilerplate_in_the_knowledge(knowledge_dir: Path, marker: str) -> None:
    # Case-sensitive on purpose: "nổi bật là" is article prose, "Nổi bật" a page section header.
    texts = {p.name: _knowledge_text_without_notes(p) for p in knowledge_dir.glob("*.md")}
    texts[GLOSSARY] = (knowledge_dir / GLOSSARY).read_text(encoding="utf-8")
    assert len(texts) == 11
    assert [name for name, text in texts.items() if marker in text] == []


def test_boilerplate_markers_really_are_in_the_raw_pages(repo_root: Path) -> None:
    sources = _sources_dir(repo_root)
    raw = "\n".join(p.read_text(encoding="utf-8") for p in sources.glob("*.txt"))
    assert [m for m in BOILERPLATE if m not in raw] == []


def _ws(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


_PHOTO_CREDIT = re.compile(r"\([Ảả]nh:[^)]*\)$")


def test_vietnamese_lines_are_extracted_from_their_source_page(kb, repo_root: Path) -> None:
    sources = _sources_dir(repo_root)
    checked, missing = 0, []
    for article in kb.originals():
        source = sources / article.source_file
        assert source.is_file(), f"{article.id}: source_file {article.source_file} not found"
        page = _ws(source.read_text(encoding="utf-8"))
        for line in article.lines:
            # line 1 is the title (the vietnamplus one was restored with diacritics from an alt text)
            if line.n == 1 or len(line.text) < 25 or _PHOTO_CREDIT.search(line.text):
                continue
            checked += 1
            if _ws(line.text) not in page:
                missing.append(f"{article.id}:{line.n}: {line.text}")
    assert checked >= 40
    assert missing == []


# --------------------------------------------------------------------------- validator: broken copies


def test_make_kb_copies_the_real_knowledge(make_kb, knowledge_dir: Path) -> None:
    copy = make_kb()
    assert copy != knowledge_dir
    assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in knowledge_dir.iterdir())
    assert read_knowledge(copy)[1] == []


def test_missing_front_matter(make_kb) -> None:
    root = make_kb()
    path = root / VI
    path.write_text(frontmatter.load(str(path)).content, encoding="utf-8")
    problems = read_knowledge(root)[1]
    problem = find_problem(problems, path, "missing front matter")
    assert problem.line == 1


def test_invalid_yaml_front_matter(make_kb) -> None:
    root = make_kb()
    path = root / VI
    edit(path, "outlet: Sở Ngoại vụ TP.HCM\n", "outlet: Sở: Ngoại vụ: TP.HCM\n")
    problems = read_knowledge(root)[1]
    find_problem(problems, path, "invalid front matter")


def test_invalid_yaml_front_matter_points_to_the_bad_line(make_kb) -> None:
    root = make_kb()
    path = root / VI
    edit(path, "outlet: Sở Ngoại vụ TP.HCM\n", "outlet: Sở: Ngoại vụ: TP.HCM\n")
    problem = find_problem(read_knowledge(root)[1], path, "invalid front matter")
    assert problem.line == file_line_of(path, "outlet:")


@pytest.mark.parametrize("key", REQUIRED_FIELDS)
def test_missing_required_key(make_kb, key: str) -> None:
    root = make_kb()
    path = root / VI
    text = path.read_text(encoding="utf-8")
    broken, n = re.subn(rf"^{key}: .*\n", "", text, count=1, flags=re.MULTILINE)
    assert n == 1
    path.write_text(broken, encoding="utf-8")
    problems = read_knowledge(root)[1]
    find_problem(problems, path, "missing", f"'{key}'")


def test_empty_required_key(make_kb) -> None:
    root = make_kb()
    path = root / VI
    edit(path, "outlet: Sở Ngoại vụ TP.HCM\n", "outlet: ''\n")
    find_problem(read_knowledge(root)[1], path, "missing or empty", "'outlet'")


def test_unknown_translation_of(make_kb) -> None:
    root = make_kb()
    path = root / FR
    edit(path, "translation_of: sngv-hcm-2010-11-12.vi", "translation_of: sngv-hcm-2099-01-01.vi")
    problems = read_knowledge(root)[1]
    find_problem(problems, path, "translation_of", "unknown", "sngv-hcm-2099-01-01.vi")
    assert len(problems) == 1


def test_translation_with_one_line_fewer(make_kb) -> None:
    root = make_kb()
    path = root / FR
    last = body_lines(path)[-1]
    edit(path, last + "\n", "")
    knowledge, problems = read_knowledge(root)
    assert len(knowledge.articles["sngv-hcm-2010-11-12.fr"].lines) == 6
    problem = find_problem(problems, path, "not aligned", "6 sentence lines", "7")
    assert VI in problem.message
    assert len(problems) == 1


def test_translation_whose_paragraph_break_moved(make_kb) -> None:
    root = make_kb()
    path = root / FR
    # paragraphs [.., 2, 2, ..] become [.., 1, 3, ..]: same number of lines, different shape
    edit(path, "\nCe sont des questions", "\n\nCe sont des questions")
    edit(path, "collectivités locales.\n\nLe succès", "collectivités locales.\nLe succès")
    knowledge, problems = read_knowledge(root)
    original, translation = knowledge.articles["sngv-hcm-2010-11-12.vi"], knowledge.articles["sngv-hcm-2010-11-12.fr"]
    assert len(translation.lines) == len(original.lines)
    assert translation.paragraph_shape != original.paragraph_shape
    problem = find_problem(problems, path, "not aligned", "paragraph")
    assert problem.line == file_line_of(path, "Ce sont des questions")
    assert len(problems) == 1


def test_duplicate_ids(make_kb) -> None:
    root = make_kb()
    duplicate = root / "zz-duplicate.vi.md"
    shutil.copy(root / VI, duplicate)
    problems = read_knowledge(root)[1]
    problem = find_problem(problems, duplicate, "duplicate id", "sngv-hcm-2010-11-12.vi")
    assert VI in problem.message  # names the file that holds the id first
    assert len(problems) == 1


def test_empty_body(make_kb) -> None:
    root = make_kb()
    path = root / VI
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---\n", 3) + len("\n---\n")
    path.write_text(text[:end] + "\n  \n", encoding="utf-8")
    problems = read_knowledge(root)[1]
    problem = find_problem(problems, path, "empty body")
    assert problem.line > file_line_of(path, "source_file:")


@pytest.mark.parametrize("date", ["'2023-02-30'", "'12/04/2023'", "12/04/2023", "'2023-4-1'", "'13 avril 2023'"])
def test_invalid_date(make_kb, date: str) -> None:
    root = make_kb()
    path = root / VI
    edit(path, "date: '2010-11-12'", f"date: {date}")
    problems = read_knowledge(root)[1]
    find_problem(problems, path, "invalid date", date.strip("'"))
    assert len(problems) == 1


def test_unquoted_impossible_date_is_reported(make_kb) -> None:
    root = make_kb()
    path = root / VI
    edit(path, "date: '2010-11-12'", "date: 2023-02-30")  # YAML itself tries to read this as a date
    problems = read_knowledge(root)[1]
    find_problem(problems, path, "out of range")


def test_unquoted_impossible_date_is_reported_as_a_date_problem(make_kb) -> None:
    root = make_kb()
    path = root / VI
    edit(path, "date: '2010-11-12'", "date: 2023-02-30")
    problem = find_problem(read_knowledge(root)[1], path, "date")
    assert problem.line == file_line_of(path, "date: 2023-02-30")


def test_unquoted_valid_date_is_accepted(make_kb) -> None:
    root = make_kb()
    edit(root / VI, "date: '2010-11-12'", "date: 2010-11-12")
    knowledge, problems = read_knowledge(root)
    assert problems == []
    assert knowledge.articles["sngv-hcm-2010-11-12.vi"].date == "2010-11-12"


@pytest.mark.parametrize("lang", ["en", "VI", "vn"])
def test_invalid_lang(make_kb, lang: str) -> None:
    root = make_kb()
    path = root / VI
    edit(path, "lang: vi\n", f"lang: {lang}\n")
    problems = read_knowledge(root)[1]
    find_problem(problems, path, "lang", f"'{lang}'")


def test_translation_in_the_same_language_as_its_original(make_kb) -> None:
    root = make_kb()
    path = root / FR
    edit(path, "lang: fr\n", "lang: vi\n")
    find_problem(read_knowledge(root)[1], path, "another language")


def test_glossary_not_yaml(make_kb) -> None:
    root = make_kb()
    path = root / GLOSSARY
    edit(path, "  - id: lyon\n", "  - id: lyon\n   broken: [\n")
    knowledge, problems = read_knowledge(root)
    problem = find_problem(problems, path, "invalid YAML")
    assert problem.line == file_line_of(path, "broken: [")
    assert knowledge.glossary.entries == []


def test_glossary_not_a_mapping_with_entries(make_kb) -> None:
    root = make_kb()
    path = root / GLOSSARY
    path.write_text("- just\n- a list\n", encoding="utf-8")
    find_problem(read_knowledge(root)[1], path, "entries")


def test_glossary_missing(make_kb) -> None:
    root = make_kb()
    (root / GLOSSARY).unlink()
    find_problem(read_knowledge(root)[1], root / GLOSSARY, "missing")


def test_glossary_entry_missing_fr(make_kb) -> None:
    root = make_kb()
    path = root / GLOSSARY
    edit(path, "    fr: [Lyon, Ville de Lyon, Métropole de Lyon]\n", "")
    knowledge, problems = read_knowledge(root)
    problem = find_problem(problems, path, "lyon", "'fr'")
    assert problem.line == file_line_of(path, "- id: lyon")
    assert "lyon" not in {e.id for e in knowledge.glossary.entries}
    assert len(problems) == 1


def test_glossary_duplicate_ids(make_kb) -> None:
    root = make_kb()
    path = root / GLOSSARY
    edit(path, "  - id: lille\n", "  - id: lyon\n")
    problems = read_knowledge(root)[1]
    problem = find_problem(problems, path, "duplicate glossary id", "lyon")
    lyon_lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                  if line == "  - id: lyon"]
    assert len(lyon_lines) == 2
    assert problem.line == lyon_lines[1]
    assert len(problems) == 1


def test_nfd_input_is_loaded_as_nfc(make_kb) -> None:
    root = make_kb()
    expected, _ = read_knowledge(root)
    for name in (VI, GLOSSARY):
        path = root / name
        nfd = unicodedata.normalize("NFD", path.read_text(encoding="utf-8"))
        assert not unicodedata.is_normalized("NFC", nfd)
        path.write_text(nfd, encoding="utf-8")
    knowledge, problems = read_knowledge(root)
    assert problems == []
    article = knowledge.articles["sngv-hcm-2010-11-12.vi"]
    assert article.title == "Hội nghị hợp tác phi tập trung Việt-Pháp lần thứ 8"
    assert unicodedata.is_normalized("NFC", article.title)
    assert unicodedata.is_normalized("NFC", article.outlet)
    assert [line.text for line in article.lines] == [line.text for line in expected.articles[article.id].lines]
    assert all(unicodedata.is_normalized("NFC", line.text) for line in article.lines)
    hanoi = next(e for e in knowledge.glossary.entries if e.id == "hanoi")
    assert hanoi.vi[0] == "Hà Nội"
    assert [e.id for e in knowledge.glossary.find("Hà Nội")] == ["hanoi"]


def test_missing_knowledge_folder(tmp_path: Path) -> None:
    knowledge, problems = read_knowledge(tmp_path / "nowhere")
    assert knowledge.articles == {}
    assert len(problems) == 1
    assert "not found" in problems[0].message


def test_load_knowledge_refuses_a_broken_base(make_kb) -> None:
    root = make_kb()
    edit(root / VI, "lang: vi\n", "lang: en\n")
    with pytest.raises(CoopbotError) as error:
        load_knowledge(root)
    assert error.value.code == "knowledge_invalid"


# --------------------------------------------------------------------------- `coopbot check`

runner = CliRunner()


def test_check_ok_on_the_real_knowledge(knowledge_dir: Path) -> None:
    result = runner.invoke(app, ["check", "--knowledge", str(knowledge_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok:")
    assert "10 documents (5 articles, 5 translations)" in result.stdout
    assert re.search(r"(\d+) vi / \1 fr sentence lines", result.stdout)


def test_check_fails_with_file_line_messages_on_a_broken_copy(make_kb) -> None:
    root = make_kb()
    edit(root / VI, "lang: vi\n", "lang: en\n")
    edit(root / GLOSSARY, "  - id: lille\n", "  - id: lyon\n")
    result = runner.invoke(app, ["check", "--knowledge", str(root)])
    assert result.exit_code == 1
    expected = [str(p) for p in read_knowledge(root)[1]]
    assert len(expected) == 2
    lines = result.stdout.splitlines()
    assert lines == expected
    assert "ok:" not in result.stdout
    for line in lines:
        assert re.match(rf"{re.escape(str(root))}/[^:]+:\d+: \S", line)
    assert any(line.startswith(f"{root / VI}:1: ") and "lang" in line for line in lines)
    assert any(line.startswith(f"{root / GLOSSARY}:") and "duplicate glossary id" in line for line in lines)
    assert "2 problem(s)" in result.stderr


# --------------------------------------------------------------------------- glossary


@pytest.mark.parametrize("text", ["Ha Noi", "Hanoï", "hanoi", "HÀ NỘI", "Hội nghị tại Hà Nội năm 2023"])
def test_glossary_finds_hanoi(kb, text: str) -> None:
    assert "hanoi" in [e.id for e in kb.glossary.find(text)]


@pytest.mark.parametrize("text", ["Ile de France", "IDF", "la région Île-de-France", "vung ile-de-france"])
def test_glossary_finds_ile_de_france(kb, text: str) -> None:
    assert "ile-de-france" in [e.id for e in kb.glossary.find(text)]


@pytest.mark.parametrize("text", ["le prix de l'essence augmente", "Quel temps fait-il demain ?",
                                  "résultats du match de football", "hanoien", "Lyonnais"])
def test_glossary_finds_nothing_in_unrelated_text(kb, text: str) -> None:
    assert kb.glossary.find(text) == []


@pytest.mark.parametrize(("name", "within"), [("viet", True), ("ile de", True), ("thanh hoa", False), ("nam dinh", False)])
def test_glossary_knows_the_words_of_its_forms(kb, name: str, within: bool) -> None:
    """"Việt" is a word of "Việt Nam" (a short form of a known name); "Thanh Hóa" is no part of any form."""
    assert kb.glossary.within_a_form(name) is within


def test_glossary_cuisine_is_a_theme(kb) -> None:
    # "cuisine" is a form of the gastronomy theme, so a recipe question is not term-free.
    assert [e.id for e in kb.glossary.find("recette de cuisine")] == ["am-thuc"]


def test_glossary_expansions_give_both_languages(kb) -> None:
    expansions = kb.glossary.expansions("Ha Noi")
    assert "Hà Nội" in expansions["vi"]
    assert "Hanoï" in expansions["fr"]


def _glossary(*entries: tuple[str, list[str]]) -> Glossary:
    return Glossary([GlossaryEntry(entry_id, "place", forms, [entry_id], [entry_id], "note")
                     for entry_id, forms in entries])


def test_glossary_find_counts_nested_names_and_outermost_keeps_the_longest() -> None:
    glossary = _glossary(("conf", ["Hội nghị Hà Nội"]), ("hanoi", ["Hà Nội"]), ("ha", ["Hà"]))
    text = "Khai mạc Hội nghị Hà Nội hôm nay"
    assert [e.id for e in glossary.find(text)] == ["conf", "hanoi", "ha"]
    assert [e.id for e in glossary.find_outermost(text)] == ["conf"]
    assert [e.id for e in glossary.find_outermost("Hà Nội và Hà")] == ["hanoi", "ha"]


def test_glossary_find_stated_drops_an_office_inside_another_but_keeps_a_place_inside_an_office() -> None:
    glossary = Glossary([GlossaryEntry("maire", "concept", ["Thị trưởng"], ["maire"], [], "note"),
                         GlossaryEntry("adjoint", "concept", ["Phó Thị trưởng"], ["maire adjoint", "adjoint au maire"],
                                       [], "note"),
                         GlossaryEntry("toulouse", "place", ["Toulouse"], ["Toulouse"], [], "note")])
    assert {e.id for e in glossary.find("le maire adjoint de Toulouse")} == {"maire", "adjoint", "toulouse"}
    assert {e.id for e in glossary.find_stated("le maire adjoint de Toulouse")} == {"adjoint", "toulouse"}
    assert {e.id for e in glossary.find_stated("l'adjoint au maire de Toulouse")} == {"adjoint", "toulouse"}
    assert {e.id for e in glossary.find_stated("le maire de Toulouse et son adjoint")} == {"maire", "toulouse"}
    # a place named inside an office's name still counts
    office = Glossary([*_glossary(("hanoi", ["Hà Nội"])).entries,
                       GlossaryEntry("chu-tich", "concept", ["Chủ tịch UBND Hà Nội"], ["président"], [], "note")])
    assert {e.id for e in office.find_stated("Chủ tịch UBND Hà Nội phát biểu")} == {"chu-tich", "hanoi"}


@pytest.mark.parametrize("text", ["hanoien", "xhanoi", "hanoi_x", "x_hanoi", "hanoi2"])
def test_glossary_matches_whole_words_only(text: str) -> None:
    glossary = _glossary(("hanoi", ["Hanoi"]))
    assert glossary.find(text) == [] and glossary.find_outermost(text) == []


@pytest.mark.parametrize("text", ["hanoi", "(hanoi)", "à Hanoi, puis", "HANOI.", "tp.hcm-hanoi"])
def test_glossary_matches_between_punctuation(text: str) -> None:
    glossary = _glossary(("hanoi", ["Hanoi"]), ("hcm", ["TP.HCM"]))
    assert "hanoi" in [e.id for e in glossary.find(text)]
    assert "hanoi" in [e.id for e in glossary.find_outermost(text)]


def test_translations_are_found_by_origin(kb) -> None:
    versions = kb.translations("bnews-2023-04-10.vi")
    assert {lang: a.id for lang, a in versions.items()} == {"vi": "bnews-2023-04-10.vi", "fr": "bnews-2023-04-10.fr"}
    assert kb.aligned("bnews-2023-04-10.fr:3", "vi") == kb.articles["bnews-2023-04-10.vi"].lines[2]
    assert kb.translations("no-such-article") == {}


# --------------------------------------------------------------------------- machine translations, pending names


def as_machine_translation(root: Path, untranslated: str = "[]") -> Path:
    """The curated French file of the sngv pair, relabelled as a machine translation."""
    path = root / FR
    edit(path, "translation_of: sngv-hcm-2010-11-12.vi",
         f"translation_of: sngv-hcm-2010-11-12.vi\ntranslator: machine:qwen2.5-7b\nuntranslated_lines: {untranslated}")
    return path


def test_translation_kind_tells_curated_machine_and_none(make_kb, kb) -> None:
    assert kb.translation_kind("sngv-hcm-2010-11-12.vi:2") == kb.translation_kind("sngv-hcm-2010-11-12.fr:2") == "curated"
    root = make_kb()
    vi_line_2 = body_lines(root / VI)[1]
    path = as_machine_translation(root, "[2]")
    edit(path, body_lines(path)[1], vi_line_2)
    knowledge, problems = read_knowledge(root)
    assert problems == []
    assert knowledge.translation_kind("sngv-hcm-2010-11-12.vi:1") == "machine"
    assert knowledge.translation_kind("sngv-hcm-2010-11-12.fr:1") == "machine"
    assert knowledge.translation_kind("sngv-hcm-2010-11-12.vi:2") == "none", "line 2 was kept in Vietnamese"
    assert knowledge.aligned("sngv-hcm-2010-11-12.vi:2", "fr") is None
    assert list(knowledge.versions("sngv-hcm-2010-11-12.vi:2")) == ["vi"], "a line kept untranslated has one version"
    assert {lang: line.id for lang, line in knowledge.versions("sngv-hcm-2010-11-12.fr:1").items()} == {
        "vi": "sngv-hcm-2010-11-12.vi:1", "fr": "sngv-hcm-2010-11-12.fr:1"}
    assert knowledge.articles["sngv-hcm-2010-11-12.fr"].public_meta()["translator"] == "machine:qwen2.5-7b"


@pytest.mark.parametrize(("front", "keywords"), [
    ("translator: 'machine:'", ("machine:", "model")),
    ("translator: 3", ("translator", "non-empty string")),
    ("untranslated_lines: [0, 99]", ("untranslated_lines", "between 1 and")),
    ("untranslated_lines: two", ("untranslated_lines", "between 1 and")),
])
def test_machine_translation_fields_are_checked(make_kb, front: str, keywords: tuple[str, ...]) -> None:
    root = make_kb()
    path = root / FR
    edit(path, "translation_of: sngv-hcm-2010-11-12.vi", f"translation_of: sngv-hcm-2010-11-12.vi\n{front}")
    problem = find_problem(read_knowledge(root)[1], path, *keywords)
    assert problem.line == file_line_of(path, front.split(":")[0] + ":")


def test_translator_on_an_original_is_a_problem(make_kb) -> None:
    root = make_kb()
    path = root / VI
    edit(path, "lang: vi", "lang: vi\ntranslator: machine:x\nuntranslated_lines: [1]")
    problems = read_knowledge(root)[1]
    find_problem(problems, path, "translator", "only for translations")
    find_problem(problems, path, "untranslated_lines", "only for translations")


def test_an_untranslated_line_must_be_the_original_line(make_kb) -> None:
    root = make_kb()
    path = as_machine_translation(root, "[2]")
    problem = find_problem(read_knowledge(root)[1], path, "untranslated line 2 differs", VI)
    assert problem.line == file_line_of(path, body_lines(path)[1])


PENDING = """entries:
  - name: Quimper
    kind: place
    lang: fr
    seen_in: [sngv-hcm-2010-11-12.vi]
"""


@pytest.mark.parametrize(("text", "keywords"), [
    (PENDING, ()),
    ("entries: [\n", ("invalid yaml",)),
    ("- name: Quimper\n", ("mapping", "entries")),
    (PENDING.replace("kind: place", "kind: city"), ("kind must be one of",)),
    (PENDING.replace("    lang: fr\n", ""), ("lang",)),
    (PENDING.replace("name: Quimper", "name: ''"), ("missing 'name'",)),
    (PENDING.replace("seen_in: [sngv-hcm-2010-11-12.vi]", "seen_in: []"), ("seen_in", "document ids")),
    (PENDING.replace("sngv-hcm-2010-11-12.vi]", "nowhere.fr]"), ("unknown document", "nowhere.fr")),
    (PENDING + PENDING.removeprefix("entries:\n"), ("listed twice", "Quimper")),
])
def test_check_validates_the_pending_glossary(make_kb, text: str, keywords: tuple[str, ...]) -> None:
    root = make_kb()
    path = root / "glossary.pending.yaml"
    path.write_text(text, encoding="utf-8")
    problems = read_knowledge(root)[1]
    if not keywords:
        assert problems == []
        return
    find_problem(problems, path, *keywords)
    result = runner.invoke(app, ["check", "--knowledge", str(root)])
    assert result.exit_code == 1 and "glossary.pending.yaml:" in result.output


def test_a_hyphenated_glossary_form_is_found_where_the_punctuation_was_dropped():
    """A parsed question's words have lost their punctuation: "franco-vietnamiennes" is read there as
    "franco vietnamiennes", and the glossary still knows it."""
    from coopbot.question import analyse_question

    glossary = Glossary([GlossaryEntry("viet-phap", "concept", ["Việt-Pháp"], ["relations franco-vietnamiennes"], [], "")])
    assert [e.id for e in glossary.find("les relations franco vietnamiennes")] == ["viet-phap"]
    assert [e.id for e in glossary.find("hội nghị việt pháp")] == ["viet-phap"]
    question = analyse_question("Quand les relations franco-vietnamiennes ont-elles commencé ?", "fr", glossary)
    assert [e.id for e in question.terms] == ["viet-phap"]
