"""/digest: a facilitator previews the weekly digest or changes when it comes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from telegram import Chat, Update

from voisinbot.bot.chart import chart_available
from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import send_private, start_button
from voisinbot.bot.digest import render_digest
from voisinbot.bot.replies import command_argument, reply
from voisinbot.bot.roles import is_facilitator
from voisinbot.domain.digest import DigestSettings, parse_day_and_time
from voisinbot.i18n import Html, Translator
from voisinbot.services import digest as digest_service

_ON = {"on", "oui", "yes", "activer"}
_OFF = {"off", "non", "no", "désactiver", "desactiver"}
_HERE = {"ici", "here", "groupe", "group"}
_CHART = {"graphique", "chart", "graph"}


def describe(t: Translator, settings: DigestSettings) -> Html:
    if not settings.enabled:
        return t.gettext("The weekly digest is off. /digest on turns it back on.")
    # 2024-01-01 was a Monday: any date of the right weekday gives Babel the day's name.
    day = t.date(date(2024, 1, 1) + timedelta(days=settings.weekday), "EEEE")
    chart = t.gettext("with a chart") if settings.chart else t.gettext("without a chart")
    return t.gettext(
        "The weekly digest comes every {day} at {time}, {chart}. Change it with /digest followed by a day and a time (for example /digest friday 18h), /digest off, /digest chart on.",
        day=day,
        time=settings.at.strftime("%H:%M"),
        chart=chart,
    )


async def digest_command(update: Update, context: BotContext) -> None:
    """Preview or set up the weekly digest of this group (facilitators)."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    t = context.t
    if message.chat.type == Chat.PRIVATE:
        await reply(message, t.gettext("Use /digest in your group."))
        return
    if not await is_facilitator(context, message.chat, user, message):
        await reply(message, t.gettext("Only the group's facilitators can do that."))
        return
    store, now, chat_id = context.store, context.now(), message.chat.id
    found = await digest_service.digest_settings(store, chat_id)
    if found is None:
        return
    settings, tz = found
    words = command_argument(message).casefold().split()
    new = settings
    if not words or words[0] in _HERE:
        data = await digest_service.gather(store, chat_id, now, tz)
        text, keyboard = render_digest(t, data, tz)
        preview = Html(t.gettext("👀 <b>Preview</b>") + "\n\n" + text)
        if words or user is None:
            await reply(message, preview, reply_markup=keyboard)
        elif await send_private(context, user.id, preview):
            await reply(message, t.gettext("I sent you the preview privately."))
        else:
            await reply(
                message,
                t.gettext("Start me privately to get the preview there, or write /digest here."),
                reply_markup=start_button(t, context.runtime.bot_username),
            )
        return
    if words[0] in _ON:
        new = replace(settings, enabled=True)
    elif words[0] in _OFF:
        new = replace(settings, enabled=False)
    elif words[0] in _CHART and len(words) == 2 and words[1] in _ON | _OFF:
        if words[1] in _ON and not chart_available():
            await reply(
                message,
                t.gettext("Charts are not installed on this server (ask whoever runs the bot)."),
            )
            return
        new = replace(settings, chart=words[1] in _ON)
    elif (slot := parse_day_and_time(" ".join(words))) is not None:
        new = replace(settings, enabled=True, weekday=slot[0], at=slot[1])
    else:
        await reply(message, describe(t, settings))
        return
    await digest_service.change_settings(store, chat_id, new, now)
    await context.runtime.scheduler.arm()
    await reply(message, describe(t, new))
