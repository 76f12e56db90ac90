"""What the fake Telegram remembers: chats, users, memberships and every message.

Stored message dicts are never mutated once stored (edits store a new dict), so a result
handed to the bot or kept in the call log stays a faithful snapshot of that moment.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from voisinbot.fakeapi.errors import bad_request, forbidden
from voisinbot.fakeapi.params import UploadedFile
from voisinbot.fakeapi.ratelimit import RateLimiter
from voisinbot.fakeapi.shapes import GROUP_TYPES, chat_kind, chat_member
from voisinbot.fakeapi.updates import UpdateQueue

CHAT_NOT_FOUND = "chat not found"
Message = dict[str, Any]


class State:
    def __init__(
        self,
        bot_user: dict[str, Any],
        date_clock: Callable[[], float],
        *,
        strict_ampersand: bool,
        limiter: RateLimiter | None,
    ) -> None:
        self.bot_user = bot_user
        self.bot_id: int = bot_user["id"]
        # Messages carry the plain User, not getMe's capability flags.
        self.bot_sender = {k: bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        self.date_clock = date_clock
        self.strict_ampersand = strict_ampersand
        self.limiter = limiter
        self.updates = UpdateQueue()
        self.chats: dict[int, dict[str, Any]] = {}
        self.usernames: dict[str, int] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.started: set[int] = set()
        self.blocked: set[int] = set()
        self.bot_status: dict[int, str] = {}  # group/supergroup/channel id -> bot's status
        self.migrated: dict[int, int] = {}
        self.members: dict[int, dict[int, str]] = {}  # chat id -> user id -> status
        self.creators: dict[int, int] = {}
        self.admins: dict[int, list[int]] = {}
        self.messages: dict[int, dict[int, Message]] = {}
        self.deleted: dict[int, dict[int, Message]] = {}
        # (chat id, message id) of what the bot sent: in channels no "from" tells it apart.
        self.bot_messages: set[tuple[int, int]] = set()
        self._next_mid: dict[int, int] = {}
        self.sent_texts: dict[int, list[str]] = {}
        self.polls: dict[str, tuple[int, int]] = {}  # poll id -> (chat id, message id)
        self.poll_votes: dict[str, dict[int, list[int]]] = {}
        self.callbacks: dict[str, dict[str, Any] | None] = {}  # id -> answer (None: pending)
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.texts: dict[tuple[str, str], str] = {}  # (description field, language) -> text
        self.pinned: dict[int, list[int]] = {}
        self.webhook_url = ""
        self.seq = itertools.count(1)  # ids for files and polls, deterministic per engine
        # Any markup sent, keyed by (chat id, message id): Message.reply_markup only shows
        # inline keyboards, but tests also need to see ForceReply and reply keyboards.
        self.sent_markup: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}  # file_id -> Document-like info
        self.uploads: dict[str, UploadedFile | None] = {}  # file_id -> uploaded content

    def now(self) -> int:
        return int(self.date_clock())

    # --- registration -------------------------------------------------------------------

    # Registration stores copies: a test mutating its own dicts must not rewrite history.
    def register_user(self, user: dict[str, Any]) -> None:
        self.users[user["id"]] = dict(user)

    def register_chat(self, chat: dict[str, Any]) -> None:
        chat_id = chat["id"]
        chat = self.chats[chat_id] = dict(chat)
        if chat.get("username"):
            self.usernames[chat["username"].lower()] = chat_id
        if chat.get("type") in GROUP_TYPES:
            self.bot_status.setdefault(chat_id, "member")
        elif chat.get("type") == "channel":
            self.bot_status.setdefault(chat_id, "administrator")

    def start_private(self, user: dict[str, Any]) -> dict[str, Any]:
        self.register_user(user)
        chat = self.chats.get(user["id"])
        if chat is None:
            chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
            for key in ("last_name", "username"):
                if user.get(key):
                    chat[key] = user[key]
            self.register_chat(chat)
        self.started.add(user["id"])
        self.blocked.discard(user["id"])
        return chat

    def set_member(self, chat_id: int, user: dict[str, Any], status: str) -> None:
        self.register_user(user)
        if user["id"] == self.bot_id:
            self.bot_status[chat_id] = status
            return
        self.members.setdefault(chat_id, {})[user["id"]] = status

    def migrate(self, old_id: int, new_id: int, title: str | None = None) -> None:
        old = self.chats.get(old_id, {})
        if new_id not in self.chats:
            self.register_chat(
                {"id": new_id, "type": "supergroup", "title": title or old.get("title", "")}
            )
        self.migrated[old_id] = new_id
        self.members.setdefault(new_id, {}).update(self.members.get(old_id, {}))
        if old_id in self.admins:
            self.admins.setdefault(new_id, list(self.admins[old_id]))
        if old_id in self.creators:
            self.creators.setdefault(new_id, self.creators[old_id])
        self.bot_status[new_id] = self.bot_status.get(old_id, "member")

    # --- messages ------------------------------------------------------------------------

    def next_message_id(self, chat_id: int) -> int:
        mid = self._next_mid.get(chat_id, 0) + 1
        self._next_mid[chat_id] = mid
        return mid

    def record_incoming(self, message: Message) -> None:
        """Remember a message a resident sent, so the bot can reply to it or delete it."""
        chat = message["chat"]
        if chat["id"] not in self.chats:
            self.register_chat(chat)
        sender = message.get("from")
        self.messages.setdefault(chat["id"], {})[message["message_id"]] = message
        self._next_mid[chat["id"]] = max(self._next_mid.get(chat["id"], 0), message["message_id"])
        if sender and sender["id"] != self.bot_id:
            self.register_user(sender)
            if chat["type"] == "private":
                self.start_private(sender)
            elif chat["type"] in GROUP_TYPES and not sender.get("is_bot"):
                members = self.members.setdefault(chat["id"], {})
                if members.get(sender["id"]) in (None, "left"):
                    members[sender["id"]] = "member"

    def message(self, chat_id: int, message_id: int) -> Message | None:
        return self.messages.get(chat_id, {}).get(message_id)

    def replace(self, message: Message) -> None:
        self.messages[message["chat"]["id"]][message["message_id"]] = message

    def delete(self, chat_id: int, message_id: int) -> None:
        message = self.messages[chat_id].pop(message_id)
        self.deleted.setdefault(chat_id, {})[message_id] = message

    def is_bot_message(self, message: Message) -> bool:
        return (message["chat"]["id"], message["message_id"]) in self.bot_messages

    # --- access checks -------------------------------------------------------------------

    def resolve_chat(self, chat_id: Any) -> dict[str, Any]:
        if isinstance(chat_id, str):
            if chat_id.startswith("@"):
                found = self.usernames.get(chat_id[1:].lower())
                if found is None:
                    raise bad_request(CHAT_NOT_FOUND)
                chat_id = found
            else:
                try:
                    chat_id = int(chat_id)
                except ValueError:
                    raise bad_request(CHAT_NOT_FOUND) from None
        if chat_id is None:
            raise bad_request("chat_id is empty")
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_id in self.users:
                # A known user who never opened the bot: Telegram knows them, the bot may not.
                raise forbidden("bot can't initiate conversation with a user")
            raise bad_request(CHAT_NOT_FOUND)
        return chat

    def check_can_send(self, chat: dict[str, Any]) -> None:
        chat_id = chat["id"]
        kind = chat.get("type")
        if kind == "private":
            if chat_id in self.blocked:
                raise forbidden("bot was blocked by the user")
            if chat_id not in self.started:
                raise forbidden("bot can't initiate conversation with a user")
            return
        if chat_id in self.migrated:
            raise bad_request(
                "group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated[chat_id]},
            )
        status = self.bot_status.get(chat_id, "member")
        if status == "kicked":
            raise forbidden(f"bot was kicked from the {chat_kind(chat)}")
        if status == "left":
            raise forbidden(f"bot is not a member of the {chat_kind(chat)}")
        if kind == "channel" and status != "administrator":
            raise bad_request("need administrator rights in the channel chat")

    def bot_is_admin(self, chat_id: int) -> bool:
        return self.bot_status.get(chat_id) in ("administrator", "creator")

    def check_flood(self, chat: dict[str, Any], *, edit: bool = False) -> None:
        if self.limiter is None:
            return
        is_group = chat.get("type") in GROUP_TYPES
        if edit and not is_group:
            return  # only group budgets are charged for edits
        self.limiter.check(chat["id"], is_group=is_group, counts_overall=not edit)

    def member_status(self, chat_id: int, user_id: int) -> str:
        if user_id == self.bot_id:
            return self.bot_status.get(chat_id, "member")
        if self.creators.get(chat_id) == user_id:
            return "creator"
        if user_id in self.admins.get(chat_id, ()):
            return "administrator"
        status = self.members.get(chat_id, {}).get(user_id)
        if status is not None:
            return status
        chat = self.chats.get(chat_id, {})
        if chat.get("type") == "private" and chat_id == user_id:
            return "member"
        if user_id not in self.users:
            raise bad_request("user not found")
        return "left"

    def member(self, chat_id: int, user_id: int) -> dict[str, Any]:
        status = self.member_status(chat_id, user_id)
        user = self.bot_user if user_id == self.bot_id else self.users[user_id]
        return chat_member(user, status)

    def raise_if_private(self, chat: dict[str, Any], what: str) -> None:
        if chat.get("type") == "private":
            raise bad_request(f"there are no {what} in the private chat")
