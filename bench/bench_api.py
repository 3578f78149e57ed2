"""Load benchmark for POST /api/ask over loopback (prints figures; no pass/fail).

N concurrent clients (threads, one keep-alive connection each) ask questions in a loop for
D seconds against a server started here (or --url). Reports throughput, p50/p95/max latency
and errors.

Usage: python bench/bench_api.py [--clients 20] [--seconds 60] [--url http://127.0.0.1:7860]
"""

from __future__ import annotations

import argparse
import itertools
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

import httpx

QUESTIONS = [
    "Hội nghị lần thứ 12 diễn ra ở đâu?", "Combien de délégués aux 12e Assises ?",
    "Quan hệ hợp tác giữa TP.HCM và Lyon bắt đầu từ năm nào?", "Qui est le vice-maire de Toulouse ?",
    "hoi nghi dau tien to chuc o dau", "Quels sont les thèmes des ateliers de Hanoï ?",
    "Giá vàng hôm nay là bao nhiêu?", "Depuis quand Hanoï coopère-t-elle avec l'Île-de-France ?",
]


def start_server() -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "coopbot.cli", "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("server did not start")


def run(url: str, clients: int, seconds: float, unique: bool) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            for n, question in enumerate(itertools.islice(itertools.cycle(QUESTIONS), offset, None)):
                if time.monotonic() >= stop:
                    return
                if unique:  # defeat the query-embedding cache: every request is a new text
                    question = f"{question} ({offset}-{n})"
                started = time.perf_counter()
                try:
                    status = http.post("/api/ask", json={"question": question}).status_code
                    problem = None if status == 200 else f"HTTP {status}"
                except httpx.HTTPError as exc:
                    problem = type(exc).__name__
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        errors.append(problem)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    ordered = sorted(latencies)
    return {"clients": clients, "seconds": round(wall, 1), "requests": len(latencies),
            "throughput_rps": round(len(latencies) / wall, 1), "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1), "max_ms": round(ordered[-1], 1),
            "errors": len(errors)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url")
    parser.add_argument("--unique", action="store_true", help="make every question text unique (no cache hits)")
    args = parser.parse_args()
    process = None
    url = args.url
    if not url:
        process, url = start_server()
    try:
        print(run(url, args.clients, args.seconds, args.unique))
    finally:
        if process:
            process.kill()


if __name__ == "__main__":
    main()
