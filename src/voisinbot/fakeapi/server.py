"""A loopback HTTP front for ``FakeTelegram``, stdlib only.

Serves ``/bot<token>/<method>`` (GET or POST; JSON, form-urlencoded or multipart bodies) so a
bot in another process can run PTB's normal ``HTTPXRequest`` with
``base_url="http://127.0.0.1:PORT/bot"``, plus ``/control/...`` for a test harness in yet
another process (see ``control.py``). Binds 127.0.0.1 only: it is a test double, not a service.

A timeout fault holds the connection for ``timeout_hold`` seconds and then drops it without an
answer, which the client sees as its own read timeout (set PTB's ``read_timeout`` below it).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import json
import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from voisinbot.fakeapi.control import Control, to_json_bytes
from voisinbot.fakeapi.engine import FakeTelegram
from voisinbot.fakeapi.errors import SimulatedTimeout
from voisinbot.fakeapi.params import UploadedFile

_LOG = logging.getLogger(__name__)
MAX_BODY = 64 * 1024 * 1024


class _Request:
    __slots__ = ("body", "headers", "method", "path", "query")

    def __init__(
        self, method: str, path: str, query: str, headers: dict[str, str], body: bytes
    ) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body


class FakeTelegramServer:
    def __init__(
        self,
        engine: FakeTelegram,
        *,
        port: int = 0,
        token: str | None = None,
        timeout_hold: float = 10.0,
    ) -> None:
        self.engine = engine
        self.control = Control(engine)
        self._port = port
        self.token = token  # when set, other tokens get Telegram's 401
        self.timeout_hold = timeout_hold
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[Any]] = set()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def base_url(self) -> str:
        """What to give PTB as ``base_url`` (the token is appended by PTB)."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self._port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            # Held long polls and simulated timeouts must not outlive the server.
            for task in list(self._connections):
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)
            self._server = None

    async def __aenter__(self) -> FakeTelegramServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def serve_forever(self) -> None:
        if self._server is None:
            await self.start()
        assert self._server is not None
        await self._server.serve_forever()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
            task.add_done_callback(self._connections.discard)
        try:
            while True:  # keep-alive: httpx reuses connections
                request = await _read_request(reader)
                if request is None:
                    break
                answer = await self._dispatch(request)
                if answer is None:
                    break  # simulated timeout: drop the connection unanswered
                status, payload = answer
                writer.write(_response(status, payload))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError) as exc:
            _LOG.debug("connection ended: %r", exc)
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _dispatch(self, request: _Request) -> tuple[int, bytes] | None:
        path = request.path
        if path.startswith("/control/"):
            params = _parse_params(request)[0]
            status, body = await self.control.handle(path[len("/control/") :], params)
            return status, to_json_bytes(body)
        if not path.startswith("/bot") or path.count("/") != 2:
            return 404, json.dumps(
                {"ok": False, "error_code": 404, "description": "Not Found"}
            ).encode()
        token, _, method = path[len("/bot") :].partition("/")
        if self.token is not None and token != self.token:
            body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            return 401, json.dumps(body).encode()
        params, files = _parse_params(request)
        try:
            status, body = await self.engine.handle(method, params, files)
        except SimulatedTimeout:
            await asyncio.sleep(self.timeout_hold)
            return None
        return status, json.dumps(body).encode()


async def _read_request(reader: asyncio.StreamReader) -> _Request | None:
    line = await reader.readline()
    if not line.strip():
        return None
    method, target, _version = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = await _read_chunked(reader)
    else:
        length = int(headers.get("content-length", "0") or 0)
        if length > MAX_BODY:
            raise ValueError("body too large")
        body = await reader.readexactly(length) if length else b""
    url = urlsplit(target)
    return _Request(method.upper(), url.path, url.query, headers, body)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
        if size == 0:
            await reader.readline()  # the empty line after the last chunk (no trailers)
            return b"".join(chunks)
        total += size
        if total > MAX_BODY:
            raise ValueError("body too large")
        chunks.append(await reader.readexactly(size))
        await reader.readline()


def _parse_params(request: _Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    params: dict[str, Any] = dict(parse_qsl(request.query, keep_blank_values=True))
    files: dict[str, UploadedFile] = {}
    body = request.body
    if not body:
        return params, files
    content_type = request.headers.get("content-type", "")
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        decoded = json.loads(body)
        if isinstance(decoded, dict):
            params.update(decoded)
    elif kind == "multipart/form-data":
        _parse_multipart(content_type, body, params, files)
    else:
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    return params, files


def _parse_multipart(
    content_type: str, body: bytes, params: dict[str, Any], files: dict[str, UploadedFile]
) -> None:
    # The email package parses MIME multipart bodies; prefix the header it needs.
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(head + body)
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or not name:
            continue
        raw = part.get_payload(decode=True)
        payload = raw if isinstance(raw, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            mime = part.get_content_type() or "application/octet-stream"
            files[name] = UploadedFile(name, filename, mime, payload)
        else:
            params[name] = payload.decode(part.get_content_charset() or "utf-8")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _response(status: int, payload: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status} {_reason(status)}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\n"
        "Connection: keep-alive\r\n\r\n"
    )
    return head.encode("latin-1") + payload
