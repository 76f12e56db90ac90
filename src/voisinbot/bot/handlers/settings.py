"""/reglages (/settings): a facilitator sets the group up, in a minute, without flooding it.

In the group the command answers with one short message and a button that opens the panel
privately (``/start settings_<chat id>``); the panel itself appears in the group when the
facilitator cannot be written to privately, or asks for it (``/reglages ici``). Every button
press re-checks who pressed, for which group, and the value, on the server.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import Any

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from voisinbot.bot import callbacks
from voisinbot.bot.context import BotContext
from voisinbot.bot.delivery import send_private, start_link
from voisinbot.bot.handlers.common import GROUP_TYPES
from voisinbot.bot.people import PROXY_USER_IDS
from voisinbot.bot.replies import command_argument, edit_in_place, reply
from voisinbot.bot.roles import facilitates, is_facilitator
from voisinbot.bot.settings_view import (
    DIGEST_TIMES,
    SETTINGS_KIND,
    Act,
    View,
    closed_text,
    render,
)
from voisinbot.domain import group_settings as gs
from voisinbot.i18n import LOCALES, Html, Translator, translator
from voisinbot.services import settings as settings_service
from voisinbot.services.settings import GroupConfig

DEEP_LINK_PREFIX = "settings"  # /start settings_<chat id>, registered in handlers/__init__.py
_HERE = {"ici", "here"}
_TIMEZONE = {"fuseau", "timezone", "tz", "zone"}
_TAG = re.compile(r"<[^>]*>")


def settings_link(username: str, chat_id: int) -> str:
    return start_link(username, f"{DEEP_LINK_PREFIX}_{chat_id}")


def open_privately_button(t: Translator, username: str, chat_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t.gettext("⚙️ Open the settings privately"),
                    url=settings_link(username, chat_id),
                )
            ]
        ]
    )


async def settings_command(update: Update, context: BotContext) -> None:
    """/reglages [ici | fuseau Zone/Name]: the group's settings (facilitators)."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    t = context.t
    if message.chat.type not in GROUP_TYPES:
        await reply(message, t.gettext("Write /settings in your group: I will open its settings."))
        return
    if not await is_facilitator(context, message.chat, user, message):
        await reply(message, t.gettext("Only the group's facilitators can change its settings."))
        return
    config = await settings_service.load(context.store, message.chat.id)
    if config is None:
        return
    words = command_argument(message).split()
    first = words[0].casefold() if words else ""
    if first in _TIMEZONE:
        await _typed_timezone(message, context, config, " ".join(words[1:]))
        return
    if first not in _HERE and user is not None and await _reachable(context, user.id):
        await reply(
            message,
            t.gettext("⚙️ The settings open privately, so that the group is not flooded."),
            reply_markup=open_privately_button(t, context.runtime.bot_username, config.chat_id),
        )
        return
    text, keyboard = render(t, config, View.MAIN)
    await reply(message, text, reply_markup=keyboard)


async def _reachable(context: BotContext, user_id: int) -> bool:
    """Whether the bot can write to this person privately (an anonymous admin never)."""
    if user_id in PROXY_USER_IDS:
        return False
    member = await context.store.community.get_member(user_id)
    return member is not None and member.started_private and member.reachable


async def _typed_timezone(
    message: Message, context: BotContext, config: GroupConfig, name: str
) -> None:
    t = context.t
    if not name:
        text, _ = render(t, config, View.OTHER_ZONE)
        await reply(message, text)
        return
    try:
        config = await settings_service.set_timezone(
            context.store, config.chat_id, name, context.now()
        )
    except ValueError:
        await reply(
            message,
            t.gettext(
                "I don't know the time zone “{name}”. Write it as Continent/City, for example <code>/settings timezone America/Toronto</code>.",
                name=name,
            ),
        )
        return
    await context.runtime.scheduler.arm()
    await reply(message, t.gettext("🕰 Time zone of the group: {zone}.", zone=config.timezone))


async def open_from_link(update: Update, context: BotContext, payload: str) -> None:
    """/start settings_<chat id>: the panel in private, for a facilitator of that group."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    t = context.t
    chat_id = callbacks.parse_id(payload) or 0
    config = await settings_service.load(context.store, chat_id) if chat_id < 0 else None
    if config is None or not await facilitates(context, config.chat_id, user.id):
        await reply(
            message,
            t.gettext(
                "This link opens the settings of a group you facilitate. Only its facilitators can use it."
            ),
        )
        return
    text, keyboard = render(t, config, View.MAIN)
    await reply(message, text, reply_markup=keyboard)


async def on_button(update: Update, context: BotContext) -> None:
    """A button of the settings panel, in the group or in private."""
    query = update.callback_query
    if query is None:
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=SETTINGS_KIND, arity=2)
    message = query.message
    if data is None or not isinstance(message, Message):
        await _invalid(query, t)
        return
    chat_id, value = data.ids
    in_group = message.chat.id == chat_id
    in_own_private = message.chat.type == Chat.PRIVATE and message.chat.id == query.from_user.id
    config = await settings_service.load(context.store, chat_id)
    if config is None or not (in_group or in_own_private):
        await _invalid(query, t)
        return
    chat_id = config.chat_id  # the new id, if the group became a supergroup since
    if not await facilitates(context, chat_id, query.from_user.id):
        await query.answer(
            t.gettext("Only the group's facilitators can change its settings."), show_alert=True
        )
        return
    try:
        act = Act(data.action)
    except ValueError:
        await _invalid(query, t)
        return
    if act is Act.CLOSE:
        await query.answer()
        await _show(message, closed_text(_panel_t(t, config, in_group)), None)
        return
    if act is Act.VIEW:
        try:
            view = View(value)
        except ValueError:
            await _invalid(query, t)
            return
        await query.answer()
        await _show(message, *render(_panel_t(t, config, in_group), config, view))
        return
    changed = await _apply(context, config, act, value)
    if changed is None:
        await _invalid(query, t)
        return
    config, view = changed
    panel_t = _panel_t(t, config, in_group)  # a new group language shows at once
    await query.answer(panel_t.gettext("✓ Saved"))
    await _show(message, *render(panel_t, config, view))


async def _show(message: Message, text: Html, keyboard: InlineKeyboardMarkup | None) -> None:
    """Edit the panel in place, unless it already shows exactly that (a double tap, the
    current value chosen again): Telegram refuses an edit that changes nothing."""
    shown = html.unescape(_TAG.sub("", text))
    if message.text == shown and message.reply_markup == keyboard:
        return
    await edit_in_place(message, text, keyboard)


def _panel_t(t: Translator, config: GroupConfig, in_group: bool) -> Translator:
    """In the group the panel speaks the group's language; in private, the person's."""
    return translator(config.locale) if in_group else t


async def _invalid(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t.gettext("This button is no longer valid."))


def _pick(choices: tuple[Any, ...], index: int) -> Any | None:
    return choices[index] if 0 <= index < len(choices) else None


async def _apply(
    context: BotContext, config: GroupConfig, act: Act, value: int
) -> tuple[GroupConfig, View] | None:
    """Store what the button says, after checking the value is one we offered."""
    store, chat_id, now = context.store, config.chat_id, context.now()
    digest = config.settings.digest
    flag = value == 1
    if act in (Act.DIGEST_ON, Act.CHART, Act.POLLS, Act.ALERTS) and value not in (0, 1):
        return None
    match act:
        case Act.LANGUAGE if (locale := _pick(LOCALES, value)) is not None:
            return await settings_service.set_locale(store, chat_id, locale), View.LANGUAGE
        case Act.TIMEZONE if (zone := _pick(gs.TIMEZONE_CHOICES, value)) is not None:
            config = await settings_service.set_timezone(store, chat_id, zone, now)
            await context.runtime.scheduler.arm()
            return config, View.TIMEZONE
        case Act.DAY if 0 <= value <= 6:
            new_digest = replace(digest, enabled=True, weekday=value)
        case Act.TIME if (at := _pick(DIGEST_TIMES, value)) is not None:
            new_digest = replace(digest, enabled=True, at=at)
        case Act.DIGEST_ON:
            new_digest = replace(digest, enabled=flag)
        case Act.CHART:
            new_digest = replace(digest, chart=flag)
        case Act.POLLS:
            return await settings_service.set_value(
                store, chat_id, gs.POLLS_OPEN_TO_ALL, flag
            ), View.POLLS
        case Act.ALERTS:
            return await settings_service.set_value(
                store, chat_id, gs.MATCH_ALERTS, flag
            ), View.ALERTS
        case Act.NEED_DAYS if (days := _pick(gs.NEED_DAYS_CHOICES, value)) is not None:
            return await settings_service.set_value(
                store, chat_id, gs.NEED_DAYS, days
            ), View.LIFETIMES
        case Act.OFFER_DAYS if (days := _pick(gs.OFFER_DAYS_CHOICES, value)) is not None:
            return await settings_service.set_value(
                store, chat_id, gs.OFFER_DAYS, days
            ), View.LIFETIMES
        case Act.CATEGORY if (category := _pick(gs.ALL_CATEGORIES, value // 2)) is not None:
            return await settings_service.use_category(
                store, chat_id, category, used=value % 2 == 1
            ), View.CATEGORIES
        case _:
            return None
    config = await settings_service.set_digest(store, chat_id, new_digest, now)
    await context.runtime.scheduler.arm()
    return config, View.DIGEST


async def send_panel_privately(
    context: BotContext, user_id: int, t: Translator, config: GroupConfig, intro: Html
) -> Message | None:
    """The panel in a private message, after a line of introduction (None when refused)."""
    text, keyboard = render(t, config, View.MAIN)
    return await send_private(context, user_id, Html(intro + "\n\n" + text), reply_markup=keyboard)
