"""Virtual time for the rate limiter: sleeping advances a clock instead of waiting."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import Any

SPINS = 50  # event-loop turns that let every runnable task reach its next sleep


class VirtualTime:
    """``clock()`` and ``await sleep(s)`` for code under test; ``run(...)`` drives them."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.slept: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._seq), future))
        await future

    async def run(self, *work: Awaitable[Any]) -> list[Any]:
        """Run ``work`` concurrently; whenever all of it sleeps, jump to the next wake-up."""
        tasks = [asyncio.ensure_future(w) for w in work]
        while True:
            for _ in range(SPINS):
                await asyncio.sleep(0)
            if all(task.done() for task in tasks):
                return [task.result() for task in tasks]
            if not self._sleepers:
                raise RuntimeError("tasks wait on something other than virtual time")
            wake = self._sleepers[0][0]
            self.now = max(self.now, wake)
            while self._sleepers and self._sleepers[0][0] <= self.now:
                heapq.heappop(self._sleepers)[2].set_result(None)
