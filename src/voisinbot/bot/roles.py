"""Who may run the group: facilitators are the group's Telegram admins (read from Telegram,
cached) plus residents a facilitator appointed (stored)."""

from __future__ import annotations

from datetime import timedelta

from telegram import Chat, Message, User
from telegram.error import TelegramError

from voisinbot.bot.context import BotContext
from voisinbot.bot.people import GROUP_ANONYMOUS_BOT_ID

ADMIN_CACHE_TTL = timedelta(minutes=10)


async def group_admin_ids(
    context: BotContext, chat_id: int, *, refresh: bool = False
) -> frozenset[int]:
    """The ids of the group's Telegram admins, cached for a few minutes."""
    runtime = context.runtime
    now = runtime.clock()
    cached = runtime.admin_cache.get(chat_id)
    if cached is not None and not refresh and now - cached[0] < ADMIN_CACHE_TTL:
        return cached[1]
    try:
        admins = await context.bot.get_chat_administrators(chat_id)
    except TelegramError:
        # Telegram unreachable: an old list is better than locking everyone out.
        return cached[1] if cached is not None else frozenset()
    ids = frozenset(member.user.id for member in admins)
    runtime.admin_cache[chat_id] = (now, ids)
    return ids


def forget_admins(context: BotContext, chat_id: int) -> None:
    """Membership changed: read the admin list again next time."""
    context.runtime.admin_cache.pop(chat_id, None)


async def is_facilitator(
    context: BotContext, chat: Chat, user: User | None, message: Message | None = None
) -> bool:
    """Whether ``user`` may run this group (create, close, extend, set up)."""
    if chat.type not in (Chat.GROUP, Chat.SUPERGROUP) or user is None:
        return False
    # An anonymous admin speaks "as the group" through GroupAnonymousBot.
    if user.id == GROUP_ANONYMOUS_BOT_ID:
        return (
            message is not None
            and message.sender_chat is not None
            and message.sender_chat.id == chat.id
        )
    if user.id in await group_admin_ids(context, chat.id):
        return True
    return await context.store.community.is_appointed_facilitator(chat.id, user.id)
