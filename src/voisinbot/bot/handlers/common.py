"""The early handler group: who is speaking, where, and in which language."""

from __future__ import annotations

from telegram import CallbackQuery, Chat, ChatMember, Message, Update
from telegram.ext import ApplicationHandlerStop

from voisinbot.bot.context import BotContext
from voisinbot.bot.people import PROXY_USER_IDS, display_name
from voisinbot.i18n import pick_locale
from voisinbot.services import community

GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)


async def load_context(update: Update, context: BotContext) -> None:
    """Record the group and the resident, choose the locale, and drop other bots' messages."""
    user, chat = update.effective_user, update.effective_chat
    # Other bots talking to us: never answer, never loop. A moderation bot promoting or
    # banning someone (chat_member) is not talk: the admin list must follow it.
    if (
        user is not None
        and user.is_bot
        and user.id not in PROXY_USER_IDS
        and update.chat_member is None
    ):
        raise ApplicationHandlerStop
    settings, now = context.settings, context.now()
    if update.message is not None and await _follow_migration(update.message, context):
        raise ApplicationHandlerStop  # the old chat is gone: nothing more happens there

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
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and not _offered(query):
        # Clients can send any callback data for any message: data no button of the message
        # carries now is forged, or a button since removed. Handlers never see it.
        await query.answer(context.t.gettext("This button is no longer valid."))
        raise ApplicationHandlerStop

    if user is None or user.is_bot:
        return
    in_private = chat is not None and chat.type == Chat.PRIVATE
    group_id = chat.id if chat is not None and chat.type in GROUP_TYPES else None
    runtime = context.runtime
    change = update.my_chat_member if in_private else None
    if change is not None and change.new_chat_member.status != ChatMember.MEMBER:
        # The resident blocked the bot: not a sign of life, the opposite.
        await context.store.community.set_reachable(user.id, False)
        runtime.known_members.pop(user.id, None)
        return
    known = runtime.known_members.get(user.id)
    fingerprint = (display_name(user), user.language_code, in_private or bool(known and known[2]))
    # Most updates come from residents already on record: skip the write when nothing changed
    # (but an unblock must write: a failed send may have marked them unreachable meanwhile).
    new_in_group = group_id is not None and (group_id, user.id) not in runtime.seen_in_groups
    if known == fingerprint and not new_in_group and change is None:
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


async def _follow_migration(message: Message, context: BotContext) -> bool:
    """A group upgraded to a supergroup: move its rows to the new id. Telegram says it twice
    (``migrate_to_chat_id`` in the old chat, ``migrate_from_chat_id`` in the new one), in
    either order; moving is idempotent. True for the old chat's message."""
    if message.migrate_to_chat_id:
        await context.store.community.migrate_group(message.chat.id, message.migrate_to_chat_id)
        return True
    if message.migrate_from_chat_id:
        await context.store.community.migrate_group(message.migrate_from_chat_id, message.chat.id)
    return False


def _offered(query: CallbackQuery) -> bool:
    """Whether the pressed data is on a button of the message as Telegram shows it now."""
    markup = query.message.reply_markup if isinstance(query.message, Message) else None
    if markup is None:
        return False
    return any(
        button.callback_data == query.data for row in markup.inline_keyboard for button in row
    )
