"""The one error handler: log first, then tell the person politely, in their language."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TelegramError

from voisinbot.bot.context import BotContext

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its context (ids only, never texts) and apologise once."""
    error = context.error
    where = _where(update)
    if isinstance(error, Forbidden):
        # The person blocked the bot or the bot left the chat: nothing to say, nobody to say it to.
        log.info("forbidden while handling %s: %s", where, error.message)
        return
    if isinstance(error, (NetworkError, RetryAfter)):
        log.warning("Telegram unavailable while handling %s: %s", where, error)
    else:
        log.error("error while handling %s", where, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await context.bot.send_message(
            update.effective_chat.id,
            context.t.gettext(
                "Sorry, something went wrong on my side. Nothing you wrote was lost: "
                "please try again in a moment."
            ),
        )
    except TelegramError as exc:
        log.warning("could not apologise in %s: %s", where, exc)


def _where(update: object) -> str:
    if not isinstance(update, Update):
        return "a job"
    chat = update.effective_chat
    return f"update {update.update_id} in chat {chat.id if chat else '-'}"
