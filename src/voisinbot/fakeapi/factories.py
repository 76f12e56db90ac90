"""Factories of Telegram-shaped updates, bound to a ``FakeTelegram`` engine.

Binding matters: a resident's message is remembered by the engine (so the bot can reply to
it or delete it), a private message marks the chat as started (so the bot may answer), a
button press is checked against the keyboard the bot really sent. Every factory returns a
fresh dict with the next update_id and a date from the injectable clock.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable
from typing import Any

from telegram import Bot, Update

from voisinbot.fakeapi.engine import FakeTelegram
from voisinbot.fakeapi.entities import detect_entities
from voisinbot.fakeapi.shapes import GROUP_ANONYMOUS_BOT, chat_member

User = dict[str, Any]
Chat = dict[str, Any]
UpdateDict = dict[str, Any]
Message = dict[str, Any]


def as_update(data: UpdateDict, bot: Bot) -> Update:
    """Parse a factory dict into a real ``telegram.Update`` bound to ``bot``."""
    update = Update.de_json(data, bot)
    if update is None:  # pragma: no cover - de_json only returns None for None input
        raise ValueError("empty update")
    return update


class World:
    """Residents, chats and what they do, as Telegram would report it to the bot."""

    def __init__(
        self,
        engine: FakeTelegram,
        *,
        clock: Callable[[], float] | None = None,
        first_user_id: int = 100_000_001,
    ) -> None:
        self.engine = engine
        self.clock = clock or engine.state.date_clock
        self._user_ids = itertools.count(first_user_id)
        self._chat_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    @property
    def bot(self) -> User:
        """The bot as a User dict, e.g. to pass to ``bot_added`` or ``set_admins``."""
        return self.engine.bot_user

    def _now(self) -> int:
        return int(self.clock())

    # --- people and chats ------------------------------------------------------------------

    def user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "fr",
        is_bot: bool = False,
    ) -> User:
        user: User = {"id": next(self._user_ids), "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code and not is_bot:
            user["language_code"] = language_code
        self.engine.register_user(user)
        return user

    def private(self, user: User) -> Chat:
        """The private chat with ``user``; it counts as started once they write in it."""
        chat: Chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if user.get(key):
                chat[key] = user[key]
        return chat

    def _chat(self, kind: str, chat_id: int, title: str, username: str | None) -> Chat:
        chat: Chat = {"id": chat_id, "type": kind, "title": title}
        if username:
            chat["username"] = username
        self.engine.register_chat(chat)
        return chat

    def group(self, title: str) -> Chat:
        return self._chat("group", -(4_000_000_000 + next(self._chat_ids)), title, None)

    def supergroup(self, title: str, *, username: str | None = None) -> Chat:
        chat_id = -(1_001_000_000_000 + next(self._chat_ids))
        return self._chat("supergroup", chat_id, title, username)

    def channel(self, title: str, *, username: str | None = None) -> Chat:
        return self._chat("channel", -(1_002_000_000_000 + next(self._chat_ids)), title, username)

    # --- building blocks -------------------------------------------------------------------

    def _update(self, kind: str, payload: dict[str, Any]) -> UpdateDict:
        return {"update_id": self.engine.next_update_id(), kind: payload}

    def _new_message(self, chat: Chat, sender: User | None, **content: Any) -> Message:
        message: Message = {"message_id": self.engine.state.next_message_id(chat["id"])}
        if sender is not None:
            message["from"] = sender
        message.update(chat=chat, date=self._now(), **content)
        self.engine.record_incoming(copy.deepcopy(message))
        return copy.deepcopy(message)

    @staticmethod
    def _text(text: str) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        entities = detect_entities(text)
        if entities:
            content["entities"] = entities
        return content

    def _current(self, message: Message) -> Message:
        """The engine's current version of ``message`` (edits applied), without nesting."""
        found = self.engine.message(message["chat"]["id"], message["message_id"])
        if found is None:
            raise ValueError(f"message {message['message_id']} is deleted or unknown")
        found.pop("reply_to_message", None)
        return found

    # --- residents' messages ---------------------------------------------------------------

    def message(
        self, chat: Chat, user: User, text: str, *, reply_to: Message | None = None
    ) -> UpdateDict:
        """A plain text message; commands, mentions, hashtags and URLs get their entities."""
        content = self._text(text)
        if reply_to is not None:
            content["reply_to_message"] = self._current(reply_to)
        return self._update("message", self._new_message(chat, user, **content))

    def command(self, chat: Chat, user: User, text: str) -> UpdateDict:
        """``/cmd@bot args``: the bot_command entity has UTF-16 offset and length."""
        return self.message(chat, user, text if text.startswith("/") else f"/{text}")

    def reply(self, chat: Chat, user: User, text: str, *, to: Message) -> UpdateDict:
        """A reply to ``to`` (e.g. the bot's ForceReply prompt)."""
        return self.message(chat, user, text, reply_to=to)

    def edited_message(self, original: UpdateDict | Message, new_text: str) -> UpdateDict:
        """The resident edits ``original`` (a message or the update carrying it)."""
        message = original.get("message", original)
        current = self.engine.state.message(message["chat"]["id"], message["message_id"])
        if current is None:
            raise ValueError(f"message {message['message_id']} is deleted or unknown")
        edited = {k: v for k, v in current.items() if k not in ("text", "entities")}
        edited.update(self._text(new_text), edit_date=self._now())
        self.engine.state.replace(edited)
        return self._update("edited_message", copy.deepcopy(edited))

    def sticker(self, chat: Chat, user: User, emoji: str = "👍") -> UpdateDict:
        n = next(self._file_ids)
        sticker = {
            "file_id": f"fake-sticker-{n}",
            "file_unique_id": f"st{n}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._update("message", self._new_message(chat, user, sticker=sticker))

    def message_from_bot(self, chat: Chat, other_bot: User, text: str) -> UpdateDict:
        """Another bot speaking; Telegram never delivers this to VoisinBot in groups."""
        sender = {**other_bot, "is_bot": True}
        return self._update("message", self._new_message(chat, sender, **self._text(text)))

    def anonymous_admin_message(self, chat: Chat, text: str) -> UpdateDict:
        """An admin posting as the group: from GroupAnonymousBot, sender_chat = the group."""
        message = self._new_message(chat, GROUP_ANONYMOUS_BOT, sender_chat=chat, **self._text(text))
        return self._update("message", message)

    def channel_post(self, channel: Chat, text: str) -> UpdateDict:
        message = self._new_message(channel, None, sender_chat=channel, **self._text(text))
        return self._update("channel_post", message)

    # --- buttons and polls -----------------------------------------------------------------

    def callback(
        self, user: User, message: Message, data: str, *, check: bool = True
    ) -> UpdateDict:
        """``user`` presses the button carrying ``data`` on the bot's ``message``.

        The message is taken in its current state; with ``check`` the data must belong to a
        button that is really there (a client cannot press a button that is gone).
        """
        current = self._current(message)
        if check:
            offered = [d for row in self.engine.buttons(current) for _, d in row]
            if data not in offered:
                raise ValueError(f"no button with callback_data {data!r}; buttons: {offered}")
        query_id = str(4_000_000_000_000_000_000 + next(self._query_ids))
        self.engine.register_callback(query_id)
        chat_id = current["chat"]["id"]
        payload = {
            "id": query_id,
            "from": user,
            "message": current,
            "chat_instance": str((chat_id * 2_654_435_761) % 10**18),
            "data": data,
        }
        return self._update("callback_query", payload)

    def press(self, user: User, message: Message, label: str) -> UpdateDict:
        """Press the button whose label is ``label`` (exact match)."""
        for row in self.engine.buttons(self._current(message)):
            for text, data in row:
                if text == label and data is not None:
                    return self.callback(user, message, data)
        raise ValueError(f"no button labelled {label!r}")

    def poll_answer(self, poll_id: str, user: User, option_ids: list[int]) -> UpdateDict:
        """A vote (an empty list retracts it); tallied on the engine's copy of the poll."""
        persistent = [str(i) for i in option_ids]
        if poll_id in self.engine.state.polls:
            poll = self.engine.answer_poll(poll_id, user["id"], option_ids)
            persistent = [poll["options"][i]["persistent_id"] for i in option_ids]
        payload = {
            "poll_id": poll_id,
            "user": user,
            "option_ids": list(option_ids),
            "option_persistent_ids": persistent,
        }
        return self._update("poll_answer", payload)

    def poll_update(self, poll: dict[str, Any]) -> UpdateDict:
        return self._update("poll", copy.deepcopy(poll))

    # --- membership ------------------------------------------------------------------------

    def _my_chat_member(self, chat: Chat, by_user: User, old: str, new: str) -> UpdateDict:
        payload = {
            "chat": chat,
            "from": by_user,
            "date": self._now(),
            "old_chat_member": chat_member(self.bot, old),
            "new_chat_member": chat_member(self.bot, new),
        }
        return self._update("my_chat_member", payload)

    def bot_added(self, chat: Chat, by_user: User, *, admin: bool = False) -> UpdateDict:
        old = self.engine.state.bot_status.get(chat["id"], "left")
        old = "left" if old in ("member", "administrator") else old
        self.engine.register_chat(chat)
        self.engine.add_bot(chat["id"], admin=admin)
        return self._my_chat_member(chat, by_user, old, "administrator" if admin else "member")

    def bot_removed(self, chat: Chat, by_user: User, *, kicked: bool = True) -> UpdateDict:
        old = self.engine.state.bot_status.get(chat["id"], "member")
        new = "kicked" if kicked else "left"
        self.engine.state.bot_status[chat["id"]] = new
        return self._my_chat_member(chat, by_user, old, new)

    def member_joined(self, chat: Chat, user: User) -> UpdateDict:
        self.engine.set_member(chat["id"], user, "member")
        message = self._new_message(chat, user, new_chat_members=[user])
        return self._update("message", message)

    def member_left(self, chat: Chat, user: User) -> UpdateDict:
        message = self._new_message(chat, user, left_chat_member=user)
        self.engine.set_member(chat["id"], user, "left")
        return self._update("message", message)

    def migrate(
        self, group: Chat, new_supergroup: Chat, *, by_user: User | None = None
    ) -> tuple[UpdateDict, UpdateDict]:
        """The two service messages of a group upgrade; the engine learns the migration."""
        old_id, new_id = group["id"], new_supergroup["id"]
        self.engine.register_chat(new_supergroup)
        to_msg = self._new_message(group, by_user, migrate_to_chat_id=new_id)
        from_msg = self._new_message(new_supergroup, by_user, migrate_from_chat_id=old_id)
        self.engine.migrate(old_id, new_id)
        return self._update("message", to_msg), self._update("message", from_msg)

    # --- delivery ----------------------------------------------------------------------------

    def push(self, *updates: UpdateDict) -> list[int | None]:
        """Queue updates for getUpdates (privacy-filtered like Telegram)."""
        return [self.engine.push_update(update) for update in updates]
