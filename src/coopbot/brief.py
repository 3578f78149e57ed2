"""Briefings: everything the sources say on a topic, grouped by sub-topic, dated, cited.

Facts are knowledge lines (in the briefing's language through the aligned
translation); sub-topics are the glossary terms the facts mention, most specific
kinds first, so that "12e Assises" facts group together and apart from "eau".
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from .answer import Citation, ExtractiveAnswerer, UnitText
from .engine import Engine
from .question import analyse_question

GROUP_KIND_ORDER = ("event", "theme", "institution", "person", "place", "concept")
TITLES = {
    "vi": {"brief": "Tài liệu tóm tắt", "refs": "Nguồn", "other": "Thông tin khác", "none": "Không có thông tin nào trong các nguồn về chủ đề này.",
           "translation": "bản dịch làm việc"},
    "fr": {"brief": "Note de synthèse", "refs": "Références", "other": "Autres informations", "none": "Les sources ne disent rien sur ce sujet.",
           "translation": "traduction de travail"},
}


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

    def to_markdown(self) -> str:
        t = TITLES[self.lang]
        lines = [f"# {t['brief']}: {self.topic}", ""]
        if not self.references:
            return "\n".join([*lines, t["none"], ""])
        for title, facts in self.groups.items():
            lines += [f"## {title}", ""]
            for fact in facts:
                ref = self.references[fact.n - 1]
                lines.append(f"- {ref.text} ({ref.outlet}, {ref.date}) [{fact.n}]")
            lines.append("")
        lines += [f"## {t['refs']}", ""]
        for ref in self.references:
            label = f" — {t['translation']}" if ref.is_translation else ""
            lines.append(f"{ref.n}. {ref.outlet}, {ref.date}: «{ref.title}»{label} — `{ref.sentence_id}`")
        return "\n".join(lines) + "\n"

    def to_docx(self) -> bytes:
        from docx import Document as DocxDocument

        doc = DocxDocument()
        for line in self.to_markdown().splitlines():
            if line.startswith("# "):
                doc.add_heading(line[2:], level=1)
            elif line.startswith("## "):
                doc.add_heading(line[3:], level=2)
            elif line.startswith("- "):
                doc.add_paragraph(line[2:], style="List Bullet")
            elif line.strip():
                doc.add_paragraph(line.replace("`", ""))
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
    question = analyse_question(text, lang, loaded.knowledge.glossary)
    retrieval = loaded.retriever.search(text, lang)
    answerer: ExtractiveAnswerer = loaded.answerer
    settings = engine.settings
    facts = []
    for unit in retrieval.units[: settings.brief_max_facts * 2]:
        unit_text = answerer.unit_text_of(unit)
        relevant = unit.dense >= settings.brief_min_dense or (question.terms and unit_text.terms & {e.id for e in question.terms})
        if relevant:
            facts.append(Fact(unit_text, unit.rrf))
    facts = facts[: settings.brief_max_facts]
    briefing = Briefing(topic, lang)
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
            briefing.references.append(answerer.cite_text(fact.text, lang, n))
    return briefing


def _group_title(unit: UnitText, topic_terms: set[str], by_id: dict, lang: str) -> str | None:
    """The most specific glossary term of the fact that is not the topic itself."""
    terms = [by_id[t] for t in unit.terms if t not in topic_terms and t in by_id]
    for kind in GROUP_KIND_ORDER:
        named = sorted((e for e in terms if e.kind == kind), key=lambda e: -len(e.fr[0]))
        if named:
            return named[0].vi[0] if lang == "vi" else named[0].fr[0]
    return None
