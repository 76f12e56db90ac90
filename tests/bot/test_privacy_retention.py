"""Retention: closed posts, and everything of a group the bot left, are deleted for good after
VOISINBOT_RETENTION_DAYS, by one nightly purge that survives restarts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.harness import Neighbourhood
from voisinbot.services.privacy import RETENTION_KIND

Chat = dict[str, Any]
User = dict[str, Any]
PARIS = ZoneInfo("Europe/Paris")


async def test_one_nightly_purge_is_planned_and_kept_across_restarts(
    hood: Neighbourhood,
) -> None:
    store = hood.running_app.runtime.store
    pending = await store.schedules.pending_for(RETENTION_KIND, None)
    assert len(pending) == 1
    # Thursday 10:00 in Paris: the next purge is on Friday at 04:00, Paris time.
    due = pending[0].due_at.astimezone(PARIS)
    assert (due.day, due.hour, due.minute) == (27, 4, 0)
    await hood.restart()
    await hood.restart()
    store = hood.running_app.runtime.store
    assert [s.id for s in await store.schedules.pending_for(RETENTION_KIND, None)] == [
        pending[0].id
    ]
    hood.clock.advance(days=1)
    await hood.run_due()
    after = await store.schedules.pending_for(RETENTION_KIND, None)
    assert len(after) == 1 and after[0].due_at - pending[0].due_at == timedelta(days=1)


async def test_closed_posts_and_left_groups_go_after_the_retention_period(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    store = hood.running_app.runtime.store
    world = hood.world
    await hood.send(world.command(group, alice, "/besoin une échelle pour dimanche"))
    await hood.send(world.press(alice, hood.last(group), "✖ Annuler"))  # n°1, closed today
    await hood.send(world.command(group, alice, "/besoin des boutures de menthe"))  # n°2, open
    other = world.supergroup("Rue des Tanneurs")
    await hood.send(world.command(other, bob, "/offre des cours de guitare"))  # n°3
    hood.engine.set_admins(other["id"], [bob])
    await hood.send(world.command(other, bob, "/dates Fête | sam 12/12 | dim 13/12"))
    await hood.send(world.press(bob, hood.last(other), "1 ✅"))
    await hood.send(world.bot_removed(other, bob))
    group_row = await store.community.get_group(other["id"])
    assert group_row is not None and not group_row.active

    hood.clock.advance(days=15)
    await hood.run_due()  # n°2 expires on time
    # A day short of a year: everything is still there.
    hood.clock.advance(days=349)
    await hood.run_due()
    assert await store.posts.get(1) is not None
    assert await store.community.get_group(other["id"]) is not None

    hood.clock.advance(days=2)
    await hood.run_due()
    assert await store.posts.get(1) is None  # cancelled a year ago
    second = await store.posts.get(2)  # expired two weeks after it was posted: kept a while
    assert second is not None and second.status.value == "expired"
    assert await store.community.get_group(other["id"]) is None
    assert await store.posts.get(3) is None and await store.decisions.get(1) is None
    assert not await store.community.is_member_of(other["id"], bob["id"])
    # Bob was only in the group the bot left: nothing keeps his name any more.
    assert await store.community.get_member(bob["id"]) is None
    assert await store.community.get_member(alice["id"]) is not None
    assert await store.community.get_group(group["id"]) is not None
    assert len(await store.schedules.pending_for(RETENTION_KIND, None)) == 1

    hood.clock.advance(days=15)
    await hood.run_due()
    assert await store.posts.get(2) is None


async def test_the_retention_period_is_a_setting(tmp_path: Any) -> None:
    hood = Neighbourhood(tmp_path, settings_overrides={"retention_days": 30})
    await hood.start()
    try:
        group = hood.world.supergroup("Jardin")
        alice = hood.world.user("Alice")
        await hood.send(hood.world.command(group, alice, "/offre des confitures"))
        await hood.send(hood.world.press(alice, hood.last(group), "✖ Annuler"))
        hood.clock.advance(days=31)
        await hood.run_due()
        assert await hood.running_app.runtime.store.posts.get(1) is None
    finally:
        await hood.stop()
