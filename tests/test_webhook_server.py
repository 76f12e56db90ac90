"""The webhook server in process, on the real application: what it answers to the odd
requests a public port receives, and that updates go through the shared bookkeeping."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.harness import Neighbourhood
from voisinbot.bot.webhook import MAX_BODY, SECRET_HEADER, WebhookServer
from voisinbot.config import Webhook
from voisinbot.health import beating

SECRET = "in-process_secret"
HOOK = Webhook(
    url="https://bot.example.org/hook", path="/hook", listen="127.0.0.1", port=0, secret=SECRET
)


@pytest.fixture
async def client(hood: Neighbourhood) -> AsyncIterator[httpx.AsyncClient]:
    server = WebhookServer(hood.running_app, HOOK)
    await server.start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}") as http:
            yield http
    finally:
        await server.stop()


async def test_updates_are_handled_in_order_on_one_connection(
    hood: Neighbourhood, client: httpx.AsyncClient, alice: dict[str, Any], carol: dict[str, Any]
) -> None:
    store = hood.running_app.runtime.store
    for user in (alice, carol):
        update = hood.world.command(hood.world.private(user), user, "/start")
        answer = await client.post("/hook", json=update, headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 200
        assert await store.state.update_offset() == update["update_id"] + 1
    assert hood.last_text(hood.world.private(alice)).startswith("👋 Bonjour Alice")
    assert hood.last_text(hood.world.private(carol)).startswith("👋 Hello Carol")
    assert (await store.state.health_facts()).last_update_at == hood.clock()


async def test_odd_requests_change_nothing(
    hood: Neighbourhood, client: httpx.AsyncClient, alice: dict[str, Any]
) -> None:
    update = hood.world.command(hood.world.private(alice), alice, "/start")
    secret = {SECRET_HEADER: SECRET}
    assert (await client.post("/hook", json=update)).status_code == 403
    wrong = {SECRET_HEADER: SECRET + "x"}
    assert (await client.post("/hook", json=update, headers=wrong)).status_code == 403
    assert (await client.get("/hook", headers=secret)).status_code == 405
    assert (await client.post("/other", json=update, headers=secret)).status_code == 404
    assert (await client.post("/hook", content=b"{not json", headers=secret)).status_code == 400
    assert (await client.post("/hook", json=[update], headers=secret)).status_code == 400
    # Refused on its announced length, before any of it is read.
    assert await _raw_status(client, f"Content-Length: {MAX_BODY + 1}") == 413
    assert await _raw_status(client, "Transfer-Encoding: chunked") == 411
    assert hood.engine.calls_to("sendMessage") == []
    assert await hood.running_app.runtime.store.state.update_offset() is None


async def _raw_status(client: httpx.AsyncClient, header: str) -> int:
    url = client.base_url
    reader, writer = await asyncio.open_connection(url.host, url.port)
    writer.write(
        f"POST /hook HTTP/1.1\r\nHost: x\r\n{SECRET_HEADER}: {SECRET}\r\n{header}\r\n\r\n".encode()
    )
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return int(status_line.split()[1])


async def test_healthz_follows_the_heartbeat(
    hood: Neighbourhood, client: httpx.AsyncClient
) -> None:
    answer = await client.get("/healthz")
    assert (answer.status_code, answer.json()["status"]) == (503, "never-started")
    async with beating(hood.running_app, "webhook"):
        answer = await client.get("/healthz")
        assert answer.status_code == 200
        assert answer.json()["run_mode"] == "webhook"
        assert "database" not in answer.json()  # no file paths on a public address
        hood.clock.advance(minutes=5)
        assert (await client.get("/healthz")).json()["status"] == "stale"
