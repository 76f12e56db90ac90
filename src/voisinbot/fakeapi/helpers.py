"""Scenario set-up and inspection helpers of ``FakeTelegram``, for tests and the demo.

Everything returned here is a deep copy: a test poking at a message must never change what
the fake remembers.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from typing import Any

from voisinbot.fakeapi import messaging, privacy
from voisinbot.fakeapi.params import UploadedFile
from voisinbot.fakeapi.shapes import GROUP_TYPES
from voisinbot.fakeapi.state import Message, State

User = dict[str, Any]
Chat = dict[str, Any]


class EngineHelpers:
    state: State
    privacy_mode: bool
    dropped_updates: list[dict[str, Any]]

    # --- identity ------------------------------------------------------------------------

    @property
    def bot_user(self) -> User:
        return dict(self.state.bot_sender)

    @property
    def bot_id(self) -> int:
        return self.state.bot_id

    @property
    def username(self) -> str:
        return str(self.state.bot_user["username"])

    # --- scenario set-up -----------------------------------------------------------------

    def register_user(self, user: User) -> None:
        """Make a user known (a private chat with them still needs ``start_private``)."""
        self.state.register_user(user)

    def register_chat(self, chat: Chat) -> None:
        """Make a group, supergroup or channel known; the bot is a member of it."""
        self.state.register_chat(chat)

    def start_private(self, user: User) -> Chat:
        """The user pressed Start: the bot may now write to them. Returns the private chat."""
        return copy.deepcopy(self.state.start_private(user))

    def block(self, user_id: int) -> None:
        self.state.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self.state.blocked.discard(user_id)

    def kick_bot(self, chat_id: int) -> None:
        self.state.bot_status[chat_id] = "kicked"

    def add_bot(self, chat_id: int, *, admin: bool = False) -> None:
        self.state.bot_status[chat_id] = "administrator" if admin else "member"

    def set_bot_admin(self, chat_id: int, is_admin: bool = True) -> None:
        self.state.bot_status[chat_id] = "administrator" if is_admin else "member"

    def migrate(self, old_chat_id: int, new_chat_id: int) -> None:
        """Upgrade a basic group: sends to the old id now answer 400 migrate_to_chat_id."""
        self.state.migrate(old_chat_id, new_chat_id)

    def set_admins(self, chat_id: int, admins: list[User], creator: User | None = None) -> None:
        """Replace the chat's administrators; include the bot user to make the bot an admin."""
        state = self.state
        state.admins[chat_id] = []
        if state.bot_status.get(chat_id) == "administrator":
            state.bot_status[chat_id] = "member"
        for user in admins:
            if user["id"] == state.bot_id:
                state.bot_status[chat_id] = "administrator"
                continue
            state.register_user(user)
            state.admins[chat_id].append(user["id"])
        if creator is not None:
            state.register_user(creator)
            state.creators[chat_id] = creator["id"]

    def set_member(self, chat_id: int, user: User, status: str) -> None:
        """Set a member's status: member, left, kicked or restricted."""
        self.state.set_member(chat_id, user, status)

    def record_incoming(self, message: Message) -> None:
        """Remember a resident's message (the factories call this)."""
        self.state.record_incoming(message)

    def register_callback(self, query_id: str) -> None:
        self.state.callbacks[query_id] = None

    def answer_poll(self, poll_id: str, user_id: int, option_ids: list[int]) -> dict[str, Any]:
        """Count a vote; returns the updated poll. Raises ValueError for impossible votes."""
        return copy.deepcopy(messaging.apply_poll_answer(self.state, poll_id, user_id, option_ids))

    # --- updates ---------------------------------------------------------------------------

    def next_update_id(self) -> int:
        return self.state.updates.next_id()

    def renumber_updates_from(self, first_id: int) -> None:
        """After a quiet week, Telegram numbers the next updates from a new start."""
        self.state.updates.renumber_from(first_id)

    def would_deliver(self, update: dict[str, Any]) -> bool:
        """Whether Telegram would deliver this update to the bot (privacy mode, bots...)."""
        return privacy.delivered(update, self.state, privacy_mode=self.privacy_mode)

    def push_update(self, update: dict[str, Any], *, force: bool = False) -> int | None:
        """Queue an update for getUpdates; returns its update_id.

        Returns None, keeping the update in ``dropped_updates``, when Telegram would not
        deliver it to the bot, unless ``force``.
        """
        self._learn(update)
        if not force and not self.would_deliver(update):
            self.dropped_updates.append(update)
            return None
        return self.state.updates.push(update)

    def _learn(self, update: dict[str, Any]) -> None:
        # Updates built elsewhere (e.g. by a harness in another process) must teach the
        # engine what factories would have: the message exists, the chat was started...
        for kind in ("message", "edited_message", "channel_post"):
            message = update.get(kind)
            if isinstance(message, dict) and "chat" in message and "message_id" in message:
                known = self.state.message(message["chat"]["id"], message["message_id"])
                if known is None:
                    self.state.record_incoming(copy.deepcopy(message))
        query = update.get("callback_query")
        if isinstance(query, dict) and query.get("id") not in self.state.callbacks:
            self.state.callbacks[str(query.get("id"))] = None

    def pending_updates(self) -> list[dict[str, Any]]:
        return copy.deepcopy(self.state.updates.pending())

    # --- inspection ------------------------------------------------------------------------

    def messages(self, chat_id: int) -> list[Message]:
        """Current state of the bot's messages in the chat, oldest first, deleted excluded."""
        stored = self.state.messages.get(chat_id, {})
        return [copy.deepcopy(m) for m in stored.values() if self.state.is_bot_message(m)]

    def history(self, chat_id: int) -> list[Message]:
        """Every live message of the chat, residents' included, in message_id order."""
        stored = self.state.messages.get(chat_id, {})
        return [copy.deepcopy(stored[k]) for k in sorted(stored)]

    def last_message(self, chat_id: int) -> Message | None:
        bot_messages = [
            m for m in self.state.messages.get(chat_id, {}).values() if self.state.is_bot_message(m)
        ]
        if not bot_messages:
            return None
        return copy.deepcopy(max(bot_messages, key=lambda m: m["message_id"]))

    def message(self, chat_id: int, message_id: int) -> Message | None:
        found = self.state.message(chat_id, message_id)
        return copy.deepcopy(found) if found is not None else None

    def deleted_messages(self, chat_id: int) -> list[Message]:
        return copy.deepcopy(list(self.state.deleted.get(chat_id, {}).values()))

    @staticmethod
    def buttons(message: Message | None) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard as rows of (label, callback_data or url or other action value)."""
        markup = (message or {}).get("reply_markup") or {}
        rows: list[list[tuple[str, str | None]]] = []
        for row in markup.get("inline_keyboard", []):
            out: list[tuple[str, str | None]] = []
            for button in row:
                action = button.get("callback_data", button.get("url"))
                if action is None:
                    other = [v for k, v in button.items() if k != "text"]
                    action = json.dumps(other[0]) if other else None
                out.append((button["text"], action))
            rows.append(out)
        return rows

    def sent_markup(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """Any reply_markup sent with a message, ForceReply and reply keyboards included."""
        markup = self.state.sent_markup.get((chat_id, message_id))
        return copy.deepcopy(markup) if markup is not None else None

    def sent_texts(self, chat_id: int) -> list[str]:
        """Texts (captions, poll questions) the bot sent to the chat, in order, deleted too."""
        return list(self.state.sent_texts.get(chat_id, []))

    def duplicates(self, chat_id: int) -> list[str]:
        """Texts the bot sent to the chat more than once: a retry that should not have been."""
        counts = Counter(self.state.sent_texts.get(chat_id, []))
        return [text for text, n in counts.items() if n > 1]

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """The answerCallbackQuery parameters used for the query, None if unanswered."""
        answer = self.state.callbacks.get(query_id)
        return dict(answer) if answer is not None else None

    def pinned(self, chat_id: int) -> list[int]:
        return list(self.state.pinned.get(chat_id, []))

    def my_commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return copy.deepcopy(self.state.commands.get(key, []))

    def uploaded(self, message: Message) -> UploadedFile | None:
        """The uploaded file behind a document or photo message, to check an export."""
        media = message.get("document") or (message.get("photo") or [None])[-1]
        return self.state.uploads.get(media["file_id"]) if media else None

    def chat(self, chat_id: int) -> Chat | None:
        found = self.state.chats.get(chat_id)
        return copy.deepcopy(found) if found is not None else None

    def is_group(self, chat_id: int) -> bool:
        return self.state.chats.get(chat_id, {}).get("type") in GROUP_TYPES

    @property
    def retry_after_count(self) -> int:
        """429s answered by the flood limiter (injected faults excluded)."""
        limiter = self.state.limiter
        return limiter.rejected if limiter is not None else 0
