"""Per-client rate limiting of state-changing requests (moving windows per client IP), with a penalty box.

Built on the `limits` library: a client may make `per_minute` requests in any sliding minute, and at most
`burst` of them in any `burst_seconds`, so that a flooder's allowance is spread out instead of landing on
the other users all at once. A client over either limit gets 429 with the seconds to wait, while every
other client keeps its own allowance.

A client that keeps sending after being refused — more than `strikes` refusals in a minute — goes to the
penalty box: everything it sends is refused for `penalty_seconds`, counted again from each request it makes
meanwhile, so a flooder gets its burst and then nothing for as long as it floods, at the cost of one
dictionary look-up per request. A client that got a 429 and waited is never penalised.

Clients unseen for longer than every window and the penalty are forgotten, so the state held is that of
the clients of the last minute or so, not of every address ever seen.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

LIMITED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MINUTE = 60


class ClientRateLimiter:
    """`per_minute` requests per client in any sliding minute, `burst` of them in any `burst_seconds`;
    `per_minute` 0 turns limiting off, `burst` 0 the burst limit only, `strikes` 0 the penalty box.
    `clock` (monotonic seconds) times the penalty box and the forgetting of idle clients."""

    def __init__(self, per_minute: int, burst: int = 0, burst_seconds: int = 10, strikes: int = 0,
                 penalty_seconds: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.items: list[RateLimitItem] = []
        if per_minute > 0:
            self.items.append(RateLimitItemPerMinute(per_minute))
            if burst > 0:
                self.items.append(RateLimitItemPerSecond(burst, burst_seconds))
        self.strikes = RateLimitItemPerMinute(strikes, namespace="STRIKES") if self.items and strikes > 0 else None
        self.penalty_seconds = penalty_seconds
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.clock = clock
        self.memory_seconds = max(MINUTE, burst_seconds, penalty_seconds)
        self._penalised: dict[str, float] = {}  # client → when its penalty ends
        self._last_seen: OrderedDict[str, float] = OrderedDict()  # oldest first

    def applies_to(self, method: str) -> bool:
        return bool(self.items) and method.upper() in LIMITED_METHODS

    def retry_after(self, client: str) -> int:
        """0 if the client may go on (the request is counted in every window), else the seconds until it may.
        Test-then-hit is race-free here: the server calls it from its one event-loop thread."""
        now = self.clock()
        self._seen(client, now)
        if self._penalised.get(client, -math.inf) > now:
            return self._penalise(client, now)
        full = [item for item in self.items if not self.limiter.test(item, client)]
        if not full:
            for item in self.items:
                self.limiter.hit(item, client)
            return 0
        if self.strikes is not None and not self.limiter.hit(self.strikes, client):
            return self._penalise(client, now)
        reset = max(self.limiter.get_window_stats(item, client).reset_time for item in full)
        return max(1, math.ceil(reset - time.time()))

    def penalised(self, client: str) -> bool:
        return self._penalised.get(client, -math.inf) > self.clock()

    def clients(self) -> int:
        """Clients whose state is held (seen within the longest window or penalty)."""
        return len(self._last_seen)

    def _penalise(self, client: str, now: float) -> int:
        self._penalised[client] = now + self.penalty_seconds
        return max(1, math.ceil(self.penalty_seconds))

    def _seen(self, client: str, now: float) -> None:
        """Note the client as the latest seen, and forget the clients idle for longer than any state lasts."""
        self._last_seen[client] = now
        self._last_seen.move_to_end(client)
        while self._last_seen:
            oldest, seen = next(iter(self._last_seen.items()))
            if now - seen <= self.memory_seconds:
                break
            self._forget(oldest)

    def _forget(self, client: str) -> None:
        del self._last_seen[client]
        self._penalised.pop(client, None)
        for item in [*self.items, *([self.strikes] if self.strikes else [])]:
            self.limiter.clear(item, client)
