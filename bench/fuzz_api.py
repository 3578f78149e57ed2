"""Fuzz the HTTP API of a real `coopbot serve` with Schemathesis (prints figures; exits 1 on a 5xx or a
schema violation). The suite runs the same loop in process with fewer cases (tests/test_fuzz_api.py).

Also times the refusal of a 100 KB question over loopback.

Usage: python bench/fuzz_api.py [--examples 100] [--url http://127.0.0.1:7860]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import start_server  # noqa: E402
from fuzzing import fuzz_server  # noqa: E402


def refusal_times_ms(url: str, tries: int = 20) -> list[float]:
    body = {"question": "a" * 100_000}
    times = []
    with httpx.Client(base_url=url, timeout=30) as client:
        for _ in range(tries):
            started = time.perf_counter()
            status = client.post("/api/ask", json=body).status_code
            times.append((time.perf_counter() - started) * 1000)
            assert status == 413, status
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="cases per operation and mode (positive, negative)")
    parser.add_argument("--url", help="a running server (rate limiting should be off for it)")
    args = parser.parse_args()
    process = None
    if args.url:
        url = args.url
    else:
        os.environ["COOPBOT_RATE_LIMIT_PER_MINUTE"] = "0"
        process, url = start_server()
    try:
        started = time.monotonic()
        report = fuzz_server(url, args.examples)
        seconds = time.monotonic() - started
        refusals = refusal_times_ms(url)
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
    print(f"cases: {report.cases} in {seconds:.0f} s; statuses: {dict(sorted(report.statuses.items()))}")
    print(f"server errors (5xx): {report.server_errors}; schema/check failures: {len(report.failures)}")
    print(f"not generated (no malformed form exists): {', '.join(report.skipped) or '-'}")
    print(f"100 KB question refused: median {statistics.median(refusals):.1f} ms, max {max(refusals):.1f} ms "
          f"over {len(refusals)} tries")
    for failure in report.failures[:10]:
        print("  " + failure.replace("\n", " ")[:300])
    return 1 if report.server_errors or report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
