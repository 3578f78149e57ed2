"""Scale benchmark: the engine on synthetic knowledge of 10k, 100k… sentence lines (prints figures).

For the bundled corpus and each size (total sentence lines, Vietnamese and French), in fresh
processes so that memory figures are per size:
- a synthetic knowledge folder (bench/synthetic_corpus.py) is written to a temp dir;
- the index is built through the normal code path (`build_index`, default embedder): wall time,
  lines/s, and the time spent embedding and building BM25; the index's disk size; peak RSS;
- an Engine is opened on it: start-up time, first (cold) ask, resident memory;
- over the gold questions (eval/dev.jsonl), after one warm-up pass, p50/p95 of retrieval alone
  and of the whole `Engine.ask`, without the query-embedding cache (every ask embeds its
  question) and with it (repeated questions, the cache then holds them all).

Embedding throughput is measured first on a sample; a size whose estimated build exceeds
--max-build-minutes is skipped and reported as such.

Usage: python bench/bench_scale.py [--sizes 10000 100000] [--rounds 3] [--write bench/RESULTS.md]
       [--profile 100000]  (cProfile of the warm asks at that size, top functions printed)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from coopbot.config import Settings  # noqa: E402

SAMPLE_LINES = 500
RANDOM_PASSAGES = "fake:384"  # multilingual-e5-small's dimension
SECTION = "## Scale benchmark — `python bench/bench_scale.py`"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    return {"p50": round(statistics.median(values), 1), "p95": round(percentile(values, q=0.95), 1)}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def disk_mb(path: Path) -> float:
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file()) / 2**20


def gold_questions() -> list[str]:
    rows = (ROOT / "eval/dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(row)["question"] for row in rows if row.strip()]


def settings_for(root: Path, passages: str, cache_size: int = 0) -> Settings:
    """`passages`: "e5" (the real embedder) or "random" (stand-in passage vectors of the same size)."""
    embedder = RANDOM_PASSAGES if passages == "random" else Settings.from_env().embedder
    return Settings.from_env(knowledge_dir=root / "knowledge", data_dir=root / "data", query_cache_size=cache_size,
                             embedder=embedder)


def embedding_throughput(lines: int) -> float:
    """Passage lines embedded per second by the default embedder, on synthetic sentences."""
    from synthetic_corpus import generate

    from coopbot.embeddings import make_embedder
    from coopbot.knowledge import load_knowledge

    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), lines)
        texts = [d.page_content for d in load_knowledge(Path(tmp)).documents()][:lines]
    embedder = make_embedder(Settings.from_env().embedder)
    embedder.embed_documents(texts[:64])
    started = time.perf_counter()
    embedder.embed_documents(texts)
    return len(texts) / (time.perf_counter() - started)


def timed_calls(module: object, name: str, totals: dict[str, float]) -> None:
    """Wrap `module.name` so that the seconds spent in it add up in totals[name]."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - started

    assign = setattr if isinstance(module, types.ModuleType) else object.__setattr__  # pydantic models refuse setattr
    assign(module, name, wrapper)


def child_build(root: Path, lines: int, passages: str) -> dict:
    """Generate the knowledge (unless bundled) and build its index; figures as a dict."""
    from synthetic_corpus import generate

    from coopbot import index as index_module
    from coopbot.embeddings import make_embedder
    from coopbot.knowledge import load_knowledge

    started = time.perf_counter()
    if (root / "knowledge").exists():
        print("reusing the knowledge folder of an interrupted run", file=sys.stderr)
    elif lines:
        generate(root / "knowledge", lines)
    else:
        (root / "knowledge").symlink_to(ROOT / "knowledge")
    generated = time.perf_counter() - started
    settings = settings_for(root, passages)
    embedder = make_embedder(settings.embedder)
    totals: dict[str, float] = {}
    timed_calls(embedder, "embed_documents", totals)
    timed_calls(index_module, "_build_bm25", totals)
    timed_calls(index_module, "count_terms", totals)
    started = time.perf_counter()
    knowledge = load_knowledge(settings.knowledge_dir)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    build = index_module.build_index(settings, knowledge, progress=False)
    seconds = time.perf_counter() - started
    sentences = knowledge.sentence_count()
    return {
        "lines": sentences, "articles": len(knowledge.articles), "generate_s": round(generated, 1),
        "load_s": round(loaded, 2), "build_s": round(seconds, 1), "lines_per_s": round(sentences / seconds, 1),
        "embed_s": round(totals.get("embed_documents", 0.0), 1), "bm25_s": round(totals.get("_build_bm25", 0.0), 1),
        "rarity_s": round(totals.get("count_terms", 0.0), 1),
        "index_mb": round(disk_mb(build), 1), "knowledge_mb": round(disk_mb(settings.knowledge_dir.resolve()), 1),
        "build_peak_rss_mb": round(peak_rss_mb()),
    }


def latencies(engine, questions: list[str], rounds: int) -> dict:
    """Warm p50/p95 of retrieval alone and of the whole ask, after one warm-up pass (itself
    timed: there the answerer meets every retrieved sentence for the first time)."""
    parsed = [engine.parse(*engine.validate(q)) for q in questions]
    first_pass = []
    for question in questions:
        started = time.perf_counter()
        engine.ask(question)
        first_pass.append((time.perf_counter() - started) * 1000)
    retrieval, asks, answer_only = [], [], []
    for _ in range(rounds):
        for query in parsed:
            started = time.perf_counter()
            engine.retriever.search(query)
            retrieval.append((time.perf_counter() - started) * 1000)
        for question in questions:
            started = time.perf_counter()
            answer = engine.ask(question)
            asks.append((time.perf_counter() - started) * 1000)
            answer_only.append(answer.timings_ms["answer"])
    return {"first_pass": summary(first_pass), "retrieve": summary(retrieval), "ask": summary(asks),
            "answer_step": summary(answer_only)}


def child_query(root: Path, rounds: int, profile: bool, passages: str) -> dict:
    from coopbot.embeddings import make_embedder
    from coopbot.engine import Engine
    from coopbot.retrieve import HybridRetriever

    settings = settings_for(root, passages, cache_size=0)
    questions = gold_questions()
    started = time.perf_counter()
    engine = Engine(settings)
    if passages == "random":  # questions are still embedded by the real model, at its real cost
        engine.index.embedder = make_embedder(Settings.from_env().embedder)
    startup = time.perf_counter() - started
    started = time.perf_counter()
    engine.ask(questions[0])
    first_ask = time.perf_counter() - started
    rss_open = current_rss_mb()
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    uncached = latencies(engine, questions, rounds)
    if profiler:
        profiler.disable()
        report = io.StringIO()
        pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(35)
        print(report.getvalue(), file=sys.stderr)
    cached_settings = replace(settings, query_cache_size=Settings().query_cache_size)
    cached_retriever = HybridRetriever(index=engine.index, knowledge=engine.knowledge, settings=cached_settings)
    engine._loaded = replace(engine._loaded, retriever=cached_retriever)
    cached = latencies(engine, questions, rounds)
    return {
        "startup_s": round(startup, 2), "first_ask_ms": round(first_ask * 1000), "rss_open_mb": round(rss_open),
        "query_peak_rss_mb": round(peak_rss_mb()), "asks": len(questions) * rounds,
        "uncached": uncached, "cached": cached,
    }


def run_child(mode: str, root: Path, lines: int, rounds: int, profile: bool, passages: str) -> dict:
    command = [sys.executable, __file__, "--child", mode, "--root", str(root), "--lines", str(lines),
               "--rounds", str(rounds), "--passages", passages, *(["--profile-child"] if profile else [])]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
    if profile:
        print(done.stderr, file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(lines: int, rounds: int, profile: bool, workdir: Path | None, passages: str) -> dict:
    """Build (or, in --workdir, reuse the build of an earlier run) and query one size."""
    if workdir is None:
        with tempfile.TemporaryDirectory() as tmp:
            return measure_in(Path(tmp), lines, rounds, profile, passages)
    return measure_in(workdir / f"lines-{lines}-{passages}", lines, rounds, profile, passages)


def measure_in(root: Path, lines: int, rounds: int, profile: bool, passages: str) -> dict:
    record = root / "build.json"
    if record.exists():
        built = json.loads(record.read_text())
    else:
        root.mkdir(parents=True, exist_ok=True)
        built = run_child("build", root, lines, rounds, False, passages)
        record.write_text(json.dumps(built))
    return {**built, **run_child("query", root, lines, rounds, profile, passages), "passages": passages}


COLUMNS = ("lines (vi+fr)", "articles", "build · lines/s", "embed / BM25", "index on disk", "build peak RSS",
           "start-up · first ask", "serving RSS", "retrieve p50/p95", "first-pass ask p50/p95",
           "warm ask p50/p95", "answer step p50/p95", "cached ask p50/p95")


def pair(figures: dict) -> str:
    return f"{figures['p50']} / {figures['p95']} ms"


def table(rows: list[dict], skipped: list[str]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        u, c = r["uncached"], r["cached"]
        cells = [
            f"{r['lines']:,}" + (" (random passage vectors)" if r.get("passages") == "random" else ""), f"{r['articles']:,}", f"{r['build_s']:,} s · {r['lines_per_s']:,}",
            f"{r['embed_s']:,} s / {r['bm25_s']} s", f"{r['index_mb']:,} MB", f"{r['build_peak_rss_mb']:,} MB",
            f"{r['startup_s']} s · {r['first_ask_ms']} ms", f"{r['rss_open_mb']:,} MB", pair(u["retrieve"]),
            pair(u["first_pass"]), pair(u["ask"]), pair(u["answer_step"]), pair(c["ask"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [f"| {s} |" + " |" * (len(COLUMNS) - 1) for s in skipped]
    return "\n".join(lines)


def write_results(path: Path, text: str) -> None:
    """Replace the table of the scale section of RESULTS.md (its prose is kept), or add the section."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    marker = "<!-- scale-table -->"
    block = f"{marker}\n{text}\n{marker}"
    if marker in old:
        before, _, rest = old.partition(marker)
        _, _, after = rest.partition(marker)
        path.write_text(before + block + after, encoding="utf-8")
    else:
        path.write_text(old.rstrip() + f"\n\n{SECTION}\n\n{block}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-build-minutes", type=float, default=30.0)
    parser.add_argument("--sample-lines", type=int, default=SAMPLE_LINES,
                        help="Lines embedded first to measure the embedder's throughput.")
    parser.add_argument("--no-bundled", action="store_true", help="Skip the bundled-corpus row.")
    parser.add_argument("--profile", type=int, default=None, help="cProfile the warm asks at this size.")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="Keep each size's corpus and index in WORKDIR/lines-N and reuse them on the next run "
                             "(default: a temporary folder, removed).")
    parser.add_argument("--write", type=Path, default=None, help="Write the table into this RESULTS.md.")
    parser.add_argument("--passages", choices=["e5", "random"], default="e5",
                        help="Passage vectors of the synthetic sizes: the real embedder, or random stand-ins of "
                             "its size when embedding them would take too long (questions are always embedded "
                             "by the real model; the bundled row always uses it).")
    parser.add_argument("--child", choices=["build", "query"], help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--lines", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--profile-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "build":
        print(json.dumps(child_build(args.root, args.lines, args.passages)))
        return
    if args.child == "query":
        print(json.dumps(child_query(args.root, args.rounds, args.profile_child, args.passages)))
        return
    rate = embedding_throughput(args.sample_lines)
    print(f"embedding throughput ({args.sample_lines} lines, default embedder): {rate:.0f} lines/s", flush=True)
    rows, skipped = [], []
    for lines in ([] if args.no_bundled else [0]) + args.sizes:
        passages = args.passages if lines else "e5"
        estimate_min = lines / rate / 60
        if passages == "e5" and estimate_min > args.max_build_minutes:
            skipped.append(f"{lines:,}: not built, embedding alone estimated at {estimate_min:.0f} min")
            print(skipped[-1], flush=True)
            continue
        row = measure(lines, args.rounds, args.profile == lines, args.workdir, passages)
        rows.append(row)
        print(json.dumps(row), flush=True)
    text = table(rows, skipped)
    print(text)
    if args.write:
        write_results(args.write, text)


if __name__ == "__main__":
    main()
