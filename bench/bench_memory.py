"""What grows in memory while the engine answers unique questions (prints figures; no pass/fail).

Builds the Engine once, then asks N generated questions (vi/fr templates with varied names and
numbers, every text unique, as bench_load's users ask) from a few threads, sampling the process RSS,
the fill of every cache, and (with --trace) the tracemalloc allocations that grew most since warm-up.

Usage: python bench/bench_memory.py [--questions 3000] [--threads 4] [--every 500] [--trace]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import time
import tracemalloc
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psutil

TEMPLATES = [
    "Hội nghị lần thứ {n} diễn ra ở {city}?", "Combien de délégués aux {n}e Assises de {city} ?",
    "Quan hệ hợp tác giữa {city} và {other} bắt đầu từ năm {year}?", "Qui est le vice-maire de {city} ?",
    "hoi nghi thu {n} to chuc o {city} nam {year}", "Quels sont les thèmes des ateliers de {city} en {year} ?",
    "Có bao nhiêu đại biểu từ {city} tham dự năm {year}?", "Depuis quand {city} coopère-t-elle avec {other} ?",
    "Ông {name} là ai?", "Quel est le rôle de {name} à {city} ?",
]
CITIES = ["Hà Nội", "Lyon", "Toulouse", "Huế", "Đà Nẵng", "Montpellier", "Cần Thơ", "Rennes", "Hải Phòng",
          "Nantes", "Bordeaux", "Quảng Nam", "Lille", "Vinh", "Strasbourg", "Île-de-France", "TP.HCM"]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Jean Dupont", "Marie Laurent", "Lê Minh Châu", "Pierre Martin",
         "Phạm Quốc Dũng", "Sophie Bernard", "Hoàng Thu Hà", "Luc Moreau"]


def questions(seed: int = 0) -> Iterator[str]:
    """An endless stream of unique questions."""
    rng = random.Random(seed)
    for turn in itertools.count():
        text = rng.choice(TEMPLATES).format(n=rng.randint(1, 30), year=rng.randint(1990, 2030),
                                            city=rng.choice(CITIES), other=rng.choice(CITIES),
                                            name=rng.choice(NAMES))
        yield f"{text} ({turn})"


def rss_mib() -> float:
    return psutil.Process(os.getpid()).memory_info().rss / 2**20


def cache_fill(engine) -> dict[str, int]:
    """Entries held by each bounded cache of the engine and the text helpers."""
    from coopbot import editions, text

    fill = {"query vectors": len(engine.retriever._vectors), "unit texts": len(engine.answerer._texts),
            "sentence vectors": len(engine.index._vectors), "ordinals": editions.ordinals_cache_fill(),
            **text.word_cache_fill()}
    if engine.generator is not None:
        fill["verify"] = engine.generator.verifier.support.cache_info().currsize
    return fill


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=4, help="the server answers from a thread pool too")
    parser.add_argument("--every", type=int, default=500, help="questions between two samples")
    parser.add_argument("--warmup", type=int, default=200, help="questions before the tracemalloc baseline")
    parser.add_argument("--trace", action="store_true", help="tracemalloc top growths (slows answering)")
    args = parser.parse_args()
    from coopbot.engine import Engine

    print(f"RSS before engine: {rss_mib():.0f} MiB")
    engine = Engine()
    stream = questions()
    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(engine.ask, itertools.islice(stream, args.warmup)))
        print(f"RSS after {args.warmup} warm-up questions: {rss_mib():.0f} MiB  {cache_fill(engine)}")
        if args.trace:
            tracemalloc.start(10)
            baseline = tracemalloc.take_snapshot()
        started, first = time.perf_counter(), rss_mib()
        for done in range(args.every, args.questions + 1, args.every):
            list(pool.map(engine.ask, itertools.islice(stream, args.every)))
            print(f"{done:6d} questions, {time.perf_counter() - started:6.0f} s: RSS {rss_mib():.0f} MiB "
                  f"({rss_mib() - first:+.1f})  {cache_fill(engine)}", flush=True)
    if args.trace:
        growth = tracemalloc.take_snapshot().compare_to(baseline, "traceback")
        print("top allocation growths since warm-up:")
        for stat in growth[:12]:
            print(f"  {stat.size_diff / 2**20:+7.2f} MiB {stat.count_diff:+8d} blocks  "
                  f"{' <- '.join(f'{f.filename.rsplit(os.sep, 1)[-1]}:{f.lineno}' for f in reversed(stat.traceback[-4:]))}")


if __name__ == "__main__":
    main()
