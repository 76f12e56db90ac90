"""The one error handler: log first, then tell the person politely, in their language, once.

- ``Forbidden``: the chat refuses the bot. A group is marked inactive, a resident
  unreachable; nobody is told (there is nobody to tell) and the next updates go on.
- ``ChatMigrated``: the group's rows follow it to its new id (the rate limiter usually did it
  already, see bot/ratelimit.py).
- A stale button (Telegram forgot the callback query, e.g. re-delivered after a restart) or
  an edit that changes nothing: logged, no apology.
- ``RetryAfter`` after every retry: flooded; another message would only make it worse.
- A timeout or a 5xx: logged, no apology. The answer may have arrived after all, and "please
  try again" would then double what the resident did.
- Anything else (a bug, a request Telegram refused): logged with ids (update, chat, user;
  never texts, never the token), then one apology in the person's language, no details.

An update that failed goes no further (``ApplicationHandlerStop``): a later handler group
would work on half-done state and could apologise a second time. The apology itself may
fail; that is logged and dropped, never handled again.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ApplicationHandlerStop

from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers.common import GROUP_TYPES
from voisinbot.bot.ratelimit import failed_chat_id
from voisinbot.bot.runtime import Runtime
from voisinbot.i18n import Translator, pick_locale, translator

log = logging.getLogger(__name__)

_APOLOGISED = "voisinbot.errors.apologised"  # bot_data key: ids of updates apologised for
_REMEMBERED = 512
# Telegram's answers that mean "already done or no longer possible", not a bug of ours.
_HARMLESS = (
    "query is too old",
    "query id is invalid",
    "message is not modified",
)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with its context and apologise once; never raises anything else."""
    try:
        await _handle(update if isinstance(update, Update) else None, context)
    except Exception:
        # Never loop: a failure here is logged once and dropped.
        log.exception("the error handler failed for %s", _where(update))
    if isinstance(update, Update):
        raise ApplicationHandlerStop


async def stale_button(update: Update, context: BotContext) -> None:
    """A button no handler claims (stale, or forged): say so instead of leaving it spinning."""
    query = update.callback_query
    if query is not None:
        await query.answer(context.t.gettext("This button is no longer valid."))


async def _handle(update: Update | None, context: BotContext) -> None:
    error = context.error
    where = _where(update)
    if isinstance(error, Forbidden):
        await _refused(update, context, error, where)
        return
    if isinstance(error, ChatMigrated):
        old_id = failed_chat_id(error) or _chat_id(update)
        if old_id is not None:
            await context.store.community.migrate_group(old_id, int(error.new_chat_id))
        log.info("chat %s migrated to %s while handling %s", old_id, error.new_chat_id, where)
        return
    if isinstance(error, BadRequest) and any(h in error.message.lower() for h in _HARMLESS):
        log.info("%s: %s", where, error.message)
        return
    if isinstance(error, RetryAfter):
        log.warning("flood limit still hit after retries while handling %s", where)
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # A timeout or a 5xx: what was being sent may have arrived. "Please try again" could
        # double a post, and the apology would travel the same broken road.
        log.warning("Telegram unavailable while handling %s: %s", where, error)
        return
    log.error("error while handling %s", where, exc_info=error)
    if update is not None:
        await _apologise(update, context, where)


async def note_refusal(runtime: Runtime, chat_id: int) -> None:
    """Telegram answered 403 for ``chat_id``: the group is left, or the resident unreachable.

    Wired into the rate limiter too (bot/app.py), so scheduled sends count as well."""
    if chat_id < 0:
        await runtime.store.community.mark_group_left(chat_id, runtime.clock())
    else:
        await runtime.store.community.set_reachable(chat_id, False)
        # The cache would skip the write that marks them reachable again when they come back.
        runtime.known_members.pop(chat_id, None)


async def _refused(
    update: Update | None, context: BotContext, error: Forbidden, where: str
) -> None:
    chat_id = failed_chat_id(error) or _chat_id(update)
    log.info("chat %s refuses the bot while handling %s: %s", chat_id, where, error.message)
    if chat_id is not None:
        await note_refusal(context.runtime, chat_id)  # again if the limiter did: idempotent


async def _apologise(update: Update, context: BotContext, where: str) -> None:
    chat = update.effective_chat
    if chat is None or chat.type not in (*GROUP_TYPES, "private"):
        return  # channels, poll answers: nobody to talk to
    done: OrderedDict[int, None] = context.bot_data.setdefault(_APOLOGISED, OrderedDict())
    if update.update_id in done:
        return
    done[update.update_id] = None
    while len(done) > _REMEMBERED:
        done.popitem(last=False)
    t = await _translator(update, context)
    text = t.gettext(
        "Sorry, something went wrong on my side. Nothing you wrote was lost: "
        "please try again in a moment."
    )
    try:
        query = update.callback_query
        if query is not None:
            try:
                await query.answer(text, show_alert=True)
                return
            except BadRequest:
                pass  # already answered by the handler: say it in the chat instead
        await context.bot.send_message(chat.id, text)
    except TelegramError as exc:
        log.warning("could not apologise for %s: %s", where, exc)


async def _translator(update: Update, context: BotContext) -> Translator:
    # The error context is built afresh by PTB: the locale chosen for the update is gone.
    chat, user = update.effective_chat, update.effective_user
    if chat is not None and chat.type in GROUP_TYPES:
        try:
            group = await context.store.community.get_group(chat.id)
        except Exception:  # the failure may be the database itself: apologise anyway
            group = None
        if group is not None:
            return translator(group.locale)
    code = user.language_code if user is not None else None
    return translator(pick_locale(code, context.settings.default_locale))


def _chat_id(update: Update | None) -> int | None:
    chat = update.effective_chat if update is not None else None
    return chat.id if chat is not None else None


def _where(update: object) -> str:
    if not isinstance(update, Update):
        return "a job"
    chat, user = update.effective_chat, update.effective_user
    return (
        f"update {update.update_id} in chat {chat.id if chat else '-'}"
        f" from user {user.id if user else '-'}"
    )
