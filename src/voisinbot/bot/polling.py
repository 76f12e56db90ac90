"""The durable update loop.

PTB's Updater confirms fetched updates to Telegram before they are handled, so a crash loses
them. Here the offset sent to getUpdates is the one stored in SQLite, advanced only after an
update was handled (its effects committed by the handlers). A crash re-delivers at most the
update in progress; handlers are idempotent for re-delivered messages.
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
        await app.runtime.store.state.save_update_offset(offset)
        app.runtime.last_update_at = app.runtime.clock()
        if stop is not None and stop.is_set():
            break
    return offset


async def poll_once(app: VoisinApp) -> int:
    """Fetch what is pending right now (no waiting) and handle it; returns how many.

    The same path as the long-polling loop, for tests and the demo.
    """
    offset = await app.runtime.store.state.update_offset()
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
