"""Render an evaluation report (Markdown and PNG charts) from the harness's figures.

The frozen test set is the headline; growth (documents added with `coopbot add`) stands beside it, and
dev with devgrowth (the sets everything is tuned on: bundled knowledge, other added documents) after them.
"""

from __future__ import annotations

from pathlib import Path

COLUMNS = [
    ("accuracy", "accuracy"), ("answerable_accuracy", "answerable acc."), ("abstention_precision", "abst. P"),
    ("abstention_recall", "abst. R"), ("citation_precision", "cit. P"), ("recall@1", "R@1"), ("recall@5", "R@5"),
    ("recall@10", "R@10"), ("mrr", "MRR"), ("total_p50_ms", "p50 ms"), ("total_p95_ms", "p95 ms"),
]
SET_ORDER = ("test", "growth", "dev", "devgrowth")
SET_LABELS = {"test": "test (frozen, headline)", "growth": "growth (added documents)", "dev": "dev (tuned on)",
              "devgrowth": "devgrowth (other added documents, tuned on)"}
GROWN = ("growth", "devgrowth")
GROWTH_MODES = (("no translator (default)", None), ("fake translator (reference translations)", "translated"))
GROWTH_ROWS = (("vi", "same:vi", "same language"), ("vi", "cross:vi", "other language"),
               ("fr", "same:fr", "same language"), ("fr", "cross:fr", "other language"))


def _cell(value) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) and value <= 1.0 else f"{value}"


def _sets(report: dict) -> list[tuple[str, dict]]:
    return [(name, report["sets"][name]) for name in SET_ORDER
            if name in report["sets"] and "systems" in report["sets"][name]]


def side_by_side(report: dict) -> list[str]:
    """One row per system: answerable accuracy vi / fr and abstention recall on each set."""
    sets = _sets(report)
    header = "| system | " + " | ".join(f"{name}: all · vi · fr answerable · abst. R" for name, _ in sets) + " |"
    rows = [header, "|---|" + "---|" * len(sets)]
    systems = list(dict.fromkeys(s for _, section in sets for s in section["systems"]))
    for system in systems:
        cells = []
        for _, section in sets:
            table = section["systems"].get(system)
            if table is None:
                cells.append("—")
                continue
            cells.append(f"{_cell(table['all']['accuracy'])} · {_cell(table['vi']['answerable_accuracy'])} · "
                         f"{_cell(table['fr']['answerable_accuracy'])} · {_cell(table['all']['abstention_recall'])}")
        rows.append(f"| {system} | " + " | ".join(cells) + " |")
    return rows


def summary_table(section: dict) -> list[str]:
    rows = ["| system | lang | n | " + " | ".join(label for _, label in COLUMNS) + " |",
            "|---|---|---|" + "---|" * len(COLUMNS)]
    for system, table in section["systems"].items():
        for lang, m in table.items():
            if not m["questions"]:
                continue
            rows.append(f"| {system} | {lang} | {m['questions']} | "
                        + " | ".join(_cell(m[key]) for key, _ in COLUMNS) + " |")
    return rows


def headline(report: dict) -> list[str]:
    lines = []
    for name, section in _sets(report):
        main = section["systems"]["coopbot"]
        lines.append(
            f"- **{SET_LABELS[name]}**, {section['questions']} questions: accuracy {_cell(main['all']['accuracy'])}; "
            f"answerable vi {_answerable(main['vi'])} / fr {_answerable(main['fr'])}; "
            f"abstention P {_cell(main['all']['abstention_precision'])} / R {_cell(main['all']['abstention_recall'])}; "
            f"recall@5 {_cell(main['all']['recall@5'])} (fusion alone {_cell(main['all'].get('first_stage_recall@5'))}); "
            f"pair consistency {_cell(section['pair_consistency'])} of {len(section['pairs'])} pairs")
        if "coopbot-llm" in section["systems"]:
            llm = section["systems"]["coopbot-llm"]["all"]
            lines.append(f"  - Generative (coopbot-llm): accuracy {_cell(llm['accuracy'])} vs "
                         f"{_cell(main['all']['accuracy'])} extractive; generative answers "
                         f"{_cell(llm['generative_rate'])}; fallbacks "
                         + ", ".join(f"{k} {v}" for k, v in sorted(section.get("fallbacks", {}).items())))
        if name == "dev" and section.get("by_origin"):
            lines.append("  - dev by origin: " + "; ".join(
                f"{origin} ({ORIGIN_LABELS[origin]}) {table['all']['questions']} q, answerable vi "
                f"{_answerable(table['vi'])} / fr {_answerable(table['fr'])}, abstention R "
                f"{_cell(table['all']['abstention_recall'])}" for origin, table in section["by_origin"].items()))
        if name == "devgrowth" and section.get("by_part"):
            lines.append("  - devgrowth by part: " + "; ".join(
                f"{part} ({PART_LABELS[part]}) {table['all']['questions']} q, accuracy {_cell(table['all']['accuracy'])}, "
                f"answerable vi {_answerable(table['vi'])} / fr {_answerable(table['fr'])}, "
                + _by_document_language(table) for part, table in section["by_part"].items()))
        if name == "dev" and section.get("other_language_ceiling"):
            ceiling = section["other_language_ceiling"]
            lines.append("  - other-language ceiling: the expected facts all appear in the other language's version of "
                         f"the evidence for vi {_cell(ceiling['vi']['share'])} / fr {_cell(ceiling['fr']['share'])} "
                         "of dev's answerable questions (the most a quoted passage in the other language can state "
                         "without a translator)")
        if name in GROWN:
            lines.append(f"  - {name} by document language (answerable): " + _by_document_language(main))
        if name == "growth" and section.get("translated"):
            translated = section["translated"]
            facts = translated["translation"]
            lines.append(f"  - with the fake translator at add: {_by_document_language(translated['systems']['coopbot'])}"
                         f"; {facts['translated']} of {facts['lines']} lines translated, {facts['untranslated']} kept "
                         f"untranslated; coopbot check {_passed(facts)}")
    if report.get("gap"):
        gap, interval = report["gap"], report.get("gap_interval") or {}
        lines.append("- **dev − test gap** (answerable accuracy): " + ", ".join(
            f"{lang} {gap[lang]:+.3f}{_interval(interval.get(lang), signed=True)}" for lang in ("all", "vi", "fr")))
    if report.get("gap_blind", {}).get("gap"):
        gap, interval = report["gap_blind"]["gap"], report["gap_blind"]["interval"]
        lines.append("  - dev's blind part − test: " + ", ".join(
            f"{lang} {gap[lang]:+.3f}{_interval(interval.get(lang), signed=True)}" for lang in ("all", "vi", "fr")))
    lines.append("  - in brackets: 95 % intervals (Wilson; normal approximation for a gap)")
    return lines


PART_LABELS = {"trained": "coopbot train fits on them", "validation": "tagged validation, never trained on"}
ORIGIN_LABELS = {"first-round": "q001–q155, the first round's cues were developed on them",
                 "blind": "q156 on, written blind in the test's style"}


def _answerable(metrics: dict) -> str:
    return _cell(metrics["answerable_accuracy"]) + _interval(metrics.get("answerable_interval"))


def _interval(bounds: list[float] | None, signed: bool = False) -> str:
    if not bounds:
        return ""
    shown = [f"{b:+.3f}" if signed else f"{b:.3f}" for b in bounds]
    return f" [{shown[0]}, {shown[1]}]"


def _by_document_language(table: dict) -> str:
    return "; ".join(f"{key} {_cell(table[key]['answerable_accuracy'])} (n={table[key]['questions']})"
                     for key in ("same:vi", "same:fr", "cross:vi", "cross:fr") if key in table)


def _passed(facts: dict) -> str:
    return "passed" if facts.get("check", {}).get("passed") else "**failed**"


def _accuracy_n(metrics: dict) -> str:
    return f"{_cell(metrics['answerable_accuracy'])} (n={metrics['questions']})"


def growth_modes(section: dict) -> list[str]:
    """Growth answerable accuracy by the answering document's language, without and with the fake
    translator at add, and what the translator wrote."""
    translated = section.get("translated")
    if not translated:
        return []
    tables = [(label, (section[key] if key else section)["systems"]["coopbot"]) for label, key in GROWTH_MODES]
    facts = translated["translation"]
    check = facts["check"]
    lines = ["", "## Growth with machine translation at add: both modes", "",
             "The growth set asked twice of coopbot: its documents added as `coopbot add` does (no translator), "
             "and added with `coopbot add --translate`'s code, the translator being a fake chat model that answers "
             "from reference translations of every line (`eval/growth/translations/`). Answerable accuracy by the "
             "language of the document that states the answer, per asker language.", "",
             "| asker | answering document | " + " | ".join(label for label, _ in tables) + " |",
             "|---|---|" + "---|" * len(tables)]
    lines += [f"| {lang} | {label} ({key}) | " + " | ".join(_accuracy_n(table[key]) for _, table in tables) + " |"
              for lang, key, label in GROWTH_ROWS if all(key in table for _, table in tables)]
    lines.append("| all | answerable | " + " | ".join(_accuracy_n({**table["all"], "questions": sum(
        table[key]["questions"] for _, key, _ in GROWTH_ROWS if key in table)}) for _, table in tables) + " |")
    lines.append("| all | all questions, accuracy | " + " | ".join(
        f"{_cell(table['all']['accuracy'])} (n={table['all']['questions']})" for _, table in tables) + " |")
    lines += ["", f"Translator `{facts['translator']}`: {facts['translated']} of {facts['lines']} lines machine-"
                  f"translated, {facts['untranslated']} kept in the source language ({facts['missing_from_table']} "
                  f"missing from the reference table, {facts['untranslated'] - facts['missing_from_table']} refused "
                  f"by the line check). `coopbot check` on the grown knowledge: {_passed(facts)} "
                  f"({check.get('documents')} documents, {check.get('machine_translations')} machine translations)."]
    if facts["untranslated_lines"]:
        lines += ["", "Lines kept in the source language: " + "; ".join(
            f"{row['source']}:{row['line']} {row['reason']}" for row in facts["untranslated_lines"]) + "."]
    return lines


def calibration_lines(section: dict) -> list[str]:
    cal = section.get("calibration")
    if not cal:
        return []
    held = cal["held_out"]
    lines = ["", "## Calibration on dev (grouped 5-fold, pairs kept in one fold)", "",
             f"- held-out: accuracy {_cell(held['accuracy'])}, answerable vi {_cell(held['answerable_vi'])} / "
             f"fr {_cell(held['answerable_fr'])}, abstention recall {_cell(held['abstention_recall'])}",
             f"- thresholds chosen per fold: {cal['per_fold']}",
             f"- chosen on all of dev: {cal['on_all_dev']}; configured: {cal['configured']}"]
    scorer = section.get("scorer")
    if scorer:
        lines += ["", "## The learned scorer (`coopbot train`, logistic regression fitted on dev and devgrowth)", "",
                  f"Held-out (model refitted without each fold, {scorer['folds']} grouped folds): top candidate "
                  f"right or correct abstention {_cell(scorer['held_out_accuracy'])} (dev "
                  f"{_cell(scorer.get('held_out_same_language'))}, devgrowth asked in its documents' language "
                  f"{_cell(scorer.get('held_out_devgrowth_same_language'))}, in the other "
                  f"{_cell(scorer.get('held_out_devgrowth_cross_language'))}), abstention precision "
                  f"{_cell(scorer['held_out_abstention_precision'])}; {scorer['candidates']} candidates, "
                  f"{scorer['positives']} evidence. Abstain below probability {scorer['threshold']}.", "",
                  "| feature | weight (raw scale) |", "|---|---|"]
        lines += [f"| {name} | {weight:+.3f} |" for name, weight in scorer["weights"].items()]
        lines.append(f"| (intercept) | {scorer['intercept']:+.3f} |")
        lines += ["", f"Passages only in the other language: held-out {_cell(scorer.get('held_out_cross_language'))}"
                      f" on dev asked of copies with some articles in one language, the glossary without the names"
                      f" only those articles mention (a document added next month brings names it does not know);"
                      f" own threshold "
                      f"{scorer.get('threshold_cross')}."]
        if scorer.get("feature_ablation"):
            lines += ["", "### Feature ablation (each feature left out, the model refitted per fold; held-out on dev and devgrowth)",
                      "", "| left out | same language | Δ | cross-language | Δ |", "|---|---|---|---|---|"]
            full = scorer["feature_ablation"][0]
            for row in scorer["feature_ablation"]:
                lines.append(f"| {row['without']} | {_cell(row['same_language'])} | "
                             f"{row['same_language'] - full['same_language']:+.3f} | {_cell(row['cross_language'])} | "
                             f"{row['cross_language'] - full['cross_language']:+.3f} |")
    if section.get("ablation"):
        lines += ["", "## Ablation on dev (grouped 5-fold, abstention thresholds re-chosen per fold)", "",
                  "| switched off | what it does | held-out accuracy | Δ | answerable vi | answerable fr | abst. R |",
                  "|---|---|---|---|---|---|---|"]
        for row in section["ablation"]:
            lines.append(f"| {row['name']} | {row['what']} | {_cell(row['accuracy'])} | {row['delta']:+.3f} | "
                         f"{_cell(row['answerable_vi'])} | {_cell(row['answerable_fr'])} | "
                         f"{_cell(row['abstention_recall'])} |")
    return lines


def write_markdown(report: dict, charts: list[str]) -> str:
    lines = ["# coopbot evaluation report", "",
             f"Run time: {report['eval_seconds']} s. Scoring rules and the sets: `eval/README.md`. "
             "The **test** set is frozen and never tuned on: it is the headline. **dev** is what every weight and "
             "threshold was chosen on (its figures are training figures). **growth** asks about documents added "
             "with `coopbot add` to a copy of the knowledge; **devgrowth** does the same with other documents "
             "and questions, written apart from growth's, for tuning.", "",
             "## Headline", "", *headline(report), "",
             "## Systems on every set", "",
             "Each cell: accuracy (all questions) · answerable accuracy vi · fr · abstention recall.", "",
             *side_by_side(report), "", *[f"![{Path(c).stem}]({Path(c).name})" for c in charts]]
    if "growth" in report["sets"]:
        lines += growth_modes(report["sets"]["growth"])
    for _, section in _sets(report):
        lines += calibration_lines(section)
    for name, section in _sets(report):
        lines += ["", f"## {SET_LABELS[name]}: every system", "", *summary_table(section)]
        if section.get("index"):
            idx = section["index"]
            lines += ["", f"Index: {idx.get('sentences')} sentence lines from {idx.get('documents')} documents, "
                          f"built in {idx.get('build_seconds')} s with `{idx.get('embedder')}`."]
        if section.get("fallbacks"):
            lines += ["", "Generative fallbacks: " + ", ".join(f"{k} {v}" for k, v in sorted(section["fallbacks"].items()))]
        lines += [f"- note: {note}" for note in section.get("notes", [])]
    for name, section in _sets(report):
        lines += ["", f"## Cross-language pairs ({name})", "",
                  "| pair | questions | same sources | same facts | both correct |", "|---|---|---|---|---|"]
        for p in section["pairs"]:
            lines.append(f"| {p['pair']} | {' / '.join(p['questions'])} | {_yes(p['same_sources'])} | "
                         f"{_yes(p['same_facts'])} | {_yes(p['both_correct'])} |")
    for name, section in _sets(report):
        if name == "test":
            lines += ["", f"## Failures of coopbot ({name}): {len(section['failures'])}", "",
                      "Listed by id only: the test set is reported, never tuned on, so its failures are not "
                      "spelled out here (read them only to find a general cause, then check it on dev)."]
            lines.append(", ".join(f["id"] for f in section["failures"]))
            continue
        lines += ["", f"## Failures of coopbot ({name}): {len(section['failures'])}", ""]
        for f in section["failures"]:
            got = f["got"].replace("\n", " ")
            lines += [f"- **{f['id']}** ({f['lang']}) {f['question']}",
                      f"  - expected: `{'`, `'.join(f['expected']) or 'abstention'}` from {', '.join(f['sources']) or '—'}",
                      f"  - got: {got[:400]}{'…' if len(got) > 400 else ''} (cited: {', '.join(f['cited']) or '—'})",
                      f"  - why: {f['why']}"]
    return "\n".join(lines) + "\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def write_charts(report: dict, results: dict, out: Path) -> list[str]:
    """Answer accuracy per system on each set, and the latency distribution on the headline set."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sets = _sets(report)
    systems = list(dict.fromkeys(s for _, section in sets for s in section["systems"]))
    charts = []
    fig, ax = plt.subplots(figsize=(10, 4))
    width = 0.8 / max(len(sets), 1)
    for i, (name, section) in enumerate(sets):
        values = [(section["systems"].get(s) or {}).get("all", {}).get("accuracy") or 0 for s in systems]
        ax.bar([x + i * width for x in range(len(systems))], values, width, label=name)
    ax.set_xticks([x + width * (len(sets) - 1) / 2 for x in range(len(systems))], systems, rotation=20, ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("answer accuracy")
    ax.set_title("Answer accuracy per system on each set")
    ax.legend()
    charts.append(_save(fig, out / "accuracy.png"))

    headline_results = results.get(report.get("headline")) or next(iter(results.values()), {})
    fig, ax = plt.subplots(figsize=(8, 4))
    for name, outcomes in headline_results.items():
        totals = [o.answer.get("timings_ms", {}).get("total") for o in outcomes]
        totals = [t for t in totals if t is not None]
        if totals:
            ax.hist(totals, bins=30, alpha=0.5, label=name)
    ax.set_xlabel("total latency per question (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Latency distribution")
    ax.legend()
    charts.append(_save(fig, out / "latency.png"))
    return charts


def _save(fig, path: Path) -> str:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return str(path)
