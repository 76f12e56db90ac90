"""Quick polls: launched by facilitators, answered with Telegram's native poll, closed on
time (also across a restart) with the result under the poll."""

from datetime import timedelta
from typing import Any

from tests.harness import Neighbourhood
from voisinbot.bot.handlers.decision_base import OPEN_TO_ALL
from voisinbot.fakeapi import Fault

Chat = dict[str, Any]
User = dict[str, Any]


def _poll_message(hood: Neighbourhood, group: Chat) -> dict[str, Any]:
    polls = [m for m in hood.engine.messages(group["id"]) if "poll" in m]
    assert polls, "no poll was sent"
    return polls[-1]


def _control(hood: Neighbourhood, group: Chat) -> dict[str, Any]:
    """The small message under the poll, with the facilitators' buttons."""
    poll = _poll_message(hood, group)
    found = [
        m
        for m in hood.engine.messages(group["id"])
        if (m.get("reply_to_message") or {}).get("message_id") == poll["message_id"]
    ]
    return found[0]


async def _launch(hood: Neighbourhood, group: Chat, by: User, line: str) -> dict[str, Any]:
    await hood.send(hood.world.command(group, by, line))
    return _poll_message(hood, group)


async def test_a_facilitator_launches_a_named_poll(
    hood: Neighbourhood, group: Chat, alice: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    poll = await _launch(hood, group, alice, "/sondage Pizza ou crêpes ? | Pizza | Crêpes | 48h")
    assert poll["poll"]["question"] == "Pizza ou crêpes ?"
    assert [o["text"] for o in poll["poll"]["options"]] == ["Pizza", "Crêpes"]
    assert poll["poll"]["is_anonymous"] is False
    control = _control(hood, group)
    assert control["text"].splitlines()[:2] == [
        "⏳ Clôture sam. 28 nov. à 10:00.",
        "👥 Nominatif : chacun voit qui a voté quoi.",
    ]
    assert hood.buttons(control) == ["🔒 Clore maintenant", "⏳ +24 h", "🗑 Annuler"]
    decision = await hood.running_app.runtime.store.decisions.get(1)
    assert decision is not None
    assert (decision.message_id, decision.poll_id) == (poll["message_id"], poll["poll"]["id"])


async def test_a_resident_cannot_launch_nor_close(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, bob, "/poll Q ? | A | B"))
    assert hood.last_text(group) == "Seuls les animateur·rices du groupe peuvent lancer cela ici."
    assert hood.engine.calls_to("sendPoll") == []
    await _launch(hood, group, alice, "/sondage Q ? | A | B")
    control = _control(hood, group)
    press = hood.world.press(bob, control, "🔒 Clore maintenant")
    await hood.send(press)
    answer = hood.engine.callback_answer(press["callback_query"]["id"])
    assert answer is not None
    assert answer["text"] == "Seuls les animateur·rices du groupe peuvent faire cela."
    assert _poll_message(hood, group)["poll"]["is_closed"] is False
    decision = await hood.running_app.runtime.store.decisions.get(1)
    assert decision is not None and decision.is_open


async def test_a_group_may_open_polls_to_everyone(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, bob, "/aide"))  # the bot meets the group
    await hood.running_app.runtime.store.community.set_setting(group["id"], OPEN_TO_ALL, True)
    await _launch(hood, group, bob, "/sondage Q ? | A | B")
    # The author manages their own poll; the other residents still cannot.
    await hood.send(hood.world.press(bob, _control(hood, group), "🔒 Clore maintenant"))
    assert _poll_message(hood, group)["poll"]["is_closed"] is True


async def test_telegram_limits_are_checked_before_sending(
    hood: Neighbourhood, group: Chat, alice: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    options = " | ".join(f"Choix {i}" for i in range(13))
    await hood.send(hood.world.command(group, alice, f"/sondage Question ? | {options}"))
    text = hood.last_text(group)
    assert text.startswith("Je ne peux pas encore le lancer :")
    assert "Il y a 13 choix et la limite est de 12 : retirez-en 1" in text
    await hood.send(hood.world.command(group, alice, "/sondage " + "q" * 301 + " | A | B"))
    assert "La question fait 301 caractères et la limite est de 300" in hood.last_text(group)
    assert "raccourcissez-la de 1" in hood.last_text(group)
    assert hood.engine.calls_to("sendPoll") == []


async def test_markup_characters_are_sent_as_typed(
    hood: Neighbourhood, group: Chat, carol: User
) -> None:
    hood.engine.set_admins(group["id"], [carol])
    poll = await _launch(hood, group, carol, "/poll Tom & Jerry <3 ? | <b>A</b> | B & C")
    assert poll["poll"]["question"] == "Tom & Jerry <3 ?"
    assert [o["text"] for o in poll["poll"]["options"]] == ["<b>A</b>", "B & C"]


async def test_the_deadline_closes_the_poll_with_the_result_even_after_a_restart(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    for resident in (bob, carol):
        await hood.send(hood.world.command(group, resident, "/aide"))
    dave = hood.world.user("Dave")
    await hood.send(hood.world.command(group, dave, "/aide"))
    poll = await _launch(hood, group, alice, "/sondage Pizza ou crêpes ? | Pizza | Crêpes | 48h")
    poll_id = poll["poll"]["id"]
    await hood.send(
        hood.world.poll_answer(poll_id, alice, [0]),
        hood.world.poll_answer(poll_id, bob, [0]),
        hood.world.poll_answer(poll_id, carol, [1]),
        hood.world.poll_answer(poll_id, dave, [1]),
        hood.world.poll_answer(poll_id, dave, []),  # Dave takes his vote back
    )
    await hood.restart()
    hood.clock.advance(hours=47)
    await hood.run_due()
    assert _poll_message(hood, group)["poll"]["is_closed"] is False
    hood.clock.advance(hours=1)
    await hood.run_due()
    assert _poll_message(hood, group)["poll"]["is_closed"] is True
    result = hood.last(group)
    assert result["reply_to_message"]["message_id"] == poll["message_id"]
    assert result["text"].splitlines() == [
        "🏁 Résultat : Pizza ou crêpes ?",
        "🏆 Pizza — 2 voix (67\u00a0%)",
        "• Crêpes — 1 voix (33\u00a0%)",
        "",
        "Choix retenu : Pizza.",
        "Participation : 3 votant·es sur 4 voisin·es connu·es du bot (75\u00a0%).",
    ]
    assert hood.buttons(_control(hood, group)) == []
    assert _control(hood, group)["text"].startswith("🔒 Clos.")
    # Running again (a retried close) posts nothing more.
    before = len(hood.engine.messages(group["id"]))
    await hood.restart()
    await hood.run_due()
    assert len(hood.engine.messages(group["id"])) == before


async def test_a_tie_is_announced_as_such(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    poll = await _launch(hood, group, alice, "/sondage Q ? | A | B | C")
    await hood.send(
        hood.world.poll_answer(poll["poll"]["id"], alice, [0]),
        hood.world.poll_answer(poll["poll"]["id"], bob, [1]),
    )
    await hood.send(hood.world.press(alice, _control(hood, group), "🔒 Clore maintenant"))
    assert "Égalité entre A / B." in hood.last_text(group)


async def test_extend_gives_24_more_hours(hood: Neighbourhood, group: Chat, alice: User) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await _launch(hood, group, alice, "/sondage Q ? | A | B | 48h")
    press = hood.world.press(alice, _control(hood, group), "⏳ +24 h")
    await hood.send(press)
    answer = hood.engine.callback_answer(press["callback_query"]["id"])
    assert answer is not None and answer["text"] == "Clôture désormais dim. 29 nov. à 10:00."
    assert _control(hood, group)["text"].startswith("⏳ Clôture dim. 29 nov. à 10:00.")
    hood.clock.advance(hours=48)
    await hood.run_due()
    assert _poll_message(hood, group)["poll"]["is_closed"] is False
    hood.clock.advance(hours=24)
    await hood.run_due()
    assert _poll_message(hood, group)["poll"]["is_closed"] is True


async def test_cancel_asks_for_a_confirmation(
    hood: Neighbourhood, group: Chat, alice: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await _launch(hood, group, alice, "/sondage Q ? | A | B")
    await hood.send(hood.world.press(alice, _control(hood, group), "🗑 Annuler"))
    assert hood.buttons(_control(hood, group)) == ["🗑 Oui, annuler", "↩ Non, garder"]
    await hood.send(hood.world.press(alice, _control(hood, group), "↩ Non, garder"))
    assert hood.buttons(_control(hood, group))[0] == "🔒 Clore maintenant"
    await hood.send(hood.world.press(alice, _control(hood, group), "🗑 Annuler"))
    await hood.send(hood.world.press(alice, _control(hood, group), "🗑 Oui, annuler"))
    assert _control(hood, group)["text"].startswith("🗑 Annulé par un·e animateur·rice.")
    assert _poll_message(hood, group)["poll"]["is_closed"] is True
    hood.clock.advance(hours=49)
    await hood.run_due()
    assert not any(t.startswith("🏁") for t in hood.said(group))


async def test_forged_and_stale_buttons_change_nothing(
    hood: Neighbourhood, group: Chat, alice: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await _launch(hood, group, alice, "/sondage Q ? | A | B")
    control = _control(hood, group)
    other = hood.world.supergroup("Autre quartier")
    hood.engine.set_admins(other["id"], [alice])
    await hood.send(hood.world.command(other, alice, "/sondage Autre ? | X | Y"))
    for data in ("1|dc|close|99", "1|dc|explode|1", "1|dc|close|2", "9|dc|close|1", "1|dc|close"):
        forged = hood.world.callback(alice, control, data, check=False)
        await hood.send(forged)
        answer = hood.engine.callback_answer(forged["callback_query"]["id"])
        assert answer is not None and answer["text"] == "Ce bouton n'est plus valable.", data
    assert [m["poll"]["is_closed"] for m in hood.engine.messages(group["id"]) if "poll" in m] == [
        False
    ]
    # Once closed, the buttons are gone and an old one is refused politely.
    await hood.send(hood.world.press(alice, control, "🔒 Clore maintenant"))
    assert hood.buttons(_control(hood, group)) == []
    stale = hood.world.callback(alice, control, "1|dc|ext|1", check=False)
    await hood.send(stale)
    answer = hood.engine.callback_answer(stale["callback_query"]["id"])
    assert answer is not None
    assert answer["text"] in ("Cette décision est close.", "Ce bouton n'est plus valable.")
    decision = await hood.running_app.runtime.store.decisions.get(1)
    assert decision is not None and decision.closes_at is not None
    assert decision.closes_at == decision.created_at + timedelta(hours=48)


async def test_anonymous_poll_counts_totals_and_names_nobody(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    for resident in (bob, carol):
        await hood.send(hood.world.command(hood.world.private(resident), resident, "/start"))
        await hood.send(hood.world.command(group, resident, "/participer"))
    poll = await _launch(hood, group, alice, "/sondage Q ? | A | B | 48h anonyme secret")
    assert poll["poll"]["is_anonymous"] is True
    sent = hood.engine.calls_to("sendPoll")[-1].params
    assert sent.get("hide_results_until_closes") is True
    poll_id = poll["poll"]["id"]
    hood.world.poll_answer(poll_id, bob, [1])  # Telegram tallies; bots get no identities
    await hood.send(hood.world.poll_update(_poll_message(hood, group)["poll"]))
    store = hood.running_app.runtime.store
    assert await store.answers.answers(1) == []
    hood.clock.advance(hours=24)
    await hood.run_due()
    reminder = hood.last_text(group)
    assert reminder.startswith("⏰ Plus que 24 heures pour répondre : Q ?")
    assert "Bob" not in reminder and "Carol" not in reminder
    for resident in (bob, carol):
        assert not any(t.startswith("⏰") for t in hood.said(hood.world.private(resident)))
    hood.clock.advance(hours=24)
    await hood.run_due()
    assert "🏆 B — 1 voix (100\u00a0%)" in hood.last_text(group)


async def test_roster_members_who_did_not_vote_are_reminded_privately(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    for resident in (bob, carol):
        await hood.send(hood.world.command(hood.world.private(resident), resident, "/start"))
        await hood.send(hood.world.command(group, resident, "/participer"))
    assert hood.last_text(group).startswith("✅ Carol, vous êtes sur la liste de rappel")
    poll = await _launch(hood, group, alice, "/sondage Pizza ? | Oui | Non | 48h")
    await hood.send(hood.world.poll_answer(poll["poll"]["id"], bob, [0]))
    hood.clock.advance(hours=24)
    await hood.run_due()
    carol_chat, bob_chat = hood.world.private(carol), hood.world.private(bob)
    reminder = hood.last(carol_chat)
    assert reminder["text"].startswith("⏰ Jardin partagé des Lilas is deciding: Pizza ?")
    labels = hood.buttons(reminder)
    assert labels == ["Open it in the group", "🔕 Stop these reminders"]
    assert not any(t.startswith("⏰") for t in hood.said(bob_chat))
    # One tap leaves the list: no private reminder two hours before the close.
    await hood.send(hood.world.press(carol, reminder, "🔕 Stop these reminders"))
    hood.clock.advance(hours=22)
    await hood.run_due()
    assert len([t for t in hood.said(carol_chat) if t.startswith("⏰")]) == 1
    assert hood.last_text(group).startswith("⏰ Plus que 2 heures pour répondre")


async def test_guided_launch_survives_a_restart(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, "/sondage"))
    question = hood.last(group)
    assert question["text"] == "Quelle est la question ? Répondez à ce message."
    markup = hood.engine.sent_markup(group["id"], question["message_id"])
    assert markup is not None and markup["force_reply"] is True
    await hood.send(hood.world.reply(group, bob, "Pas ma question", to=question))
    await hood.send(hood.world.reply(group, alice, "On repeint le local ?", to=question))
    choices = hood.last(group)
    assert choices["text"].startswith("Maintenant les choix, un par ligne")
    await hood.restart()
    await hood.send(hood.world.reply(group, alice, "Oui\nNon\nanonyme", to=choices))
    poll = _poll_message(hood, group)
    assert poll["poll"]["question"] == "On repeint le local ?"
    assert [o["text"] for o in poll["poll"]["options"]] == ["Oui", "Non"]
    assert poll["poll"]["is_anonymous"] is True
    assert len(hood.engine.calls_to("sendPoll")) == 1


async def test_in_private_the_commands_point_to_the_group(hood: Neighbourhood, carol: User) -> None:
    chat = hood.world.private(carol)
    await hood.send(hood.world.command(chat, carol, "/poll Q | A | B"))
    assert hood.last_text(chat) == (
        "Polls are launched in your neighbourhood group: write /poll there."
    )
    await hood.send(hood.world.command(chat, carol, "/participate"))
    assert hood.last_text(chat).startswith("The reminder list belongs to a group")


async def test_a_close_is_retried_while_telegram_is_unreachable(
    hood: Neighbourhood, group: Chat, alice: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    poll = await _launch(hood, group, alice, "/sondage Q ? | A | B | 2h")
    await hood.send(hood.world.poll_answer(poll["poll"]["id"], alice, [1]))
    hood.engine.fail_next("stopPoll", Fault.server_error(), times=20)  # Telegram is down
    hood.clock.advance(hours=2)
    await hood.run_due()
    assert not any(t.startswith("🏁") for t in hood.said(group))
    hood.engine.clear_faults()
    hood.clock.advance(minutes=2)
    await hood.run_due()
    assert _poll_message(hood, group)["poll"]["is_closed"] is True
    assert [t for t in hood.said(group) if t.startswith("🏁")] == [
        "🏁 Résultat : Q ?\n• A — 0 voix (0\u00a0%)\n🏆 B — 1 voix (100\u00a0%)\n\n"
        "Choix retenu : B.\nParticipation : 1 votant·e sur 1 voisin·e connu·e du bot (100\u00a0%)."
    ]
