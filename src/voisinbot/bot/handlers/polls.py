"""Quick polls: a native Telegram poll, the votes Telegram reports, the result at the close.

Named polls (the default) report each vote (``poll_answer``), which lets the roster reminder
skip those who voted; anonymous polls only report totals (``poll``), so nobody is ever
named. "secret" asks Telegram to hide the results until the poll is stopped.
"""

from __future__ import annotations

from telegram import InputPollOption, Message, Update
from telegram.constants import PollLimit
from telegram.error import BadRequest

from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers.decision_base import (
    announce_result,
    digest,
    group_view,
    post_under,
    show_board,
)
from voisinbot.bot.people import display_name
from voisinbot.bot.render_polls import poll as render
from voisinbot.domain.polls.model import Decision
from voisinbot.domain.polls.specs import Limits
from voisinbot.services import decisions, polls


def telegram_limits() -> Limits:
    """Telegram's own limits for native polls, checked before sending."""
    return Limits(
        max_title=PollLimit.MAX_QUESTION_LENGTH,
        max_option=PollLimit.MAX_OPTION_LENGTH,
        max_options=PollLimit.MAX_OPTION_NUMBER,
    )


async def publish(context: BotContext, source: Message, decision: Decision) -> None:
    """Send the poll, then the small message saying how it works, with the facilitators'
    buttons."""
    options = await context.store.decisions.options(decision.id)
    sent = await context.bot.send_poll(
        decision.chat_id,
        # Residents' words, not markup: no parse mode (the app's default is HTML), so a "<" or
        # "&" is shown as typed and the lengths checked are the lengths Telegram counts.
        question=decision.title,
        question_parse_mode=None,
        options=[InputPollOption(o.label, text_parse_mode=None) for o in options],
        is_anonymous=decision.anonymous,
        allows_multiple_answers=decision.multiple,
        hide_results_until_closes=True if decision.hidden else None,
    )
    assert sent.poll is not None
    decision = await decisions.attach(
        context.store,
        decision.id,
        message_id=sent.message_id,
        poll_id=sent.poll.id,
        now=context.now(),
    )
    view = await group_view(context, decision.chat_id)
    text = render.control_text(view.t, decision, view.tz)
    keyboard = render.control_keyboard(view.t, decision)
    control = await post_under(
        context, decision.chat_id, sent.message_id, text, reply_markup=keyboard
    )
    await decisions.attach(
        context.store,
        decision.id,
        control_message_id=control.message_id,
        now=context.now(),
        rendered=digest(text, keyboard),
    )


async def redraw(context: BotContext, decision: Decision) -> None:
    """Once closed or cancelled, stop the poll (keeping Telegram's final counts); show the
    deadline and the state under it."""
    if not decision.is_open and decision.message_id is not None:
        try:
            final = await context.bot.stop_poll(decision.chat_id, decision.message_id)
        except BadRequest as exc:  # already stopped (a retried close), or deleted
            final = None
            if "closed" not in exc.message and "not found" not in exc.message:
                raise
        if final is not None:
            await polls.record_totals(
                context.store,
                poll_id=final.id,
                counts=[o.voter_count for o in final.options],
                voter_count=final.total_voter_count,
            )
    view = await group_view(context, decision.chat_id)
    current = await decisions.get(context.store, decision.id) or decision
    await show_board(
        context,
        current,
        current.control_message_id,
        render.control_text(view.t, current, view.tz),
        render.control_keyboard(view.t, current),
    )


async def announce(context: BotContext, decision: Decision) -> None:
    """The result, as an answer to the poll; once, even if the close is retried."""
    current = await decisions.get(context.store, decision.id) or decision
    result = await polls.result(context.store, current)
    view = await group_view(context, current.chat_id)
    text = render.result_text(view.t, current, result)
    await announce_result(context, current, text)


async def on_poll_answer(update: Update, context: BotContext) -> None:
    """A vote on a named poll (an empty choice is a retracted vote)."""
    answer = update.poll_answer
    if answer is None:
        return
    user, chat = answer.user, answer.voter_chat
    if user is not None:
        voter_id, name, language = user.id, display_name(user), user.language_code
    elif chat is not None:  # an anonymous admin voting as the group
        voter_id, name, language = chat.id, chat.title or "", None
    else:
        return
    await polls.record_vote(
        context.store,
        poll_id=answer.poll_id,
        user_id=voter_id,
        display_name=name,
        language_code=language,
        option_ids=list(answer.option_ids),
        now=context.now(),
        remember_member=user is not None,
    )


async def on_poll_update(update: Update, context: BotContext) -> None:
    """Telegram's totals for one of our polls (the only source for anonymous ones)."""
    poll = update.poll
    if poll is None:
        return
    await polls.record_totals(
        context.store,
        poll_id=poll.id,
        counts=[o.voter_count for o in poll.options],
        voter_count=poll.total_voter_count,
    )
