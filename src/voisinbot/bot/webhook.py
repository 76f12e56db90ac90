"""Webhook mode: Telegram posts each update to us over HTTPS (through a reverse proxy).

Same guarantee as polling (bot/polling.py): an update is answered 200 only after it was
handled and its effects committed, through the same ``handle_updates`` bookkeeping, so
Telegram re-delivers whatever we did not confirm (a crash, a stop, an error). PTB's own
webhook server acknowledges before handling, hence this small stdlib server.

- ``POST <path of VOISINBOT_WEBHOOK_URL>``: an update; the ``X-Telegram-Bot-Api-Secret-Token``
  header must equal the secret (403 otherwise, checked before the body is read).
- ``GET /healthz``: the health report as JSON (200 healthy, 503 not).
Updates are handled one at a time in arrival order, like polling; Telegram may hold a few
connections open so the next update is already here when one finishes. On stop: no new
connection, updates still waiting get 503 (Telegram sends them again), the one in progress
finishes. The webhook stays set, so nothing is lost while the bot restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from dataclasses import dataclass
from http import HTTPStatus

from telegram import Update
from telegram.error import TelegramError

from voisinbot.bot.app import VoisinApp
from voisinbot.bot.polling import handle_updates
from voisinbot.config import Webhook
from voisinbot.health import evaluate

log = logging.getLogger(__name__)

SECRET_HEADER = "x-telegram-bot-api-secret-token"
HEALTH_PATH = "/healthz"
# Telegram's connections to us at once; handling stays sequential.
MAX_CONNECTIONS = 8
MAX_BODY = 1024 * 1024  # updates are a few kilobytes
MAX_HEADERS = 64
READ_TIMEOUT = 30.0  # to read one request, and to wait for the next on a kept-alive connection
STOP_GRACE = 25.0  # for the update in progress at stop; below systemd's TimeoutStopSec


class WebhookSetupError(Exception):
    """The webhook could not be started (port taken, Telegram refused the URL)."""


@dataclass
class _Request:
    method: str
    path: str
    headers: dict[str, str]
    keep_alive: bool


class _BadRequest(Exception):
    def __init__(self, status: HTTPStatus) -> None:
        super().__init__(status.phrase)
        self.status = status


async def run_webhook(app: VoisinApp, stop: asyncio.Event, config: Webhook) -> None:
    """Listen, register the webhook with Telegram, serve until ``stop`` is set."""
    server = WebhookServer(app, config)
    await server.start()
    try:
        try:
            await app.bot.set_webhook(
                config.url,
                secret_token=config.secret,
                allowed_updates=Update.ALL_TYPES,
                max_connections=MAX_CONNECTIONS,
            )
        except TelegramError as exc:
            raise WebhookSetupError(f"Telegram refused the webhook {config.url}: {exc}") from exc
        log.info(
            "webhook mode: listening on %s:%d, Telegram posts to %s",
            config.listen,
            server.port,
            config.url,
        )
        await stop.wait()
    finally:
        await server.stop()


class WebhookServer:
    def __init__(self, app: VoisinApp, config: Webhook) -> None:
        self._app = app
        self._config = config
        self._secret = config.secret.encode("ascii")
        self._server: asyncio.Server | None = None
        # Connection task -> busy (a complete request is being answered).
        self._connections: dict[asyncio.Task[None], bool] = {}
        self._handling = asyncio.Lock()  # FIFO: updates are handled in arrival order
        self._closing = False

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("webhook server not started")
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        config = self._config
        try:
            self._server = await asyncio.start_server(self._serve, config.listen, config.port)
        except OSError as exc:
            raise WebhookSetupError(
                f"cannot listen on {config.listen}:{config.port}: {exc.strerror or exc}"
            ) from exc

    async def stop(self) -> None:
        """Stop accepting, drop idle connections, let the update in progress finish."""
        self._closing = True
        if self._server is None:
            return
        self._server.close()
        for task, busy in list(self._connections.items()):
            if not busy:
                task.cancel()
        if self._connections:
            _, late = await asyncio.wait(list(self._connections), timeout=STOP_GRACE)
            for task in late:
                log.warning("webhook request still running at stop: abandoned")
                task.cancel()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._server.wait_closed(), 1.0)
        self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task: asyncio.Task[None] = asyncio.current_task()  # type: ignore[assignment]
        self._connections[task] = False
        try:
            while not self._closing:
                keep_alive = await self._exchange(task, reader, writer)
                if not keep_alive:
                    break
        except (TimeoutError, ConnectionError, asyncio.IncompleteReadError) as exc:
            log.debug("webhook connection ended: %r", exc)
        finally:
            self._connections.pop(task, None)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _exchange(
        self, task: asyncio.Task[None], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Read one request and answer it; returns whether the connection stays open."""
        try:
            request = await asyncio.wait_for(_read_head(reader), READ_TIMEOUT)
        except _BadRequest as exc:
            await _answer(writer, exc.status, keep_alive=False)
            return False
        if request is None:
            return False
        self._connections[task] = True
        try:
            try:
                status, body = await self._route(request, reader, writer)
            except (TimeoutError, ConnectionError, asyncio.IncompleteReadError):
                raise
            except Exception:
                log.exception("webhook request %s %s failed", request.method, request.path)
                status, body = HTTPStatus.INTERNAL_SERVER_ERROR, b""
            keep_alive = request.keep_alive and status < 400 and not self._closing
            await _answer(writer, status, body, keep_alive=keep_alive)
        finally:
            self._connections[task] = False
        return keep_alive

    async def _route(
        self, request: _Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[HTTPStatus, bytes]:
        if request.path == HEALTH_PATH:
            if request.method != "GET":
                return HTTPStatus.METHOD_NOT_ALLOWED, b""
            return await self._health()
        if request.path != self._config.path:
            return HTTPStatus.NOT_FOUND, b""
        if request.method != "POST":
            return HTTPStatus.METHOD_NOT_ALLOWED, b""
        given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook request refused: missing or wrong secret token")
            return HTTPStatus.FORBIDDEN, b""
        try:
            body = await asyncio.wait_for(_read_body(request, reader, writer), READ_TIMEOUT)
        except _BadRequest as exc:
            return exc.status, b""
        return await self._deliver(body), b""

    async def _deliver(self, body: bytes) -> HTTPStatus:
        try:
            data = json.loads(body)
            update = Update.de_json(data, self._app.bot) if isinstance(data, dict) else None
        except Exception:
            update = None
        if update is None:
            log.warning("webhook body is not an update (%d bytes)", len(body))
            return HTTPStatus.BAD_REQUEST
        async with self._handling:
            if self._closing:
                return HTTPStatus.SERVICE_UNAVAILABLE  # Telegram will send it again
            try:
                await handle_updates(self._app, [update])
            except Exception:
                log.exception(
                    "update %d could not be handled; Telegram will retry", update.update_id
                )
                return HTTPStatus.INTERNAL_SERVER_ERROR
        log.debug("update %d handled", update.update_id)
        return HTTPStatus.OK

    async def _health(self) -> tuple[HTTPStatus, bytes]:
        runtime = self._app.runtime
        health = evaluate(await runtime.store.state.health_facts(), runtime.clock())
        status = HTTPStatus.OK if health.healthy else HTTPStatus.SERVICE_UNAVAILABLE
        return status, json.dumps(health.as_json()).encode()


async def _read_head(reader: asyncio.StreamReader) -> _Request | None:
    """The request line and headers; None when the client closed the connection."""
    try:
        line = await reader.readline()
    except ValueError:  # longer than the stream's limit
        raise _BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE) from None
    if not line.strip():
        return None
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise _BadRequest(HTTPStatus.BAD_REQUEST)
    method, target, version = parts
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS + 1):
        try:
            raw = await reader.readline()
        except ValueError:
            raise _BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE) from None
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    else:
        raise _BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
    connection = headers.get("connection", "").lower()
    keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
    path = target.split("?", 1)[0]
    return _Request(method.upper(), path, headers, keep_alive)


async def _read_body(
    request: _Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> bytes:
    if "transfer-encoding" in request.headers:
        raise _BadRequest(HTTPStatus.LENGTH_REQUIRED)  # Telegram and nginx send a length
    try:
        length = int(request.headers.get("content-length", ""))
    except ValueError:
        raise _BadRequest(HTTPStatus.LENGTH_REQUIRED) from None
    if length < 0 or length > MAX_BODY:
        raise _BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    if request.headers.get("expect", "").lower() == "100-continue":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        await writer.drain()
    return await reader.readexactly(length)


async def _answer(
    writer: asyncio.StreamWriter, status: HTTPStatus, body: bytes = b"", *, keep_alive: bool
) -> None:
    kind = "application/json" if body else "text/plain"
    head = (
        f"HTTP/1.1 {status.value} {status.phrase}\r\n"
        f"Content-Type: {kind}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    writer.write(head.encode("latin-1") + body)
    await writer.drain()
