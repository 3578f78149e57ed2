"""Per-client rate limiting of state-changing requests (moving windows per client IP).

Built on the `limits` library: a client may make `per_minute` requests in any sliding minute, and at most
`burst` of them in any `burst_seconds`, so that a flooder's allowance is spread out instead of landing on
the other users all at once. A client over either limit gets 429 with the seconds to wait, while every
other client keeps its own allowance.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

LIMITED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ClientRateLimiter:
    """`per_minute` requests per client in any sliding minute, `burst` of them in any `burst_seconds`;
    `per_minute` 0 turns limiting off, `burst` 0 the burst limit only."""

    def __init__(self, per_minute: int, burst: int = 0, burst_seconds: int = 10) -> None:
        self.items: list[RateLimitItem] = []
        if per_minute > 0:
            self.items.append(RateLimitItemPerMinute(per_minute))
            if burst > 0:
                self.items.append(RateLimitItemPerSecond(burst, burst_seconds))
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def applies_to(self, method: str) -> bool:
        return bool(self.items) and method.upper() in LIMITED_METHODS

    def retry_after(self, client: str) -> int:
        """0 if the client may go on (the request is counted in every window), else the seconds until it may.
        Test-then-hit is race-free here: the server calls it from its one event-loop thread."""
        full = [item for item in self.items if not self.limiter.test(item, client)]
        if not full:
            for item in self.items:
                self.limiter.hit(item, client)
            return 0
        reset = max(self.limiter.get_window_stats(item, client).reset_time for item in full)
        return max(1, math.ceil(reset - time.time()))
