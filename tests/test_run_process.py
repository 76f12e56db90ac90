"""`voisinbot run` as an operator starts it: a real process, real HTTP to a Bot API on
loopback, SIGTERM, restart. Nothing is lost across the restart."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from voisinbot.fakeapi import FakeTelegram, FakeTelegramServer, World

TOKEN = "123456:PROCESS-TEST"


async def _start_bot(server: FakeTelegramServer, database: Path) -> asyncio.subprocess.Process:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "VOISINBOT_BOT_TOKEN": TOKEN,
        "VOISINBOT_API_BASE_URL": server.base_url,
        "VOISINBOT_API_BASE_FILE_URL": server.base_url.replace("/bot", "/file/bot"),
        "VOISINBOT_DATABASE": str(database),
        "VOISINBOT_POLL_TIMEOUT": "1",
        "VOISINBOT_LOG_LEVEL": "INFO",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "voisinbot",
        "run",
        env=env,
        cwd=database.parent,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(process: asyncio.subprocess.Process) -> str:
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 0, stderr.decode()
    return stderr.decode()


async def test_run_answers_over_http_and_keeps_posts_across_sigterm(tmp_path: Path) -> None:
    engine = FakeTelegram(username="voisinbot_bot")
    world = World(engine)
    group = world.supergroup("Jardin partagé des Lilas")
    alice = world.user("Alice", language_code="fr")
    carol = world.user("Carol", language_code="en")
    database = tmp_path / "voisinbot.sqlite3"
    async with FakeTelegramServer(engine, token=TOKEN) as server:
        bot = await _start_bot(server, database)
        try:
            for user in (alice, carol):
                engine.push_update(world.command(world.private(user), user, "/start"))
            engine.push_update(
                world.command(group, alice, "/besoin@voisinbot_bot une perceuse pour samedi")
            )
            assert await engine.wait_for_calls("sendMessage", 3, within=20)
        finally:
            logs = await _stop(bot)
        assert engine.last_message(alice["id"])["text"].startswith("👋 Bonjour Alice")  # type: ignore[index]
        assert engine.last_message(carol["id"])["text"].startswith("👋 Hello Carol")  # type: ignore[index]
        assert engine.last_message(group["id"])["text"].startswith("🆘 Besoin n°1, par Alice")  # type: ignore[index]
        assert TOKEN not in logs
        assert "une perceuse" not in logs  # residents' words stay out of the logs

        bot = await _start_bot(server, database)
        try:
            engine.push_update(world.command(group, carol, "/besoins"))
            assert await engine.wait_for_calls("sendMessage", 4, within=20)
        finally:
            await _stop(bot)
        listing = engine.last_message(group["id"])["text"]  # type: ignore[index]
        assert "• n°1 une perceuse pour samedi — Alice" in listing
        # Each update was handled once: three answers before the restart, one after.
        assert len([c for c in engine.calls_to("sendMessage") if c.ok]) == 4
