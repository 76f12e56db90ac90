"""Runs what the ``schedules`` table says is due, once, also after a restart.

The database is the queue; PTB's JobQueue only wakes us up: one job armed at the earliest due
time (and at least every minute, so a schedule added anywhere is never forgotten). At
start-up, schedules that came due while the bot was down run once if within their grace,
otherwise they are recorded as missed. Tests drive ``run_due`` with a fake clock instead of
waiting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from telegram.ext import CallbackContext, Job

from voisinbot.domain.schedules import Overdue, Schedule, ScheduleState, overdue

if TYPE_CHECKING:
    from voisinbot.bot.app import VoisinApp

log = logging.getLogger(__name__)

CHECK_EVERY = timedelta(minutes=1)
WAKE_JOB = "schedules-wake"

Run = Callable[["VoisinApp", Schedule], Awaitable[None]]


@dataclass(frozen=True)
class ScheduleKind:
    """What to do when a schedule of this kind comes due, and when it was missed."""

    run: Run
    on_missed: Run | None = None


class Scheduler:
    def __init__(self, app: VoisinApp) -> None:
        self._app = app
        self.kinds: dict[str, ScheduleKind] = {}
        self._armed: Job[Any] | None = None
        self._armed_at = 0.0  # time.monotonic() when the armed job fires
        # A crash can leave rows 'running', and claim() accepts them; the lock keeps two
        # wake-ups in this process from running the same row at once.
        self._lock = asyncio.Lock()
        self._start_hooks: list[Callable[[VoisinApp], Awaitable[None]]] = []

    def register(self, kind: str, handler: ScheduleKind) -> None:
        self.kinds[kind] = handler

    def on_start(self, hook: Callable[[VoisinApp], Awaitable[None]]) -> None:
        """Run ``hook`` at start-up, after overdue schedules were handled (e.g. plan digests)."""
        self._start_hooks.append(hook)

    async def start(self) -> None:
        """Recover after a restart, run what is overdue, arm the wake-up job."""
        uncertain = await self._app.runtime.store.outbox.interrupted_to_uncertain()
        if uncertain:
            log.warning("%d announcement(s) interrupted by a stop: not repeated", uncertain)
        await self.run_due()
        for hook in self._start_hooks:
            await hook(self._app)
        await self.arm()

    async def run_due(self) -> int:
        """Run every schedule that is due now; returns how many ran."""
        async with self._lock:
            ran = await self._run_due()
        await self.arm()
        return ran

    async def _run_due(self) -> int:
        store, now = self._app.runtime.store, self._app.runtime.clock()
        ran = 0
        for schedule in await store.schedules.due(now):
            handler = self.kinds.get(schedule.kind)
            verdict = overdue(schedule, now)
            if handler is None:
                log.error("no handler for schedule kind %r (id %d)", schedule.kind, schedule.id)
                await store.schedules.finish(schedule.id, ScheduleState.FAILED, now)
                continue
            if verdict is Overdue.MISSED:
                log.info("schedule %d (%s) missed while stopped", schedule.id, schedule.kind)
                await store.schedules.finish(schedule.id, ScheduleState.MISSED, now)
                if handler.on_missed is not None:
                    await self._guarded(handler.on_missed, schedule)
                continue
            if not await store.schedules.claim(schedule.id):
                continue
            ok = await self._guarded(handler.run, schedule)
            await store.schedules.finish(
                schedule.id,
                ScheduleState.DONE if ok else ScheduleState.FAILED,
                self._app.runtime.clock(),
            )
            ran += 1
        return ran

    async def arm(self) -> None:
        """(Re)arm the wake-up job for the earliest due schedule, or a minute from now."""
        job_queue = self._app.job_queue
        if job_queue is None or not self._app.running:
            return
        now = self._app.runtime.clock()
        next_due = await self._app.runtime.store.schedules.next_due_at()
        delay = CHECK_EVERY
        if next_due is not None:
            delay = min(delay, max(next_due - now, timedelta(0)))
        fires_at = time.monotonic() + delay.total_seconds()
        if self._armed is not None:
            if self._armed_at <= fires_at:
                # It wakes up no later than needed (and run_due re-arms then). Replacing
                # it on every new post cost 8% of handling the post (bench updates).
                return
            self._armed.schedule_removal()
        self._armed = job_queue.run_once(self._wake, when=delay, name=WAKE_JOB)
        self._armed_at = fires_at

    async def _wake(self, context: CallbackContext[Any, Any, Any, Any]) -> None:
        self._armed = None
        await self.run_due()

    async def _guarded(self, run: Run, schedule: Schedule) -> bool:
        # One failing schedule must not stop the others; the error is logged with its id.
        try:
            await run(self._app, schedule)
        except Exception:
            log.exception("schedule %d (%s) failed", schedule.id, schedule.kind)
            return False
        return True
