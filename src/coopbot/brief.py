"""Briefings: everything the sources say on a topic, grouped by sub-topic, dated, cited.

Facts are knowledge lines (in the briefing's language through the aligned
translation); sub-topics are the glossary terms the facts mention, most specific
kinds first, so that "12e Assises" facts group together and apart from "eau".
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .answer import ExtractiveAnswerer
from .candidates import UnitText
from .compose import Citation
from .engine import Engine
from .present import display_date, estimated_dates
from .strings import BRIEFING as TITLES
from .text import fold

GROUP_KIND_ORDER = ("event", "theme", "institution", "person", "place", "concept")
SLUG_MAX_CHARS = 40


@dataclass
class Fact:
    text: UnitText
    relevance: float
    n: int = 0


@dataclass
class Briefing:
    topic: str
    lang: str
    groups: dict[str, list[Fact]] = field(default_factory=dict)
    references: list[Citation] = field(default_factory=list)
    date_notes: dict[str, str] = field(default_factory=dict)  # document id → why its date is an estimate
    generated: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def title(self) -> str:
        return f"{TITLES[self.lang]['brief']}: {self.topic}"

    @property
    def generated_line(self) -> str:
        return TITLES[self.lang]["generated"].format(date=display_date(self.generated.date().isoformat(), self.lang))

    def date_of(self, ref: Citation) -> str:
        return display_date(ref.date, self.lang, estimated=ref.doc_id in self.date_notes)

    def reference_line(self, ref: Citation) -> str:
        label = f" — {TITLES[self.lang]['translation']}" if ref.is_translation else ""
        return f"{ref.outlet}, {self.date_of(ref)}: «{ref.title}»{label} — {ref.sentence_id}"

    def file_name(self, suffix: str) -> str:
        """briefing-<topic>-<lang>-<date>.<suffix>, the topic in plain ASCII."""
        slug = re.sub(r"[^a-z0-9]+", "-", fold(self.topic).lower()).strip("-")[:SLUG_MAX_CHARS].strip("-")
        return f"briefing-{slug or 'topic'}-{self.lang}-{self.generated.date().isoformat()}.{suffix}"

    def to_markdown(self) -> str:
        t = TITLES[self.lang]
        lines = [f"# {self.title}", "", f"_{self.generated_line}_", ""]
        if not self.references:
            return "\n".join([*lines, t["none"], ""])
        for title, facts in self.groups.items():
            lines += [f"## {title}", ""]
            for fact in facts:
                ref = self.references[fact.n - 1]
                lines.append(f"- {ref.text} ({ref.outlet}, {self.date_of(ref)}) [{fact.n}]")
            lines.append("")
        lines += [f"## {t['refs']}", ""]
        lines += [f"{ref.n}. {self.reference_line(ref)}" for ref in self.references]
        return "\n".join(lines) + "\n"

    def to_docx(self) -> bytes:
        from docx import Document as DocxDocument

        doc = DocxDocument()
        properties = doc.core_properties
        properties.title, properties.author, properties.last_modified_by = self.title, "coopbot", "coopbot"
        properties.created = properties.modified = self.generated.replace(tzinfo=None)
        properties.language, properties.revision = self.lang, 1
        for line in self.to_markdown().splitlines():
            if line.startswith("# "):
                doc.add_heading(line[2:], level=1)
            elif line.startswith("## "):
                doc.add_heading(line[3:], level=2)
            elif line.startswith("- "):
                doc.add_paragraph(line[2:], style="List Bullet")
            elif line.startswith("_") and line.endswith("_"):
                doc.add_paragraph().add_run(line.strip("_")).italic = True
            elif line.strip():
                doc.add_paragraph(line)
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return {"topic": self.topic, "language": self.lang, "markdown": self.to_markdown(),
                "references": [asdict(r) for r in self.references]}


def build_briefing(engine: Engine, topic: str, lang: str | None = None) -> Briefing:
    """Collect the facts relevant to `topic` and group them; see the module docstring."""
    text, lang = engine.validate(topic, lang)
    loaded = engine.refresh()
    question = engine.parse(text, lang, loaded)
    retrieval = loaded.retriever.search(question)
    answerer: ExtractiveAnswerer = loaded.answerer
    settings = engine.settings
    facts = []
    for unit in retrieval.units[: settings.brief_max_facts * 2]:
        unit_text = answerer.unit_text_of(unit)
        relevant = unit.dense >= settings.brief_min_dense or (question.terms and unit_text.terms & {e.id for e in question.terms})
        if relevant:
            facts.append(Fact(unit_text, unit.rrf))
    facts = facts[: settings.brief_max_facts]
    briefing = Briefing(topic, lang, date_notes=estimated_dates(loaded.knowledge, lang))
    topic_terms = {e.id for e in question.terms}
    by_id = {e.id: e for e in loaded.knowledge.glossary.entries}
    for fact in sorted(facts, key=lambda f: f.text.origin.date, reverse=True):
        title = _group_title(fact.text, topic_terms, by_id, lang) or TITLES[lang]["other"]
        briefing.groups.setdefault(title, []).append(fact)
    n = 0
    for group in briefing.groups.values():
        for fact in group:
            n += 1
            fact.n = n
            briefing.references.append(answerer.composer.cite_text(fact.text, lang, n))
    return briefing


def _group_title(unit: UnitText, topic_terms: set[str], by_id: dict, lang: str) -> str | None:
    """The most specific glossary term of the fact that is not the topic itself."""
    terms = [by_id[t] for t in unit.terms if t not in topic_terms and t in by_id]
    for kind in GROUP_KIND_ORDER:
        named = sorted((e for e in terms if e.kind == kind), key=lambda e: -len(e.fr[0]))
        if named:
            return named[0].vi[0] if lang == "vi" else named[0].fr[0]
    return None
