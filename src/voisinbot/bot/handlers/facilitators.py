"""Who runs the group: /animateur (/facilitator) appoints or removes a facilitator, /animateurs
lists them, and membership changes keep the list of Telegram admins fresh.

Facilitators are the group's Telegram admins (always; only Telegram can change that) plus
residents a facilitator appointed. Telegram does not tell bots who an @username is, so the
reliable way to name someone is to reply to one of their messages (or a text mention).
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import (
    Chat,
    ChatMember,
    ChatMemberAdministrator,
    ChatMemberOwner,
    Message,
    MessageEntity,
    Update,
    User,
)

from voisinbot.bot.commands import forget_member_commands, publish_member_commands
from voisinbot.bot.context import BotContext
from voisinbot.bot.handlers.common import GROUP_TYPES
from voisinbot.bot.people import PROXY_USER_IDS, display_name, mention
from voisinbot.bot.replies import command_argument, reply
from voisinbot.bot.roles import admin_members, forget_admins, group_admin_ids, is_facilitator
from voisinbot.i18n import Html, escape
from voisinbot.services import settings as settings_service
from voisinbot.services.community import Resident

_REMOVE = {"retirer", "enlever", "supprimer", "remove", "demote"}
_ADMIN_STATUSES = {ChatMember.ADMINISTRATOR, ChatMember.OWNER}
_GONE_STATUSES = {ChatMember.LEFT, ChatMember.BANNED}


@dataclass(frozen=True, slots=True)
class Target:
    user_id: int
    name: str
    language_code: str | None


async def facilitator_command(update: Update, context: BotContext) -> None:
    """/animateur [retirer] (in reply, or with a mention or a name): appoint or remove."""
    message, user = update.effective_message, update.effective_user
    if message is None:
        return
    t = context.t
    if message.chat.type not in GROUP_TYPES:
        await reply(
            message,
            t.gettext("Use /facilitator in your group, in reply to a message of the resident."),
        )
        return
    if not await is_facilitator(context, message.chat, user, message):
        await reply(message, t.gettext("Only the group's facilitators can appoint facilitators."))
        return
    words = command_argument(message)
    first, _, rest = words.partition(" ")
    remove = first.casefold() in _REMOVE
    if remove:
        words = rest.strip()
    target = await _target(context, message, words)
    if isinstance(target, str):
        await reply(message, Html(target))
        return
    chat_id, now = message.chat.id, context.now()
    who = mention(target.user_id, target.name)
    if target.user_id in await group_admin_ids(context, chat_id, refresh=True):
        if remove:
            text = t.gettext(
                "{name} is an admin of the group, and admins are always facilitators. Only the group's Telegram settings can change that.",
                name=who,
            )
        else:
            text = t.gettext("{name} is already a facilitator, as an admin of the group.", name=who)
        await reply(message, text)
        return
    if remove:
        if await settings_service.dismiss(context.store, chat_id, target.user_id, now):
            await forget_member_commands(context.bot, chat_id, target.user_id)
            text = t.gettext("{name} is no longer a facilitator of this group.", name=who)
        else:
            text = t.gettext("{name} is not a facilitator of this group.", name=who)
        await reply(message, text)
        return
    resident = Resident(target.user_id, target.name, target.language_code)
    if await settings_service.appoint(context.store, chat_id, resident, now):
        await publish_member_commands(context.bot, chat_id, target.user_id, t.locale)
        text = t.gettext(
            "✅ {name} is now a facilitator of this group: they can change its settings, preview the digest and launch polls.",
            name=who,
        )
    else:
        text = t.gettext("{name} is already a facilitator of this group.", name=who)
    await reply(message, text)


async def _target(context: BotContext, message: Message, words: str) -> Target | str:
    """The resident meant by the command, or what to say when it is not clear."""
    t = context.t
    replied = message.reply_to_message
    # In a forum topic every message "replies" to the topic's first message: not a choice.
    if replied is not None and replied.forum_topic_created is None:
        author = replied.from_user
        if replied.sender_chat is not None or author is None or author.is_bot:
            return t.gettext(
                "I can only appoint a resident who writes under their own name, not a channel, an anonymous admin or a bot."
            )
        return _from_user(author)
    for entity in message.parse_entities([MessageEntity.TEXT_MENTION]):
        if entity.user is not None:
            if entity.user.is_bot or entity.user.id in PROXY_USER_IDS:
                return t.gettext(
                    "I can only appoint a resident who writes under their own name, not a channel, an anonymous admin or a bot."
                )
            return _from_user(entity.user)
    usernames = message.parse_entities([MessageEntity.MENTION])
    if usernames:
        return t.gettext(
            "Telegram does not tell me who {username} is. Please reply to one of their messages with /facilitator instead.",
            username=next(iter(usernames.values())),
        )
    if words:
        found = await settings_service.residents_named(context.store, message.chat.id, words)
        # Echo a little of it: the argument can be thousands of characters.
        words = words if len(words) <= 40 else words[:39] + "…"
        if len(found) == 1:
            return Target(found[0].user_id, found[0].display_name, found[0].language_code)
        if found:
            return t.gettext(
                "Several residents are called “{name}”. Please reply to a message of the one you mean with /facilitator.",
                name=words,
            )
        return t.gettext(
            "I don't know anyone called “{name}” in this group yet. Please reply to one of their messages with /facilitator.",
            name=words,
        )
    return t.gettext(
        "To appoint a facilitator, reply to one of their messages with /facilitator. /facilitator remove (also in reply) does the opposite; /facilitators lists them."
    )


def _from_user(user: User) -> Target:
    return Target(user.id, display_name(user), user.language_code)


async def list_command(update: Update, context: BotContext) -> None:
    """/animateurs: the group's admins and appointed facilitators."""
    message = update.effective_message
    if message is None:
        return
    t = context.t
    if message.chat.type not in GROUP_TYPES:
        await reply(message, t.gettext("Use /facilitators in your group."))
        return
    chat_id = message.chat.id
    admins = await admin_members(context, chat_id)  # asked afresh: the list must be right
    admin_ids = {member.user.id for member in admins}
    named = [display_name(m.user) for m in admins if not m.user.is_bot and not _anonymous(m)]
    hidden = sum(1 for m in admins if not m.user.is_bot and _anonymous(m))
    appointed = [
        m.display_name
        for m in await settings_service.appointed(context.store, chat_id)
        if m.user_id not in admin_ids
    ]
    lines: list[str] = [t.gettext("<b>Facilitators of this group</b>")]
    if named or hidden:
        lines.append(t.gettext("Admins of the group:"))
        lines.extend("• " + escape(name) for name in named)
        if hidden:
            # Never name an admin who chose to stay anonymous.
            lines.append(t.ngettext("• {n} anonymous admin", "• {n} anonymous admins", hidden))
    if appointed:
        lines.append(t.gettext("Appointed by a facilitator:"))
        lines.extend("• " + escape(name) for name in appointed)
    lines += [
        "",
        t.gettext(
            "Facilitators set me up (/settings), preview the digest and launch polls. To appoint one, reply to one of their messages with /facilitator."
        ),
    ]
    await reply(message, Html("\n".join(lines)))


def _anonymous(member: ChatMember) -> bool:
    return isinstance(member, ChatMemberAdministrator | ChatMemberOwner) and member.is_anonymous


async def member_changed(update: Update, context: BotContext) -> None:
    """Someone's status changed in a group (the bot must be an admin to be told): refresh
    the admin list, and a facilitator who left is no longer one."""
    change = update.chat_member
    if change is None or change.chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        return
    chat_id = change.chat.id
    old, new = change.old_chat_member, change.new_chat_member
    if (old.status in _ADMIN_STATUSES) != (new.status in _ADMIN_STATUSES):
        forget_admins(context, chat_id)
    if new.status in _GONE_STATUSES and await settings_service.dismiss(
        context.store, chat_id, new.user.id, context.now()
    ):
        await forget_member_commands(context.bot, chat_id, new.user.id)
