"""`voisinbot run --webhook` as an operator runs it: a real process behind which Telegram (here
the test) posts updates. An update is answered 200 only once handled; a wrong secret is 403
and changes nothing; SIGTERM lets the update in progress finish, then exits 0."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from voisinbot.fakeapi import FakeTelegram, FakeTelegramServer, World

TOKEN = "123456:WEBHOOK-PROCESS-TEST"
SECRET = "s3cret_Webhook-token"
URL = "https://bot.example.org/voisinbot/webhook"
PATH = "/voisinbot/webhook"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(database: Path, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "VOISINBOT_DATABASE": str(database),
        "VOISINBOT_LOG_LEVEL": "INFO",
        **extra,
    }


async def _voisinbot(env: Mapping[str, str], cwd: Path, *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "voisinbot",
        *args,
        env=dict(env),
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def _refused(port: int) -> bool:
    """Wait until the port stops accepting connections (the bot began stopping)."""
    for _ in range(200):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            return True
        writer.close()
        await asyncio.sleep(0.05)
    return False


def _hold_first(engine: FakeTelegram, method: str) -> tuple[asyncio.Event, asyncio.Event]:
    """Make the next ``method`` call wait (the bot is then in the middle of an update)."""
    arrived, release = asyncio.Event(), asyncio.Event()
    original = engine.handle

    async def handle(name: str, params: Any = None, files: Any = None) -> Any:
        if name.lower() == method.lower() and not arrived.is_set():
            arrived.set()
            await release.wait()
        return await original(name, params, files)

    engine.handle = handle  # type: ignore[method-assign]
    return arrived, release


async def test_webhook_handles_before_answering_and_stops_cleanly(tmp_path: Path) -> None:
    engine = FakeTelegram(username="voisinbot_bot")
    world = World(engine)
    group = world.supergroup("Jardin partagé des Lilas")
    alice = world.user("Alice", language_code="fr")
    database = tmp_path / "voisinbot.sqlite3"
    port = _free_port()
    async with FakeTelegramServer(engine, token=TOKEN) as server:
        env = _env(
            database,
            VOISINBOT_BOT_TOKEN=TOKEN,
            VOISINBOT_API_BASE_URL=server.base_url,
            VOISINBOT_API_BASE_FILE_URL=server.base_url.replace("/bot", "/file/bot"),
            VOISINBOT_WEBHOOK_URL=URL,
            VOISINBOT_WEBHOOK_PORT=str(port),
            VOISINBOT_WEBHOOK_SECRET=SECRET,
            VOISINBOT_LOG_FORMAT="json",
        )
        code, out, _ = await _voisinbot(env, tmp_path, "health")
        assert code == 1
        assert "no database" in out

        bot = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "voisinbot", "run", "--webhook"),
            env=env,
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            assert await engine.wait_for_calls("setWebhook", 1, within=20)
            registered = engine.calls_to("setWebhook")[0].params
            assert registered["url"] == URL
            assert registered["secret_token"] == SECRET
            assert "message" in registered["allowed_updates"]

            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                start = world.command(world.private(alice), alice, "/start")
                for headers in ({HEADER: "not-the-secret"}, {}):
                    answer = await client.post(PATH, json=start, headers=headers)
                    assert answer.status_code == 403
                assert engine.calls_to("sendMessage") == []

                answer = await client.post(PATH, json=start, headers={HEADER: SECRET})
                assert answer.status_code == 200
                # Answered only after handling: the greeting is already out.
                greeting = engine.last_message(alice["id"])
                assert greeting is not None
                assert greeting["text"].startswith("👋 Bonjour Alice")

                assert (await client.post("/elsewhere", json=start)).status_code == 404
                health = await client.get("/healthz")
                assert health.status_code == 200
                assert health.json()["healthy"] is True
                assert health.json()["run_mode"] == "webhook"
                assert health.json()["last_update_at"] is not None

            code, out, _ = await _voisinbot(env, tmp_path, "health", "--json")
            assert code == 0, out
            assert json.loads(out)["status"] == "running"

            # SIGTERM while an update is in progress: it finishes and is confirmed.
            arrived, release = _hold_first(engine, "sendMessage")
            need = world.command(group, alice, "/besoin une perceuse pour samedi")
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                posting = asyncio.create_task(
                    client.post(PATH, json=need, headers={HEADER: SECRET})
                )
                await asyncio.wait_for(arrived.wait(), 20)
                bot.send_signal(signal.SIGTERM)
                assert await _refused(port)  # no new connections while stopping
                release.set()
                assert (await posting).status_code == 200
        finally:
            if bot.returncode is None:
                bot.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(bot.communicate(), timeout=20)
        logs = stderr.decode()
        assert bot.returncode == 0, logs
        posted = engine.last_message(group["id"])
        assert posted is not None
        assert posted["text"].startswith("🆘 Besoin n°1, par Alice")
        assert engine.calls_to("deleteWebhook") == []  # Telegram keeps queueing while we restart

    entries = [json.loads(line) for line in logs.splitlines() if line.strip()]
    assert entries
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    assert any("webhook mode" in entry["message"] for entry in entries)
    assert TOKEN not in logs
    assert SECRET not in logs
    assert "une perceuse" not in logs

    code, out, _ = await _voisinbot(env, tmp_path, "health")
    assert code == 1
    assert "stopped" in out
