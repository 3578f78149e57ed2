"""Speed benchmark for the answer engine (prints figures; no pass/fail).

- warm `ask` latency over the gold questions, p50/p95 (in one process, models loaded);
- a cold `coopbot ask --json` process, wall time including model and index load;
- `coopbot index` from scratch, wall time, and again over the same folder (the vectors reused: vectorcache.py).

Usage: python bench/bench_ask.py [--rounds 3] [--skip-index]
(COOPBOT_QUERY_CACHE_SIZE=0 measures warm latency without the query-embedding cache.)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COOPBOT = [sys.executable, "-m", "coopbot.cli"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def warm_latency(rounds: int) -> dict:
    from coopbot.engine import Engine

    engine = Engine()
    questions = [json.loads(line)["question"] for line in (ROOT / "eval/dev.jsonl").read_text().splitlines() if line]
    for q in questions:  # first pass fills caches, like a server after its first requests
        engine.ask(q)
    totals = []
    for _ in range(rounds):
        for q in questions:
            started = time.perf_counter()
            engine.ask(q)
            totals.append((time.perf_counter() - started) * 1000)
    return {"questions": len(questions) * rounds, "p50_ms": round(statistics.median(totals), 1),
            "p95_ms": round(percentile(totals, 0.95), 1), "max_ms": round(max(totals), 1)}


def timed(command: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-index", action="store_true")
    args = parser.parse_args()
    print("warm ask:", warm_latency(args.rounds))
    colds = [timed([*COOPBOT, "ask", "--json", "Hội nghị lần thứ 12 diễn ra ở đâu?"]) for _ in range(3)]
    print(f"cold `coopbot ask --json` process: median {statistics.median(colds):.2f} s (runs: "
          + ", ".join(f"{c:.2f}" for c in colds) + ")")
    if not args.skip_index:
        with tempfile.TemporaryDirectory() as data_dir:
            env = {**os.environ, "COOPBOT_DATA_DIR": data_dir}
            print(f"`coopbot index` from scratch: {timed([*COOPBOT, 'index'], env):.1f} s")
            print(f"`coopbot index` again, its vectors reused: {timed([*COOPBOT, 'index'], env):.1f} s")


if __name__ == "__main__":
    main()
