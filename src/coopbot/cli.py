"""The `coopbot` command: check, index, ask, eval, add, serve, brief, backup, restore."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .config import Settings
from .errors import CoopbotError

if TYPE_CHECKING:
    from .ingest import AddReport

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

LangOption = Annotated[str | None, typer.Option("--lang", help="Force the question's language: vi or fr.")]


def _fail(error: CoopbotError, lang: str | None = None, code: int = 2) -> None:
    typer.echo(error.message(lang) if lang else error.bilingual(), err=True)
    raise typer.Exit(code)


@app.command()
def check(
    knowledge: Annotated[Path | None, typer.Option(help="Knowledge folder (default: knowledge/).")] = None,
) -> None:
    """Validate the knowledge base (articles, translations, glossary, pending names); print file:line: problem
    for each defect."""
    from .knowledge import PENDING_GLOSSARY_FILE, parse_pending_glossary, read_knowledge

    root = knowledge or Settings.from_env().knowledge_dir
    kb, problems = read_knowledge(root)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {root}", err=True)
        raise typer.Exit(1)
    originals = kb.originals()
    machine = sum(a.translation_kind == "machine" for a in kb.articles.values())
    pending = len(parse_pending_glossary(root / PENDING_GLOSSARY_FILE)[0])
    typer.echo(
        f"ok: {len(kb.articles)} documents ({len(originals)} articles, {len(kb.articles) - len(originals)} "
        f"translations{f', {machine} machine' if machine else ''}), {kb.sentence_count('vi')} vi / {kb.sentence_count('fr')} fr "
        f"sentence lines, {len(kb.glossary.entries)} glossary entries"
        + (f", {pending} pending names to review ({PENDING_GLOSSARY_FILE})" if pending else "")
    )


@app.command()
def index(rebuild: Annotated[bool, typer.Option(help="Rebuild even if the index is current.")] = True) -> None:
    """Embed every sentence line into Chroma and build the BM25 index (atomic swap)."""
    from .index import build_index, read_manifest
    from .knowledge import load_knowledge

    settings = Settings.from_env()
    try:
        knowledge = load_knowledge(settings.knowledge_dir)
        manifest = read_manifest(settings)
        if not rebuild and manifest and manifest.get("knowledge_hash") == knowledge.content_hash:
            typer.echo(f"index is current ({manifest['sentences']} sentence lines)")
            return
        path = build_index(settings, knowledge)
    except CoopbotError as error:
        _fail(error, code=1)
    _print_indexed(path)


def _print_indexed(path: Path) -> None:
    manifest = json.loads((path / "manifest.json").read_text())
    typer.echo(f"indexed {manifest['sentences']} sentence lines from {manifest['documents']} documents "
               f"in {manifest['build_seconds']} s with {manifest['embedder']} ({manifest['embedded']} texts "
               f"embedded, {manifest['reused']} reused from the last build) → {path}")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one question per line from stdin.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON answer contract.")] = False,
    lang: LangOption = None,
    debug: Annotated[bool, typer.Option(help="Include retrieval signals in the JSON.")] = False,
) -> None:
    """Answer a question from the knowledge base, with numbered sources."""
    from .engine import Engine

    try:
        engine = Engine()
    except CoopbotError as error:
        _fail(error, code=1)
    if question == "-":
        for line in sys.stdin:
            if line.strip():
                typer.echo(json.dumps(_answer_or_error(engine, line.rstrip("\n"), lang, debug), ensure_ascii=False))
        return
    try:
        answer = engine.ask(question, lang)
    except CoopbotError as error:
        _fail(error, lang)
    if as_json:
        typer.echo(json.dumps(answer.to_dict(debug), ensure_ascii=False, indent=2))
        return
    typer.echo(answer.answer)
    for c in answer.citations:
        label = {"curated": " (bản dịch / traduction de travail)",
                 "machine": " (bản dịch máy / traduction automatique)"}.get(c.translation_kind, "") \
            if c.is_translation else ""
        typer.echo(f"[{c.n}] {c.outlet}, {c.date} — {c.title}{label} ({c.sentence_id})")


def _answer_or_error(engine, question: str, lang: str | None, debug: bool) -> dict:
    try:
        return engine.ask(question, lang).to_dict(debug)
    except CoopbotError as error:
        return {"question": question, "error": {"code": error.code, "message": error.bilingual()}}


@app.command(name="eval")
def evaluate(
    sets: Annotated[list[str] | None, typer.Option("--set", help="Sets to run: dev, test, growth (default all three).")] = None,
    growth: Annotated[bool, typer.Option("--growth", help="Only the growth set: knowledge copied, documents added, indexed in a temporary folder.")] = False,
    gold: Annotated[Path | None, typer.Option(help="Another question file (JSON Lines) for the one --set given.")] = None,
    url: Annotated[str | None, typer.Option(help="Ask through the HTTP API at this base URL instead.")] = None,
    out: Annotated[Path, typer.Option(help="Folder for report.md, report.json and charts.")] = Path("eval"),
    baselines: Annotated[bool, typer.Option(help="Also run the first-stage, BM25, dense and plain LangChain RAG baselines.")] = True,
    fast: Annotated[bool, typer.Option("--fast", help="coopbot only, no baselines, no report written (CI's quality guard).")] = False,
    calibrate: Annotated[bool, typer.Option(help="Grouped k-fold calibration and the ablation table, on dev.")] = False,
    against: Annotated[Path | None, typer.Option(help="A committed report.json: fail when answerable accuracy on a set drops more than --max-drop below it.")] = None,
    max_drop: Annotated[float, typer.Option(help="Allowed drop of answerable accuracy against --against.")] = 0.03,
    llm: Annotated[bool, typer.Option("--llm", help="Also run generative mode (COOPBOT_LLM_*) side by side.")] = False,
    translate: Annotated[bool, typer.Option("--translate", help="Ask growth a second time, its documents added "
                                            "with `coopbot add --translate`'s code and the reference translations "
                                            "(eval/growth/translations/) as a fake translator.")] = False,
) -> None:
    """Score the system on dev, test (the headline) and growth; write eval/report.md, report.json and charts."""
    from .evalsets import SET_NAMES
    from .evaluate import quality_regressions, run_evaluation

    chosen = tuple(sets or (("growth",) if growth else SET_NAMES))
    unknown = [name for name in chosen if name not in SET_NAMES]
    if unknown or (gold is not None and len(chosen) != 1):
        typer.echo(f"--set takes {', '.join(SET_NAMES)} (one set with --gold); got {', '.join(chosen)}", err=True)
        raise typer.Exit(2)
    if translate and ("growth" not in chosen or url):
        typer.echo("--translate needs the growth set, asked in-process (no --url)", err=True)
        raise typer.Exit(2)
    if llm and not Settings.from_env().llm_enabled:
        typer.echo("--llm needs COOPBOT_LLM_BASE_URL and COOPBOT_LLM_MODEL", err=True)
        raise typer.Exit(2)
    report = run_evaluation(out, chosen, url=url, baselines=baselines and not fast, calibrate_thresholds=calibrate,
                            llm=llm, gold_path=gold, write=not fast, translate=translate)
    _print_eval_summary(report)
    if against is not None:
        missed = quality_regressions(report, json.loads(against.read_text(encoding="utf-8")), max_drop)
        for line in missed:
            typer.echo(f"quality regression: {line}", err=True)
        if missed:
            raise typer.Exit(1)


def _print_eval_summary(report: dict) -> None:
    from .report import headline

    typer.echo(f"evaluation done in {report['eval_seconds']} s")
    for line in headline(report):
        typer.echo(line)


@app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .html, .pdf, .txt, .md.")],
    lang: Annotated[str | None, typer.Option("--lang", help="The documents' language: vi or fr (default: detected).")] = None,
    title: Annotated[str | None, typer.Option(help="Title (default: from the document).")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date YYYY-MM-DD.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet or publisher.")] = None,
    url: Annotated[str | None, typer.Option(help="Where the document was published.")] = None,
    reindex: Annotated[bool, typer.Option("--index/--no-index", help="Rebuild the index afterwards.")] = True,
    translate: Annotated[bool | None, typer.Option(
        "--translate/--no-translate", help="Write a machine translation beside each new document through the "
        "COOPBOT_LLM_* chat model (default: COOPBOT_TRANSLATE_ON_ADD).")] = None,
) -> None:
    """Add documents to the knowledge base (idempotent); bad files get a reason, the rest go on."""
    from .index import build_index, writer_lock
    from .ingest import Overrides, add_documents

    settings = Settings.from_env()
    try:
        with writer_lock(settings):  # one writer of knowledge and index at a time
            translator = _translator(settings) if (settings.translate_on_add if translate is None else translate) \
                else None
            report = add_documents(paths, settings.knowledge_dir, Overrides(title, date, outlet, lang, url),
                                   settings.max_add_bytes, settings.encoded_payload_min_chars, translator,
                                   settings.pdf_running_share, settings.byline_lines, settings.byline_max_words)
            _print_add_report(report)
            if report.changed and reindex:
                _print_indexed(build_index(settings, progress=False))
    except CoopbotError as error:
        _fail(error, code=1)
    if not report.ok:
        raise typer.Exit(1)


def _translator(settings: Settings):
    """The translator of `coopbot add --translate`, or None (with a message) when none is configured."""
    from .knowledge import read_knowledge
    from .translate import Translator

    translator = Translator.from_settings(settings, read_knowledge(settings.knowledge_dir)[0])
    if translator is None:
        typer.echo("no translator: set COOPBOT_LLM_BASE_URL and COOPBOT_LLM_MODEL; documents are added "
                   "untranslated", err=True)
    return translator


def _print_add_report(report: AddReport) -> None:
    for document in report.documents:
        source, target = document.source, document.target
        reasons = ", ".join(f"{n} {reason}" for reason, n in document.dropped_by_reason.most_common())
        counts = f"kept {document.kept} lines, dropped {len(document.dropped)}" + (f" ({reasons})" if reasons else "")
        if document.created:
            typer.echo(f"added     {source} → {target.name}: {counts}")
        else:
            typer.echo(f"unchanged {source} (already in {target.name}): {counts}")
        for reason, line in document.dropped:
            if reason == "instruction-like sentence":
                typer.echo(f"dropped   {source}: instruction-like sentence {line[:80]!r}", err=True)
        if document.translation:
            kept = len(document.untranslated)
            typer.echo(f"translated {target.name} → {document.translation.name} (machine translation"
                       + (f"; {kept} line(s) kept in the source language)" if kept else ")"))
            for check in document.untranslated:
                typer.echo(f"untranslated {document.translation.name} line {check.n}: {check.reason}", err=True)
        elif document.translation_note:
            typer.echo(f"untranslated {target.name}: {document.translation_note}; the document is added "
                       "untranslated", err=True)
    for source, reason in report.rejected:
        typer.echo(f"rejected  {source}: {reason}", err=True)
    if report.pending_names:
        typer.echo(f"pending   {len(report.pending_names)} new name(s) for review in glossary.pending.yaml: "
                   + ", ".join(report.pending_names[:10]) + (" …" if len(report.pending_names) > 10 else ""))
    typer.echo(f"{len(report.added)} added, {len(report.unchanged)} unchanged, {len(report.rejected)} rejected, "
               f"{len(report.translations)} translated")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind; 127.0.0.1 keeps it local.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 7860,
) -> None:
    """Start the web server: the chat UI at / and the JSON API under /api (docs at /docs)."""
    import uvicorn

    from .api import create_app
    from .memory import limit_malloc_arenas

    settings = Settings.from_env()
    limit_malloc_arenas(settings.malloc_arena_max)
    try:
        server_app = create_app(settings)
    except CoopbotError as error:
        _fail(error, code=1)
    typer.echo(f"coopbot: http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(server_app, host=host, port=port, log_level="warning", access_log=settings.access_log)


@app.command()
def brief(
    topic: Annotated[str, typer.Argument(help="A topic: free text or a glossary term.")],
    lang: LangOption = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this .md or .docx file.")] = None,
) -> None:
    """Write a briefing: every relevant fact from the sources, grouped, dated and cited."""
    from .brief import build_briefing
    from .engine import Engine

    try:
        briefing = build_briefing(Engine(), topic, lang)
    except CoopbotError as error:
        _fail(error, lang)
    if output is None:
        typer.echo(briefing.to_markdown())
    elif output.suffix.lower() == ".docx":
        output.write_bytes(briefing.to_docx())
    else:
        output.write_text(briefing.to_markdown(), encoding="utf-8")


@app.command()
def backup(path: Annotated[Path, typer.Argument(help="Archive to write (.tar.gz).")]) -> None:
    """Save the knowledge, the index and the feedback database in one checksummed archive."""
    from .backup import BackupError, create_backup

    try:
        manifest = create_backup(Settings.from_env(), path)
    except BackupError as error:
        typer.echo(f"backup failed: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"backed up {len(manifest['files'])} files (index build {manifest['index_build']}) → {path}")


@app.command()
def restore(path: Annotated[Path, typer.Argument(help="Archive written by `coopbot backup`.")]) -> None:
    """Restore an archive: checked beside the install, then swapped in whole (never half-restored)."""
    from .backup import BackupError, restore_backup

    settings = Settings.from_env()
    try:
        manifest = restore_backup(settings, path)
    except BackupError as error:
        typer.echo(f"restore refused, nothing changed: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"restored {len(manifest['files'])} files from {path} (backup of {manifest['created']}) "
               f"into {settings.knowledge_dir} and {settings.data_dir}")


feedback_app = typer.Typer(help="Feedback given in the chat (thumbs up/down).")
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "jsonl",
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Write all feedback as CSV or JSON Lines."""
    from .feedback import FeedbackStore

    store = FeedbackStore(Settings.from_env().feedback_path)
    try:
        data = store.export(fmt)
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    if output:
        output.write_text(data, encoding="utf-8")
    else:
        typer.echo(data, nl=False)


@app.command()
def train(
    out: Annotated[Path, typer.Option(help="Where to write the scorer (shipped in the package).")] = Path(
        "src/coopbot/scorer.json"),
    folds: Annotated[int, typer.Option(help="Grouped folds for the held-out threshold.")] = 5,
    cross: Annotated[bool, typer.Option(help="Also learn from dev asked of one-language copies of the knowledge.")] = True,
    devgrowth: Annotated[bool, typer.Option(help="Also learn from devgrowth (documents added in one language).")] = True,
) -> None:
    """Fit the learned answer scorer on eval/dev.jsonl and eval/devgrowth (grouped k-fold threshold); write it."""
    from .engine import Engine
    from .features import Features
    from .train import train as fit_scorer

    scorer = fit_scorer(Engine(Settings.from_env()), k=folds, learn_cross=cross, grown=devgrowth)
    out.write_text(scorer.to_json(), encoding="utf-8")
    typer.echo(f"wrote {out}: threshold {scorer.threshold}, held-out accuracy {scorer.meta['held_out_accuracy']}, "
               f"abstention precision {scorer.meta['held_out_abstention_precision']}")
    for name in Features.names():
        typer.echo(f"  {name:12} {scorer.weights[name]:+.3f}")


if __name__ == "__main__":
    app()
