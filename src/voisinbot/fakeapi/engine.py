"""``FakeTelegram``: a transport-agnostic fake of the Telegram Bot API.

``handle(method, params)`` answers exactly what Telegram would put on the wire: an HTTP
status and a JSON body. Transports (``FakeRequest`` in-process, ``FakeTelegramServer`` over
loopback HTTP) are thin shells around it. Scenario set-up and inspection helpers live in
``EngineHelpers`` (``helpers.py``) so that this module stays about the call path.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from voisinbot.fakeapi import chats, messaging
from voisinbot.fakeapi.errors import NOT_FOUND, ApiError, Fault, FaultQueue, SimulatedTimeout
from voisinbot.fakeapi.helpers import EngineHelpers
from voisinbot.fakeapi.params import Params, UploadedFile, normalize
from voisinbot.fakeapi.ratelimit import RateLimiter, RateLimits
from voisinbot.fakeapi.state import State

DEFAULT_BOT_ID = 6_000_000_001


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One request the bot made, with what the fake answered."""

    method: str  # canonical camelCase name, e.g. "sendMessage"
    params: dict[str, Any]  # normalised: JSON values decoded, uploads as UploadedFile
    status: int  # HTTP status; 0 when a "not delivered" timeout swallowed the call
    result_or_error: Any  # the result on success, else the error body
    files: Mapping[str, UploadedFile] = field(default_factory=dict)
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def result(self) -> Any:
        return self.result_or_error if self.ok else None

    @property
    def description(self) -> str | None:
        if self.ok or not isinstance(self.result_or_error, dict):
            return None
        return self.result_or_error.get("description")


_Handler = Callable[[State, Params], Any]


def _registry() -> dict[str, tuple[str, _Handler, bool]]:
    table: dict[str, tuple[str, _Handler, bool]] = {}
    for handlers in (chats.HANDLERS, messaging.HANDLERS):
        for name, handler in handlers.items():
            table[name.lower()] = (name, handler, inspect.iscoroutinefunction(handler))
    return table


_METHODS = _registry()


class FakeTelegram(EngineHelpers):
    def __init__(
        self,
        *,
        bot_id: int = DEFAULT_BOT_ID,
        username: str = "voisinbot_bot",
        first_name: str = "VoisinBot",
        enforce_limits: bool = False,
        rate_limits: RateLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        date_clock: Callable[[], float] = time.time,
        strict_ampersand: bool = True,
        privacy_mode: bool = True,
        record_calls: bool = True,
    ) -> None:
        """
        ``clock`` drives the flood limits (monotonic seconds); ``date_clock`` stamps message
        dates (Unix seconds). ``privacy_mode`` mirrors BotFather's setting: with it on,
        ``push_update`` drops group messages Telegram would not deliver to the bot.
        ``record_calls=False`` keeps benchmarks from growing the call log.
        """
        bot_user = {
            "id": bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": not privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.limiter = RateLimiter(clock, rate_limits or RateLimits()) if enforce_limits else None
        self.state = State(
            bot_user, date_clock, strict_ampersand=strict_ampersand, limiter=self.limiter
        )
        self.privacy_mode = privacy_mode
        self.record_calls = record_calls
        self.calls: list[ApiCall] = []
        self._by_method: dict[str, list[ApiCall]] = {}
        self.faults = FaultQueue()
        self.dropped_updates: list[dict[str, Any]] = []
        self.too_many_requests_sent = 0  # every 429 answered, from the limiter or a fault
        self._call_event: asyncio.Event | None = None
        self._call_loop: asyncio.AbstractEventLoop | None = None

    # --- the call path -----------------------------------------------------------------

    async def handle(
        self,
        method: str,
        params: Mapping[str, Any] | None = None,
        files: Mapping[str, UploadedFile] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API call: (HTTP status, Telegram-shaped JSON body).

        Raises ``SimulatedTimeout`` for an injected timeout fault, after applying the call
        when the fault says it was delivered.
        """
        entry = _METHODS.get(method.lower())
        clean = normalize(dict(params or {}))
        uploads = dict(files or {})
        _attach_files(clean, uploads)
        if entry is None:
            return self._finish(method, clean, uploads, NOT_FOUND.status, NOT_FOUND.body())
        name, handler, is_async = entry
        fault = self.faults.take(name, clean.get("chat_id"))
        if fault is not None and fault.kind == "delay":
            await asyncio.sleep(fault.seconds)
        elif fault is not None and fault.kind == "error":
            error = fault.as_error()
            return self._finish(name, clean, uploads, error.status, error.body())
        elif fault is not None and fault.kind == "timeout" and not fault.delivered:
            self._record(ApiCall(name, clean, 0, None, uploads, timed_out=True))
            raise SimulatedTimeout(name, delivered=False)
        try:
            result = await handler(self.state, clean) if is_async else handler(self.state, clean)
        except ApiError as error:
            status, body = error.status, error.body()
        except Exception as exc:  # a fake-API bug must be loud, not a plausible answer
            status, body = 500, {"ok": False, "error_code": 500, "description": repr(exc)}
        else:
            status, body = 200, {"ok": True, "result": result}
        timed_out = fault is not None and fault.kind == "timeout"
        answer = self._finish(name, clean, uploads, status, body, timed_out=timed_out)
        if timed_out:
            raise SimulatedTimeout(name, delivered=True)
        return answer

    def _finish(
        self,
        method: str,
        params: Params,
        files: dict[str, UploadedFile],
        status: int,
        body: dict[str, Any],
        *,
        timed_out: bool = False,
    ) -> tuple[int, dict[str, Any]]:
        if status == 429:
            self.too_many_requests_sent += 1
        outcome = body.get("result") if body.get("ok") else body
        self._record(ApiCall(method, params, status, outcome, files, timed_out))
        return status, body

    def _record(self, call: ApiCall) -> None:
        if self.record_calls:
            self.calls.append(call)
            self._by_method.setdefault(call.method.lower(), []).append(call)
        if self._call_event is not None:
            # Wake every waiter at once; the next waiter starts a fresh event.
            self._call_event.set()
            self._call_event = None

    def fail_next(
        self, method: str, fault: Fault, *, times: int = 1, chat_id: int | str | None = None
    ) -> None:
        """Make the next ``times`` calls of ``method`` (optionally to ``chat_id``) fail."""
        entry = _METHODS.get(method.lower())
        self.faults.arm(entry[0] if entry else method, fault, times, chat_id)

    def clear_faults(self) -> None:
        self.faults.clear()

    # --- the call log --------------------------------------------------------------------

    def calls_to(self, method: str) -> list[ApiCall]:
        return list(self._by_method.get(method.lower(), ()))

    def last_call(self, method: str | None = None) -> ApiCall | None:
        calls = self._by_method.get(method.lower(), []) if method else self.calls
        return calls[-1] if calls else None

    def clear_calls(self) -> None:
        self.calls.clear()
        self._by_method.clear()

    async def wait_for_calls(self, method: str, count: int, within: float = 5.0) -> bool:
        """Wait until ``method`` was called ``count`` times in all; False on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while len(self._by_method.get(method.lower(), ())) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            event = self._call_event
            if event is None or self._call_loop is not loop:
                event = self._call_event = asyncio.Event()
                self._call_loop = loop
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return False
        return True

    @staticmethod
    def supported_methods() -> list[str]:
        return sorted(name for name, _, _ in _METHODS.values())


def _attach_files(params: Params, files: dict[str, UploadedFile]) -> None:
    """Put uploads where Telegram would look for them: the field or an attach:// URI."""
    for name, upload in files.items():
        uri = f"attach://{name}"
        targets = [key for key, value in params.items() if value == uri]
        for key in targets:
            params[key] = upload
        if not targets:
            params.setdefault(name, upload)
