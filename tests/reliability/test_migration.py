"""A basic group upgraded to a supergroup gets a new chat id: everything follows it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.harness import START, Neighbourhood
from voisinbot.bot.app import VoisinApp
from voisinbot.bot.scheduler import ScheduleKind
from voisinbot.domain.posts import PostKind
from voisinbot.domain.schedules import Schedule
from voisinbot.storage import Store

KIND = "reliability-check"


def record_runs(hood: Neighbourhood) -> list[int | None]:
    ran: list[int | None] = []

    async def run(app: VoisinApp, schedule: Schedule) -> None:
        ran.append(schedule.chat_id)

    hood.running_app.runtime.scheduler.register(KIND, ScheduleKind(run=run))
    return ran


async def _group_with_a_post_and_a_schedule(
    hood: Neighbourhood, alice: dict[str, Any]
) -> dict[str, Any]:
    old = hood.world.group("Rue des Lilas")
    await hood.send(hood.world.command(old, alice, "/besoin une échelle pour dimanche"))
    store = hood.running_app.runtime.store
    await store.schedules.add(
        KIND, START + timedelta(hours=1), timedelta(hours=1), START, chat_id=old["id"]
    )
    return old


@pytest.mark.parametrize("order", ["to_then_from", "from_then_to"])
async def test_upgrade_messages_move_posts_and_schedules(
    hood: Neighbourhood, alice: dict[str, Any], bob: dict[str, Any], order: str
) -> None:
    ran = record_runs(hood)
    old = await _group_with_a_post_and_a_schedule(hood, alice)
    new = hood.world.supergroup("Rue des Lilas")
    to_old, from_new = hood.world.migrate(old, new)
    await hood.send(*((to_old, from_new) if order == "to_then_from" else (from_new, to_old)))

    store = hood.running_app.runtime.store
    assert await store.community.get_group(old["id"]) is None
    moved = await store.community.get_group(new["id"])
    assert moved is not None and moved.chat_type == "supergroup" and moved.active
    assert await store.community.is_member_of(new["id"], alice["id"])
    await hood.send(hood.world.command(new, bob, "/besoins"))
    assert "une échelle pour dimanche" in hood.last_text(new)

    hood.clock.advance(hours=2)
    await hood.run_due()
    assert ran == [new["id"]]


async def test_a_send_to_the_old_id_follows_the_group(
    hood: Neighbourhood, alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    old = await _group_with_a_post_and_a_schedule(hood, alice)
    new = hood.world.supergroup("Rue des Lilas")
    # Telegram upgraded the group; Bob's command was fetched before the bot heard of it.
    hood.engine.migrate(old["id"], new["id"])
    command = hood.world.command(old, bob, "/besoins")
    hood.engine.push_update(command, force=True)
    await hood.send()
    # The list went to the new chat (Telegram refused the old id with migrate_to_chat_id)...
    assert "une échelle pour dimanche" in hood.last_text(new)
    # ...and the group's rows moved with it.
    store = hood.running_app.runtime.store
    assert await store.community.get_group(old["id"]) is None
    posts = await store.posts.active(new["id"], PostKind.NEED, hood.clock(), limit=10)
    assert [p.text for p in posts] == ["une échelle pour dimanche"]
    assert [s.chat_id for s in await store.schedules.due(START + timedelta(hours=2))] == [new["id"]]


async def test_migrate_group_merges_when_both_ids_are_known(tmp_path: Path) -> None:
    store = await Store.connect(tmp_path / "merge.sqlite3")
    try:
        community, now = store.community, START
        old, new = -4_000_000_001, -1_001_000_000_001
        await community.add_group(old, "Lilas", "group", "en", "Europe/Paris", now)
        await community.add_group(
            new, "Lilas", "supergroup", "fr", "Europe/Paris", now + timedelta(1)
        )
        for user in (1, 2):
            await community.save_member(user, f"R{user}", "fr", now, chat_id=old)
        await community.save_member(1, "R1", "fr", now, chat_id=new)
        await community.set_role(old, 1, "facilitator", now)
        first = await store.posts.create(
            chat_id=old, author_id=1, kind=PostKind.NEED, text="old five", now=now,
            expires_at=now + timedelta(days=3), source_message_id=5,
        )  # fmt: skip
        second = await store.posts.create(
            chat_id=new, author_id=2, kind=PostKind.NEED, text="new five", now=now,
            expires_at=now + timedelta(days=3), source_message_id=5,
        )  # fmt: skip
        await store.state.expect_input(old, 9, 2, "declare:need", now)
        await store.outbox.reserve("digest", old, "2026-W48", now)
        await store.outbox.reserve("digest", new, "2026-W48", now)

        assert await community.migrate_group(old, new) > 0
        assert await community.migrate_group(old, new) == 0  # idempotent

        assert await community.get_group(old) is None
        merged = await community.get_group(new)
        assert merged is not None and merged.locale == "en"  # the older row's settings win
        assert await community.is_appointed_facilitator(new, 1)
        assert await community.is_member_of(new, 2)
        posts = await store.posts.active(new, PostKind.NEED, now, limit=10)
        assert sorted(p.id for p in posts) == sorted([first[0].id, second[0].id])
        # The newer chat's message 5 keeps its idempotency key; the old one gave it up.
        assert (await store.posts.by_source(new, 5)).id == second[0].id  # type: ignore[union-attr]
        assert await store.state.pending_input(new, 9) is not None
        assert await store.outbox.state_of("digest", new, "2026-W48") == "sending"
        assert await store.db.fetch_value("SELECT count(*) FROM outbox") == 1
    finally:
        await store.close()


async def test_a_settings_panel_opened_before_the_upgrade_still_works(
    hood: Neighbourhood, alice: dict[str, Any]
) -> None:
    old = hood.world.group("Rue des Lilas")
    private = hood.world.private(alice)
    await hood.send(hood.world.command(private, alice, "/start"))
    hood.engine.set_admins(old["id"], [alice])
    await hood.send(hood.world.command(old, alice, "/aide"))
    await hood.send(hood.world.command(private, alice, f"/start settings_{old['id']}"))
    panel = hood.last(private)
    assert panel["text"].startswith("⚙️ Réglages de « Rue des Lilas »")

    new = hood.world.supergroup("Rue des Lilas")
    hood.engine.set_admins(new["id"], [alice])
    await hood.send(*hood.world.migrate(old, new))

    await hood.send(hood.world.press(alice, panel, "🗳 Sondages"))
    panel = hood.engine.message(private["id"], panel["message_id"]) or {}
    press = hood.world.press(alice, panel, "Tout le monde")
    await hood.send(press)
    answer = hood.engine.callback_answer(press["callback_query"]["id"])
    assert answer is not None and answer["text"] == "✓ Enregistré"
    stored = await hood.running_app.runtime.store.community.get_group(new["id"])
    assert stored is not None and stored.settings["polls_open_to_all"] is True
    # The panel's buttons now carry the group's new id.
    panel = hood.engine.message(private["id"], panel["message_id"]) or {}
    assert all(
        str(new["id"]) in (data or "") for row in hood.engine.buttons(panel) for _, data in row
    )
    # The link sent before the upgrade opens the same panel.
    await hood.send(hood.world.command(private, alice, f"/start settings_{old['id']}"))
    assert hood.last_text(private).startswith("⚙️ Réglages de « Rue des Lilas »")
