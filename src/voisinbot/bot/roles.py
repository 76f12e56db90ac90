"""Who may run the group: facilitators are the group's Telegram admins (read from Telegram,
cached) plus residents a facilitator appointed (stored)."""

from __future__ import annotations

from datetime import timedelta

from telegram import Chat, ChatMember, Message, User
from telegram.error import TelegramError

from voisinbot.bot.context import BotContext
from voisinbot.bot.people import GROUP_ANONYMOUS_BOT_ID

ADMIN_CACHE_TTL = timedelta(minutes=10)
# Someone not in the cached list may have just been promoted: ask Telegram again, but not
# more often than this (a refused resident tapping repeatedly must not flood the API).
RECHECK_AFTER = timedelta(minutes=1)


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


async def admin_members(context: BotContext, chat_id: int) -> list[ChatMember]:
    """The group's admins as Telegram lists them now (names, anonymity); refreshes the cache.
    Empty when Telegram cannot be asked."""
    try:
        admins = await context.bot.get_chat_administrators(chat_id)
    except TelegramError:
        return []
    context.runtime.admin_cache[chat_id] = (
        context.runtime.clock(),
        frozenset(member.user.id for member in admins),
    )
    return list(admins)


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
    return await facilitates(context, chat.id, user.id)


async def facilitates(context: BotContext, chat_id: int, user_id: int) -> bool:
    """Whether the resident is a Telegram admin of the group or an appointed facilitator."""
    if user_id in await group_admin_ids(context, chat_id):
        return True
    if await context.store.community.is_appointed_facilitator(chat_id, user_id):
        return True
    cached = context.runtime.admin_cache.get(chat_id)
    if cached is not None and context.runtime.clock() - cached[0] >= RECHECK_AFTER:
        return user_id in await group_admin_ids(context, chat_id, refresh=True)
    return False
