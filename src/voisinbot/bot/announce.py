"""Sending announcements exactly once, through the outbox."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Message
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from voisinbot.bot.runtime import Clock
from voisinbot.storage import Store
from voisinbot.storage.state import LAST_SCHEDULED_SEND_AT

log = logging.getLogger(__name__)


async def announce_once(
    store: Store,
    clock: Clock,
    *,
    kind: str,
    chat_id: int,
    period: str,
    send: Callable[[], Awaitable[Message]],
) -> Message | None:
    """Send (kind, chat, period) unless it already went out; returns the message sent.

    A timeout or a network failure leaves the row 'uncertain': Telegram may have delivered
    it, and a repeated digest is worse than a missing one.
    """
    outbox_id = await store.outbox.reserve(kind, chat_id, period, clock())
    if outbox_id is None:
        return None
    try:
        message = await send()
    except (TimedOut, NetworkError) as exc:
        if isinstance(exc, BadRequest):
            await store.outbox.mark(outbox_id, "failed", clock())
            log.warning("%s for chat %d refused by Telegram: %s", kind, chat_id, exc.message)
            return None
        await store.outbox.mark(outbox_id, "uncertain", clock())
        log.warning("%s for chat %d may not have been delivered: %s", kind, chat_id, exc)
        return None
    except Forbidden:
        await store.outbox.mark(outbox_id, "failed", clock())
        raise
    except (RetryAfter, ChatMigrated):
        # Certainly not delivered: the row may be sent again (later, or to the new chat id).
        await store.outbox.mark(outbox_id, "pending", clock())
        raise
    except BaseException:
        await store.outbox.mark(outbox_id, "uncertain", clock())
        raise
    await store.outbox.mark(outbox_id, "sent", clock(), message.message_id)
    # For `voisinbot health`: scheduled messages are going out.
    await store.state.record_instant(LAST_SCHEDULED_SEND_AT, clock())
    return message
