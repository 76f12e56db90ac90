"""Sign-up sheets: one tap to take or leave a slot, the sheet edited in place (spaced out),
and a reminder before each dated slot to the people signed up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import Message, Update

from voisinbot.bot import callbacks
from voisinbot.bot.announce import announce_once
from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers.decision_base import (
    announce_result,
    board_decision,
    group_view,
    job_context,
    post_under,
    publish_board,
    refresh_soon,
    send_private_once,
    show_board,
)
from voisinbot.bot.people import mention
from voisinbot.bot.render_polls import boards, messages
from voisinbot.domain.polls.model import Decision, DecisionState
from voisinbot.domain.polls.tally import SignupMove
from voisinbot.domain.schedules import Schedule
from voisinbot.i18n import Html, pick_locale, translator
from voisinbot.services import decisions
from voisinbot.services import signup as signup_service
from voisinbot.services.decisions import Refusal

if TYPE_CHECKING:
    from voisinbot.bot.app import VoisinApp

SLOT_REMINDER_KIND = "signup_reminder"


async def publish(context: BotContext, source: Message, decision: Decision) -> None:
    board = await signup_service.board(context.store, decision)
    view = await group_view(context, decision.chat_id)
    text = boards.signup_text(view.t, board, view.tz)
    keyboard = boards.signup_keyboard(view.t, board, view.tz)
    await publish_board(context, source, decision, text, keyboard)


async def redraw(context: BotContext, decision: Decision) -> None:
    current = await decisions.get(context.store, decision.id) or decision
    board = await signup_service.board(context.store, current)
    view = await group_view(context, current.chat_id)
    await show_board(
        context,
        current,
        current.message_id,
        boards.signup_text(view.t, board, view.tz),
        boards.signup_keyboard(view.t, board, view.tz),
    )


async def announce(context: BotContext, decision: Decision) -> None:
    """A short note under the sheet: the names stay on the sheet itself."""
    view = await group_view(context, decision.chat_id)
    text = boards.closed_summary(view.t, decision)
    await announce_result(context, decision, text)


async def on_toggle(update: Update, context: BotContext) -> None:
    """A tap on a slot: take it, leave it, or hear that it is full."""
    query = update.callback_query
    if query is None:
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=boards.SIGNUP_KIND, arity=2)
    message = query.message
    if data is None or data.action != "t" or not isinstance(message, Message):
        await query.answer(t.gettext("This button is no longer valid."))
        return
    decision_id, position = data.ids
    decision = await board_decision(context, decision_id, message)
    if decision is None:
        await query.answer(t.gettext("This button is no longer valid."))
        return
    result = await signup_service.toggle(
        context.store,
        decision_id=decision_id,
        user_id=query.from_user.id,
        position=position,
        now=context.now(),
        request_id=query.id,
    )
    if isinstance(result, Refusal):
        if result is Refusal.NOT_OPEN:
            await query.answer(t.gettext("This decision is closed."))
        else:
            await query.answer(t.gettext("This button is no longer valid."))
        return
    view = await group_view(context, decision.chat_id)
    slot = boards.slot_label(t, result.option, view.tz)
    match result.move:
        case SignupMove.TAKE:
            await query.answer(t.gettext("You are signed up: {slot}. Thank you!", slot=slot))
        case SignupMove.LEAVE:
            await query.answer(t.gettext("You left: {slot}.", slot=slot))
        case SignupMove.FULL:
            await query.answer(
                t.gettext("Sorry, {slot} is full. Another slot, perhaps?", slot=slot),
                show_alert=True,
            )
            return
    await refresh_soon(context, result.decision, redraw)


async def run_slot_reminder(app: VoisinApp, schedule: Schedule) -> None:
    """Before a slot: privately to each person signed up, else one message in the group
    naming those the bot cannot write to."""
    context = job_context(app)
    position = schedule.payload.get("position")
    if schedule.ref_id is None or not isinstance(position, int):
        return
    decision = await decisions.get(context.store, schedule.ref_id)
    if decision is None or decision.state is DecisionState.CANCELLED:
        return
    slot = await signup_service.slot_people(context.store, decision, position)
    if slot is None or not slot.people:
        return
    view = await group_view(context, decision.chat_id)
    period = f"{decision.id}:{position}"
    in_group = []
    for person in slot.people:
        member = await context.store.community.get_member(person.user_id)
        locale = pick_locale(member.language_code if member else None, view.t.locale)
        t = translator(locale)
        text = messages.slot_reminder_private(
            t, decision, boards.slot_label(t, slot.option, view.tz), view.title
        )
        reachable = member is not None and member.started_private and member.reachable
        sent = await send_private_once(
            context,
            kind=SLOT_REMINDER_KIND,
            user_id=person.user_id,
            period=period,
            text=text,
            try_it=reachable,
        )
        if sent is False:
            in_group.append(mention(person.user_id, person.name))
    if in_group:
        text = messages.slot_reminder_group(
            view.t,
            decision,
            boards.slot_label(view.t, slot.option, view.tz),
            Html(", ".join(in_group)),
        )
        await announce_once(
            context.store,
            context.runtime.clock,
            kind=SLOT_REMINDER_KIND,
            chat_id=decision.chat_id,
            period=period,
            send=lambda: post_under(context, decision.chat_id, decision.message_id, text),
        )
