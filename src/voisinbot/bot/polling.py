"""The durable update loop.

PTB's Updater confirms fetched updates to Telegram before they are handled, so a crash loses
them. Here the offset sent to getUpdates is the one stored in SQLite, advanced only after an
update was handled (its effects committed by the handlers).

What holds when the process dies at any instant (SIGKILL; a power cut with the disk intact):

- Nothing is lost. An update whose offset was not committed is fetched and handled again.
- At most one update is handled twice per crash: the one in progress, whose offset commit
  follows its last effect. Updates are handled one at a time in update_id order, so the
  stored offset *is* the record of handled updates (handled = ``update_id < offset``). A
  table of handled ids committed with the offset would say nothing more and close no window:
  it would be committed at the same instant, after the same effects.
- Stored effects are not doubled: the second run finds what the first stored, by keys in the
  data: a post by (chat, source message), groups and residents by id (upserts), a question
  by (chat, prompt message), an announcement by the outbox's (kind, chat, period). What one
  action writes is one transaction (a post with its schedules and matches; a response
  accepted with its post moved: ``storage.store.atomic``), so a crash leaves all of it or
  none, never half. An effect that is not idempotent by
  nature (a toggle, prolonging a post) notes the request that made it
  (``storage.state.done_once``) so that the second run does not undo or repeat it.
- Messages cannot share an SQLite transaction with Telegram, so the second run sends again
  what the first sent but did not record: at most the replies to that one update. A post's
  card is sent twice only when the crash fell between its sendMessage and the commit of its
  message id (the post itself is stored once); read-only answers (help, lists, /start) and
  a question asked for missing words may repeat (each question is answerable once). A button
  press cannot be answered twice: the second answer is refused as stale and dropped without
  an apology (bot/handlers/errors.py).
- Failed counts as handled: an update whose handler raised is logged, apologised for once,
  and its offset committed, so one poisonous update never blocks every other resident.

tests/reliability/test_chaos.py kills the bot at random instants while residents post and
checks these promises against the fake Bot API's log and the database;
tests/reliability/test_redelivery.py handles every kind of update twice and compares.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from telegram import Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TimedOut

from voisinbot.bot.app import VoisinApp

log = logging.getLogger(__name__)

MAX_BACKOFF = 60.0


async def poll_updates(app: VoisinApp, stop: asyncio.Event, *, poll_seconds: int) -> None:
    """Fetch and handle updates until ``stop`` is set. The app must be initialized and started."""
    store = app.runtime.store
    offset = await store.state.update_offset()
    backoff = 1.0
    # A webhook left over from another deployment would make getUpdates fail with Conflict.
    await app.bot.delete_webhook(drop_pending_updates=False)
    while not stop.is_set():
        offset = await store.state.update_offset(app.runtime.clock())
        fetch = asyncio.ensure_future(
            app.bot.get_updates(
                offset=offset, timeout=poll_seconds, allowed_updates=Update.ALL_TYPES
            )
        )
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not fetch.done():
            # Stopping: what was being fetched is not confirmed, Telegram will send it again.
            fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await fetch
            break
        try:
            updates = fetch.result()
        except InvalidToken:
            raise
        except RetryAfter as exc:
            await _sleep(stop, _seconds(exc.retry_after))
            continue
        except (TimedOut, NetworkError, Conflict) as exc:
            log.warning("getUpdates failed (%s); retrying in %.0fs", exc, backoff)
            await _sleep(stop, backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
            continue
        backoff = 1.0
        offset = await handle_updates(app, updates, stop) or offset


async def handle_updates(
    app: VoisinApp, updates: Sequence[Update], stop: asyncio.Event | None = None
) -> int | None:
    """Handle fetched updates in order, storing the next offset after each; returns it."""
    offset = None
    for update in updates:
        await app.process_update(update)
        offset = update.update_id + 1
        handled_at = app.runtime.clock()
        await app.runtime.store.state.save_update_offset(offset, handled_at)
        app.runtime.last_update_at = handled_at
        if stop is not None and stop.is_set():
            break
    return offset


async def poll_once(app: VoisinApp) -> int:
    """Fetch what is pending right now (no waiting) and handle it; returns how many.

    The same path as the long-polling loop, for tests and the demo.
    """
    offset = await app.runtime.store.state.update_offset(app.runtime.clock())
    updates = await app.bot.get_updates(offset=offset, timeout=0, allowed_updates=Update.ALL_TYPES)
    await handle_updates(app, updates)
    return len(updates)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


def _seconds(value: object) -> float:
    # PTB 22 gives retry_after as int or timedelta depending on its settings.
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
