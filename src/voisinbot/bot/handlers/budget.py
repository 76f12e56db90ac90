"""Citizen budget: announced in the group, voted privately (``/start budget_<id>``), with a
running total that never goes over the budget; the funded projects posted at the close."""

from __future__ import annotations

from telegram import Chat, Message, Update

from voisinbot.bot import callbacks
from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers.decision_base import (
    announce_result,
    group_view,
    publish_board,
    show_board,
)
from voisinbot.bot.render_polls import budget as render
from voisinbot.bot.render_polls import messages
from voisinbot.bot.render_polls.common import money
from voisinbot.bot.replies import edit_in_place, reply
from voisinbot.domain.polls.model import Decision
from voisinbot.services import budget as budget_service
from voisinbot.services import decisions
from voisinbot.services.budget import BallotView, OverBudget
from voisinbot.services.decisions import Refusal


async def publish(context: BotContext, source: Message, decision: Decision) -> None:
    options = await context.store.decisions.options(decision.id)
    view = await group_view(context, decision.chat_id)
    text = render.announcement(view.t, decision, options, view.tz)
    keyboard = render.announcement_keyboard(view.t, decision, context.runtime.bot_username)
    await publish_board(context, source, decision, text, keyboard)


async def redraw(context: BotContext, decision: Decision) -> None:
    current = await decisions.get(context.store, decision.id) or decision
    options = await context.store.decisions.options(current.id)
    view = await group_view(context, current.chat_id)
    await show_board(
        context,
        current,
        current.message_id,
        render.announcement(view.t, current, options, view.tz),
        render.announcement_keyboard(view.t, current, context.runtime.bot_username),
    )


async def announce(context: BotContext, decision: Decision) -> None:
    outcome = await budget_service.outcome(context.store, decision)
    view = await group_view(context, decision.chat_id)
    text = render.result_text(view.t, outcome)
    await announce_result(context, decision, text)


async def open_ballot(update: Update, context: BotContext, payload: str) -> None:
    """/start budget_<id>: the resident's ballot, privately."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    decision_id = callbacks.parse_id(payload)
    found = (
        await budget_service.ballot(context.store, decision_id=decision_id, user_id=user.id)
        if decision_id is not None
        else Refusal.NOT_FOUND
    )
    if isinstance(found, Refusal):
        title = ""
        if decision_id is not None:
            decision = await decisions.get(context.store, decision_id)
            if decision is not None:
                title = (await group_view(context, decision.chat_id)).title
        await reply(message, messages.budget_refusal(context.t, found, title))
        return
    await _show(context, message, found, edit=False)


async def on_ballot(update: Update, context: BotContext) -> None:
    """A tap on the private ballot: select or unselect a project, or submit."""
    query = update.callback_query
    if query is None:
        return
    t, user, message = context.t, query.from_user, query.message
    toggle = callbacks.unpack(query.data, kind=render.BUDGET_KIND, arity=2)
    submit = callbacks.unpack(query.data, kind=render.BUDGET_KIND, arity=1)
    # A ballot lives in the resident's private chat with the bot, and nowhere else.
    if (
        not isinstance(message, Message)
        or message.chat.type != Chat.PRIVATE
        or message.chat.id != user.id
    ):
        await query.answer(t.gettext("This button is no longer valid."))
        return
    result: BallotView | OverBudget | Refusal
    if toggle is not None and toggle.action == "t":
        result = await budget_service.toggle(
            context.store,
            decision_id=toggle.ids[0],
            user_id=user.id,
            position=toggle.ids[1],
            request_id=query.id,
        )
    elif submit is not None and submit.action == "s":
        result = await budget_service.submit(
            context.store, decision_id=submit.ids[0], user_id=user.id, now=context.now()
        )
    else:
        await query.answer(t.gettext("This button is no longer valid."))
        return
    if isinstance(result, OverBudget):
        await query.answer(messages.over_budget(t, money(t, result.excess)), show_alert=True)
        return
    if isinstance(result, Refusal):
        if result is Refusal.BAD_OPTION:
            await query.answer(t.gettext("This button is no longer valid."))
            return
        await query.answer(messages.budget_refusal(t, result, ""), show_alert=True)
        return
    if submit is not None:
        await query.answer(t.gettext("Your ballot is recorded. Thank you!"))
    else:
        await query.answer()
    await _show(context, message, result, edit=True)


async def _show(context: BotContext, message: Message, view: BallotView, *, edit: bool) -> None:
    group = await group_view(context, view.decision.chat_id)
    text = render.ballot_text(context.t, view, group.title, group.tz)
    keyboard = render.ballot_keyboard(context.t, view)
    if edit:
        await edit_in_place(message, text, keyboard)
    else:
        await reply(message, text, reply_markup=keyboard)
