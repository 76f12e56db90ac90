"""The "/" menus: one list per scope and language, published at start-up."""

from __future__ import annotations

import logging

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
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


def private_commands(t: Translator) -> list[BotCommand]:
    fr = t.locale == "fr"
    return [
        BotCommand("start", t.gettext("Welcome and what I can do")),
        BotCommand("aide" if fr else "help", t.gettext("How to use VoisinBot")),
    ]


async def publish_commands(bot: Bot, default_locale: str) -> None:
    """Set the menus for every scope and language. A failure is logged, never fatal."""
    for locale in LOCALES:
        t = translator(locale)
        menus: list[tuple[BotCommandScope, list[BotCommand]]] = [
            (BotCommandScopeAllGroupChats(), group_commands(t)),
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
