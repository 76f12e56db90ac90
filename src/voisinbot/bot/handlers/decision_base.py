"""Glue shared by the decision handlers: the group's language and timezone, who may launch or
manage, editing stored messages, and spacing out edits of busy boards."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import Chat, InlineKeyboardMarkup, Message, ReplyParameters, User
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackContext

from voisinbot.bot.announce import announce_once
from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import send_private
from voisinbot.bot.people import GROUP_ANONYMOUS_BOT_ID
from voisinbot.bot.render_polls import messages
from voisinbot.bot.replies import reply
from voisinbot.bot.roles import is_facilitator
from voisinbot.domain.polls.model import Decision, DecisionKind
from voisinbot.i18n import Html, Translator, translator
from voisinbot.services import decisions as decision_service

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger(__name__)

OPEN_TO_ALL = "polls_open_to_all"  # groups.settings: anyone may launch a quick poll
# A board is edited at most once per this window (votes in between are shown together):
# Telegram allows about 20 messages a minute per group, edits included.
REFRESH_EVERY = timedelta(seconds=5)
_REFRESH_JOB = "decision-refresh:"

Redraw = Callable[[BotContext, Decision], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class GroupView:
    title: str
    t: Translator
    tz: tzinfo


async def group_view(context: BotContext, chat_id: int) -> GroupView:
    """The group's title, language and timezone (messages in a group speak its language)."""
    group = await context.store.community.get_group(chat_id)
    settings = context.settings
    if group is None:
        return GroupView("", translator(settings.default_locale), settings.tz)
    try:
        tz: tzinfo = ZoneInfo(group.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = settings.tz
    return GroupView(group.title, translator(group.locale), tz)


async def board_decision(
    context: BotContext, decision_id: int, message: Message
) -> Decision | None:
    """The decision a pressed board button belongs to, if the button sits on that decision's
    own board in its own group (clients can send any data for any message)."""
    decision = await decision_service.get(context.store, decision_id)
    if (
        decision is None
        or decision.chat_id != message.chat.id
        or decision.message_id != message.message_id
    ):
        return None
    return decision


def job_context(app: Application[Any, Any, Any, Any, Any, Any]) -> BotContext:
    """A context for work that does not come from an update (schedules, delayed edits)."""
    return BotContext(app)


async def may_launch(context: BotContext, message: Message, user: User, kind: DecisionKind) -> bool:
    """Facilitators launch decisions in groups; a group may open quick polls to everyone.
    Says why not when the answer is no."""
    t = context.t
    if message.chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        await reply(message, messages.private_pointer(t, kind))
        return False
    if await is_facilitator(context, message.chat, user, message):
        return True
    if kind is DecisionKind.POLL:
        group = await context.store.community.get_group(message.chat.id)
        if group is not None and group.settings.get(OPEN_TO_ALL) is True:
            return True
    await reply(message, messages.not_facilitator(t))
    return False


async def may_manage(
    context: BotContext, chat: Chat, user: User | None, decision: Decision, message: Message | None
) -> bool:
    """Close, extend or cancel: a facilitator, or whoever launched it (quick polls opened to
    everyone are managed by their author)."""
    if user is None or chat.id != decision.chat_id:
        return False
    if decision.created_by == user.id and user.id != GROUP_ANONYMOUS_BOT_ID:
        return True
    return await is_facilitator(context, chat, user, message)


async def edit_stored(
    context: BotContext,
    chat_id: int,
    message_id: int | None,
    text: Html,
    keyboard: InlineKeyboardMarkup | None,
) -> None:
    """Edit a bot message known by its id; unchanged or deleted is not an error."""
    if message_id is None:
        return
    try:
        await context.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard
        )
    except BadRequest as exc:
        if "not modified" in exc.message:
            return
        if "not found" in exc.message or "can't be edited" in exc.message:
            log.info("decision message %d in %d is gone: %s", message_id, chat_id, exc.message)
            return
        raise


def digest(text: str, keyboard: InlineKeyboardMarkup | None) -> str:
    payload = json.dumps([text, keyboard.to_dict() if keyboard else None], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


async def publish_board(
    context: BotContext,
    source: Message,
    decision: Decision,
    text: Html,
    keyboard: InlineKeyboardMarkup | None,
) -> None:
    """Send a decision's board in reply to the facilitator's command, and remember it (and
    what it shows, so an unchanged redraw is not sent)."""
    sent = await reply(source, text, reply_markup=keyboard)
    await decision_service.attach(
        context.store,
        decision.id,
        message_id=sent.message_id,
        now=context.now(),
        rendered=digest(text, keyboard),
    )


async def show_board(
    context: BotContext,
    decision: Decision,
    message_id: int | None,
    text: Html,
    keyboard: InlineKeyboardMarkup | None,
) -> None:
    """Edit the decision's board (or control message) unless it already shows exactly this:
    Telegram refuses an edit that changes nothing, and it would cost a message anyway."""
    rendered = digest(text, keyboard)
    if rendered == decision.rendered:
        return
    await edit_stored(context, decision.chat_id, message_id, text, keyboard)
    await context.store.decisions.mark_refreshed(decision.id, context.now(), rendered)


async def post_under(
    context: BotContext, chat_id: int, reply_to: int | None, text: Html, **kwargs: Any
) -> Message:
    """Send to the group as an answer to one of our messages (still sent if it was deleted)."""
    parameters = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    return await context.bot.send_message(chat_id, text, reply_parameters=parameters, **kwargs)


RESULT_KIND = "decision_result"


async def announce_result(context: BotContext, decision: Decision, text: Html) -> None:
    """The result of a closed decision, once, as an answer to its message in the group."""
    await announce_once(
        context.store,
        context.runtime.clock,
        kind=RESULT_KIND,
        chat_id=decision.chat_id,
        period=str(decision.id),
        send=lambda: post_under(context, decision.chat_id, decision.message_id, text),
    )


async def send_private_once(
    context: BotContext,
    *,
    kind: str,
    user_id: int,
    period: str,
    text: Html,
    try_it: bool = True,
    **kwargs: Any,
) -> bool | None:
    """Write to a resident privately once per (kind, period), through the outbox.

    True: sent; False: not deliverable (``try_it`` False when the bot knows it may not write,
    or Telegram refused); None: already handled before (a retried schedule)."""
    store = context.store
    outbox_id = await store.outbox.reserve(kind, user_id, period, context.now())
    if outbox_id is None:
        return None
    sent = None
    if try_it:
        try:
            sent = await send_private(context, user_id, text, **kwargs)
        except TelegramError as exc:
            log.warning("private %s to %d failed: %s", kind, user_id, exc)
    await store.outbox.mark(
        outbox_id,
        "sent" if sent else "failed",
        context.now(),
        sent.message_id if sent else None,
    )
    return sent is not None


def message_link(chat_id: int, message_id: int | None) -> str | None:
    """A t.me link to a supergroup message (members only); basic groups have none."""
    text = str(chat_id)
    if message_id is None or not text.startswith("-100"):
        return None
    return f"https://t.me/c/{text[4:]}/{message_id}"


# --- spacing out edits -----------------------------------------------------------------------


async def refresh_soon(context: BotContext, decision: Decision, redraw: Redraw) -> None:
    """Show new answers on the board: now if the last edit is older than the window (by the
    injected clock), else once at the end of the window."""
    job_queue = context.application.job_queue
    name = f"{_REFRESH_JOB}{decision.id}"
    pending = job_queue.get_jobs_by_name(name) if job_queue is not None else ()
    elapsed = context.now() - (decision.refreshed_at or decision.created_at)
    if elapsed >= REFRESH_EVERY or job_queue is None:
        for job in pending:
            job.schedule_removal()
        await redraw(context, decision)
        return
    if not pending:
        wait = (REFRESH_EVERY - elapsed).total_seconds()
        job_queue.run_once(_refresh_job, when=wait, name=name, data=(decision.id, redraw))


def cancel_refresh(context: BotContext, decision_id: int) -> None:
    """A final edit is being made: the delayed one would only repeat it."""
    job_queue = context.application.job_queue
    if job_queue is not None:
        for job in job_queue.get_jobs_by_name(f"{_REFRESH_JOB}{decision_id}"):
            job.schedule_removal()


def _job_data(data: object) -> tuple[int, Redraw]:
    decision_id, redraw = cast("tuple[int, Redraw]", data)
    return decision_id, redraw


async def _refresh_job(context: CallbackContext[Any, Any, Any, Any]) -> None:
    assert isinstance(context, BotContext) and context.job is not None
    decision_id, redraw = _job_data(context.job.data)
    decision = await context.store.decisions.get(decision_id)
    if decision is not None:
        await redraw(context, decision)


async def flush_refreshes(
    app: Application[Any, Any, Any, Any, Any, Any], *, force: bool = False
) -> int:
    """Run the delayed board edits whose window has passed by the injected clock (all of
    them with ``force``); returns how many. Lets tests and shutdown skip the wait."""
    job_queue = app.job_queue
    if job_queue is None:
        return 0
    context = job_context(app)
    done = 0
    for job in job_queue.jobs():
        if not (job.name or "").startswith(_REFRESH_JOB) or job.removed:
            continue
        decision_id, redraw = _job_data(job.data)
        decision = await context.store.decisions.get(decision_id)
        if decision is None:
            job.schedule_removal()
            continue
        elapsed = context.now() - (decision.refreshed_at or decision.created_at)
        if force or elapsed >= REFRESH_EVERY:
            job.schedule_removal()
            await redraw(context, decision)
            done += 1
    return done
