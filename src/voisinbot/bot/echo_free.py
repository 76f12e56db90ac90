"""PTB's bot, without rebuilding the echo of what we just sent.

Telegram answers every message the bot sends or edits with the whole message: the entities
of our own HTML, our own inline keyboard, and (for a reply in a group) the resident's message
it quotes, with its sender, chat and entities. PTB turns all of it into objects. For a post
card that is the largest single cost of an update (`voisinbot bench updates`: about a fifth
of the bot's time went to ``Message.de_json``), and the bot never reads any of it back: it
keeps the message id, the chat, and for a poll its id.

So for the methods below those echoed fields are dropped from Telegram's answer before PTB
parses it. The ``Message`` a send returns therefore has no ``entities``, ``reply_markup``,
``reply_to_message`` or ``from_user``; code that needs them has them already (it just sent
them, as itself).
"""

from __future__ import annotations

from typing import Any

from telegram.ext import ExtBot

# Methods answered with the Message sent or edited.
ECHOING_METHODS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPoll"}
)
# "from" is the bot itself.
_ECHOED_FIELDS = ("entities", "reply_markup", "reply_to_message", "link_preview_options", "from")


class EchoFreeBot(ExtBot[None]):
    async def _do_post(self, endpoint: str, data: dict[str, Any], **kwargs: Any) -> Any:
        result = await super()._do_post(endpoint, data, **kwargs)
        if endpoint in ECHOING_METHODS and isinstance(result, dict):
            for field in _ECHOED_FIELDS:
                result.pop(field, None)
        return result
