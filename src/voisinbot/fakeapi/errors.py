"""Telegram-shaped errors and the faults a test can inject."""

from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Literal


class ApiError(Exception):
    """An error answer of the Bot API: raised by method handlers, turned into JSON by the engine."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            out["parameters"] = dict(self.parameters)
        return out


def bad_request(description: str, parameters: dict[str, Any] | None = None) -> ApiError:
    return ApiError(400, f"Bad Request: {description}", parameters)


def forbidden(description: str) -> ApiError:
    return ApiError(403, f"Forbidden: {description}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


NOT_FOUND = ApiError(404, "Not Found")


class SimulatedTimeout(Exception):
    """Raised by ``FakeTelegram.handle`` for a timeout fault.

    ``delivered`` tells whether the engine applied the call before "timing out": a real
    Telegram timeout does not mean the message was not sent, and the bot must cope with both.
    Transports turn it into their own notion of a timeout (``telegram.error.TimedOut`` for
    ``FakeRequest``, a dropped connection for the HTTP server).
    """

    def __init__(self, method: str, delivered: bool) -> None:
        super().__init__(f"simulated timeout on {method} (delivered={delivered})")
        self.method = method
        self.delivered = delivered


FaultKind = Literal["error", "timeout", "delay"]


@dataclass(frozen=True, slots=True)
class Fault:
    """What should go wrong with a call. Build with the class-method constructors."""

    kind: FaultKind
    status: int = 0
    description: str = ""
    parameters: dict[str, Any] | None = None
    delivered: bool = False
    seconds: float = 0.0

    @classmethod
    def retry_after(cls, seconds: int) -> Fault:
        err = too_many_requests(seconds)
        return cls("error", err.status, err.description, err.parameters)

    @classmethod
    def server_error(cls, status: int = 502) -> Fault:
        # Telegram's 5xx answers carry the bare reason phrase, e.g. "Bad Gateway".
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Internal Server Error"
        return cls("error", status, phrase)

    @classmethod
    def forbidden(cls, description: str = "bot was blocked by the user") -> Fault:
        if not description.startswith("Forbidden: "):
            description = f"Forbidden: {description}"
        return cls("error", 403, description)

    @classmethod
    def bad_request(cls, description: str) -> Fault:
        if not description.startswith("Bad Request: "):
            description = f"Bad Request: {description}"
        return cls("error", 400, description)

    @classmethod
    def error(
        cls, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> Fault:
        return cls("error", status, description, parameters)

    @classmethod
    def timeout(cls, delivered: bool = False) -> Fault:
        return cls("timeout", delivered=delivered)

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        return cls("delay", seconds=seconds)

    def as_error(self) -> ApiError:
        return ApiError(self.status, self.description, self.parameters)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "status": self.status,
            "description": self.description,
            "parameters": self.parameters,
            "delivered": self.delivered,
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        """Inverse of ``to_json``, plus shorthands for the HTTP control API.

        ``{"retry_after": 3}``, ``{"server_error": 502}``, ``{"forbidden": "..."}``,
        ``{"bad_request": "..."}``, ``{"timeout": true|false}`` (delivered), ``{"delay": 0.5}``.
        """
        if "retry_after" in data:
            return cls.retry_after(int(data["retry_after"]))
        if "server_error" in data:
            return cls.server_error(int(data["server_error"]))
        if "forbidden" in data:
            return cls.forbidden(str(data["forbidden"]))
        if "bad_request" in data:
            return cls.bad_request(str(data["bad_request"]))
        if "timeout" in data:
            return cls.timeout(bool(data["timeout"]))
        if "delay" in data:
            return cls.delay(float(data["delay"]))
        return cls(
            kind=data["kind"],
            status=int(data.get("status", 0)),
            description=str(data.get("description", "")),
            parameters=data.get("parameters"),
            delivered=bool(data.get("delivered", False)),
            seconds=float(data.get("seconds", 0.0)),
        )


@dataclass(slots=True)
class _Armed:
    fault: Fault
    remaining: int
    chat_id: int | str | None


@dataclass(slots=True)
class FaultQueue:
    """Faults armed with ``fail_next``, consumed in the order they were armed."""

    _by_method: dict[str, list[_Armed]] = field(default_factory=dict)

    def arm(self, method: str, fault: Fault, times: int, chat_id: int | str | None) -> None:
        if times < 1:
            raise ValueError("times must be >= 1")
        self._by_method.setdefault(method.lower(), []).append(_Armed(fault, times, chat_id))

    def take(self, method: str, chat_id: Any) -> Fault | None:
        armed = self._by_method.get(method.lower())
        if not armed:
            return None
        for index, entry in enumerate(armed):
            if entry.chat_id is None or entry.chat_id == chat_id:
                entry.remaining -= 1
                if entry.remaining == 0:
                    del armed[index]
                return entry.fault
        return None

    def clear(self) -> None:
        self._by_method.clear()

    def pending(self) -> int:
        return sum(entry.remaining for items in self._by_method.values() for entry in items)
