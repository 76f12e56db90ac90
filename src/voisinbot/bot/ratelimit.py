"""Outgoing requests under Telegram's flood limits and faults.

PTB's ``AIORateLimiter`` paces 30 messages/s overall and 20/min per group, and waits out
429s. ``TelegramLimits`` also paces each private chat (about 1/s), and adds:

- sliding windows (the budget Telegram documents, and what the fake Bot API enforces): never
  more than ``rate`` sends in any ``period``; a leaky bucket would let a group get 39
  messages into one minute after a burst;
- per-chat windows in bounded LRU maps, so memory stays flat. Eviction is safe: at most
  ``overall_max_rate × period`` chats can have an open window at once, and the maps are
  sized above that, so the entry evicted is always one whose window has closed;
- 429: wait ``retry_after`` (every request pauses, as Telegram's flood wait is bot-wide more
  often than not) and send again, up to ``max_retries`` times;
- 5xx and network errors: retried with exponential backoff for methods where a duplicate is
  harmless only. A send that failed with a 5xx may have been delivered: never repeated.
  Timeouts are never retried (the read timeout already waited, and the call may have landed);
- ``ChatMigrated``: the hook moves the group's rows to the new id (bot/app.py wires it to
  ``store.community.migrate_group``) and a send is made again to the new chat, certainly not
  delivered the first time;
- ``Forbidden``: the hook records that the chat refuses the bot (a group left, a resident
  unreachable), whoever was sending: a handler, a scheduled job, an announcement.

Errors leaving ``process_request`` carry their chat (:func:`failed_chat_id`). Rates of 0
turn pacing off (tests) with 429, 5xx and migration handling still on; ``clock`` and
``sleep`` are injectable so pacing is unit-tested without waiting.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram.constants import FloodLimit
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]
MigrationHook = Callable[[int, int], Awaitable[object]]
RefusalHook = Callable[[int], Awaitable[object]]

# Methods that put a new message in a chat: charged to the chat's budget and the overall one.
SEND_METHODS = frozenset(
    m.lower()
    for m in (
        "sendMessage", "sendPhoto", "sendDocument", "sendPoll", "sendAudio", "sendVideo",
        "sendAnimation", "sendVoice", "sendVideoNote", "sendSticker", "sendLocation",
        "sendVenue", "sendContact", "sendDice", "sendMediaGroup", "copyMessage",
        "copyMessages", "forwardMessage", "forwardMessages",
    )
)  # fmt: skip
# Edits count against a group's budget (not the overall one), like in the fake Bot API.
EDIT_METHODS = frozenset(
    m.lower()
    for m in ("editMessageText", "editMessageCaption", "editMessageReplyMarkup",
              "editMessageMedia", "stopPoll")
)  # fmt: skip
# Repeating these after a 5xx that did land changes nothing a resident can see.
RETRY_SAFE = frozenset(
    m.lower()
    for m in (
        "getUpdates", "getMe", "getChat", "getChatMember", "getChatAdministrators",
        "getChatMemberCount", "getFile", "getMyCommands", "getWebhookInfo",
        "answerCallbackQuery", "setMyCommands", "deleteMyCommands", "setMyDescription",
        "setMyShortDescription", "setMyName", "setChatMenuButton", "deleteWebhook",
        "setWebhook", "deleteMessage", "deleteMessages", "stopPoll", "pinChatMessage",
        "unpinChatMessage", "sendChatAction",
    )
) | EDIT_METHODS  # fmt: skip
# A retried call whose first attempt did land answers with these; the work is done.
_DONE_ON_RETRY = {
    "deletemessage": "message to delete not found",
    "answercallbackquery": "query is too old",
}
_CHAT_ATTR = "voisinbot_chat_id"


def failed_chat_id(error: BaseException | None) -> int | None:
    """The chat a failed request was for, when it went through ``TelegramLimits``."""
    value = getattr(error, _CHAT_ATTR, None)
    return value if isinstance(value, int) else None


class SlidingWindow:
    """At most ``limit`` events in any ``period`` seconds; stamps are booked in call order."""

    __slots__ = ("limit", "period", "stamps")

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.stamps: deque[float] = deque(maxlen=limit)

    def earliest(self, now: float, margin: float = 0.0) -> float:
        """When the next event fits with ``margin`` to spare (``now`` when it fits already).

        The margin applies whether or not one has to wait: a send whose window closed a
        moment ago may still reach Telegram less than ``period`` after the send it follows,
        if that one travelled more slowly."""
        if len(self.stamps) < self.limit:
            return now
        return max(now, self.stamps[0] + self.period + margin)

    def book(self, at: float) -> None:
        self.stamps.append(at)  # maxlen drops the oldest, which ``at`` has left behind

    def closed(self, now: float) -> bool:
        """True when nothing booked still counts: forgetting the window changes nothing."""
        return not self.stamps or self.stamps[-1] <= now - self.period


@dataclass
class _Chat:
    window: SlidingWindow
    # Serialises one chat's sends so they keep their order and each books its real send time.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class _ChatWindows:
    """Per-chat windows in a bounded LRU map."""

    def __init__(self, limit: int, period: float, capacity: int) -> None:
        self.limit, self.period, self.capacity = limit, period, capacity
        self._chats: OrderedDict[int | str, _Chat] = OrderedDict()

    def __len__(self) -> int:
        return len(self._chats)

    def get(self, chat_id: int | str, now: float) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is not None:
            self._chats.move_to_end(chat_id)
            return chat
        while len(self._chats) >= self.capacity:
            oldest_id, oldest = next(iter(self._chats.items()))
            if oldest.lock.locked() or not oldest.window.closed(now):
                break  # still in use: grow a little rather than forget a live window
            del self._chats[oldest_id]
        chat = self._chats[chat_id] = _Chat(SlidingWindow(self.limit, self.period))
        return chat


class TelegramLimits(BaseRateLimiter[int]):
    """The rate limiter of every outgoing request (see the module docstring).

    ``rate_limit_args`` (per call) overrides ``max_retries`` for 429s.
    """

    def __init__(
        self,
        *,
        overall_max_rate: int = FloodLimit.MESSAGES_PER_SECOND,
        overall_time_period: float = 1.0,
        group_max_rate: int = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
        group_time_period: float = 60.0,
        private_max_rate: int = FloodLimit.MESSAGES_PER_SECOND_PER_CHAT,
        private_time_period: float = 1.0,
        max_retries: int = 3,
        max_network_retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        margin: float = 0.05,
        chats_kept: int = 4096,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.max_retries = max_retries
        self.max_network_retries = max_network_retries
        self.backoff, self.max_backoff, self.margin = backoff, max_backoff, margin
        self.clock, self.sleep = clock, sleep
        self.on_chat_migrated: MigrationHook | None = None
        self.on_chat_refused: RefusalHook | None = None
        paced = overall_max_rate > 0 and overall_time_period > 0
        self._overall = SlidingWindow(overall_max_rate, overall_time_period) if paced else None
        # Sized above what the overall budget lets be open at once (see the module docstring).
        open_at_most = max(overall_max_rate, 1) * max(group_time_period, private_time_period)
        capacity = max(chats_kept, int(open_at_most) + 1)
        self._groups = (
            _ChatWindows(group_max_rate, group_time_period, capacity)
            if group_max_rate > 0 and group_time_period > 0
            else None
        )
        self._privates = (
            _ChatWindows(private_max_rate, private_time_period, capacity)
            if private_max_rate > 0 and private_time_period > 0
            else None
        )
        self._paused_until = 0.0
        self._overall_lock = asyncio.Lock()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def chats_tracked(self) -> int:
        return len(self._groups or ()) + len(self._privates or ())

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        method = endpoint.lower()
        chat_id = _chat_id(data.get("chat_id"))
        max_retries = self.max_retries if rate_limit_args is None else rate_limit_args
        flood_waits = network_retries = 0
        migrated = False
        while True:
            try:
                await self._wait_out_pause()
                await self._pace(method, chat_id)
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if flood_waits >= max_retries:
                    _tag(exc, chat_id)
                    raise
                flood_waits += 1
                wait = _seconds(exc) + self.margin
                log.info("flood limit on %s: waiting %.1fs", endpoint, wait)
                self._paused_until = max(self._paused_until, self.clock() + wait)
            except ChatMigrated as exc:
                if migrated or not isinstance(chat_id, int):
                    _tag(exc, chat_id)
                    raise
                migrated, new_id = True, int(exc.new_chat_id)
                log.info("chat %d became %d: following it", chat_id, new_id)
                if self.on_chat_migrated is not None:
                    await self.on_chat_migrated(chat_id, new_id)
                if method not in SEND_METHODS:
                    _tag(exc, chat_id)
                    raise
                # Certainly not delivered: send it to the new chat. The quoted message lives
                # in the old one, so the quote is dropped rather than risk a refusal.
                data = {**data, "chat_id": new_id}
                data.pop("reply_parameters", None)
                args, chat_id = (args[0], data, *args[2:]), new_id
            except Forbidden as exc:
                _tag(exc, chat_id)
                if self.on_chat_refused is not None and isinstance(chat_id, int):
                    await self._refused(chat_id)
                raise
            except TimedOut as exc:
                _tag(exc, chat_id)
                raise
            except BadRequest as exc:
                done = _DONE_ON_RETRY.get(method)
                if network_retries and done and done in exc.message.lower():
                    return True  # the attempt before the 5xx had landed after all
                _tag(exc, chat_id)
                raise
            except NetworkError as exc:
                if method not in RETRY_SAFE or network_retries >= self.max_network_retries:
                    _tag(exc, chat_id)
                    raise
                delay = min(self.backoff * 2**network_retries, self.max_backoff)
                network_retries += 1
                log.info("%s failed (%s): retry %d in %.1fs", endpoint, exc, network_retries, delay)
                await self.sleep(delay)
            except Exception as exc:
                _tag(exc, chat_id)
                raise

    async def _refused(self, chat_id: int) -> None:
        assert self.on_chat_refused is not None
        try:
            await self.on_chat_refused(chat_id)
        except Exception:  # the caller still gets the Forbidden, which is what matters
            log.warning("could not record that chat %d refuses the bot", chat_id, exc_info=True)

    async def _wait_out_pause(self) -> None:
        wait = self._paused_until - self.clock()
        if wait > 0:
            await self.sleep(wait)

    async def _pace(self, method: str, chat_id: int | str | None) -> None:
        sends = method in SEND_METHODS
        if chat_id is None or not (sends or method in EDIT_METHODS):
            return
        is_group = isinstance(chat_id, str) or chat_id < 0  # channels are paced like groups
        windows = self._groups if is_group else self._privates
        if not sends and not is_group:
            return  # private edits are not charged
        if windows is None:
            if sends:
                await self._book_overall()
            return
        chat = windows.get(chat_id, self.clock())
        async with chat.lock:
            now = self.clock()
            at = chat.window.earliest(now, self.margin)
            if at > now:
                await self.sleep(at - now)
            if sends:
                await self._book_overall()
            chat.window.book(self.clock())

    async def _book_overall(self) -> None:
        if self._overall is None:
            return
        # One send at a time, in arrival order (the lock is fair), and the instant booked is
        # the real one, just before the request leaves. Booking the planned instant before
        # sleeping let a send that woke late (a busy loop) count as earlier than it went out,
        # and the fake Bot API then saw 31 in a second: `voisinbot bench fanout` got 429s.
        async with self._overall_lock:
            while (at := self._overall.earliest(now := self.clock(), self.margin)) > now:
                await self.sleep(at - now)
            self._overall.book(now)


def _chat_id(value: Any) -> int | str | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)  # "@channelname"


def _tag(error: Exception, chat_id: int | str | None) -> None:
    if isinstance(chat_id, int):
        setattr(error, _CHAT_ATTR, chat_id)


def _seconds(exc: RetryAfter) -> float:
    # ``retry_after`` is an int or a timedelta depending on PTB_TIMEDELTA, and reading it as
    # an int warns; the private timedelta is what PTB's own limiter reads.
    value = getattr(exc, "_retry_after", None)
    if value is None:
        value = exc.retry_after
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
