"""getUpdates: offsets acknowledge like Telegram, long polls wait without spinning."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

import pytest
from telegram import Bot
from telegram.error import Conflict

from voisinbot.fakeapi import FakeTelegram, World


async def test_offset_acknowledges_and_limit_truncates(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    alice = world.user("Alice")
    chat = world.private(alice)
    ids = [engine.push_update(world.message(chat, alice, f"m{i}")) or 0 for i in range(5)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 5

    first = await bot.get_updates(limit=2)
    assert [u.update_id for u in first] == ids[:2]
    # Without a new offset nothing is acknowledged: the same updates come again.
    again = await bot.get_updates(limit=2)
    assert [u.update_id for u in again] == ids[:2]

    rest = await bot.get_updates(offset=ids[2])
    assert [u.update_id for u in rest] == ids[2:]
    assert [u["update_id"] for u in engine.pending_updates()] == ids[2:]
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    assert engine.pending_updates() == []


async def test_negative_offset_keeps_only_the_last(
    bot: Bot, engine: FakeTelegram, world: World
) -> None:
    alice = world.user("Alice")
    chat = world.private(alice)
    for i in range(4):
        engine.push_update(world.message(chat, alice, f"m{i}"))
    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["m3"]
    assert len(engine.pending_updates()) == 1


async def test_push_assigns_ids_and_renumbers_late_updates(
    engine: FakeTelegram, world: World
) -> None:
    alice = world.user("Alice")
    chat = world.private(alice)
    early, late = world.message(chat, alice, "a"), world.message(chat, alice, "b")
    assert engine.push_update(late) == late["update_id"]
    renumbered = engine.push_update(early)
    assert renumbered is not None
    assert renumbered > late["update_id"]
    bare = engine.push_update({"message": early["message"]})
    assert bare is not None
    assert bare > renumbered


async def test_long_poll_waits_then_returns_empty(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=dt.timedelta(seconds=0.2)) == ()
    assert 0.15 <= time.monotonic() - started < 2


async def test_long_poll_wakes_on_push(bot: Bot, engine: FakeTelegram, world: World) -> None:
    alice = world.user("Alice")
    chat = world.private(alice)

    async def push_later() -> None:
        await asyncio.sleep(0.05)
        engine.push_update(world.message(chat, alice, "réveil"))

    started = time.monotonic()
    pusher = asyncio.create_task(push_later())
    updates = await bot.get_updates(timeout=5)
    await pusher
    assert time.monotonic() - started < 1
    assert [u.message.text for u in updates if u.message] == ["réveil"]


async def test_second_poller_terminates_the_first(engine: FakeTelegram) -> None:
    first = asyncio.create_task(engine.handle("getUpdates", {"timeout": 5}))
    await asyncio.sleep(0.01)
    second = asyncio.create_task(engine.handle("getUpdates", {"timeout": 0.05}))
    status, body = await first
    assert status == 409
    assert "terminated by other getUpdates request" in body["description"]
    assert (await second)[0] == 200


async def test_webhook_blocks_get_updates(bot: Bot, engine: FakeTelegram) -> None:
    await bot.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict):
        await bot.get_updates()
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_opt_in_update_types(bot: Bot, engine: FakeTelegram, world: World) -> None:
    group = world.supergroup("G")
    alice = world.user("Alice")
    chat_member = {
        "chat_member": {
            "chat": group,
            "from": alice,
            "date": 0,
            "old_chat_member": {"status": "left", "user": alice},
            "new_chat_member": {"status": "member", "user": alice},
        }
    }
    engine.push_update(chat_member)
    engine.push_update(world.command(group, alice, "/aide"))
    updates = await bot.get_updates()
    # chat_member is withheld unless asked for, as on Telegram.
    assert [u.message.text for u in updates if u.message] == ["/aide"]
    assert len(updates) == 1
    engine.push_update(chat_member)
    updates = await bot.get_updates(
        offset=updates[0].update_id + 1, allowed_updates=["chat_member"]
    )
    assert updates[0].chat_member is not None


async def test_privacy_mode_filters_group_chatter(engine: FakeTelegram, world: World) -> None:
    group = world.group("G")
    alice = world.user("Alice")
    other_bot = world.user("Autre", username="autre_bot", is_bot=True)
    bot_message = (await engine.handle("sendMessage", {"chat_id": group["id"], "text": "?"}))[1]
    delivered = {
        "command": world.command(group, alice, "/besoin canapé"),
        "addressed": world.command(group, alice, "/besoin@voisinbot_bot canapé"),
        "reply": world.reply(group, alice, "oui", to=bot_message["result"]),
        "service": world.member_joined(group, world.user("Bob")),
        "private": world.message(world.private(alice), alice, "salut"),
        "anonymous admin": world.anonymous_admin_message(group, "/regles"),
    }
    dropped = {
        "chatter": world.message(group, alice, "bonjour à tous"),
        "other bot's command": world.command(group, alice, "/start@autre_bot"),
        "other bot": world.message_from_bot(group, other_bot, "/besoin"),
    }
    for name, update in delivered.items():
        assert engine.push_update(update) is not None, name
    for name, update in dropped.items():
        assert engine.push_update(update) is None, name
    assert len(engine.dropped_updates) == len(dropped)
    engine.set_bot_admin(group["id"])
    assert engine.push_update(world.message(group, alice, "les admins voient tout"))


async def test_unprivileged_engine_sees_everything(world: World) -> None:
    engine = FakeTelegram(privacy_mode=False)
    world = World(engine)
    group, alice = world.group("G"), world.user("Alice")
    assert engine.push_update(world.message(group, alice, "bonjour")) is not None
    me = (await engine.handle("getMe", {}))[1]["result"]
    assert me["can_read_all_group_messages"] is True
