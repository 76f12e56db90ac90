"""Sliding-window flood limits, as Telegram documents them for bots.

Telegram does not publish its exact algorithm; the documented budgets are 30 messages per
second overall, 20 per minute in one group and about one per second in one private chat.
Sliding windows over those budgets make a bot that respects them never see a 429, and one
that bursts see it with a ``retry_after`` that is exactly long enough.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from telegram.constants import FloodLimit

from voisinbot.fakeapi.errors import too_many_requests


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Budgets as (count, window in seconds)."""

    overall: tuple[int, float] = (FloodLimit.MESSAGES_PER_SECOND, 1.0)
    per_group: tuple[int, float] = (FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP, 60.0)
    per_private_chat: tuple[int, float] = (FloodLimit.MESSAGES_PER_SECOND_PER_CHAT, 1.0)


class _Window:
    __slots__ = ("limit", "seconds", "stamps")

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.stamps: deque[float] = deque()

    def wait_needed(self, now: float) -> float:
        """Seconds until one more event fits; 0 when it fits now."""
        stamps = self.stamps
        while stamps and stamps[0] <= now - self.seconds:
            stamps.popleft()
        if len(stamps) < self.limit:
            return 0.0
        return stamps[0] + self.seconds - now


@dataclass(slots=True)
class RateLimiter:
    clock: Callable[[], float]
    limits: RateLimits = field(default_factory=RateLimits)
    rejected: int = 0  # how many 429s the limiter answered
    _overall: _Window | None = None
    _chats: dict[int, _Window] = field(default_factory=dict)

    def check(self, chat_id: int, *, is_group: bool, counts_overall: bool = True) -> None:
        """Raise a 429 ApiError if sending now would exceed a budget, else record the send."""
        now = self.clock()
        if self._overall is None:
            self._overall = _Window(*self.limits.overall)
        window = self._chats.get(chat_id)
        if window is None:
            budget = self.limits.per_group if is_group else self.limits.per_private_chat
            window = self._chats[chat_id] = _Window(*budget)
        wait = window.wait_needed(now)
        if counts_overall:
            wait = max(wait, self._overall.wait_needed(now))
        if wait > 0:
            self.rejected += 1
            # Telegram's retry_after is a whole number of seconds, rounded up.
            raise too_many_requests(max(1, math.ceil(wait)))
        window.stamps.append(now)
        if counts_overall:
            self._overall.stamps.append(now)

    def reset(self) -> None:
        self._overall = None
        self._chats.clear()
