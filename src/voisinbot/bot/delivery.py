"""Writing to residents privately, where Telegram allows it.

A bot may write to a person only after they started it, and not after they blocked it.
``Forbidden`` is expected, not an error: the resident is marked unreachable and the caller
decides what to say in the group instead.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import Forbidden

from voisinbot.bot.context import BotContext
from voisinbot.i18n import Html, Translator

log = logging.getLogger(__name__)


async def send_private(
    context: BotContext, user_id: int, text: Html, **kwargs: Any
) -> Message | None:
    """Send ``text`` to the resident privately; None when Telegram refuses (never started, or
    blocked the bot), or would: a resident on record who never wrote to the bot privately, or
    blocked it since, is not asked again (the 403 costs a request of the 30 a second, and an
    unblock or a /start reaches the bot as an update that marks them reachable)."""
    member = await context.store.community.get_member(user_id)
    if member is not None and not (member.started_private and member.reachable):
        return None
    try:
        message = await context.bot.send_message(user_id, text, **kwargs)
    except Forbidden as exc:
        log.info("resident %d unreachable privately: %s", user_id, exc.message)
        await context.store.community.set_reachable(user_id, False)
        return None
    return message


def start_link(username: str, payload: str = "") -> str:
    """A t.me link that opens the private chat and sends /start PAYLOAD."""
    return f"https://t.me/{username}" + (f"?start={payload}" if payload else "")


def start_button(t: Translator, username: str, payload: str = "") -> InlineKeyboardMarkup:
    """One button that opens the private chat with the bot."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("💬 Start the bot privately"), url=start_link(username, payload)
                )
            ]
        ]
    )
