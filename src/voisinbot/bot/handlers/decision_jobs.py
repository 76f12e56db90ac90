"""What runs when a decision's schedules come due: the close (retried while Telegram is
unreachable) and the reminders before it."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton
from telegram.error import BadRequest, NetworkError

from voisinbot.bot.announce import announce_once
from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers.decision_base import (
    group_view,
    job_context,
    message_link,
    post_under,
    send_private_once,
)
from voisinbot.bot.handlers.decisions import close_and_announce
from voisinbot.bot.render_polls import messages
from voisinbot.bot.render_polls.budget import vote_button
from voisinbot.domain.polls.model import Decision, DecisionKind
from voisinbot.domain.polls.timing import CLOSE_GRACE
from voisinbot.domain.schedules import Schedule
from voisinbot.i18n import Translator, pick_locale, translator
from voisinbot.services import decisions
from voisinbot.services.decisions import CLOSE_KIND

if TYPE_CHECKING:
    from voisinbot.bot.app import VoisinApp

CLOSE_RETRIES = 6
CLOSE_RETRY_AFTER = timedelta(minutes=2)
REMINDER_KIND = "decision_reminder"
PRIVATE_REMINDER_KIND = "decision_reminder_dm"


async def run_close(app: VoisinApp, schedule: Schedule) -> None:
    """The deadline: close and post the result. If Telegram cannot be reached, try again a
    little later (the decision is already closed; the result is still posted only once)."""
    if schedule.ref_id is None:
        return
    context = job_context(app)
    decision = await decisions.get(context.store, schedule.ref_id)
    if decision is not None and decision.is_open and decision.message_id is None:
        # Stored but never shown (its publication failed and nobody sent the command again):
        # the group never saw it, so it ends without a word.
        await decisions.cancel(context.store, decision.id, context.now())
        return
    try:
        await close_and_announce(context, schedule.ref_id)
    except NetworkError as exc:
        attempt = int(schedule.payload.get("attempt", 0))
        if isinstance(exc, BadRequest) or attempt >= CLOSE_RETRIES:
            raise
        now = context.now()
        await context.store.schedules.add(
            CLOSE_KIND,
            now + CLOSE_RETRY_AFTER * 2**attempt,
            CLOSE_GRACE,
            now,
            chat_id=schedule.chat_id,
            ref_id=schedule.ref_id,
            payload={"attempt": attempt + 1},
        )
        raise


async def run_reminder(app: VoisinApp, schedule: Schedule) -> None:
    """Before the close: one message in the group (naming nobody), and privately to roster
    members who have not answered (never for anonymous polls)."""
    context = job_context(app)
    decision = await decisions.get(context.store, schedule.ref_id or 0)
    now = context.now()
    if decision is None or not decision.is_open or decision.closes_at is None:
        return
    if decision.message_id is None:
        return  # never shown in the group: nothing to remind of
    if decision.closes_at <= now:
        return
    hours = max(1, round((decision.closes_at - now) / timedelta(hours=1)))
    view = await group_view(context, decision.chat_id)
    text = messages.reminder_group(view.t, decision, hours)
    period = f"{decision.id}:{schedule.id}"
    await announce_once(
        context.store,
        context.runtime.clock,
        kind=REMINDER_KIND,
        chat_id=decision.chat_id,
        period=period,
        send=lambda: post_under(context, decision.chat_id, decision.message_id, text),
    )
    for member in await decisions.still_to_answer(context.store, decision):
        t = translator(pick_locale(member.language_code, view.t.locale))
        await send_private_once(
            context,
            kind=PRIVATE_REMINDER_KIND,
            user_id=member.user_id,
            period=period,
            text=messages.reminder_private(t, decision, hours, view.title),
            reply_markup=messages.reminder_keyboard(
                t, decision.chat_id, _open_button(context, t, decision)
            ),
        )


def _open_button(
    context: BotContext, t: Translator, decision: Decision
) -> InlineKeyboardButton | None:
    if decision.kind is DecisionKind.BUDGET:
        return vote_button(t, decision, context.runtime.bot_username)
    url = message_link(decision.chat_id, decision.message_id)
    return messages.open_button(t, url) if url else None
