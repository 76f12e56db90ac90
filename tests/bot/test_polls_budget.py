"""Citizen budget: announced in the group, voted privately within the budget, funded in
order of votes at the close."""

from typing import Any

from tests.harness import BOT_USERNAME, Neighbourhood

Chat = dict[str, Any]
User = dict[str, Any]

LINE = "/budget Budget 2027 | 5000 € | Bancs 3000 | Composteur 2500 | Fresque 1500 | Jeux 500 | 48h"


async def _launch(hood: Neighbourhood, group: Chat, alice: User) -> dict[str, Any]:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, LINE))
    return hood.last(group)


async def _open_ballot(hood: Neighbourhood, resident: User) -> dict[str, Any]:
    chat = hood.world.private(resident)
    await hood.send(hood.world.command(chat, resident, "/start budget_1"))
    return hood.last(chat)


async def _tap(
    hood: Neighbourhood, resident: User, ballot: dict[str, Any], label: str
) -> dict[str, Any]:
    """Tap the ballot button starting with ``label``; returns the callback answer."""
    current = hood.engine.message(ballot["chat"]["id"], ballot["message_id"]) or ballot
    for row in hood.engine.buttons(current):
        for text, data in row:
            if text.startswith(label) and data is not None:
                press = hood.world.callback(resident, current, data)
                await hood.send(press)
                return hood.engine.callback_answer(press["callback_query"]["id"]) or {}
    raise AssertionError(f"no button {label!r} in {hood.buttons(current)}")


async def test_the_group_gets_the_projects_and_a_private_vote_button(
    hood: Neighbourhood, group: Chat, alice: User
) -> None:
    announcement = await _launch(hood, group, alice)
    lines = announcement["text"].splitlines()
    assert lines[:3] == [
        "💶 Budget participatif : Budget 2027",
        "Budget : 5\u202f000\u00a0€",
        "⏳ Clôture sam. 28 nov. à 10:00.",
    ]
    assert "• Composteur — 2\u202f500\u00a0€" in lines
    rows = hood.engine.buttons(announcement)
    assert rows[0] == [("🗳 Voter en privé", f"https://t.me/{BOT_USERNAME}?start=budget_1")]


async def test_a_ballot_stays_within_the_budget(
    hood: Neighbourhood, group: Chat, alice: User, carol: User
) -> None:
    await _launch(hood, group, alice)
    await hood.send(hood.world.command(group, carol, "/help"))  # Carol is seen in the group
    ballot = await _open_ballot(hood, carol)
    assert ballot["text"].startswith("🗳 Budget 2027 — Jardin partagé des Lilas")
    assert "Selected: €0 · left: €5,000" in ballot["text"]
    await _tap(hood, carol, ballot, "☐ Bancs")
    await _tap(hood, carol, ballot, "☐ Fresque")
    answer = await _tap(hood, carol, ballot, "☐ Composteur")
    assert answer["show_alert"] is True
    assert answer["text"] == "That would go €2,000 over the budget: unselect a project first."
    current = hood.engine.message(ballot["chat"]["id"], ballot["message_id"])
    assert current is not None
    assert "Selected: €4,500 · left: €500" in current["text"]
    assert hood.buttons(current)[:3] == [
        "☑ Bancs · €3,000",
        "☐ Composteur · €2,500",
        "☑ Fresque · €1,500",
    ]
    answer = await _tap(hood, carol, ballot, "✅ Submit my ballot")
    assert answer["text"] == "Your ballot is recorded. Thank you!"
    current = hood.engine.message(ballot["chat"]["id"], ballot["message_id"])
    assert current is not None
    assert "✅ Your ballot is recorded. You can change it until the close." in current["text"]
    ballot_row = await hood.running_app.runtime.store.answers.ballot(1, carol["id"])
    assert ballot_row.submitted == (0, 2)


async def test_only_residents_seen_in_the_group_may_vote(
    hood: Neighbourhood, group: Chat, alice: User
) -> None:
    await _launch(hood, group, alice)
    stranger = hood.world.user("Eve", language_code="en")
    reply = await _open_ballot(hood, stranger)
    assert reply["text"].startswith(
        "This ballot is for the residents of Jardin partagé des Lilas, and I have not seen you"
    )
    assert hood.buttons(reply) == []


async def test_the_close_funds_projects_by_votes_and_skips_what_no_longer_fits(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    announcement = await _launch(hood, group, alice)
    dave = hood.world.user("Dave")
    choices = [
        (alice, ["☐ Bancs", "☐ Jeux"]),
        (bob, ["☐ Composteur", "☐ Jeux"]),
        (carol, ["☐ Composteur", "☐ Fresque"]),
        (dave, ["☐ Bancs", "☐ Fresque"]),
    ]
    for resident, picks in choices:
        await hood.send(hood.world.command(group, resident, "/aide"))
        ballot = await _open_ballot(hood, resident)
        for label in picks:
            await _tap(hood, resident, ballot, label)
        if resident is not dave:  # Dave never submits: his selection does not count
            await _tap(hood, resident, ballot, "✅")
    await hood.restart()
    hood.clock.advance(hours=48)
    await hood.run_due()
    result = hood.last(group)
    assert result["reply_to_message"]["message_id"] == announcement["message_id"]
    assert result["text"].splitlines() == [
        "🏁 Budget participatif : Budget 2027",
        "",
        "1. ✅ Composteur — 2\u202f500\u00a0€ — 2 voix : financé",
        "2. ✅ Jeux — 500\u00a0€ — 2 voix : financé",
        "3. ✖ Bancs — 3\u202f000\u00a0€ — 1 voix : ne tient plus dans ce qui reste",
        "4. ✅ Fresque — 1\u202f500\u00a0€ — 1 voix : financé",
        "",
        "Financé : 4\u202f500\u00a0€ sur 5\u202f000\u00a0€ (reste 500\u00a0€).",
        "Participation : 3 bulletins sur 4 voisin·es connu·es du bot (75\u00a0%).",
    ]
    closed = hood.engine.message(group["id"], announcement["message_id"])
    assert closed is not None and hood.buttons(closed) == []
    # A ballot button pressed after the close changes nothing.
    chat = hood.world.private(dave)
    late = await _tap(hood, dave, hood.last(chat), "✅")
    assert late["text"] == "Ce vote du budget est clos."


async def test_forged_ballot_buttons_are_refused(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    announcement = await _launch(hood, group, alice)
    await hood.send(hood.world.command(group, bob, "/aide"))
    ballot = await _open_ballot(hood, bob)
    for message, data in [
        (announcement, "1|bd|t|1|0"),  # a ballot button pressed in the group
        (ballot, "1|bd|t|1|9"),  # no such project
        (ballot, "1|bd|t|7|0"),  # no such budget
        (ballot, "1|bd|x|1"),
    ]:
        forged = hood.world.callback(bob, message, data, check=False)
        await hood.send(forged)
        answer = hood.engine.callback_answer(forged["callback_query"]["id"])
        assert answer is not None and answer["text"] in (
            "Ce bouton n'est plus valable.",
            "Je ne trouve pas ce vote de budget.",
        ), data
    stored = await hood.running_app.runtime.store.answers.ballot(1, bob["id"])
    assert stored.draft == () and stored.submitted is None


async def test_budget_line_problems_are_explained(
    hood: Neighbourhood, group: Chat, alice: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, "/budget Budget | Bancs 1200 | Jeux 300"))
    text = hood.last_text(group)
    assert "Après le titre, donnez le montant total (par exemple 5000 €)." in text
    assert "/budget Budget 2027 | 5000 € | Bancs 1200" in text


async def test_guided_budget_setup(hood: Neighbourhood, group: Chat, alice: User) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, "/budget"))
    name = hood.last(group)
    assert name["text"] == "Quel est le nom du budget ? Répondez à ce message."
    await hood.send(hood.world.reply(group, alice, "Budget | 2027", to=name))
    lines = hood.last(group)
    assert lines["text"].startswith("Maintenant le total sur la première ligne")
    await hood.send(hood.world.reply(group, alice, "800\nBancs 300\nJeux", to=lines))
    assert "Je ne trouve pas le coût de « Jeux »" in hood.last_text(group)
    await hood.send(hood.world.reply(group, alice, "800\nBancs 300\nJeux 500\n3 jours", to=lines))
    announcement = hood.last(group)
    assert announcement["text"].splitlines()[:3] == [
        "💶 Budget participatif : Budget / 2027",
        "Budget : 800\u00a0€",
        "⏳ Clôture dim. 29 nov. à 10:00.",
    ]
