"""The evaluation harness behind `coopbot eval`.

Runs every gold question through coopbot (in-process or over HTTP) and through
baselines, scores retrieval and answers, checks cross-language consistency of
paired questions, and writes eval/report.md, eval/report.json and PNG charts.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from .answer import is_supported
from .config import PROJECT_ROOT, Settings
from .errors import CoopbotError
from .text import fold, nfc, normalize_numbers

SYSTEMS = ("coopbot", "bm25-only", "dense-only", "plain-rag", "coopbot-llm")
RAG_CHUNK_CHARS = 500
RAG_CHUNK_OVERLAP = 100
RAG_TOP_K = 4


@dataclass
class Gold:
    id: str
    lang: str
    question: str
    answerable: bool
    expected: list[str]
    sources: list[str]
    evidence: list[str]
    pair: str | None = None
    kind: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """What one system did with one gold question, and how it scores."""

    gold: Gold
    answer: dict
    ranking: list[str]  # unit ids (original-language sentence ids), best first
    first_stage: list[str] = field(default_factory=list)  # the same before the answerer's rescoring
    facts: list[bool] = field(default_factory=list)
    language_ok: bool = False
    source_ok: bool = False
    correct: bool = False
    cited_facts: list[bool] = field(default_factory=list)

    @property
    def abstained(self) -> bool:
        return bool(self.answer.get("abstained"))


def load_gold(path: Path) -> list[Gold]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise ValueError(f"{path}:{n}: invalid JSON: {exc}") from exc
        items.append(Gold(
            id=raw["id"], lang=raw["lang"], question=raw["question"], answerable=raw.get("answerable", True),
            expected=raw.get("expected", []), sources=raw.get("sources", []), evidence=raw.get("evidence", []),
            pair=raw.get("pair"), kind=raw.get("kind", ""), tags=raw.get("tags", []),
        ))
    return items


def normalise_for_match(text: str) -> str:
    """Folded, lower-case, digit groups joined: the form both patterns and answers are compared in."""
    return normalize_numbers(fold(nfc(text))).lower()


def fact_matches(pattern: str, text: str) -> bool:
    return re.search(normalise_for_match(pattern), normalise_for_match(text)) is not None


def origin_doc(citation: dict) -> str:
    return citation.get("origin_doc_id") or citation.get("doc_id", "")


def score(gold: Gold, answer: dict, ranking: list[str], first_stage: list[str] | None = None) -> Outcome:
    """Score one answer against its gold item (the rules are in eval/README.md)."""
    outcome = Outcome(gold, answer, ranking, first_stage or [])
    citations = answer.get("citations") or []
    if not gold.answerable:
        outcome.correct = outcome.abstained and not citations
        return outcome
    text = answer.get("answer") or ""
    outcome.facts = [fact_matches(p, text) for p in gold.expected]
    outcome.language_ok = answer.get("language") == gold.lang and all(c.get("lang") == gold.lang for c in citations)
    outcome.source_ok = any(origin_doc(c) in gold.sources for c in citations)
    stated = [p for p, ok in zip(gold.expected, outcome.facts, strict=True) if ok]
    outcome.cited_facts = [any(fact_matches(p, c.get("text", "")) for p in stated) for c in citations]
    outcome.correct = (not outcome.abstained and all(outcome.facts) and outcome.language_ok and outcome.source_ok)
    return outcome


def _rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 2)


def metrics(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.gold.answerable]
    unanswerable = [o for o in outcomes if not o.gold.answerable]
    ranked = [o for o in answerable if o.ranking]
    abstained = [o for o in outcomes if o.abstained]
    cited = [flag for o in answerable for flag in o.cited_facts if not o.abstained]
    out = {
        "questions": len(outcomes),
        "accuracy": _rate([o.correct for o in outcomes]),
        "answerable_accuracy": _rate([o.correct for o in answerable]),
        "citation_precision": _rate(cited),
        "abstention_precision": _rate([not o.gold.answerable for o in abstained]),
        "abstention_recall": _rate([o.abstained for o in unanswerable]),
        "false_abstentions": sum(o.abstained for o in answerable),
        "generative_rate": _rate([o.answer.get("mode") == "generative" for o in outcomes]),
    }
    for k in (1, 5, 10):
        out[f"recall@{k}"] = _rate([bool(set(o.ranking[:k]) & set(o.gold.evidence)) for o in ranked])
    staged = [o for o in ranked if o.first_stage]
    for k in (1, 5):
        out[f"first_stage_recall@{k}"] = _rate([bool(set(o.first_stage[:k]) & set(o.gold.evidence)) for o in staged])
    reciprocal = [next((1 / (i + 1) for i, u in enumerate(o.ranking) if u in o.gold.evidence), 0.0) for o in ranked]
    out["mrr"] = round(statistics.fmean(reciprocal), 4) if reciprocal else None
    for part in ("retrieve", "answer", "total"):
        values = [o.answer.get("timings_ms", {}).get(part) for o in outcomes]
        values = [v for v in values if v is not None]
        out[f"{part}_p50_ms"] = _percentile(values, 0.5)
        out[f"{part}_p95_ms"] = _percentile(values, 0.95)
    return out


def by_language(outcomes: list[Outcome]) -> dict:
    table = {"all": metrics(outcomes)}
    for lang in ("vi", "fr"):
        table[lang] = metrics([o for o in outcomes if o.gold.lang == lang])
    return table


def cited_units(outcome: Outcome) -> set[str]:
    return {f"{origin_doc(c)}:{c['sentence_id'].rsplit(':', 1)[1]}" for c in outcome.answer.get("citations") or []}


def pair_consistency(outcomes: list[Outcome]) -> list[dict]:
    """Paired vi/fr questions: same abstention, same cited sentences, same facts stated."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        if o.gold.pair:
            groups.setdefault(o.gold.pair, []).append(o)
    rows = []
    for pair, members in sorted(groups.items()):
        if len(members) != 2:
            continue
        a, b = members
        same_sources = cited_units(a) == cited_units(b)
        same_facts = a.facts == b.facts and a.abstained == b.abstained
        rows.append({"pair": pair, "questions": [a.gold.id, b.gold.id], "same_sources": same_sources,
                     "same_facts": same_facts, "consistent": same_sources and same_facts,
                     "both_correct": a.correct and b.correct})
    return rows


class InProcessSystem:
    """coopbot, or the same answerer over one retrieval mode, called in-process."""

    def __init__(self, name: str, settings: Settings, mode: str, engine=None) -> None:
        from .engine import Engine

        self.name = name
        self.engine = engine or Engine(settings, mode=mode)

    def run(self, gold: Gold) -> tuple[dict, list[str], list[str]]:
        try:
            answer, retrieval = self.engine.answer_with_retrieval(gold.question)
        except CoopbotError as error:
            return {"error": error.code, "abstained": True, "answer": error.bilingual()}, [], []
        return answer.to_dict(debug=True), [u.unit_id for u in retrieval.units], retrieval.first_stage


class PlainTypedSystem(InProcessSystem):
    """coopbot asked every question as typed on a phone without diacritics or accents."""

    def run(self, gold: Gold) -> tuple[dict, list[str], list[str]]:
        return super().run(replace(gold, question=fold(gold.question)))


class HttpSystem:
    """coopbot through its HTTP API (POST /api/ask); retrieval ranks are not exposed there."""

    def __init__(self, url: str) -> None:
        import httpx

        self.name = "coopbot"
        self.client = httpx.Client(base_url=url.rstrip("/"), timeout=30)

    def run(self, gold: Gold) -> tuple[dict, list[str], list[str]]:
        response = self.client.post("/api/ask", json={"question": gold.question})
        data = response.json()
        if response.status_code != 200:
            return {"error": data, "abstained": True, "answer": str(data)}, [], []
        return data, [], []


class PlainRagSystem:
    """The obvious alternative: Chroma similarity_search over fixed-size chunks of the
    raw articles with the same embedder; the answer is the top chunk, never abstaining."""

    def __init__(self, settings: Settings) -> None:
        import chromadb
        from langchain_chroma import Chroma
        from langchain_core.documents import Document

        from .embeddings import make_embedder
        from .knowledge import read_knowledge

        self.name = "plain-rag"
        knowledge, _ = read_knowledge(settings.knowledge_dir)
        self.doc_by_source = {a.source_file: a for a in knowledge.originals()}
        documents = []
        for source_file, text in self._raw_articles(settings, knowledge).items():
            for i, chunk in enumerate(_chunks(text)):
                documents.append(Document(page_content=chunk, metadata={"source_file": source_file, "chunk": i}))
        client = chromadb.EphemeralClient(settings=chromadb.config.Settings(anonymized_telemetry=False))
        self.store = Chroma.from_documents(documents, make_embedder(settings.embedder), client=client,
                                           collection_name="plain-rag",
                                           collection_configuration={"hnsw": {"space": "cosine"}})

    @staticmethod
    def _raw_articles(settings: Settings, knowledge) -> dict[str, str]:
        sources = settings.knowledge_dir.parent.parent / "shared" / "sources"
        if not sources.is_dir():
            sources = PROJECT_ROOT.parent / "shared" / "sources"
        raw = {}
        for article in knowledge.originals():
            path = sources / article.source_file
            raw[article.source_file] = (path.read_text(encoding="utf-8") if path.exists()
                                        else "\n".join(line.text for line in article.lines))
        return raw

    def run(self, gold: Gold) -> tuple[dict, list[str]]:
        started = time.perf_counter()
        hits = self.store.similarity_search(gold.question, k=RAG_TOP_K)
        elapsed = (time.perf_counter() - started) * 1000
        top = hits[0]
        article = self.doc_by_source.get(top.metadata["source_file"])
        citation = {"n": 1, "doc_id": article.id if article else "", "origin_doc_id": article.id if article else "",
                    "lang": article.lang if article else "vi", "text": top.page_content,
                    "sentence_id": f"{article.id if article else ''}:0"}
        answer = {"question": gold.question, "language": citation["lang"], "answer": top.page_content,
                  "abstained": False, "citations": [citation],
                  "timings_ms": {"retrieve": round(elapsed, 2), "answer": 0.0, "total": round(elapsed, 2)}}
        return answer, [], []


def _chunks(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text)
    step = RAG_CHUNK_CHARS - RAG_CHUNK_OVERLAP
    return [text[i : i + RAG_CHUNK_CHARS] for i in range(0, max(len(text) - RAG_CHUNK_OVERLAP, 1), step)]


def run_system(system, gold: list[Gold]) -> list[Outcome]:
    outcomes = []
    for item in gold:
        answer, ranking, first_stage = system.run(item)
        outcomes.append(score(item, answer, ranking, first_stage))
    return outcomes


def calibrate(outcomes: list[Outcome], settings: Settings) -> dict:
    """Grid-search the abstention thresholds on answers produced with abstention off.

    The objective is the overall accuracy (answerable right + unanswerable abstained);
    ties go to the setting that abstains least on answerable questions.
    """
    best = None
    dense_grid = [round(0.78 + 0.005 * i, 3) for i in range(21)]
    coverage_grid = [round(0.05 * i, 2) for i in range(17)]
    for min_dense in dense_grid:
        for min_coverage in coverage_grid:
            right = 0
            false_abstain = 0
            for o in outcomes:
                supported = is_supported(o.answer["signals"], min_dense, min_coverage)
                if o.gold.answerable:
                    right += supported and o.correct
                    false_abstain += not supported
                else:
                    right += not supported
            key = (right, -false_abstain, -abs(min_dense - settings.abstain_min_dense))
            if best is None or key > best[0]:
                best = (key, min_dense, min_coverage)
    (right, _, _), min_dense, min_coverage = best
    return {"abstain_min_dense": min_dense, "abstain_min_coverage": min_coverage,
            "accuracy": round(right / len(outcomes), 4)}


def run_evaluation(gold_path: Path, out: Path, url: str | None = None, baselines: bool = True,
                   calibrate_thresholds: bool = False, thresholds: dict | None = None, llm: bool = False) -> list[str]:
    """`llm`: also run coopbot with the configured chat model ("coopbot-llm"), beside the extractive one."""
    generative_settings = Settings.from_env()
    settings = replace(generative_settings, llm_base_url="")
    gold = load_gold(gold_path)
    started = time.perf_counter()
    report: dict = {"gold": str(gold_path), "questions": len(gold), "systems": {}, "top_k": settings.top_k}
    if url:
        systems = [HttpSystem(url)]
    else:
        systems = [InProcessSystem("coopbot", settings, "hybrid")]
        if baselines:
            systems += [PlainTypedSystem("coopbot-typed-plain", settings, "hybrid", engine=systems[0].engine),
                        InProcessSystem("bm25-only", settings, "bm25"), InProcessSystem("dense-only", settings, "dense"),
                        PlainRagSystem(settings)]
        if llm:
            systems.append(generative_system(systems[0].engine, generative_settings))
    results = {}
    for system in systems:
        results[system.name] = run_system(system, gold)
        report["systems"][system.name] = by_language(results[system.name])
    main = results["coopbot"]
    report["pairs"] = pair_consistency(main)
    report["pair_consistency"] = _rate([p["consistent"] for p in report["pairs"]])
    report["failures"] = [_failure(o) for o in main if not o.correct]
    if "coopbot-llm" in results:
        report["fallbacks"] = dict(Counter(o.answer.get("fallback_reason") or "none" for o in results["coopbot-llm"]))
    report["index"] = _index_facts(settings) if not url else {}
    if calibrate_thresholds and not url:
        open_settings = replace(settings, abstain_min_dense=0.0, abstain_min_coverage=0.0)
        report["calibration"] = calibrate(run_system(InProcessSystem("calibration", open_settings, "hybrid"), gold),
                                          settings)
    report["eval_seconds"] = round(time.perf_counter() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    from .report import write_charts, write_markdown

    charts = write_charts(report, results, out)
    (out / "report.md").write_text(write_markdown(report, charts))
    print((out / "report.md").read_text().split("\n## ", 2)[1] if "\n## " in (out / "report.md").read_text() else "")
    return _missed(report["systems"]["coopbot"]["all"], thresholds or {})


def generative_system(engine, settings: Settings) -> InProcessSystem:
    """coopbot over the same loaded index, answering through the configured chat model."""
    from .generate import make_chat_model

    return InProcessSystem("coopbot-llm", settings, "hybrid", engine=engine.with_chat_model(make_chat_model(settings)))


def _index_facts(settings: Settings) -> dict:
    from .index import read_manifest

    manifest = read_manifest(settings) or {}
    return {k: manifest.get(k) for k in ("build_seconds", "sentences", "documents", "embedder", "knowledge_hash")}


def _failure(o: Outcome) -> dict:
    why = []
    if o.gold.answerable:
        if o.abstained:
            why.append("abstained")
        else:
            missing = [p for p, ok in zip(o.gold.expected, o.facts, strict=True) if not ok]
            if missing:
                why.append("missing facts: " + ", ".join(missing))
            if not o.language_ok:
                why.append("wrong language")
            if not o.source_ok:
                why.append("expected source not cited")
    else:
        why.append("answered an unanswerable question")
    return {"id": o.gold.id, "lang": o.gold.lang, "question": o.gold.question, "expected": o.gold.expected,
            "sources": o.gold.sources, "got": o.answer.get("answer", ""),
            "cited": [c.get("sentence_id") for c in o.answer.get("citations") or []], "why": "; ".join(why),
            "signals": o.answer.get("signals", {})}


def _missed(summary: dict, thresholds: dict) -> list[str]:
    missed = []
    for name, minimum in thresholds.items():
        value = summary.get(name)
        if minimum and (value is None or value < minimum):
            missed.append(f"{name} = {value} < {minimum}")
    return missed
