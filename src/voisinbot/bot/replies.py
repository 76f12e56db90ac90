"""Small helpers shared by handlers for reading commands and replying."""

from __future__ import annotations

from typing import Any

from telegram import Chat, InlineKeyboardMarkup, Message, MessageEntity
from telegram.error import BadRequest

from voisinbot.i18n import Html


def command_argument(message: Message) -> str:
    """The text after the leading /command, newlines kept (``context.args`` loses them)."""
    if message.text:
        parsed = message.parse_entities([MessageEntity.BOT_COMMAND])
        text = message.text
    else:
        parsed = message.parse_caption_entities([MessageEntity.BOT_COMMAND])
        text = message.caption or ""
    for entity, command in parsed.items():
        if entity.offset == 0:
            # Offsets count UTF-16 code units; the parsed substring is already in characters.
            return text[len(command) :].strip()
    return text.strip()


async def reply(message: Message, text: Html, **kwargs: Any) -> Message:
    """Answer a message where it was written; in groups the answer quotes it for context."""
    return await message.reply_text(text, do_quote=message.chat.type != Chat.PRIVATE, **kwargs)


async def edit_in_place(
    message: Message, text: Html, keyboard: InlineKeyboardMarkup | None = None
) -> None:
    """Edit a bot message; pressing the same button twice is not an error."""
    try:
        await message.edit_text(text, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise
