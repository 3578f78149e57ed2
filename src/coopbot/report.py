"""Render an evaluation report (Markdown and PNG charts) from the harness's figures."""

from __future__ import annotations

from pathlib import Path

COLUMNS = [
    ("accuracy", "accuracy"), ("answerable_accuracy", "answerable acc."), ("abstention_precision", "abst. P"),
    ("abstention_recall", "abst. R"), ("citation_precision", "cit. P"), ("recall@1", "R@1"), ("recall@5", "R@5"),
    ("recall@10", "R@10"), ("mrr", "MRR"), ("total_p50_ms", "p50 ms"), ("total_p95_ms", "p95 ms"),
]


def _cell(value) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) and value <= 1.0 else f"{value}"


def summary_table(report: dict) -> list[str]:
    rows = ["| system | lang | n | " + " | ".join(label for _, label in COLUMNS) + " |",
            "|---|---|---|" + "---|" * len(COLUMNS)]
    for system, table in report["systems"].items():
        for lang in ("all", "vi", "fr"):
            m = table[lang]
            rows.append(f"| {system} | {lang} | {m['questions']} | " + " | ".join(_cell(m[key]) for key, _ in COLUMNS) + " |")
    return rows


def write_markdown(report: dict, charts: list[str]) -> str:
    main = report["systems"]["coopbot"]["all"]
    lines = [
        "# coopbot evaluation report",
        "",
        f"Gold set: `{report['gold']}` ({report['questions']} questions). Run time: {report['eval_seconds']} s. "
        "Scoring rules: `eval/README.md`.",
        "",
        "## Summary",
        "",
        f"- **Answer accuracy (coopbot, all):** {_cell(main['accuracy'])} — answerable {_cell(main['answerable_accuracy'])}, "
        f"abstention precision {_cell(main['abstention_precision'])} / recall {_cell(main['abstention_recall'])}",
        f"- **Retrieval** (hybrid fusion, then the answerer's rescoring of its top {report['top_k']}): "
        f"recall@1 {_cell(main['recall@1'])}, recall@5 {_cell(main['recall@5'])}, "
        f"recall@10 {_cell(main['recall@10'])}, MRR {_cell(main['mrr'])}; fusion alone: "
        f"recall@1 {_cell(main.get('first_stage_recall@1'))}, recall@5 {_cell(main.get('first_stage_recall@5'))}",
        f"- **Citation precision:** {_cell(main['citation_precision'])}",
        f"- **Cross-language consistency (vi/fr pairs):** {_cell(report['pair_consistency'])} "
        f"of {len(report['pairs'])} pairs",
        f"- **Latency (ms):** retrieve p50 {main['retrieve_p50_ms']} / p95 {main['retrieve_p95_ms']}; "
        f"answer p50 {main['answer_p50_ms']} / p95 {main['answer_p95_ms']}; "
        f"total p50 {main['total_p50_ms']} / p95 {main['total_p95_ms']}",
    ]
    if report.get("index"):
        idx = report["index"]
        lines.append(f"- **Index:** {idx.get('sentences')} sentence lines from {idx.get('documents')} documents, "
                     f"built in {idx.get('build_seconds')} s with `{idx.get('embedder')}`")
    if "coopbot-llm" in report["systems"]:
        llm = report["systems"]["coopbot-llm"]["all"]
        lines.append(f"- **Generative (coopbot-llm):** accuracy {_cell(llm['accuracy'])} vs {_cell(main['accuracy'])} "
                     f"extractive; generative answers {_cell(llm['generative_rate'])}; fallbacks "
                     + ", ".join(f"{reason} {count}" for reason, count in sorted(report["fallbacks"].items())))
    if report.get("calibration"):
        cal = report["calibration"]
        lines.append(f"- **Calibration:** best abstention thresholds dense ≥ {cal['abstain_min_dense']}, "
                     f"coverage ≥ {cal['abstain_min_coverage']} (accuracy {cal['accuracy']})")
    lines += ["", "## Systems side by side", "", *summary_table(report), ""]
    lines += [f"![{Path(c).stem}]({Path(c).name})" for c in charts]
    lines += ["", "## Cross-language pairs", "", "| pair | questions | same sources | same facts | both correct |",
              "|---|---|---|---|---|"]
    for p in report["pairs"]:
        lines.append(f"| {p['pair']} | {' / '.join(p['questions'])} | {_yes(p['same_sources'])} | "
                     f"{_yes(p['same_facts'])} | {_yes(p['both_correct'])} |")
    lines += ["", f"## Failures of coopbot ({len(report['failures'])})", ""]
    for f in report["failures"]:
        got = f["got"].replace("\n", " ")
        lines += [f"- **{f['id']}** ({f['lang']}) {f['question']}",
                  f"  - expected: `{'`, `'.join(f['expected']) or 'abstention'}` from {', '.join(f['sources']) or '—'}",
                  f"  - got: {got[:400]}{'…' if len(got) > 400 else ''} (cited: {', '.join(f['cited']) or '—'})",
                  f"  - why: {f['why']}"]
    return "\n".join(lines) + "\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


def write_charts(report: dict, results: dict, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    systems = list(report["systems"])
    charts = []
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.25
    for i, lang in enumerate(("all", "vi", "fr")):
        values = [report["systems"][s][lang]["accuracy"] or 0 for s in systems]
        ax.bar([x + i * width for x in range(len(systems))], values, width, label=lang)
    ax.set_xticks([x + width for x in range(len(systems))], systems)
    ax.set_ylim(0, 1)
    ax.set_ylabel("answer accuracy")
    ax.set_title("Answer accuracy per system and language")
    ax.legend()
    charts.append(_save(fig, out / "accuracy.png"))

    fig, ax = plt.subplots(figsize=(8, 4))
    for name, outcomes in results.items():
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
