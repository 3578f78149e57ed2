"""Load and soak test of the chat API on loopback (asyncio + httpx; prints figures, no pass/fail).

Phases, each optional:
  ramp   N chat users join at R users/s and each asks, waits a think time, asks again … for D seconds;
  flood  after a short unrecorded warm-up, the same users for F seconds without, then with, one client
         sending a fixed high rate (default 50 requests/s on one keep-alive connection, far above the
         limit), alternated over a few rounds: the flooder should get 429s and the others' p95 should
         move by less than 20 %; then the flooder alone gives the server's CPU time per refusal;
  soak   M users for S seconds, the server's RSS sampled every 10 s.
Every user connects from its own loopback address (127.0.0.x) so per-client rate limiting sees
distinct clients, as it would on a real network. The server is started here unless --url (then
--pid gives its process for RSS).

Full runs (on a quiet machine):
  python bench/bench_load.py --users 50 --spawn-rate 5 --ramp-seconds 300 --flood-seconds 60 \
      --soak-users 10 --soak-seconds 1800
Short check: python bench/bench_load.py --ramp-seconds 60 --flood-seconds 30 --soak-seconds 120
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import QUESTIONS, start_server  # noqa: E402

FLOODER_ADDRESS = "127.0.0.250"
CONTROL_ADDRESS = "127.0.0.251"
SESSIONS = itertools.count()
RSS_SAMPLE_SECONDS = 10


@dataclass
class Record:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int | str, int] = field(default_factory=dict)

    def add(self, status: int | str, latency_ms: float) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status == 200:
            self.latencies_ms.append(latency_ms)

    def summary(self) -> str:
        ordered = sorted(self.latencies_ms)
        errors = sum(n for status, n in self.statuses.items() if status != 200)
        if not ordered:
            return f"0 answered, errors {errors} {self.statuses}"
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        return (f"{len(ordered)} answered, errors {errors}, p50 {statistics.median(ordered):.0f} ms, "
                f"p95 {p95:.0f} ms, max {ordered[-1]:.0f} ms, statuses {self.statuses}")

    def merge(self, other: Record) -> None:
        self.latencies_ms += other.latencies_ms
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")


def user_address(n: int) -> str:
    return f"127.0.{1 + n // 250}.{2 + n % 250}"


async def ask(client: httpx.AsyncClient, question: str, record: Record) -> None:
    started = time.perf_counter()
    try:
        status: int | str = (await client.post("/api/ask", json={"question": question})).status_code
    except httpx.HTTPError as exc:
        status = type(exc).__name__
    record.add(status, (time.perf_counter() - started) * 1000)


async def chat_user(url: str, n: int, stop: float, think: float, record: Record) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=user_address(n))
    session = next(SESSIONS)  # user n joins several phases: its questions must not repeat across them
    async with httpx.AsyncClient(base_url=url, transport=transport, timeout=30) as client:
        turn = 0
        while time.monotonic() < stop:
            question = f"{QUESTIONS[(n + turn) % len(QUESTIONS)]} ({session}-{turn})"  # unique: no cache hits
            await ask(client, question, record)
            turn += 1
            await asyncio.sleep(random.uniform(0.5, 1.5) * think)


async def flooder(url: str, stop: float, rate: float, record: Record, health_only: bool = False) -> None:
    """One keep-alive connection sending `rate` requests a second on a fixed schedule (no bursts to catch up),
    so that the flooder costs the client side little and the figure reflects the server. `health_only`:
    the same traffic as cheap health checks, a control that keeps the server as awake as a flood does."""
    transport = httpx.AsyncHTTPTransport(local_address=CONTROL_ADDRESS if health_only else FLOODER_ADDRESS)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, transport=transport, limits=limits, timeout=30) as client:
        started = time.monotonic()
        turn = 0
        while time.monotonic() < stop:
            if health_only:
                response = await client.get("/api/health")
                record.add(response.status_code, 0.0)
            else:
                await ask(client, f"{QUESTIONS[turn % len(QUESTIONS)]} (flood {turn})", record)
            turn += 1
            await asyncio.sleep(max(0.0, started + turn / rate - time.monotonic()))


async def run_users(url: str, users: int, spawn_rate: float, seconds: float, think: float,
                    first_user: int = 0) -> Record:
    record = Record()
    stop = time.monotonic() + seconds
    tasks = []
    for n in range(users):
        tasks.append(asyncio.create_task(chat_user(url, first_user + n, stop, think, record)))
        await asyncio.sleep(1 / spawn_rate if spawn_rate > 0 else 0)
    await asyncio.gather(*tasks)
    return record


async def run_flood(url: str, users: int, seconds: float, think: float, rate: float,
                    rounds: int, control: bool = False) -> tuple[Record, Record, Record]:
    """Alternate `rounds` times: the users alone, then the users with the flooder (so that a slow start or a
    neighbour's job on the machine weighs on both sides alike). `control`: the calm phases carry the same
    request rate as cheap health checks, so that the comparison is not between an idle and a busy server
    (an idle one on a VM answers its first request after a wake-up, slower)."""
    calm, others, flood = Record(), Record(), Record()
    for _ in range(rounds):
        stop = time.monotonic() + seconds
        background = [flooder(url, stop, rate, Record(), health_only=True)] if control else []
        calm.merge((await asyncio.gather(run_users(url, users, 0, seconds, think), *background))[0])
        stop = time.monotonic() + seconds
        await asyncio.gather(flooder(url, stop, rate, flood),
                             *(chat_user(url, n, stop, think, others) for n in range(users)))
    return calm, others, flood


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


async def refusal_cost(url: str, seconds: float, rate: float, process: psutil.Process) -> str:
    """The server's CPU time per refused request: the flooder alone and over its limit, less what the idle
    server uses in the same time."""
    before = cpu_seconds(process)
    await asyncio.sleep(seconds)
    idle_ms = (cpu_seconds(process) - before) * 1000
    record = Record()
    before = cpu_seconds(process)
    await flooder(url, time.monotonic() + seconds, rate, record)
    used_ms = (cpu_seconds(process) - before) * 1000 - idle_ms
    refused = record.statuses.get(429, 0)
    per_refusal = f"{used_ms / refused:.2f} ms" if refused else "n/a"
    return (f"{refused} refusals in {seconds:.0f} s, server CPU {used_ms:.0f} ms above idle ({idle_ms:.0f} ms), "
            f"{per_refusal} per refusal")


async def run_soak(url: str, users: int, seconds: float, think: float, process: psutil.Process | None) -> Record:
    samples: list[float] = []

    async def sample_rss() -> None:
        while True:
            if process:
                samples.append(process.memory_info().rss / 2**20)
            await asyncio.sleep(RSS_SAMPLE_SECONDS)

    sampler = asyncio.create_task(sample_rss())
    record = await run_users(url, users, users, seconds, think)
    sampler.cancel()
    if samples:
        print(f"soak RSS: start {samples[0]:.0f} MiB, end {samples[-1]:.0f} MiB, max {max(samples):.0f} MiB, "
              f"growth {samples[-1] - samples[0]:+.0f} MiB over {len(samples)} samples")
        per_minute = samples[::60 // RSS_SAMPLE_SECONDS]
        print(f"soak RSS each minute (MiB): {' '.join(f'{rss:.0f}' for rss in per_minute)}")
    return record


def rss_mib(process: psutil.Process | None) -> str:
    return f"{process.memory_info().rss / 2**20:.0f} MiB" if process else "n/a"


async def main_async(args: argparse.Namespace, url: str, process: psutil.Process | None) -> None:
    print(f"server RSS at start: {rss_mib(process)}")
    if args.ramp_seconds > 0:
        record = await run_users(url, args.users, args.spawn_rate, args.ramp_seconds, args.think)
        print(f"ramp  {args.users} users @ {args.spawn_rate}/s, {args.ramp_seconds:.0f} s: {record.summary()}")
        print(f"server RSS after ramp: {rss_mib(process)}")
    if args.warmup_seconds > 0:
        await run_users(url, args.users, 0, args.warmup_seconds, args.think, first_user=args.users)
    if args.flood_seconds > 0:
        calm, others, flood = await run_flood(url, args.users, args.flood_seconds, args.think, args.flood_rate,
                                              args.flood_rounds, args.control)
        print(f"flood calm   (others alone)   : {calm.summary()}")
        print(f"flood stormy (with a flooder) : {others.summary()}")
        sent = sum(flood.statuses.values())
        flooding_seconds = args.flood_seconds * args.flood_rounds
        print(f"flooder {FLOODER_ADDRESS}      : {sent / flooding_seconds:.0f} req/s sent, {flood.summary()}")
        print(f"others' p50 change under flood: {(others.p50 / calm.p50 - 1) * 100:+.0f} %")
        print(f"others' p95 change under flood: {(others.p95 / calm.p95 - 1) * 100:+.0f} %")
        if process:
            print(f"refusal cost: {await refusal_cost(url, args.probe_seconds, args.probe_rate, process)}")
    if args.soak_seconds > 0:
        record = await run_soak(url, args.soak_users, args.soak_seconds, args.think, process)
        print(f"soak  {args.soak_users} users, {args.soak_seconds:.0f} s: {record.summary()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5, help="users joining per second")
    parser.add_argument("--ramp-seconds", type=float, default=300)
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between a user's questions")
    parser.add_argument("--flood-seconds", type=float, default=60, help="each half of the flood comparison")
    parser.add_argument("--flood-rate", type=float, default=50, help="the flooder's requests per second")
    parser.add_argument("--flood-rounds", type=int, default=2, help="calm/stormy pairs, alternated")
    parser.add_argument("--control", action="store_true",
                        help="calm phases carry the flooder's rate as health checks (same wake-ups, no asks)")
    parser.add_argument("--warmup-seconds", type=float, default=10, help="unrecorded users before the flood phases")
    parser.add_argument("--probe-seconds", type=float, default=10, help="the flooder alone, to time refusals")
    parser.add_argument("--probe-rate", type=float, default=200, help="the flooder's rate while timing refusals")
    parser.add_argument("--soak-users", type=int, default=10)
    parser.add_argument("--soak-seconds", type=float, default=1800)
    parser.add_argument("--url", help="a running server instead of one started here")
    parser.add_argument("--pid", type=int, help="the running server's process id, for RSS")
    args = parser.parse_args()
    server = None
    if args.url:
        url, process = args.url, psutil.Process(args.pid) if args.pid else None
    else:
        os.environ.setdefault("COOPBOT_RATE_LIMIT_PER_MINUTE", "60")
        server, url = start_server()
        process = psutil.Process(server.pid)
    try:
        asyncio.run(main_async(args, url, process))
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
