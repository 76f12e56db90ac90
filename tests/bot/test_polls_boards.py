"""Date finding and sign-up sheets: boards edited in place, spaced out, closed on time."""

from typing import Any

from tests.harness import Neighbourhood
from voisinbot.bot.handlers.decision_base import flush_refreshes

Chat = dict[str, Any]
User = dict[str, Any]


def _board(hood: Neighbourhood, group: Chat, message_id: int) -> dict[str, Any]:
    found = hood.engine.message(group["id"], message_id)
    assert found is not None
    return found


async def _launch_dates(hood: Neighbourhood, group: Chat, alice: User, line: str) -> int:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, line))
    return int(hood.last(group)["message_id"])


async def test_dates_board_sorted_with_buttons_per_slot(
    hood: Neighbourhood, group: Chat, alice: User
) -> None:
    board_id = await _launch_dates(
        hood, group, alice, "/dates Réunion du jardin | dim 13/12 15h | sam 12/12 10h | chez Paul"
    )
    board = _board(hood, group, board_id)
    lines = board["text"].splitlines()
    assert lines[:3] == [
        "📅 Réunion du jardin",
        "⏳ Clôture dim. 29 nov. à 10:00.",
        "Pour chaque date, touchez ✅ oui, ❔ peut-être ou ❌ non.",
    ]
    assert "1. sam. 12 déc. à 10:00 — ✅ 0 · ❔ 0 · ❌ 0" in lines
    assert "2. dim. 13 déc. à 15:00 — ✅ 0 · ❔ 0 · ❌ 0" in lines
    assert "3. chez Paul — ✅ 0 · ❔ 0 · ❌ 0" in lines
    rows = hood.engine.buttons(board)
    assert [label for label, _ in rows[0]] == ["1 ✅", "1 ❔", "1 ❌"]
    assert len(rows) == 4 and rows[-1][0][0] == "🔒 Clore maintenant"


async def test_answers_are_shown_together_without_an_edit_per_tap(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    board_id = await _launch_dates(
        hood, group, alice, "/dates Réunion | sam 12/12 10h | dim 13/12 15h"
    )
    await hood.send(
        hood.world.press(bob, _board(hood, group, board_id), "1 ✅"),
        hood.world.press(carol, _board(hood, group, board_id), "1 ❔"),
        hood.world.press(carol, _board(hood, group, board_id), "2 ✅"),
    )
    # All three taps came within the window: the board is not edited yet.
    assert "✅ 0 · ❔ 0" in _board(hood, group, board_id)["text"]
    assert len(hood.engine.calls_to("editMessageText")) == 0
    hood.clock.advance(seconds=6)
    assert await flush_refreshes(hood.running_app) == 1
    text = _board(hood, group, board_id)["text"]
    assert "1. sam. 12 déc. à 10:00 ⭐ — ✅ 1 · ❔ 1 · ❌ 0" in text
    assert "✅ Bob · ❔ Carol" in text
    assert "2 voisin·es ont répondu." in text
    assert len(hood.engine.calls_to("editMessageText")) == 1
    # Past the window, a tap shows at once (and the answer is changed, not added).
    hood.clock.advance(seconds=6)
    await hood.send(hood.world.press(bob, _board(hood, group, board_id), "1 ❌"))
    assert "1. sam. 12 déc. à 10:00 — ✅ 0 · ❔ 1 · ❌ 1" in _board(hood, group, board_id)["text"]
    # The same answer again changes nothing on the board: no edit is sent at all.
    edits = len(hood.engine.calls_to("editMessageText"))
    hood.clock.advance(seconds=6)
    await hood.send(hood.world.press(bob, _board(hood, group, board_id), "1 ❌"))
    assert len(hood.engine.calls_to("editMessageText")) == edits
    assert all(call.ok for call in hood.engine.calls_to("editMessageText"))


async def test_the_best_date_is_announced_at_the_deadline_after_a_restart(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    board_id = await _launch_dates(
        hood, group, alice, "/dates Réunion | sam 12/12 10h | dim 13/12 15h | jusqu'à samedi 18h"
    )
    taps = [(bob, "1 ❔"), (carol, "1 ❔"), (bob, "2 ✅"), (alice, "2 ❌")]
    for who, label in taps:
        await hood.send(hood.world.press(who, _board(hood, group, board_id), label))
    await hood.restart()
    hood.clock.advance(days=2, hours=8)  # Saturday 18:00 in Paris
    await hood.run_due()
    result = hood.last(group)
    assert result["reply_to_message"]["message_id"] == board_id
    assert result["text"].splitlines() == [
        "🏁 Réunion",
        "La meilleure date est dim. 13 déc. à 15:00 : 1 oui, 0 peut-être, 1 non.",
        "✅ Bob",
    ]
    board = _board(hood, group, board_id)
    assert board["text"].splitlines()[1] == "🔒 Clos."
    assert hood.engine.buttons(board) == []


async def test_forged_date_answers_change_nothing(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    board_id = await _launch_dates(hood, group, alice, "/dates Réunion | sam 12/12 | dim 13/12")
    board = _board(hood, group, board_id)
    await hood.send(hood.world.command(group, alice, "/inscriptions Arrosage | lun (2)"))
    other_board = hood.last(group)
    for message, data in [
        (board, "1|dt|y|1|7"),  # no such slot
        (board, "1|dt|z|1|0"),  # no such answer
        (board, "1|dt|y|2|0"),  # another decision's id on this board
        (other_board, "1|dt|y|1|0"),  # this decision's data on another board
    ]:
        forged = hood.world.callback(bob, message, data, check=False)
        await hood.send(forged)
        answer = hood.engine.callback_answer(forged["callback_query"]["id"])
        assert answer is not None and answer["text"] == "Ce bouton n'est plus valable.", data
    assert await hood.running_app.runtime.store.answers.answers(1) == []


async def test_signup_take_leave_and_full(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(
        hood.world.command(group, alice, "/inscriptions Arrosage | lun (1) | sam 10h (2)")
    )
    sheet = hood.last(group)
    lines = sheet["text"].splitlines()
    assert lines[:2] == ["📝 Arrosage", "⏳ Ouvert jusqu'à ce qu'un·e animateur·rice le close."]
    assert hood.buttons(sheet) == [
        "1. lun. 30 nov. · 0/1",
        "2. sam. 28 nov. à 10:00 · 0/2",
        "🔒 Clore maintenant",
        "🗑 Annuler",
    ]
    take = hood.world.press(bob, sheet, "1. lun. 30 nov. · 0/1")
    await hood.send(take)
    answer = hood.engine.callback_answer(take["callback_query"]["id"])
    assert answer is not None and answer["text"] == "Vous êtes inscrit·e : lun. 30 nov.. Merci !"
    full = hood.world.callback(carol, sheet, "1|su|t|1|0")
    await hood.send(full)
    answer = hood.engine.callback_answer(full["callback_query"]["id"])
    assert answer is not None and answer["show_alert"] is True
    assert answer["text"].startswith("Désolé, lun. 30 nov. est complet.")
    hood.clock.advance(seconds=6)
    await flush_refreshes(hood.running_app)
    sheet = hood.engine.message(group["id"], sheet["message_id"])
    assert sheet is not None
    assert "1. lun. 30 nov. (1/1) · complet — Bob" in sheet["text"]
    assert hood.buttons(sheet)[0] == "1. lun. 30 nov. · 🔒 1/1"
    # Bob leaves: Carol's tap now takes the place.
    await hood.send(hood.world.press(bob, sheet, "1. lun. 30 nov. · 🔒 1/1"))
    await hood.send(hood.world.callback(carol, sheet, "1|su|t|1|0"))
    rows = await hood.running_app.runtime.store.answers.answers(1)
    assert [(r.display_name, r.position) for r in rows] == [("Carol", 0)]


async def test_people_signed_up_are_reminded_before_their_slot(
    hood: Neighbourhood, group: Chat, alice: User, bob: User, carol: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(hood.world.private(bob), bob, "/start"))
    await hood.send(hood.world.command(group, alice, "/inscriptions Arrosage | sam 10h (3)"))
    sheet = hood.last(group)
    for who in (bob, carol):  # Carol never started the bot privately
        await hood.send(hood.world.press(who, sheet, hood.buttons(hood.last(group))[0]))
        sheet = hood.engine.message(group["id"], sheet["message_id"]) or sheet
    # Saturday 10:00 in Paris; the reminder goes out two hours before.
    hood.clock.advance(days=2, hours=-2, minutes=-1)
    await hood.run_due()
    assert not any(t.startswith("⏰") for t in hood.said(hood.world.private(bob)))
    hood.clock.advance(minutes=1)
    await hood.run_due()
    assert hood.last_text(hood.world.private(bob)) == (
        "⏰ Rappel de Jardin partagé des Lilas : vous êtes inscrit·e pour Arrosage"
        " — sam. 28 nov. à 10:00. Merci !"
    )
    in_group = hood.last(group)
    assert in_group["text"] == (
        "⏰ Rappel : Arrosage — sam. 28 nov. à 10:00 : Carol, vous êtes inscrit·es. Merci !"
    )
    assert in_group["entities"][-1]["type"] == "text_link" or any(
        e["type"] in ("text_link", "text_mention") for e in in_group["entities"]
    )
    assert "Bob" not in in_group["text"]


async def test_a_facilitator_closes_the_sheet(
    hood: Neighbourhood, group: Chat, alice: User, bob: User
) -> None:
    hood.engine.set_admins(group["id"], [alice])
    await hood.send(hood.world.command(group, alice, "/signup Arrosage | lun (2)"))
    sheet = hood.last(group)
    await hood.send(hood.world.press(bob, sheet, "🔒 Clore maintenant"))
    assert hood.buttons(hood.engine.message(group["id"], sheet["message_id"]) or {}) != []
    await hood.send(hood.world.press(alice, sheet, "🔒 Clore maintenant"))
    closed = hood.engine.message(group["id"], sheet["message_id"])
    assert closed is not None and hood.buttons(closed) == []
    assert hood.last_text(group) == "🔒 Les inscriptions pour Arrosage sont closes."
