"""Which updates Telegram actually delivers to a bot in a group.

With privacy mode on (BotFather's default, and VoisinBot's ``getMe`` says so), a bot that is
not an administrator only receives, in groups: commands (``/cmd`` or ``/cmd@this_bot``),
replies to its own messages and service messages. No bot ever receives another bot's
messages. A feature that silently relies on reading ordinary group chatter would work in a
naive test and do nothing in production; ``push_update`` uses this module to prevent that.
"""

from __future__ import annotations

from typing import Any

from voisinbot.fakeapi.shapes import GROUP_ANONYMOUS_BOT, GROUP_TYPES
from voisinbot.fakeapi.state import State
from voisinbot.fakeapi.updates import update_type

_SERVICE_KEYS = frozenset(
    {
        "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo",
        "delete_chat_photo", "group_chat_created", "supergroup_chat_created",
        "migrate_to_chat_id", "migrate_from_chat_id", "pinned_message",
        "message_auto_delete_timer_changed", "video_chat_started", "video_chat_ended",
        "forum_topic_created", "forum_topic_closed", "forum_topic_reopened",
    }
)  # fmt: skip


def _entity_text(text: str, entity: dict[str, Any]) -> str:
    # Entity offsets are UTF-16 code units, so slice the UTF-16 encoding.
    raw = text.encode("utf-16-le")
    start, length = entity["offset"] * 2, entity["length"] * 2
    return raw[start : start + length].decode("utf-16-le")


def _addressed_command(message: dict[str, Any], username: str) -> bool:
    text = message.get("text") or message.get("caption") or ""
    entities = message.get("entities") or message.get("caption_entities") or []
    for entity in entities:
        if entity.get("type") != "bot_command":
            continue
        command = _entity_text(text, entity)
        _, at, target = command.partition("@")
        # A bare /cmd reaches us too (we assume VoisinBot is the group's only bot).
        if not at or target.lower() == username.lower():
            return True
    return False


def delivered(update: dict[str, Any], state: State, *, privacy_mode: bool) -> bool:
    """Whether Telegram would deliver ``update`` to the bot described by ``state``."""
    kind = update_type(update)
    if kind not in ("message", "edited_message"):
        return True
    message = update[kind]
    chat = message.get("chat", {})
    if chat.get("type") not in GROUP_TYPES:
        return True
    if state.bot_status.get(chat.get("id", 0)) in ("left", "kicked"):
        return False
    sender = message.get("from") or {}
    if sender.get("is_bot") and sender.get("id") not in (state.bot_id, GROUP_ANONYMOUS_BOT["id"]):
        return False
    if not privacy_mode or state.bot_is_admin(chat["id"]):
        return True
    if _SERVICE_KEYS.intersection(message):
        return True
    replied = (message.get("reply_to_message") or {}).get("from") or {}
    if replied.get("id") == state.bot_id:
        return True
    return _addressed_command(message, state.bot_user.get("username") or "")
