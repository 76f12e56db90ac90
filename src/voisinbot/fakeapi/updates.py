"""The getUpdates queue, with Telegram's offset/acknowledgement semantics and long polling."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from telegram.constants import PollingLimit

from voisinbot.fakeapi.errors import ApiError

# Types Telegram withholds unless they are listed in allowed_updates explicitly.
OPT_IN_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

CONFLICT_OTHER_POLL = ApiError(
    409,
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running",
)


def update_type(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


class UpdateQueue:
    def __init__(self) -> None:
        self._pending: deque[dict[str, Any]] = deque()
        self._last_id = 0  # last id handed out by next_id()
        self._last_queued = 0
        self._allowed: frozenset[str] | None = None
        # One asyncio.Event per event loop: tests may reuse an engine across loops.
        self._event: asyncio.Event | None = None
        self._event_loop: asyncio.AbstractEventLoop | None = None
        self._generation = 0

    def next_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def renumber_from(self, first_id: int) -> None:
        """Telegram after a week without updates: the next update's id is chosen afresh,
        possibly below the offset the bot last acknowledged."""
        if self._pending:
            raise ValueError("Telegram renumbers only when nothing is pending")
        self._last_id = self._last_queued = first_id - 1

    def push(self, update: dict[str, Any]) -> int:
        """Queue a copy of ``update``; return its update_id.

        Ids stay strictly increasing in arrival order, as on Telegram: an update built earlier
        but pushed later is renumbered, otherwise the offset arithmetic would drop it.
        """
        update = dict(update)
        given = update.get("update_id")
        if not isinstance(given, int) or given <= self._last_queued:
            given = max(self._last_id, self._last_queued) + 1
        self._last_id = max(self._last_id, given)
        self._last_queued = given
        update["update_id"] = given
        self._pending.append(update)
        self._wake()
        return given

    def __len__(self) -> int:
        return len(self._pending)

    def pending(self) -> list[dict[str, Any]]:
        return list(self._pending)

    def drop_all(self) -> None:
        self._pending.clear()

    def _acknowledge(self, offset: int) -> None:
        pending = self._pending
        if offset < 0:
            # A negative offset keeps only the last -offset updates, forgetting the rest.
            while len(pending) > -offset:
                pending.popleft()
            return
        while pending and pending[0]["update_id"] < offset:
            pending.popleft()

    def _select(self, limit: int) -> list[dict[str, Any]]:
        allowed = self._allowed
        out: list[dict[str, Any]] = []
        unwanted: list[dict[str, Any]] = []
        # Stop at ``limit``: a long backlog must not make every poll O(backlog).
        for update in self._pending:
            kind = update_type(update)
            if kind in allowed if allowed else kind not in OPT_IN_TYPES:
                out.append(update)
                if len(out) >= limit:
                    break
            else:
                unwanted.append(update)
        for update in unwanted:
            # Telegram never delivers filtered types; they are consumed silently.
            self._pending.remove(update)
        return out

    def _wake(self) -> None:
        if self._event is not None:
            self._event.set()

    def _get_event(self) -> asyncio.Event:
        loop = asyncio.get_running_loop()
        if self._event is None or self._event_loop is not loop:
            self._event = asyncio.Event()
            self._event_loop = loop
        return self._event

    async def get(
        self, offset: int | None, limit: int | None, wait: float, allowed: list[str] | None
    ) -> list[dict[str, Any]]:
        if allowed is not None:
            # Like Telegram, the setting sticks until another call changes it.
            self._allowed = frozenset(allowed)
        limit = limit or PollingLimit.MAX_LIMIT
        limit = max(PollingLimit.MIN_LIMIT, min(PollingLimit.MAX_LIMIT, limit))
        if offset is not None:
            self._acknowledge(offset)
        self._generation += 1
        generation = self._generation
        # A previous long poll still waiting must end with a 409, like on Telegram.
        self._wake()
        updates = self._select(limit)
        if updates or wait <= 0:
            return updates
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        event = self._get_event()
        while True:
            event.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return []
            if self._generation != generation:
                raise CONFLICT_OTHER_POLL
            updates = self._select(limit)
            if updates:
                return updates

    def cancel_polls(self) -> None:
        """End any waiting long poll with a 409 (used when a webhook gets set)."""
        self._generation += 1
        self._wake()
