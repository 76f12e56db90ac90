"""/rappel: a facilitator schedules a reminder in the group; /rappels lists and cancels them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from voisinbot.bot import callbacks
from voisinbot.bot.announce import announce_once
from voisinbot.bot.context import BotContext
from voisinbot.bot.replies import command_argument, reply
from voisinbot.bot.roles import facilitates, is_facilitator
from voisinbot.bot.scheduler import ScheduleKind
from voisinbot.domain.schedules import Schedule
from voisinbot.i18n import Html, Translator, translator
from voisinbot.services import reminders
from voisinbot.services.post_rules import group_rules
from voisinbot.services.reminders import Reminder, ReminderProblem

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from voisinbot.bot.app import VoisinApp

REMINDER_KIND = "rm"


def _when(t: Translator, reminder: Reminder, tz: ZoneInfo) -> str:
    return t.datetime(reminder.due_at, tz, "EEE d MMM, HH:mm")


def _cancel_button(t: Translator, reminder: Reminder) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        t.gettext("✖ Cancel the reminder of {when}", when=reminder.due_at.strftime("%d/%m %H:%M"))[
            :64
        ],
        callback_data=callbacks.pack(REMINDER_KIND, "cancel", reminder.id),
    )


async def remind_command(update: Update, context: BotContext) -> None:
    """/rappel WHEN | TEXT: post TEXT in the group at WHEN (facilitators)."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    t = context.t
    if message.chat.type == "private":
        await reply(message, t.gettext("Reminders are for groups: write /remind in yours."))
        return
    if not await is_facilitator(context, message.chat, user, message):
        await reply(message, t.gettext("Only the group's facilitators can do that."))
        return
    when_text, bar, text = command_argument(message).partition("|")
    if not bar:
        await reply(
            message,
            t.gettext(
                "Write when, a bar, then the text. For example: /remind friday 6pm | Bring your seeds for the swap!"
            ),
        )
        return
    rules = await group_rules(context.store, message.chat.id)
    result = await reminders.schedule_reminder(
        context.store,
        chat_id=message.chat.id,
        by_user=user.id if user else 0,
        when_text=when_text.strip(),
        raw_text=text,
        tz=rules.tz,
        now=context.now(),
    )
    if isinstance(result, ReminderProblem):
        await reply(message, _problem(t, result))
        return
    await context.runtime.scheduler.arm()
    await reply(
        message,
        t.gettext(
            "⏰ Reminder set for {when}: “{text}”",
            when=_when(t, result, rules.tz),
            text=result.text,
        ),
        reply_markup=InlineKeyboardMarkup([[_cancel_button(t, result)]]),
    )


def _problem(t: Translator, problem: ReminderProblem) -> Html:
    match problem:
        case ReminderProblem.NO_TEXT:
            return t.gettext("What should the reminder say? Write it after the bar.")
        case ReminderProblem.BAD_WHEN:
            return t.gettext(
                "I did not understand when. Try “friday 6pm”, “12/12 10:00” or “in 2 days”."
            )
        case ReminderProblem.TOO_FAR:
            return t.gettext("That is more than a year away: please choose a nearer date.")
        case ReminderProblem.TOO_MANY:
            return t.gettext(
                "This group already has many reminders waiting. Cancel some with /reminders."
            )


async def list_command(update: Update, context: BotContext) -> None:
    """/rappels: the group's coming reminders, with a cancel button each (facilitators)."""
    message = update.effective_message
    if message is None or message.chat.type == "private":
        return
    t = context.t
    rules = await group_rules(context.store, message.chat.id)
    coming = await reminders.upcoming(context.store, message.chat.id)
    if not coming:
        await reply(
            message, t.gettext("No reminder is waiting. /remind friday 6pm | text sets one.")
        )
        return
    lines = [t.gettext("⏰ <b>Coming reminders</b>")]
    lines += [
        t.gettext("• {when} — {text}", when=_when(t, r, rules.tz), text=r.text[:120])
        for r in coming[:20]
    ]
    keyboard = InlineKeyboardMarkup([[_cancel_button(t, r)] for r in coming[:20]])
    await reply(message, Html("\n".join(lines)), reply_markup=keyboard)


async def on_reminder_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None or not isinstance(query.message, Message):
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=REMINDER_KIND, arity=1)
    chat_id = query.message.chat.id
    if data is None or data.action != "cancel":
        await query.answer(t.gettext("This button is no longer valid."))
        return
    if not await facilitates(context, chat_id, query.from_user.id):
        await query.answer(t.gettext("Only the group's facilitators can do that."), show_alert=True)
        return
    if await reminders.cancel_reminder(
        context.store, chat_id=chat_id, reminder_id=data.ids[0], now=context.now()
    ):
        await query.answer(t.gettext("Reminder cancelled."))
    else:
        await query.answer(t.gettext("This reminder is no longer waiting."))


async def send_reminder(app: VoisinApp, schedule: Schedule) -> None:
    """A reminder's time has come: post it once in its group."""
    chat_id = schedule.chat_id
    group = await app.runtime.store.community.get_group(chat_id) if chat_id else None
    if chat_id is None or group is None or not group.active:
        return
    t = translator(group.locale)
    text = t.gettext("⏰ <b>Reminder:</b> {text}", text=str(schedule.payload.get("text", "")))
    await announce_once(
        app.runtime.store,
        app.runtime.clock,
        kind=reminders.REMINDER,
        chat_id=chat_id,
        period=f"schedule-{schedule.id}",
        send=lambda: app.bot.send_message(chat_id, text),
    )


def reminder_schedule_kinds() -> dict[str, ScheduleKind]:
    return {reminders.REMINDER: ScheduleKind(run=send_reminder)}
