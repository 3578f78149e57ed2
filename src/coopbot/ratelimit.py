"""Per-client rate limiting of state-changing requests (a moving one-minute window per client IP).

Built on the `limits` library: a client that floods gets 429 with the seconds to wait, while
every other client keeps its own allowance.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

LIMITED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ClientRateLimiter:
    """`per_minute` requests per client in any sliding minute; 0 turns limiting off."""

    def __init__(self, per_minute: int) -> None:
        self.item = RateLimitItemPerMinute(per_minute) if per_minute > 0 else None
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def applies_to(self, method: str) -> bool:
        return self.item is not None and method.upper() in LIMITED_METHODS

    def retry_after(self, client: str) -> int:
        """0 if the client may go on (the request is counted), else the seconds until it may."""
        if self.item is None or self.limiter.hit(self.item, client):
            return 0
        reset = self.limiter.get_window_stats(self.item, client).reset_time
        return max(1, math.ceil(reset - time.time()))
