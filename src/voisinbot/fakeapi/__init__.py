"""An in-project fake of the Telegram Bot API, plugged in at PTB's request layer.

- ``FakeTelegram``: the engine (state, validation with Telegram's error texts, faults, flood
  limits, getUpdates queue); ``handle(method, params)`` -> (HTTP status, JSON body).
- ``FakeRequest``: a ``telegram.request.BaseRequest`` over an engine, for in-process bots.
- ``FakeTelegramServer``: the same engine over loopback HTTP (``python -m voisinbot.fakeapi``).
- ``World``: factories of Telegram-shaped updates bound to an engine; ``as_update``.

Not modelled: Markdown/MarkdownV2 parsing (text kept verbatim), inline mode, payments,
media groups, forum topics, webhooks delivery (setWebhook is stored only).
"""

from voisinbot.fakeapi.engine import ApiCall, FakeTelegram
from voisinbot.fakeapi.errors import ApiError, Fault, SimulatedTimeout
from voisinbot.fakeapi.factories import World, as_update
from voisinbot.fakeapi.params import UploadedFile
from voisinbot.fakeapi.ratelimit import RateLimits
from voisinbot.fakeapi.request import FakeRequest
from voisinbot.fakeapi.server import FakeTelegramServer
from voisinbot.fakeapi.shapes import GROUP_ANONYMOUS_BOT

Neighbourhood = World  # the name the brief used; both work

__all__ = [
    "GROUP_ANONYMOUS_BOT",
    "ApiCall",
    "ApiError",
    "FakeRequest",
    "FakeTelegram",
    "FakeTelegramServer",
    "Fault",
    "Neighbourhood",
    "RateLimits",
    "SimulatedTimeout",
    "UploadedFile",
    "World",
    "as_update",
]
