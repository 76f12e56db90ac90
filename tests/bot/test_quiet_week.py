"""After a week without updates Telegram numbers the next ones from a new start, possibly
below the offset the bot stored: the bot must not acknowledge them away unseen."""

from typing import Any

from tests.harness import Neighbourhood


async def test_a_quiet_week_then_telegram_renumbers_and_nothing_is_missed(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    for _ in range(5):
        await hood.send(hood.world.command(group, alice, "/aide"))
    stored = await hood.running_app.runtime.store.state.update_offset()
    assert stored is not None and stored > 3

    hood.clock.advance(days=7)
    hood.engine.renumber_updates_from(2)  # below the stored offset
    before = len(hood.said(group))
    await hood.send(hood.world.command(group, alice, "/besoin porter un canapé samedi"))
    assert len(hood.said(group)) == before + 1
    assert "porter un canapé" in hood.last_text(group)
    # From then on the new numbering is followed, one answer per update.
    await hood.send(hood.world.command(group, alice, "/aide"))
    assert len(hood.said(group)) == before + 2
    assert await hood.running_app.runtime.store.state.update_offset(hood.clock()) == 4


async def test_within_the_week_the_offset_still_holds(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, alice, "/aide"))
    stored = await hood.running_app.runtime.store.state.update_offset()
    hood.clock.advance(days=5)
    assert await hood.running_app.runtime.store.state.update_offset(hood.clock()) == stored
