"""Briefing files: named by topic, language and date; .docx core properties and a generation date."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

from coopbot.brief import Briefing, build_briefing


def test_file_names_carry_topic_language_and_date():
    briefing = Briefing("Hội nghị Đà Nẵng / eau", "vi", generated=datetime(2026, 4, 14, 9, 30, tzinfo=UTC))
    assert briefing.file_name("md") == "briefing-hoi-nghi-da-nang-eau-vi-2026-04-14.md"
    assert Briefing("???", "fr", generated=briefing.generated).file_name("docx") == "briefing-topic-fr-2026-04-14.docx"


def test_docx_has_title_author_creation_time_and_generation_date(engine):
    from docx import Document

    briefing = build_briefing(engine, "Toulouse", "fr")
    document = Document(io.BytesIO(briefing.to_docx()))
    properties = document.core_properties
    assert properties.title == "Note de synthèse: Toulouse" and properties.author == "coopbot"
    assert abs(datetime.now(UTC) - properties.created.replace(tzinfo=UTC)) < timedelta(hours=1), "created now"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Rédigée par coopbot le" in text and "`" not in text
    assert re.search(r"\d{1,2} avril 2023", text) and not re.search(r"\d{4}-\d{2}-\d{2}\)", text)


def test_markdown_dates_are_written_for_the_reader(engine):
    markdown = build_briefing(engine, "Lyon", "vi").to_markdown()
    assert markdown.startswith("# Tài liệu tóm tắt: Lyon\n\n_Tạo bởi coopbot ngày ")
    assert "`" not in markdown and re.search(r", \d\d/\d\d/\d{4}\) \[1\]", markdown)
    assert not re.search(r"\d{4}-\d{2}-\d{2}\)", markdown)
