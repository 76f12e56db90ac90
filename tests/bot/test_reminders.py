"""Reminders set by a facilitator come once, on time, also across a restart."""

from datetime import UTC, datetime
from typing import Any

from tests.harness import Neighbourhood

FRIDAY_18_PARIS = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


def _reminders(hood: Neighbourhood, group: dict[str, Any]) -> list[str]:
    return [text for text in hood.said(group) if text.startswith("⏰ Rappel :")]


async def test_a_reminder_set_before_a_restart_still_comes_once(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(
        hood.world.command(
            group, alice, "/rappel vendredi 18h | Apportez vos graines pour le troc !"
        )
    )
    confirmation = hood.last(group)
    assert (
        confirmation["text"]
        == "⏰ Rappel programmé pour ven. 27 nov., 18:00 : « Apportez vos graines pour le troc ! »"
    )
    await hood.restart()
    hood.clock.now = FRIDAY_18_PARIS.replace(second=30)
    await hood.run_due()
    assert _reminders(hood, group) == ["⏰ Rappel : Apportez vos graines pour le troc !"]
    await hood.run_due()
    await hood.restart()
    assert len(_reminders(hood, group)) == 1


async def test_residents_cannot_set_reminders_and_bad_times_are_explained(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, bob, "/rappel demain 9h | réunion"))
    assert hood.last_text(group) == "Seuls les animateurs du groupe peuvent faire cela."
    await hood.send(hood.world.command(group, alice, "/rappel bientôt | réunion"))
    assert hood.last_text(group).startswith("Je n'ai pas compris quand.")
    await hood.send(hood.world.command(group, alice, "/rappel demain 9h réunion"))
    assert hood.last_text(group).startswith("Écrivez quand, une barre, puis le texte.")
    assert await hood.running_app.runtime.store.schedules.pending_for("reminder", group["id"]) == []


async def test_a_cancelled_reminder_never_comes(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, "/rappel vendredi 18h | Apéro du jardin"))
    await hood.send(hood.world.command(group, alice, "/rappels"))
    listing = hood.last(group)
    assert listing["text"].splitlines()[1] == "• ven. 27 nov., 18:00 — Apéro du jardin"
    refused = hood.world.press(bob, listing, hood.buttons(listing)[0])
    await hood.send(refused)
    assert hood.engine.callback_answer(refused["callback_query"]["id"])["show_alert"] is True
    await hood.send(hood.world.press(alice, listing, hood.buttons(listing)[0]))
    hood.clock.now = FRIDAY_18_PARIS.replace(minute=1)
    await hood.run_due()
    assert _reminders(hood, group) == []


async def test_a_reminder_missed_by_more_than_an_hour_is_skipped(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, "/rappel vendredi 18h | Apéro du jardin"))
    await hood.stop()
    hood.clock.now = FRIDAY_18_PARIS.replace(hour=19, minute=30)
    await hood.start()
    assert _reminders(hood, group) == []
