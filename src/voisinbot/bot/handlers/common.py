"""The early handler group: who is speaking, where, and in which language."""

from __future__ import annotations

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop

from voisinbot.bot.context import BotContext
from voisinbot.bot.people import PROXY_USER_IDS, display_name
from voisinbot.i18n import pick_locale
from voisinbot.services import community

GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)


async def load_context(update: Update, context: BotContext) -> None:
    """Record the group and the resident, choose the locale, and drop other bots' messages."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and user.is_bot and user.id not in PROXY_USER_IDS:
        raise ApplicationHandlerStop  # other bots talking to us: never answer, never loop
    settings, now = context.settings, context.now()

    if chat is not None and chat.type in GROUP_TYPES:
        group = await context.store.community.get_group(chat.id)
        if group is None or not group.active:
            group = await community.group_joined(
                context.store,
                chat_id=chat.id,
                title=chat.title or "",
                chat_type=chat.type,
                default_locale=settings.default_locale,
                default_timezone=settings.timezone,
                now=now,
            )
        context.locale = group.locale
    else:
        context.locale = pick_locale(user.language_code if user else None, settings.default_locale)

    if user is None or user.is_bot:
        return
    in_private = chat is not None and chat.type == Chat.PRIVATE
    group_id = chat.id if chat is not None and chat.type in GROUP_TYPES else None
    runtime = context.runtime
    known = runtime.known_members.get(user.id)
    fingerprint = (display_name(user), user.language_code, in_private or bool(known and known[2]))
    # Most updates come from residents already on record: skip the write when nothing changed.
    new_in_group = group_id is not None and (group_id, user.id) not in runtime.seen_in_groups
    if known == fingerprint and not new_in_group:
        return
    await community.resident_seen(
        context.store,
        community.Resident(user.id, fingerprint[0], user.language_code),
        now=now,
        chat_id=group_id,
        in_private=in_private,
    )
    runtime.known_members[user.id] = fingerprint
    if group_id is not None:
        runtime.seen_in_groups.add((group_id, user.id))
