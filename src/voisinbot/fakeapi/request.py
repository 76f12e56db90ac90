"""``FakeRequest``: PTB's request layer wired straight to a ``FakeTelegram`` engine.

Everything above the request layer (``Bot``, ``Application``, handlers, PTB's own error
mapping) stays the real thing; only the network is replaced.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from voisinbot.fakeapi.engine import FakeTelegram
from voisinbot.fakeapi.errors import SimulatedTimeout
from voisinbot.fakeapi.params import UploadedFile


class FakeRequest(BaseRequest):
    """A PTB request object answering from ``engine``.

    PTB's ``Bot`` uses two request objects (one for getUpdates): give both the same engine,
    e.g. ``Bot(token, request=FakeRequest(engine), get_updates_request=FakeRequest(engine))``.
    """

    __slots__ = ("_read_timeout", "engine")

    def __init__(self, engine: FakeTelegram, *, read_timeout: float | None = 5.0) -> None:
        self.engine = engine
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to open: there is no connection pool."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        api_method = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        files = _files(request_data) if request_data and request_data.contains_files else {}
        try:
            status, body = await self.engine.handle(api_method, params, files)
        except SimulatedTimeout as timeout:
            state = "after" if timeout.delivered else "before"
            raise TimedOut(f"Timed out ({state} Telegram applied the request)") from timeout
        return status, json.dumps(body).encode("utf-8")


def _files(request_data: RequestData) -> dict[str, UploadedFile]:
    out: dict[str, UploadedFile] = {}
    for part, field_tuple in request_data.multipart_data.items():
        filename, content, *rest = field_tuple
        mime_type = rest[0] if rest else "application/octet-stream"
        if not isinstance(content, bytes):
            # PTB may hand over an open file handle; read it like httpx would.
            content = content.read()
        out[part] = UploadedFile(part, filename or part, mime_type, content)
    return out
