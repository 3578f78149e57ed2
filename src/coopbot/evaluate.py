"""The evaluation harness behind `coopbot eval`.

Runs the three question sets (dev: tuned on; test: frozen, the headline; growth: documents added
with `coopbot add`, see evalsets.py) through coopbot and its baselines, scores retrieval and
answers, checks cross-language consistency of paired questions, and writes eval/report.md,
eval/report.json and PNG charts.  `--calibrate` adds grouped k-fold figures and the ablation table
(crossval.py), computed on dev only.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from .config import Settings
from .errors import CoopbotError
from .evalsets import (
    GROWN_SETS,
    RAW_PAGES_DIR,
    SET_NAMES,
    Gold,
    Workspace,
    dev_origin,
    devgrowth_part,
    load_gold,
    workspace,
)
from .knowledge import Knowledge
from .text import fold, nfc, normalize_numbers

__all__ = ["Gold", "load_gold", "run_evaluation", "score", "metrics", "fact_matches", "pair_consistency"]

RAG_CHUNK_CHARS = 500
RAG_CHUNK_OVERLAP = 100
RAG_TOP_K = 4
HEADLINE_SET = "test"


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


def normalise_for_match(text: str) -> str:
    """Folded, lower-case, digit groups joined, Markdown emphasis dropped: the form both patterns and
    answers are compared in."""
    return normalize_numbers(fold(nfc(text.replace("**", "")))).lower()


def fact_matches(pattern: str, text: str) -> bool:
    return re.search(normalise_for_match(pattern), normalise_for_match(text)) is not None


def origin_doc(citation: dict) -> str:
    return citation.get("origin_doc_id") or citation.get("doc_id", "")


def citation_language_ok(citation: dict, lang: str) -> bool:
    """A citation is shown in the asker's language, unless the knowledge has no version in it
    (a document added in one language, untranslated: `translation_kind` "none")."""
    return citation.get("lang") == lang or citation.get("translation_kind") == "none"


def score(gold: Gold, answer: dict, ranking: list[str], first_stage: list[str] | None = None) -> Outcome:
    """Score one answer against its gold item (the rules are in eval/README.md)."""
    outcome = Outcome(gold, answer, ranking, first_stage or [])
    citations = answer.get("citations") or []
    if not gold.answerable:
        outcome.correct = outcome.abstained and not citations
        return outcome
    text = answer.get("answer") or ""
    outcome.facts = [fact_matches(p, text) for p in gold.expected]
    outcome.language_ok = answer.get("language") == gold.lang and all(citation_language_ok(c, gold.lang)
                                                                      for c in citations)
    outcome.source_ok = any(origin_doc(c) in gold.sources for c in citations)
    stated = [p for p, ok in zip(gold.expected, outcome.facts, strict=True) if ok]
    outcome.cited_facts = [any(fact_matches(p, c.get("text", "")) for p in stated) for c in citations]
    outcome.correct = (not outcome.abstained and all(outcome.facts) and outcome.language_ok and outcome.source_ok)
    return outcome


# 95 % intervals: a test set of 50 answerable questions per language measures accuracy to about ±0.12, which
# is what a bar or a gap of a few points must be read against
INTERVAL_Z = 1.96


def wilson_interval(successes: int, n: int, z: float = INTERVAL_Z) -> list[float] | None:
    """The Wilson score interval of a proportion (sound near 0 and 1 and for small n, unlike p ± z·se)."""
    if not n:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)]


def difference_interval(a: float, n_a: int, b: float, n_b: int, z: float = INTERVAL_Z) -> list[float] | None:
    """The interval of a − b for two independent proportions (normal approximation)."""
    if not n_a or not n_b:
        return None
    half = z * math.sqrt(a * (1 - a) / n_a + b * (1 - b) / n_b)
    return [round(a - b - half, 4), round(a - b + half, 4)]


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
    ranked = [o for o in answerable if o.ranking and o.gold.evidence]
    abstained = [o for o in outcomes if o.abstained]
    cited = [flag for o in answerable for flag in o.cited_facts if not o.abstained]
    out = {
        "questions": len(outcomes),
        "accuracy": _rate([o.correct for o in outcomes]),
        "answerable_accuracy": _rate([o.correct for o in answerable]),
        "answerable": len(answerable),
        "answerable_interval": wilson_interval(sum(o.correct for o in answerable), len(answerable)),
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


def breakdown(outcomes: list[Outcome], by_document_language: bool = False) -> dict:
    """Metrics for all questions and per question language; for the growth set also split by whether
    the answering document is in the asker's language ("same:vi") or only in the other ("cross:vi")."""
    table = {"all": metrics(outcomes)}
    for lang in ("vi", "fr"):
        table[lang] = metrics([o for o in outcomes if o.gold.lang == lang])
    if by_document_language:
        for lang in ("vi", "fr"):
            asked = [o for o in outcomes if o.gold.lang == lang and o.gold.answerable]
            table[f"same:{lang}"] = metrics([o for o in asked if lang in o.gold.source_langs])
            table[f"cross:{lang}"] = metrics([o for o in asked if lang not in o.gold.source_langs])
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

    def __init__(self, name: str, engine) -> None:
        self.name = name
        self.engine = engine

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


class FirstStageSystem(InProcessSystem):
    """The first stage's top sentence (dense + BM25 fused, or one list in a retrieval-mode variant: before
    any answer step) in the asker's language, never abstaining: what the answer step must beat to earn its
    place."""

    def run(self, gold: Gold) -> tuple[dict, list[str], list[str]]:
        try:
            question, retrieval = self.engine.retrieve(gold.question)
        except CoopbotError as error:
            return {"error": error.code, "abstained": True, "answer": error.bilingual()}, [], []
        ranking = [u.unit_id for u in retrieval.units]
        if not retrieval.units:
            return {"language": question.lang, "answer": "", "abstained": True, "citations": []}, ranking, ranking
        answerer = self.engine.answerer
        citation = answerer.composer.cite_text(answerer.unit_text_of(retrieval.units[0]), question.lang, 1)
        answer = {"question": gold.question, "language": question.lang, "answer": f"{citation.text} [1]",
                  "abstained": False, "citations": [asdict(citation)],
                  "timings_ms": {"retrieve": round(retrieval.elapsed_ms, 2), "total": round(retrieval.elapsed_ms, 2)}}
        return answer, ranking, ranking


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
    """The obvious alternative, plain LangChain RAG: Chroma similarity_search over fixed-size chunks of
    the raw articles (eval/raw/; an added document's extracted text) with the same embedder; the
    answer is the top chunk, never abstaining."""

    name = "plain-langchain-rag"

    def __init__(self, engine) -> None:
        import chromadb
        from langchain_chroma import Chroma
        from langchain_core.documents import Document

        knowledge = engine.knowledge
        self.doc_by_source = {a.source_file: a for a in knowledge.originals()}
        documents = []
        for source_file, text in self._raw_articles(knowledge).items():
            for i, chunk in enumerate(_chunks(text)):
                documents.append(Document(page_content=chunk, metadata={"source_file": source_file, "chunk": i}))
        client = chromadb.EphemeralClient(settings=chromadb.config.Settings(anonymized_telemetry=False))
        self.store = Chroma.from_documents(documents, engine.index.embedder, client=client,
                                           collection_name=f"plain-rag-{id(self)}",
                                           collection_configuration={"hnsw": {"space": "cosine"}})

    @staticmethod
    def _raw_articles(knowledge) -> dict[str, str]:
        raw = {}
        for article in knowledge.originals():
            path = RAW_PAGES_DIR / article.source_file
            raw[article.source_file] = (path.read_text(encoding="utf-8") if path.suffix == ".txt" and path.exists()
                                        else "\n".join(line.text for line in article.lines))
        return raw

    def run(self, gold: Gold) -> tuple[dict, list[str], list[str]]:
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


def answer_all(engine, gold: list[Gold]) -> list[Outcome]:
    """The outcomes of one in-process engine over `gold` (tuning and ablation replay with this)."""
    return run_system(InProcessSystem("coopbot", engine), gold)


def first_stage_all(engine, gold: list[Gold]) -> list[Outcome]:
    """The outcomes of one engine's retrieval alone: its top sentence, never abstaining."""
    return run_system(FirstStageSystem("first-stage", engine), gold)


def make_systems(engine, baselines: bool, llm_settings: Settings | None) -> list:
    systems: list = [InProcessSystem("coopbot", engine)]
    if baselines:
        systems += [PlainTypedSystem("coopbot-typed-plain", engine), FirstStageSystem("first-stage", engine),
                    FirstStageSystem("bm25-only", engine.variant("bm25")),
                    InProcessSystem("dense-only", engine.variant("dense")), PlainRagSystem(engine)]
    if llm_settings is not None:
        from .generate import make_chat_model

        systems.append(InProcessSystem("coopbot-llm", engine.with_chat_model(make_chat_model(llm_settings))))
    return systems


def evaluate_set(space: Workspace, systems: list, notify=print) -> tuple[dict, dict[str, list[Outcome]]]:
    """One set through every system: its report section and the outcomes per system."""
    results: dict[str, list[Outcome]] = {}
    section: dict = {"questions": len(space.gold), "systems": {}, "notes": space.notes}
    for system in systems:
        started = time.perf_counter()
        results[system.name] = run_system(system, space.gold)
        section["systems"][system.name] = breakdown(results[system.name], space.name in GROWN_SETS)
        notify(f"  {space.name:9} {system.name:20} accuracy "
               f"{section['systems'][system.name]['all']['accuracy']} ({time.perf_counter() - started:.1f} s)")
    main = results["coopbot"]
    if space.name == "dev":
        section["by_origin"] = {origin: breakdown([o for o in main if dev_origin(o.gold) == origin])
                                for origin in ("first-round", "blind")}
    if space.name == "devgrowth":
        section["by_part"] = {part: breakdown([o for o in main if devgrowth_part(o.gold) == part], True)
                              for part in ("trained", "validation")}
    section["pairs"] = pair_consistency(main)
    section["pair_consistency"] = _rate([p["consistent"] for p in section["pairs"]])
    section["failures"] = [_failure(o) for o in main if not o.correct]
    if "coopbot-llm" in results:
        section["fallbacks"] = dict(Counter(o.answer.get("fallback_reason") or "none" for o in results["coopbot-llm"]))
    return section, results


def run_evaluation(out: Path, sets: tuple[str, ...] = SET_NAMES, url: str | None = None, baselines: bool = True,
                   calibrate_thresholds: bool = False, llm: bool = False, gold_path: Path | None = None,
                   write: bool = True, notify=print, translate: bool = False) -> dict:
    """Score every set in `sets`; write the report to `out` (when `write`) and return it.
    `gold_path` replaces the file of the (single) set asked for; `translate` asks growth a second time,
    its documents added with the reference translator."""
    from .engine import Engine

    generative_settings = Settings.from_env()
    settings = replace(generative_settings, llm_base_url="")
    started = time.perf_counter()
    report: dict = {"sets": {}, "headline": HEADLINE_SET, "top_k": settings.top_k}
    results_by_set = {}
    engines: dict[Path, Engine] = {}  # dev and test share the bundled knowledge's engine
    for name in sets:
        if url and name in GROWN_SETS:
            report["sets"][name] = {"skipped": f"the {name} set needs its own knowledge: not asked over HTTP"}
            continue
        with workspace(name, settings, gold_path) as space:
            engine = None if url else engines.get(space.settings.knowledge_dir) or Engine(space.settings)
            if name not in GROWN_SETS and engine is not None:
                engines[space.settings.knowledge_dir] = engine
            systems = ([HttpSystem(url)] if url else
                       make_systems(engine, baselines, generative_settings if llm else None))
            section, results = evaluate_set(space, systems, notify)
            section["file"] = str(gold_path or space.name)
            section["index"] = {} if url else _index_facts(space.settings)
            if calibrate_thresholds and name == "dev" and engine is not None:
                section.update(_cross_validated(engine, space.gold))
            if name == "dev" and engine is not None:
                section["other_language_ceiling"] = other_language_ceiling(engine.knowledge, space.gold)
            report["sets"][name] = section
            results_by_set[name] = results
        if translate and name == "growth" and not url:
            section["translated"] = translated_growth(settings, gold_path, notify)
    report["gap"] = dev_test_gap(report)
    report["gap_interval"] = dev_test_gap_interval(report)
    report["gap_blind"] = blind_dev_test_gap(report)
    report["eval_seconds"] = round(time.perf_counter() - started, 1)
    if write:
        out.mkdir(parents=True, exist_ok=True)
        (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
        from .report import write_charts, write_markdown

        charts = write_charts(report, results_by_set, out)
        (out / "report.md").write_text(write_markdown(report, charts))
    return report


def translated_growth(settings: Settings, gold_path: Path | None, notify=print) -> dict:
    """Growth asked of a copy whose documents were added with `coopbot add --translate`'s code and the
    reference translator (coopbot only): its section, with what the translator wrote."""
    from .engine import Engine

    notify("  growth again, documents added with the reference translator:")
    with workspace("growth", settings, gold_path, translate=True) as space:
        section, _ = evaluate_set(space, [InProcessSystem("coopbot", Engine(space.settings))], notify)
        section["translation"] = space.translation
        section["index"] = _index_facts(space.settings)
    return section


def other_language_ceiling(knowledge: Knowledge, gold: list[Gold]) -> dict:
    """Per asker language, the share of answerable questions whose expected facts all appear in their evidence
    sentences as the other language writes them: the most an answer quoting a passage in the other language
    could get right if it added nothing in the asker's words (facts worded in the asker's language need a
    translator). Measured on dev only."""
    other = {"vi": "fr", "fr": "vi"}
    out = {}
    for lang in ("vi", "fr"):
        asked = [g for g in gold if g.lang == lang and g.answerable]
        stated = [all(fact_matches(p, " ".join(line.text for e in g.evidence
                                               if (line := knowledge.aligned(e, other[lang])) is not None))
                      for p in g.expected) for g in asked]
        out[lang] = {"share": _rate(stated), "questions": len(asked)}
    return out


def _cross_validated(engine, dev: list[Gold]) -> dict:
    """Grouped k-fold figures of the abstention calibration and the ablation table (dev only)."""
    from .crossval import ablation_table, calibrate, cross_validate, held_out_summary

    open_engine = engine.variant(abstention=False)
    outcomes = answer_all(open_engine, dev)
    held = cross_validate(outcomes)
    chosen = calibrate(outcomes)
    return {
        "calibration": {"held_out": held_out_summary(outcomes, held),
                        "per_fold": [_threshold_values(t) for t in held.choices],
                        "on_all_dev": _threshold_values(chosen),
                        "configured": _threshold_values(configured_thresholds(engine))},
                        "scorer": _scorer_facts(engine),
        "ablation": ablation_table(engine, dev, answer_all, first_stage_all),
    }


def configured_thresholds(engine):
    """The shipped scorer's threshold (for a best passage in the asker's language), as calibration reports it."""
    from .crossval import Thresholds

    return Thresholds(engine.answerer.scorer.threshold)


def _threshold_values(thresholds) -> dict:
    return {"min_probability": thresholds.min_probability}


def _scorer_facts(engine) -> dict:
    """The learned scorer's weights and the held-out figures `coopbot train` measured for it."""
    scorer = engine.answerer.scorer
    return {"weights": scorer.weights, "intercept": scorer.intercept, "threshold": scorer.threshold,
            **{k: scorer.meta.get(k) for k in ("trained_on", "folds", "held_out_accuracy",
                                               "held_out_abstention_precision", "held_out_same_language",
                                               "held_out_cross_language", "held_out_devgrowth_same_language",
                                               "held_out_devgrowth_cross_language",
                                               "threshold_cross", "candidates", "positives", "feature_ablation")}}


def dev_test_gap(report: dict) -> dict:
    """coopbot's answerable accuracy on dev minus on test, per language (what tuning on dev overstates)."""
    sets = report["sets"]
    if "systems" not in sets.get("dev", {}) or "systems" not in sets.get("test", {}):
        return {}
    dev, test = sets["dev"]["systems"]["coopbot"], sets["test"]["systems"]["coopbot"]
    return {lang: round((dev[lang]["answerable_accuracy"] or 0) - (test[lang]["answerable_accuracy"] or 0), 4)
            for lang in ("all", "vi", "fr")}


def blind_dev_test_gap(report: dict) -> dict:
    """The gap of dev's blind part (questions written in the test's style, not the first round's) to test."""
    sets = report["sets"]
    if "by_origin" not in sets.get("dev", {}) or "systems" not in sets.get("test", {}):
        return {}
    blind = {"sets": {"dev": {"systems": {"coopbot": sets["dev"]["by_origin"]["blind"]}}, "test": sets["test"]}}
    return {"gap": dev_test_gap(blind), "interval": dev_test_gap_interval(blind)}


def dev_test_gap_interval(report: dict) -> dict:
    """The 95 % interval of each dev − test gap: how well the two sets' sizes let the gap be known."""
    sets = report["sets"]
    if "systems" not in sets.get("dev", {}) or "systems" not in sets.get("test", {}):
        return {}
    dev, test = sets["dev"]["systems"]["coopbot"], sets["test"]["systems"]["coopbot"]
    return {lang: difference_interval(dev[lang]["answerable_accuracy"] or 0, dev[lang]["answerable"],
                                      test[lang]["answerable_accuracy"] or 0, test[lang]["answerable"])
            for lang in ("all", "vi", "fr")}


def quality_regressions(report: dict, committed: dict, max_drop: float) -> list[str]:
    """Sets whose answerable accuracy (coopbot, all languages) fell more than `max_drop` below the committed report's."""
    missed = []
    for name, section in report["sets"].items():
        before = committed.get("sets", {}).get(name, {}).get("systems", {}).get("coopbot", {}).get("all", {})
        now = section.get("systems", {}).get("coopbot", {}).get("all", {})
        if before.get("answerable_accuracy") is None or now.get("answerable_accuracy") is None:
            continue
        if now["answerable_accuracy"] < before["answerable_accuracy"] - max_drop:
            missed.append(f"{name}: answerable accuracy {now['answerable_accuracy']} < committed "
                          f"{before['answerable_accuracy']} - {max_drop}")
    return missed


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
