"""The "/" menus: one list per scope and language, published at start-up.

Telegram shows each person the most specific menu: residents in groups see the group list,
the group's admins (``all_chat_administrators``) the group list plus the facilitators'
commands, and a resident appointed facilitator gets the admins' menu in that group only
(``chat_member`` scope, set when appointed, removed when dismissed).
"""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChatMember,
)
from telegram.error import TelegramError

from voisinbot.i18n import LOCALES, Translator, translator

log = logging.getLogger(__name__)


def group_commands(t: Translator) -> list[BotCommand]:
    # Command names follow the language: /besoin in French, /need in English.
    fr = t.locale == "fr"
    return [
        BotCommand("besoin" if fr else "need", t.gettext("Ask the neighbours for help")),
        BotCommand("offre" if fr else "offer", t.gettext("Offer a skill, a loan or a gift")),
        BotCommand("besoins" if fr else "needs", t.gettext("Open needs of the group")),
        BotCommand("offres" if fr else "offers", t.gettext("Open offers of the group")),
        BotCommand("aide" if fr else "help", t.gettext("How to use VoisinBot")),
    ]


def facilitator_commands(t: Translator) -> list[BotCommand]:
    """What only facilitators can do (polls may be opened to everyone by a setting)."""
    fr = t.locale == "fr"
    return [
        BotCommand("reglages" if fr else "settings", t.gettext("Settings of the group")),
        BotCommand("digest", t.gettext("Preview or set up the weekly digest")),
        BotCommand(
            "animateur" if fr else "facilitator",
            t.gettext("Appoint a facilitator (reply to their message)"),
        ),
        BotCommand("animateurs" if fr else "facilitators", t.gettext("Who runs the group")),
        BotCommand("sondage" if fr else "poll", t.gettext("Launch a poll")),
        BotCommand("dates", t.gettext("Find a date together")),
        BotCommand("inscriptions" if fr else "signup", t.gettext("Open a sign-up sheet")),
        BotCommand("budget", t.gettext("Share a budget between projects")),
        BotCommand("rappel" if fr else "remind", t.gettext("Post a reminder in the group")),
        BotCommand("stats", t.gettext("The group's figures, privately")),
        BotCommand("export", t.gettext("The group's activity as CSV files, privately")),
    ]


def admin_commands(t: Translator) -> list[BotCommand]:
    return group_commands(t) + facilitator_commands(t)


def private_commands(t: Translator) -> list[BotCommand]:
    fr = t.locale == "fr"
    return [
        BotCommand("start", t.gettext("Welcome and what I can do")),
        BotCommand("aide" if fr else "help", t.gettext("How to use VoisinBot")),
        BotCommand("mesdonnees" if fr else "mydata", t.gettext("Everything I hold about you")),
        BotCommand("oublier" if fr else "forgetme", t.gettext("Erase everything about you")),
    ]


async def publish_commands(bot: Bot, default_locale: str) -> None:
    """Set the menus for every scope and language. A failure is logged, never fatal."""
    for locale in LOCALES:
        t = translator(locale)
        menus: list[tuple[BotCommandScope, list[BotCommand]]] = [
            (BotCommandScopeAllGroupChats(), group_commands(t)),
            (BotCommandScopeAllChatAdministrators(), admin_commands(t)),
            (BotCommandScopeAllPrivateChats(), private_commands(t)),
        ]
        for scope, commands in menus:
            try:
                await bot.set_my_commands(commands, scope=scope, language_code=locale)
                # The menu without a language code is what everyone else sees.
                if locale == default_locale:
                    await bot.set_my_commands(commands, scope=scope)
            except TelegramError as exc:
                log.warning("could not publish the command menu (%s): %s", locale, exc)


async def publish_member_commands(bot: Bot, chat_id: int, user_id: int, group_locale: str) -> None:
    """An appointed facilitator sees the facilitators' menu in this group."""
    scope = BotCommandScopeChatMember(chat_id, user_id)
    try:
        for locale in LOCALES:
            await bot.set_my_commands(
                admin_commands(translator(locale)), scope=scope, language_code=locale
            )
        await bot.set_my_commands(admin_commands(translator(group_locale)), scope=scope)
    except TelegramError as exc:
        log.warning("could not publish a facilitator's menu in %d: %s", chat_id, exc)


async def forget_member_commands(bot: Bot, chat_id: int, user_id: int) -> None:
    """Back to the residents' menu for this person in this group."""
    scope = BotCommandScopeChatMember(chat_id, user_id)
    try:
        for locale in LOCALES:
            await bot.delete_my_commands(scope=scope, language_code=locale)
        await bot.delete_my_commands(scope=scope)
    except TelegramError as exc:
        log.warning("could not reset a resident's menu in %d: %s", chat_id, exc)
