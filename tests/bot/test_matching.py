"""Matching in the group: the right neighbour comes up under a need, with a reason; offerers
who want alerts are told privately; nobody is disturbed for a wrong match."""

from typing import Any

from tests.harness import Neighbourhood
from voisinbot.domain.matching import Features, lexicon_fingerprint
from voisinbot.services.matching import LEXICON_KEY


async def _started(hood: Neighbourhood, *users: dict[str, Any]) -> None:
    for user in users:
        await hood.send(hood.world.command(hood.world.private(user), user, "/start"))


async def test_a_need_shows_the_offer_that_can_help_and_alerts_its_author(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _started(hood, alice, bob)
    await hood.send(hood.world.command(group, bob, "/offre petite plomberie, je répare les fuites"))
    await hood.send(hood.world.command(group, alice, "/besoin mon évier fuit 😩 qqn dispo ?"))
    card = hood.last(group)
    lines = card["text"].splitlines()
    assert "💡 Peut-être :" in lines
    assert "• Bob (n°1) — parce que : plomberie" in lines
    assert "🙋 Demander à Bob — plomberie" in hood.buttons(card)
    alert = hood.last(hood.world.private(bob))
    assert alert["text"].startswith(
        "💡 Un nouveau besoin pourrait correspondre à votre offre n°1 (plomberie)"
    )
    assert hood.buttons(alert)[0] == "🙋 Je peux aider"
    # Bob answers from the alert: Alice is asked whether to accept.
    await hood.send(hood.world.press(bob, alert, "🙋 Je peux aider"))
    assert hood.last_text(hood.world.private(alice)).startswith(
        "🙋 Bob propose son aide pour votre besoin n°2"
    )


async def test_the_author_asks_the_offerer_with_one_tap_and_others_cannot(
    hood: Neighbourhood,
    group: dict[str, Any],
    alice: dict[str, Any],
    bob: dict[str, Any],
    carol: dict[str, Any],
) -> None:
    await _started(hood, bob)
    await hood.send(hood.world.command(group, bob, "/alertes"))  # Bob turns alerts off here
    assert hood.last_text(group).startswith("🔕 Alertes désactivées pour ce groupe.")
    await hood.send(hood.world.command(group, bob, "/offre je prête ma perceuse et ma visseuse"))
    await hood.send(
        hood.world.command(group, alice, "/besoin besoin d'une perceuse pour fixer une étagère")
    )
    card = hood.last(group)
    ask = next(label for label in hood.buttons(card) if label.startswith("🙋 Demander à Bob"))
    before = len(hood.said(hood.world.private(bob)))
    assert before == 1  # the welcome only: no alert while alerts are off
    refused = hood.world.press(carol, card, ask)
    await hood.send(refused)
    assert hood.engine.callback_answer(refused["callback_query"]["id"])["show_alert"] is True
    await hood.send(hood.world.press(alice, card, ask))
    request = hood.last(hood.world.private(bob))
    assert request["text"].startswith(
        "🙋 Alice Martin vous demande un coup de main : « besoin d'une perceuse"
    )


async def test_an_offerer_who_never_started_the_bot_is_asked_in_the_group(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, bob, "/offre cours de maths et aide aux devoirs"))
    await hood.send(
        hood.world.command(group, alice, "/besoin soutien scolaire en maths pour mon fils (4e)")
    )
    card = hood.last(group)
    ask = next(label for label in hood.buttons(card) if label.startswith("🙋 Demander à Bob"))
    await hood.send(hood.world.press(alice, card, ask))
    notice = hood.last(group)
    assert (
        notice["text"]
        == "Bob, Alice Martin pense que votre offre n°1 pourrait aider pour le besoin n°2."
    )
    assert hood.buttons(notice) == ["🙋 Je peux aider"]


async def test_no_match_is_better_than_a_wrong_one(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _started(hood, bob)
    await hood.send(hood.world.command(group, bob, "/offre je garde des enfants le mercredi"))
    await hood.send(hood.world.command(group, alice, "/besoin qqn pour garder mon chat en août"))
    assert "💡" not in hood.last_text(group)
    assert len(hood.said(hood.world.private(bob))) == 1  # the welcome only


async def test_a_new_offer_tells_its_author_which_needs_it_answers(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], carol: dict[str, Any]
) -> None:
    await _started(hood, carol)
    await hood.send(hood.world.command(group, alice, "/besoin mon vélo a un pneu crevé"))
    await hood.send(hood.world.command(group, carol, "/offer I fix bikes, punctures and brakes"))
    said = hood.last(hood.world.private(carol))
    assert said["text"].startswith("💡 Your offer #2 may answer these needs:")
    assert "• #1 “mon vélo a un pneu crevé” — Alice Martin" in said["text"]
    await hood.send(hood.world.press(carol, said, "🙋 Help #1"))
    card = hood.engine.message(group["id"], hood.engine.messages(group["id"])[0]["message_id"])
    assert "🙋 1 voisin propose son aide" in card["text"]


async def test_muting_a_category_stops_those_alerts(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await _started(hood, bob)
    await hood.send(hood.world.command(group, bob, "/offre je répare les vélos"))
    await hood.send(hood.world.command(group, alice, "/besoin mon vélo déraille"))
    alert = hood.last(hood.world.private(bob))
    mute = next(label for label in hood.buttons(alert) if label.startswith("🔕"))
    await hood.send(hood.world.press(bob, alert, mute))
    count = len(hood.said(hood.world.private(bob)))
    await hood.send(hood.world.command(group, alice, "/besoin ma roue de vélo est voilée"))
    assert len(hood.said(hood.world.private(bob))) == count


async def test_after_an_upgrade_of_the_lexicon_old_posts_are_found_again(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, bob, "/offre petite plomberie, je répare les fuites"))
    runtime = hood.running_app.runtime
    assert runtime.reindex is not None
    await runtime.reindex  # a fresh database: nothing to analyse again
    store = runtime.store
    offer = await store.posts.get(1)
    assert offer is not None
    # As an older lexicon that knew nothing of plumbing would have left it.
    await store.matching.index(offer.id, offer.chat_id, offer.kind.value, Features().to_json(), [])
    await store.state.put_text(LEXICON_KEY, "an older lexicon")

    app = await hood.restart()
    assert app.runtime.reindex is not None
    assert await app.runtime.reindex == 1  # one active post analysed again
    assert await app.runtime.store.state.text(LEXICON_KEY) == lexicon_fingerprint()
    await hood.send(hood.world.command(group, alice, "/besoin mon évier fuit 😩 qqn dispo ?"))
    assert "• Bob (n°1) — parce que : plomberie" in hood.last_text(group).splitlines()

    # Nothing changed since: the next start analyses nothing.
    app = await hood.restart()
    assert app.runtime.reindex is not None and await app.runtime.reindex == 0


async def test_only_a_direct_match_writes_to_the_offerer_privately(
    hood: Neighbourhood,
    group: dict[str, Any],
    alice: dict[str, Any],
    bob: dict[str, Any],
    carol: dict[str, Any],
) -> None:
    await _started(hood, bob, carol)
    await hood.send(hood.world.command(group, bob, "/offre petite plomberie, je répare les fuites"))
    await hood.send(
        hood.world.command(group, carol, "/offre bricoleur, petits travaux en tout genre")
    )
    bob_before = len(hood.said(hood.world.private(bob)))
    carol_before = len(hood.said(hood.world.private(carol)))
    await hood.send(hood.world.command(group, alice, "/besoin mon évier fuit 😩 qqn dispo ?"))
    lines = hood.last_text(group).splitlines()
    # Both are suggested under the need: the plumber, and the handyman (a related trade)...
    assert "• Bob (n°1) — parce que : plomberie" in lines
    assert any(line.startswith("• Carol (n°2)") for line in lines)
    # ...but only the plumber is written to privately.
    assert len(hood.said(hood.world.private(bob))) == bob_before + 1
    assert len(hood.said(hood.world.private(carol))) == carol_before
