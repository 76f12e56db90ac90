"""/participer: residents who want a private reminder before decisions close (opt-in), and
the one-tap way out (in the group, or under any reminder)."""

from __future__ import annotations

from telegram import Chat, Update

from voisinbot.bot import callbacks
from voisinbot.bot.context import BotContext
from voisinbot.bot.people import PROXY_USER_IDS, display_name
from voisinbot.bot.render_polls import messages
from voisinbot.bot.replies import reply
from voisinbot.services import decisions


async def join(update: Update, context: BotContext) -> None:
    """/participer in a group: join its reminder list."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    t = context.t
    if message.chat.type not in (Chat.GROUP, Chat.SUPERGROUP):
        await reply(message, messages.roster_private_pointer(t))
        return
    if user.id in PROXY_USER_IDS or message.sender_chat is not None:
        await reply(
            message, t.gettext("Please post as yourself, so that neighbours can reach you.")
        )
        return
    added = await decisions.join_roster(context.store, message.chat.id, user.id, context.now())
    member = await context.store.community.get_member(user.id)
    reachable = member is not None and member.started_private and member.reachable
    await reply(
        message,
        messages.roster_joined(t, display_name(user), already=not added, reachable=reachable),
        reply_markup=messages.roster_keyboard(
            t, message.chat.id, context.runtime.bot_username, reachable=reachable
        ),
    )


async def on_leave(update: Update, context: BotContext) -> None:
    """ "Leave the reminder list" / "Stop these reminders": whoever taps leaves, nobody else."""
    query = update.callback_query
    if query is None:
        return
    t = context.t
    data = callbacks.unpack(query.data, kind=messages.ROSTER_KIND, arity=1)
    message, user = query.message, query.from_user
    chat_id = data.ids[0] if data is not None else 0
    # The button sits in that group, or in the tapper's private chat with the bot.
    if (
        data is None
        or data.action != "leave"
        or message is None
        or (message.chat.id not in (chat_id, user.id))
    ):
        await query.answer(t.gettext("This button is no longer valid."))
        return
    if await decisions.leave_roster(context.store, chat_id, user.id):
        await query.answer(t.gettext("Done: no more private reminders from this group."))
    else:
        await query.answer(t.gettext("You are not on the reminder list of this group."))
