"""The same engine over loopback HTTP, driven by PTB's default HTTPXRequest."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, TimedOut

from voisinbot.fakeapi import FakeTelegram, FakeTelegramServer, Fault, World


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours proxy variables; loopback traffic must never leave the machine.
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def server(engine: FakeTelegram) -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(engine, timeout_hold=0.5) as server:
        yield server


@pytest.fixture
async def http_bot(server: FakeTelegramServer) -> AsyncIterator[Bot]:
    async with Bot("123:ABC", base_url=server.base_url) as bot:
        yield bot


async def test_send_message_over_http(
    http_bot: Bot, engine: FakeTelegram, world: World, server: FakeTelegramServer
) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    assert http_bot.username == "voisinbot_bot"
    group = world.group("Rue des Lilas")
    sent = await http_bot.send_message(group["id"], "<b>Salut</b> 42", parse_mode="HTML")
    assert sent.text == "Salut 42"
    call = engine.last_call("sendMessage")
    assert call is not None
    assert call.params["chat_id"] == group["id"]  # form strings are decoded back to ints
    assert call.params["text"] == "<b>Salut</b> 42"
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await http_bot.send_message(group["id"], "")
    alice = world.user("Alice")
    with pytest.raises(Forbidden):
        await http_bot.send_message(alice["id"], "x")


async def test_get_updates_over_http(http_bot: Bot, engine: FakeTelegram, world: World) -> None:
    alice = world.user("Alice")

    async def push_later() -> None:
        await asyncio.sleep(0.05)
        engine.push_update(world.message(world.private(alice), alice, "Bonjour 👋"))

    pusher = asyncio.create_task(push_later())
    updates = await http_bot.get_updates(timeout=3)
    await pusher
    assert [u.message.text for u in updates if u.message] == ["Bonjour 👋"]
    assert await http_bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()


async def test_multipart_upload_over_http(
    http_bot: Bot, engine: FakeTelegram, world: World
) -> None:
    group = world.group("G")
    sent = await http_bot.send_document(
        group["id"], io.BytesIO("é;1\n".encode()), filename="export.csv", caption="Export"
    )
    assert sent.document is not None
    assert sent.document.file_name == "export.csv"
    message = engine.last_message(group["id"])
    assert message is not None
    upload = engine.uploaded(message)
    assert upload is not None
    assert upload.content == "é;1\n".encode()


async def test_timeout_fault_over_http(
    server: FakeTelegramServer, engine: FakeTelegram, world: World
) -> None:
    group = world.group("G")
    engine.fail_next("sendMessage", Fault.timeout(delivered=True))
    async with Bot("123:ABC", base_url=server.base_url) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(group["id"], "peut-être", read_timeout=0.2)
    assert engine.sent_texts(group["id"]) == ["peut-être"]


async def test_token_check_and_unknown_paths(engine: FakeTelegram) -> None:
    async with FakeTelegramServer(engine, token="123:ABC") as server:
        base = f"http://127.0.0.1:{server.port}"
        async with httpx.AsyncClient() as client:
            wrong = await client.post(f"{base}/bot999:XYZ/getMe")
            assert wrong.status_code == 401
            assert wrong.json()["description"] == "Unauthorized"
            assert (await client.get(f"{base}/elsewhere")).status_code == 404
            ok = await client.post(f"{base}/bot123:ABC/getme", json={})
            assert ok.json()["result"]["username"] == "voisinbot_bot"


async def test_control_api(server: FakeTelegramServer, engine: FakeTelegram) -> None:
    base = f"http://127.0.0.1:{server.port}/control"
    async with httpx.AsyncClient() as client:
        alice = (await client.post(f"{base}/world/user", json={"args": ["Alice"]})).json()
        alice = alice["result"]
        group = (await client.post(f"{base}/world/group", json={"args": ["G"]})).json()["result"]
        pushed = await client.post(
            f"{base}/world/command", json={"args": [group, alice, "/besoin canapé"]}
        )
        assert pushed.json()["result"]["message"]["text"] == "/besoin canapé"
        pending = (await client.get(f"{base}/pending_updates")).json()["result"]
        assert len(pending) == 1

        raw = {"message": {"message_id": 1, "date": 0, "chat": {"id": 777, "type": "private",
               "first_name": "Zoé"}, "from": {"id": 777, "is_bot": False, "first_name": "Zoé"},
               "text": "salut"}}  # fmt: skip
        assert (await client.post(f"{base}/push_update", json=raw)).json()["result"] > 0
        # The pushed private message taught the engine that Zoé started the bot.
        status, _ = await engine.handle("sendMessage", {"chat_id": 777, "text": "Bonjour"})
        assert status == 200

        fault = {"method": "sendMessage", "fault": {"retry_after": 2}, "times": 1}
        assert (await client.post(f"{base}/fail_next", json=fault)).json()["ok"]
        status, body = await engine.handle("sendMessage", {"chat_id": 777, "text": "x"})
        assert (status, body["parameters"]) == (429, {"retry_after": 2})

        calls = (await client.get(f"{base}/calls", params={"method": "sendMessage"})).json()
        assert [c["status"] for c in calls["result"]] == [200, 429]
        texts = (await client.get(f"{base}/sent_texts", params={"chat_id": 777})).json()
        assert texts["result"] == ["Bonjour"]
        waited = await client.get(
            f"{base}/wait_calls", params={"method": "sendMessage", "count": 2, "timeout": 1}
        )
        assert waited.json()["result"] is True
        stats = (await client.get(f"{base}/stats")).json()["result"]
        assert stats["too_many_requests_sent"] == 1
        assert (await client.get(f"{base}/nope")).status_code == 404
        bad = await client.post(f"{base}/world/__init__", json={})
        assert bad.status_code == 400


@pytest.fixture
def subprocess_server() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "voisinbot.fakeapi", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), line
        yield line.removeprefix("listening on ")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_module_entry_point_serves(subprocess_server: str) -> None:
    with httpx.Client() as client:
        answer = client.get(f"{subprocess_server}/bot1:x/getMe")
        assert answer.json()["result"]["first_name"] == "VoisinBot"
        update = {"message": {"message_id": 1, "date": 0, "text": "hi",
                  "chat": {"id": 5, "type": "private", "first_name": "A"},
                  "from": {"id": 5, "is_bot": False, "first_name": "A"}}}  # fmt: skip
        client.post(f"{subprocess_server}/control/push_update", content=json.dumps(update),
                    headers={"Content-Type": "application/json"})  # fmt: skip
        got = client.post(f"{subprocess_server}/bot1:x/getUpdates", data={"timeout": "0"})
        assert [u["message"]["text"] for u in got.json()["result"]] == ["hi"]
