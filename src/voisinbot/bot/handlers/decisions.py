"""Launching, closing, extending and cancelling every kind of decision, and the guided
launch (the schedules that close and remind are in decision_jobs.py).

The kinds differ only in how they are shown (``KindUi``: polls.py, dates.py, slots.py,
budget.py); who may act, when, and what happens at the close is decided here once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import ForceReply, InlineKeyboardMarkup, Message, Update
from telegram.constants import ReplyLimit

from voisinbot.bot import callbacks
from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers import budget, dates, polls, slots
from voisinbot.bot.handlers.decision_base import (
    cancel_refresh,
    group_view,
    may_launch,
    may_manage,
)
from voisinbot.bot.render_polls import messages
from voisinbot.bot.render_polls.common import (
    CONTROL_KIND,
    confirm_row,
    control_row,
    problems_text,
    when_text,
)
from voisinbot.bot.replies import command_argument, reply
from voisinbot.domain.polls.model import Decision, DecisionKind
from voisinbot.domain.polls.specs import Parsed, parse_budget, parse_dates, parse_poll, parse_signup
from voisinbot.domain.polls.syntax import clean
from voisinbot.services import decisions
from voisinbot.services.decisions import Refusal

PURPOSE = "decide:"  # pending_inputs purpose: "decide:<kind>" then "decide:<kind>:<draft id>"


@dataclass(frozen=True)
class KindUi:
    publish: Callable[[BotContext, Message, Decision], Awaitable[None]]
    redraw: Callable[[BotContext, Decision], Awaitable[None]]
    announce: Callable[[BotContext, Decision], Awaitable[None]]


UI: dict[DecisionKind, KindUi] = {
    DecisionKind.POLL: KindUi(polls.publish, polls.redraw, polls.announce),
    DecisionKind.DATES: KindUi(dates.publish, dates.redraw, dates.announce),
    DecisionKind.SIGNUP: KindUi(slots.publish, slots.redraw, slots.announce),
    DecisionKind.BUDGET: KindUi(budget.publish, budget.redraw, budget.announce),
}


def _parse(kind: DecisionKind, text: str, now: datetime) -> Parsed:
    match kind:
        case DecisionKind.POLL:
            return parse_poll(text, now, polls.telegram_limits())
        case DecisionKind.DATES:
            return parse_dates(text, now)
        case DecisionKind.SIGNUP:
            return parse_signup(text, now)
        case DecisionKind.BUDGET:
            return parse_budget(text, now)


# --- launching -------------------------------------------------------------------------------


async def launch_poll(update: Update, context: BotContext) -> None:
    """/sondage Question ? | Option | Option [| 48h anonyme …]"""
    await _launch_command(update, context, DecisionKind.POLL)


async def launch_dates(update: Update, context: BotContext) -> None:
    """/dates Title | slot | slot [| deadline]"""
    await _launch_command(update, context, DecisionKind.DATES)


async def launch_signup(update: Update, context: BotContext) -> None:
    """/inscriptions Title | slot (places) | … [| deadline]"""
    await _launch_command(update, context, DecisionKind.SIGNUP)


async def launch_budget(update: Update, context: BotContext) -> None:
    """/budget Title | total | project cost | … [| deadline]"""
    await _launch_command(update, context, DecisionKind.BUDGET)


async def _launch_command(update: Update, context: BotContext, kind: DecisionKind) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not await may_launch(context, message, user, kind):
        return
    text = command_argument(message)
    if not clean(text):
        await _ask(context, message, user.id, kind, f"{PURPOSE}{kind.value}")
        return
    await _launch(context, message, kind, user.id, text)


async def _launch(
    context: BotContext, message: Message, kind: DecisionKind, user_id: int, text: str
) -> bool:
    """Read the command line, store the decision, show it and plan its timers; False with
    an explanation when the line cannot be launched as it is."""
    view = await group_view(context, message.chat.id)
    parsed = _parse(kind, text, context.now().astimezone(view.tz))
    if isinstance(parsed, tuple):
        await reply(message, problems_text(context.t, kind, parsed))
        return False
    decision, created = await decisions.launch(
        context.store,
        parsed,
        chat_id=message.chat.id,
        created_by=user_id,
        source_message_id=message.message_id,
        now=context.now(),
        tz=view.tz,
    )
    if not created and decision.message_id is not None:
        return True  # a re-delivered command: the group already has it
    await UI[kind].publish(context, message, decision)
    await context.runtime.scheduler.arm()
    return True


async def _ask(
    context: BotContext, message: Message, user_id: int, kind: DecisionKind, purpose: str
) -> None:
    ask = messages.title_prompt if purpose.count(":") == 1 else messages.options_prompt
    question, placeholder = ask(context.t, kind)
    prompt = await reply(
        message,
        question,
        reply_markup=ForceReply(
            selective=True,
            input_field_placeholder=placeholder[: ReplyLimit.MAX_INPUT_FIELD_PLACEHOLDER],
        ),
    )
    await context.store.state.expect_input(
        message.chat.id, prompt.message_id, user_id, purpose, context.now()
    )


async def answer_prompt(update: Update, context: BotContext) -> None:
    """A reply to a guided question: the title, then the choices (each step is stored, so a
    restart in between loses nothing)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.reply_to_message is None:
        return
    pending = await context.store.state.pending_input(
        message.chat.id, message.reply_to_message.message_id
    )
    if pending is None or pending.user_id != user.id or not pending.purpose.startswith(PURPOSE):
        return
    kind_text, _, draft_text = pending.purpose.removeprefix(PURPOSE).partition(":")
    try:
        kind = DecisionKind(kind_text)
    except ValueError:
        return
    if not clean(message.text or ""):
        await reply(message, messages.answer_with_text(context.t))
        return
    if not await may_launch(context, message, user, kind):
        return
    chat_id, prompt_id = message.chat.id, pending.prompt_message_id
    if not draft_text:
        # The title is one line; a "|" in it would read as a separator later.
        title = clean(message.text or "").replace("|", "/")
        draft_id = await decisions.start_draft(
            context.store,
            chat_id=chat_id,
            user_id=user.id,
            kind=kind,
            title=title,
            now=context.now(),
        )
        await _ask(context, message, user.id, kind, f"{PURPOSE}{kind.value}:{draft_id}")
        await context.store.state.forget_input(chat_id, prompt_id)
        return
    draft = (
        await decisions.get_draft(context.store, int(draft_text)) if draft_text.isdigit() else None
    )
    if draft is None:
        await context.store.state.forget_input(chat_id, prompt_id)
        return
    if await _launch(context, message, kind, user.id, f"{draft.title}\n{message.text}"):
        await context.store.state.forget_input(chat_id, prompt_id)
        await decisions.drop_draft(context.store, draft.id)


# --- the facilitators' buttons ---------------------------------------------------------------


async def on_control(update: Update, context: BotContext) -> None:
    """Close now, +24 h, cancel (with a confirmation): checked against the person, the group,
    the decision and its state."""
    query = update.callback_query
    if query is None:
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=CONTROL_KIND, arity=1)
    message = query.message
    if data is None or not isinstance(message, Message):
        await query.answer(t.gettext("This button is no longer valid."))
        return
    decision = await decisions.get(context.store, data.ids[0])
    if (
        decision is None
        or decision.chat_id != message.chat.id
        or message.message_id not in (decision.message_id, decision.control_message_id)
        or data.action not in ("close", "ext", "del", "delok", "back")
    ):
        await query.answer(t.gettext("This button is no longer valid."))
        return
    if not await may_manage(context, message.chat, query.from_user, decision, None):
        await query.answer(t.gettext("Only the group's facilitators can do this."), show_alert=True)
        return
    if not decision.is_open:
        await query.answer(t.gettext("This decision is closed."))
        return
    match data.action:
        case "close":
            await query.answer(t.gettext("Closing it now."))
            await close_and_announce(context, decision.id)
        case "ext":
            await _extend(context, query.answer, decision, query.id)
        case "del" | "back":
            rows = list(message.reply_markup.inline_keyboard if message.reply_markup else ())
            last = confirm_row(t, decision) if data.action == "del" else control_row(t, decision)
            await query.answer()
            await message.edit_reply_markup(InlineKeyboardMarkup([*rows[:-1], last]))
            # The board no longer shows what was last drawn: the next redraw must edit.
            await context.store.decisions.mark_refreshed(decision.id, context.now(), None)
        case "delok":
            cancelled = await decisions.cancel(context.store, decision.id, context.now())
            if cancelled is None:
                await query.answer(t.gettext("This decision is closed."))
                return
            await query.answer(t.gettext("Cancelled."))
            cancel_refresh(context, decision.id)
            await UI[cancelled.kind].redraw(context, cancelled)


async def _extend(
    context: BotContext,
    answer: Callable[..., Awaitable[bool]],
    decision: Decision,
    request_id: str,
) -> None:
    view = await group_view(context, decision.chat_id)
    moved = await decisions.extend(
        context.store, decision.id, context.now(), view.tz, request_id=request_id
    )
    if isinstance(moved, Refusal):
        text = (
            context.t.gettext("This one has no deadline to move.")
            if moved is Refusal.NO_DEADLINE
            else context.t.gettext("This decision is closed.")
        )
        await answer(text)
        return
    assert moved.closes_at is not None
    await answer(
        context.t.gettext(
            "It now closes {when}.", when=when_text(context.t, moved.closes_at, view.tz)
        )
    )
    await context.runtime.scheduler.arm()
    await UI[moved.kind].redraw(context, moved)


async def close_and_announce(context: BotContext, decision_id: int) -> bool:
    """Close (if still open), show it closed, post the result once. Safe to repeat."""
    decision, _ = await decisions.close(context.store, decision_id, context.now())
    if decision is None:
        return False
    cancel_refresh(context, decision.id)
    ui = UI[decision.kind]
    await ui.redraw(context, decision)
    await ui.announce(context, decision)
    return True
