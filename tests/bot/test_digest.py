"""The weekly digest arrives once, on time, with the right figures, also across restarts."""

from datetime import UTC, datetime
from typing import Any

from tests.harness import Neighbourhood

MONDAY_9_PARIS = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


async def _lively_week(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await hood.send(hood.world.bot_added(group, alice))
    await hood.send(hood.world.command(hood.world.private(alice), alice, "/start"))
    await hood.send(hood.world.command(group, alice, "/besoin une échelle pour la gouttière"))
    await hood.send(hood.world.command(group, bob, "/offre je prête ma perceuse"))
    await hood.send(hood.world.command(group, bob, "/besoin quelqu'un pour nourrir mon chat"))
    card = hood.last(group)
    await hood.send(hood.world.press(alice, card, "🙋 Je peux aider"))
    await hood.send(hood.world.command(hood.world.private(bob), bob, "/start"))
    await hood.send(hood.world.command(hood.world.private(bob), bob, "/start post_3"))
    ask = hood.last(hood.world.private(bob))
    await hood.send(hood.world.press(bob, ask, "✅ Accepter Alice Martin"))
    await hood.send(hood.world.press(bob, card, "✅ C'est fait"))
    await hood.send(
        hood.world.press(bob, hood.last(hood.world.private(bob)), "🙏 Merci Alice Martin")
    )


def _digests(hood: Neighbourhood, group: dict[str, Any]) -> list[str]:
    return [text for text in hood.said(group) if text.startswith("📰")]


async def test_digest_arrives_once_with_the_week_in_figures(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _lively_week(hood, group, alice, bob)
    hood.clock.now = MONDAY_9_PARIS.replace(minute=1)
    await hood.run_due()
    digests = _digests(hood, group)
    assert len(digests) == 1
    lines = digests[0].splitlines()
    assert lines[0] == "📰 La semaine du quartier (23 nov. – 30 nov.)"
    assert lines[1] == "1 coup de main (+1) · 1 merci · 2 nouveaux besoins · 1 nouvelle offre"
    assert "🆘 Toujours en attente d'un coup de main" in lines
    assert "• n°1 une échelle pour la gouttière — Alice Martin" in lines
    assert "• n°3 quelqu'un pour nourrir mon chat — merci à Alice Martin" in lines
    digest = next(m for m in hood.engine.messages(group["id"]) if m["text"].startswith("📰"))
    assert hood.buttons(digest) == ["🙋 n°1"]
    await hood.run_due()
    hood.clock.advance(hours=3)
    await hood.run_due()
    assert len(_digests(hood, group)) == 1


async def test_digest_due_while_stopped_runs_once_within_grace_and_never_twice(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _lively_week(hood, group, alice, bob)
    await hood.stop()
    hood.clock.now = MONDAY_9_PARIS.replace(hour=10)  # two hours late: within the 6 h grace
    await hood.start()
    assert len(_digests(hood, group)) == 1
    await hood.restart()
    assert len(_digests(hood, group)) == 1
    # The next one is planned a week later.
    hood.clock.now = MONDAY_9_PARIS.replace(day=7, month=12, minute=5)
    await hood.run_due()
    assert len(_digests(hood, group)) == 2


async def test_digest_missed_beyond_grace_is_skipped(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _lively_week(hood, group, alice, bob)
    await hood.stop()
    hood.clock.now = MONDAY_9_PARIS.replace(hour=15)  # seven hours late
    await hood.start()
    assert _digests(hood, group) == []


async def test_quiet_group_gets_no_digest_and_one_nudge_a_month(
    hood: Neighbourhood, alice: dict[str, Any]
) -> None:
    quiet = hood.world.supergroup("Rue calme")
    await hood.send(hood.world.bot_added(quiet, alice))
    for month, day in ((11, 30), (12, 7), (12, 14), (12, 21)):
        hood.clock.now = datetime(2026, month, day, 8, 1, tzinfo=UTC)
        await hood.run_due()
    said = hood.said(quiet)
    assert not any(text.startswith("📰") for text in said)
    nudges = [text for text in said if text.startswith("🌱")]
    assert len(nudges) == 2  # one in November, one in December


async def test_facilitator_previews_and_moves_the_digest(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _lively_week(hood, group, alice, bob)
    hood.engine.set_admins(group["id"], [alice])
    hood.clock.advance(minutes=2)  # Alice was just promoted: the bot asks Telegram again
    await hood.send(hood.world.command(group, bob, "/digest ici"))
    assert hood.last_text(group) == "Seuls les animateurs du groupe peuvent faire cela."
    await hood.send(hood.world.command(group, alice, "/digest ici"))
    assert hood.last_text(group).startswith("👀 Aperçu\n\n📰 La semaine du quartier")
    await hood.send(hood.world.command(group, alice, "/digest"))
    assert hood.last_text(hood.world.private(alice)).startswith("👀 Aperçu")
    await hood.send(hood.world.command(group, alice, "/digest vendredi 18h"))
    assert hood.last_text(group).startswith(
        "Le résumé hebdomadaire arrive chaque vendredi à 18:00, sans graphique."
    )
    await hood.send(hood.world.command(group, alice, "/digest graphique on"))
    hood.clock.now = datetime(2026, 11, 27, 17, 1, tzinfo=UTC)  # Friday 18:01 Paris
    await hood.run_due()
    assert len(_digests(hood, group)) == 1
    photos = hood.engine.calls_to("sendPhoto")
    assert len(photos) == 1
    assert photos[0].ok
    hood.clock.now = MONDAY_9_PARIS.replace(minute=1)
    await hood.run_due()
    assert len(_digests(hood, group)) == 1  # Monday is no longer the day


async def test_a_digest_whose_send_timed_out_is_not_repeated_blindly(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    from voisinbot.fakeapi import Fault

    await _lively_week(hood, group, alice, bob)
    # Telegram got the digest but the answer never came back.
    hood.engine.fail_next("sendMessage", Fault.timeout(delivered=True), chat_id=group["id"])
    hood.clock.now = MONDAY_9_PARIS.replace(minute=1)
    await hood.run_due()
    assert len(_digests(hood, group)) == 1  # delivered once, by Telegram
    state = await hood.running_app.runtime.store.outbox.state_of("digest", group["id"], "2026-W49")
    assert state == "uncertain"
    await hood.restart()
    await hood.run_due()
    assert len(_digests(hood, group)) == 1  # never sent a second time


async def test_digest_shows_decisions_taken_open_and_coming_sign_ups(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.bot_added(group, alice))
    await hood.send(
        hood.world.command(group, alice, "/sondage Pizza ou crêpes ? | Pizza | Crêpes | 24h")
    )
    poll = next(m for m in hood.engine.messages(group["id"]) if "poll" in m)
    await hood.send(hood.world.poll_answer(poll["poll"]["id"], bob, [1]))
    await hood.send(
        hood.world.command(
            group, alice, "/sondage Date de la fête ? | Samedi | Dimanche | 10 jours"
        )
    )
    await hood.send(
        hood.world.command(group, alice, "/inscriptions Arrosage | mar 1/12 (2) | jeu 3/12 (2)")
    )
    hood.clock.advance(days=1, minutes=1)  # the first poll closes on Friday
    await hood.run_due()
    hood.clock.now = MONDAY_9_PARIS.replace(minute=1)
    await hood.run_due()
    digest = next(text for text in hood.said(group) if text.startswith("📰")).splitlines()
    assert "🗳 Décisions prises" in digest
    assert "• Pizza ou crêpes ? — choix : Crêpes" in digest
    assert "🗳 Décisions en cours" in digest
    assert any(line.startswith("• Date de la fête ? — jusqu'au ") for line in digest)
    assert "📋 Inscriptions à venir" in digest
    assert any(
        line.startswith("• mar. 1 déc.") and "Arrosage — mar 1/12" in line for line in digest
    )
