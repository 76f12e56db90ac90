"""Date finding: one board with yes / maybe / no buttons per slot, edited in place (spaced
out, see decision_base.refresh_soon), and the best slot announced at the close."""

from __future__ import annotations

from telegram import Message, Update

from voisinbot.bot import callbacks
from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers.decision_base import (
    announce_result,
    board_decision,
    group_view,
    publish_board,
    refresh_soon,
    show_board,
)
from voisinbot.bot.render_polls import boards
from voisinbot.domain.polls.model import Answer, Decision
from voisinbot.services import dates as dates_service
from voisinbot.services import decisions
from voisinbot.services.decisions import Refusal

ACTIONS = {action: answer for answer, action in boards.ANSWER_ACTIONS.items()}


async def publish(context: BotContext, source: Message, decision: Decision) -> None:
    board = await dates_service.board(context.store, decision)
    view = await group_view(context, decision.chat_id)
    text, keyboard = boards.dates_text(view.t, board, view.tz), boards.dates_keyboard(view.t, board)
    await publish_board(context, source, decision, text, keyboard)


async def redraw(context: BotContext, decision: Decision) -> None:
    """Show the board as it is now (without buttons once closed)."""
    current = await decisions.get(context.store, decision.id) or decision
    board = await dates_service.board(context.store, current)
    view = await group_view(context, current.chat_id)
    await show_board(
        context,
        current,
        current.message_id,
        boards.dates_text(view.t, board, view.tz),
        boards.dates_keyboard(view.t, board),
    )


async def announce(context: BotContext, decision: Decision) -> None:
    board = await dates_service.board(context.store, decision)
    view = await group_view(context, decision.chat_id)
    text = boards.dates_result(view.t, board, view.tz)
    await announce_result(context, decision, text)


async def on_answer(update: Update, context: BotContext) -> None:
    """✅ / ❔ / ❌ under a slot: record the answer, refresh the board soon."""
    query = update.callback_query
    if query is None:
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=boards.DATES_KIND, arity=2)
    message = query.message
    answer = ACTIONS.get(data.action) if data else None
    if data is None or answer is None or not isinstance(message, Message):
        await query.answer(t.gettext("This button is no longer valid."))
        return
    decision_id, position = data.ids
    decision = await board_decision(context, decision_id, message)
    if decision is None:
        await query.answer(t.gettext("This button is no longer valid."))
        return
    result = await dates_service.answer(
        context.store,
        decision_id=decision_id,
        user_id=query.from_user.id,
        position=position,
        value=answer,
        now=context.now(),
    )
    if isinstance(result, Refusal):
        if result is Refusal.NOT_OPEN:
            await query.answer(t.gettext("This decision is closed."))
        else:
            await query.answer(t.gettext("This button is no longer valid."))
        return
    await query.answer(_noted(context, answer))
    await refresh_soon(context, result, redraw)


def _noted(context: BotContext, answer: Answer) -> str:
    t = context.t
    match answer:
        case Answer.YES:
            return t.gettext("Noted: ✅ yes.")
        case Answer.MAYBE:
            return t.gettext("Noted: ❔ maybe.")
        case Answer.NO:
            return t.gettext("Noted: ❌ no.")
