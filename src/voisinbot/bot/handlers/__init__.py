"""Every handler, registered in one ordered list.

Group -1 runs first for every update (who, where, which language); group 0 holds the
features, first match wins.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from voisinbot.bot import render
from voisinbot.bot.callbacks import pattern
from voisinbot.bot.handlers import common, posts, welcome
from voisinbot.bot.scheduler import ScheduleKind

# Commands are answered for new messages only: an edited "/need …" must not post twice.
NEW = filters.UpdateType.MESSAGE


def schedule_kinds() -> dict[str, ScheduleKind]:
    """What runs when a schedule of each kind comes due (see bot/scheduler.py)."""
    return {}


def handlers() -> list[tuple[int, BaseHandler[Update, Any, Any]]]:
    """(group, handler) pairs in the order they are registered."""
    return [
        (-1, TypeHandler(Update, common.load_context)),
        # Arrival and departure of the bot.
        (0, ChatMemberHandler(welcome.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER)),
        # Welcome and help.
        (0, CommandHandler("start", welcome.start, filters=NEW)),
        (0, CommandHandler(["aide", "help"], welcome.help_command, filters=NEW)),
        # Needs and offers.
        (0, CommandHandler(["besoin", "need"], posts.declare_need, filters=NEW)),
        (0, CommandHandler(["offre", "offer"], posts.declare_offer, filters=NEW)),
        (0, CommandHandler(["besoins", "needs"], posts.list_needs, filters=NEW)),
        (0, CommandHandler(["offres", "offers"], posts.list_offers, filters=NEW)),
        (0, CallbackQueryHandler(posts.turn_list_page, pattern=pattern(render.LIST_KIND))),
        # Answers to the bot's questions (ForceReply), last among messages.
        (0, MessageHandler(NEW & filters.REPLY & ~filters.COMMAND, posts.answer_prompt)),
    ]
