"""Per-client rate limiting (coopbot.ratelimit): windows, the penalty box, forgetting idle clients."""

from __future__ import annotations

import time

from coopbot.ratelimit import ClientRateLimiter


class Clock:
    """Monotonic seconds that the test moves on."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_that_keeps_sending_after_refusals_is_refused_everything_while_it_sends():
    clock = Clock()
    limiter = ClientRateLimiter(60, burst=2, burst_seconds=1, strikes=2, penalty_seconds=30, clock=clock)
    waits = [limiter.retry_after("flooder") for _ in range(5)]
    assert waits[:4] == [0, 0, 1, 1], "two refusals are only strikes"
    assert waits[4] == 30 and limiter.penalised("flooder")
    time.sleep(1.1)  # its burst window is free again: the penalty still holds
    for moment in (20, 45, 74):  # each request sent meanwhile starts the penalty again
        clock.now = 1000 + moment
        assert limiter.retry_after("flooder") == 30
    assert limiter.retry_after("someone else") == 0
    clock.now = 1000 + 74 + 31
    assert not limiter.penalised("flooder") and limiter.retry_after("flooder") == 0


def test_a_client_that_waited_after_a_refusal_is_not_penalised():
    limiter = ClientRateLimiter(60, burst=2, burst_seconds=1, strikes=1, penalty_seconds=30)
    waits = [limiter.retry_after("patient") for _ in range(3)]
    assert waits[:2] == [0, 0] and waits[2] == 1
    time.sleep(waits[2] + 0.1)
    assert [limiter.retry_after("patient") for _ in range(2)] == [0, 0]
    assert not limiter.penalised("patient")


def test_no_penalty_box_when_strikes_is_zero():
    limiter = ClientRateLimiter(60, burst=1, burst_seconds=10, strikes=0, penalty_seconds=30)
    waits = [limiter.retry_after("client") for _ in range(20)]
    assert waits[0] == 0 and all(1 <= wait <= 10 for wait in waits[1:])
    assert not limiter.penalised("client")


def test_idle_clients_are_forgotten_and_come_back_with_a_full_allowance():
    clock = Clock()
    limiter = ClientRateLimiter(2, strikes=1, penalty_seconds=30, clock=clock)
    for n in range(100):
        limiter.retry_after(f"10.0.{n // 250}.{n % 250}")
    waits = [limiter.retry_after("busy") for _ in range(4)]
    assert waits[:2] == [0, 0] and 1 <= waits[2] <= 60 and waits[3] == 30 and limiter.penalised("busy")
    assert limiter.clients() == 101
    clock.now += 61
    assert limiter.retry_after("newcomer") == 0
    assert limiter.clients() == 1, "only the clients of the last minute are remembered"
    assert not limiter.penalised("busy")
    assert limiter.retry_after("busy") == 0


def test_limiting_off_applies_to_nothing():
    assert not ClientRateLimiter(0, burst=5, strikes=3).applies_to("POST")
    assert ClientRateLimiter(60).applies_to("post") and not ClientRateLimiter(60).applies_to("GET")
