"""Faults while the bot talks to Telegram: refused chats, flood waits, errors and apologies,
stale buttons, and updates handled twice after a crash."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from tests.harness import Neighbourhood
from voisinbot.bot.polling import handle_updates, poll_once
from voisinbot.domain.posts import PostStatus
from voisinbot.fakeapi import Fault, as_update
from voisinbot.i18n import translator
from voisinbot.services.decisions import CLOSE_KIND
from voisinbot.services.post_rules import EXPIRE

APOLOGY = (
    "Sorry, something went wrong on my side. Nothing you wrote was lost: "
    "please try again in a moment."
)
STALE = "This button is no longer valid."


def sends(hood: Neighbourhood, chat: dict[str, Any]) -> list[int]:
    """HTTP statuses of every sendMessage to the chat, in order."""
    return [
        c.status for c in hood.engine.calls_to("sendMessage") if c.params["chat_id"] == chat["id"]
    ]


async def deliver_anyway(hood: Neighbourhood, *updates: dict[str, Any]) -> None:
    """Updates Telegram handed over just before things changed (kicked, upgraded...)."""
    for update in updates:
        hood.engine.push_update(update, force=True)
    while await poll_once(hood.running_app):
        pass


async def test_a_group_that_kicked_the_bot_is_marked_inactive_and_others_go_on(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    await hood.send(hood.world.command(group, alice, "/aide"))
    hood.engine.kick_bot(group["id"])
    other = hood.world.supergroup("Rue des Tilleuls")
    await deliver_anyway(
        hood,
        hood.world.command(group, alice, "/aide"),
        hood.world.command(other, bob, "/aide"),
    )
    store = hood.running_app.runtime.store
    assert (await store.community.get_group(group["id"])).active is False  # type: ignore[union-attr]
    assert sends(hood, group) == [200, 403]  # refused, and no apology into the void
    assert sends(hood, other) == [200]


async def test_a_resident_who_blocks_the_bot_is_unreachable_until_they_return(
    hood: Neighbourhood, alice: dict[str, Any]
) -> None:
    private = hood.world.private(alice)
    store = hood.running_app.runtime.store
    await hood.send(hood.world.command(private, alice, "/start"))
    assert (await store.community.get_member(alice["id"])).reachable  # type: ignore[union-attr]

    # Telegram says so with a my_chat_member update in the private chat...
    hood.engine.block(alice["id"])
    await hood.send(hood.world.bot_removed(private, alice))
    assert not (await store.community.get_member(alice["id"])).reachable  # type: ignore[union-attr]
    hood.engine.unblock(alice["id"])
    await hood.send(hood.world.bot_added(private, alice))
    assert (await store.community.get_member(alice["id"])).reachable  # type: ignore[union-attr]

    # ...or a send answers 403: same outcome, no apology, and her next message counts again.
    hood.engine.fail_next("sendMessage", Fault.forbidden(), chat_id=alice["id"])
    await hood.send(hood.world.command(private, alice, "/aide"))
    assert not (await store.community.get_member(alice["id"])).reachable  # type: ignore[union-attr]
    await hood.send(hood.world.command(private, alice, "/aide"))
    assert (await store.community.get_member(alice["id"])).reachable  # type: ignore[union-attr]
    assert sends(hood, private) == [200, 403, 200]


@pytest.mark.parametrize("resident", ["alice", "carol"])
async def test_an_error_is_logged_and_apologised_for_once_in_the_persons_language(
    hood: Neighbourhood,
    resident: str,
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    user = request.getfixturevalue(resident)
    private = hood.world.private(user)
    hood.engine.fail_next(
        "sendMessage", Fault.bad_request("can't parse entities"), chat_id=user["id"]
    )
    with caplog.at_level(logging.INFO):
        await hood.send(hood.world.command(private, user, "/aide secret words"))
    t = translator("fr" if resident == "alice" else "en")
    assert hood.said(private) == [str(t.gettext(APOLOGY))]
    assert sends(hood, private) == [400, 200]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and f"in chat {user['id']}" in errors[0].getMessage()
    logged = "\n".join(caplog.text.splitlines())
    assert "secret words" not in logged and "TEST-TOKEN" not in logged


async def test_an_update_that_fails_goes_no_further(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    async def broken(update: Update, context: Any) -> None:
        raise RuntimeError("a bug in an early handler")

    hood.running_app.add_handler(TypeHandler(Update, broken), group=-2)
    await hood.send(hood.world.command(group, alice, "/besoin une échelle"))
    # One apology, and the later groups did not run on half-done state.
    assert hood.said(group) == [str(translator("fr").gettext(APOLOGY))]
    assert await hood.running_app.runtime.store.posts.get(1) is None


async def test_a_failing_apology_is_dropped_and_the_next_update_is_answered(
    hood: Neighbourhood, alice: dict[str, Any]
) -> None:
    private = hood.world.private(alice)
    hood.engine.fail_next("sendMessage", Fault.bad_request("boom"), times=2, chat_id=alice["id"])
    await hood.send(hood.world.command(private, alice, "/aide"))
    assert sends(hood, private) == [400, 400]
    await hood.send(hood.world.command(private, alice, "/aide"))
    assert sends(hood, private) == [400, 400, 200]


async def test_a_timeout_gets_no_apology(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    # The card may have arrived: "please try again" would make Alice post it twice.
    hood.engine.fail_next("sendMessage", Fault.timeout(delivered=True), chat_id=group["id"])
    await hood.send(hood.world.command(group, alice, "/besoin une échelle"))
    assert len(hood.said(group)) == 1
    assert await hood.running_app.runtime.store.posts.get(1) is not None


async def test_a_flood_wait_is_waited_out_and_the_answer_sent(
    hood: Neighbourhood,
    group: dict[str, Any],
    alice: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    hood.engine.fail_next("sendMessage", Fault.retry_after(3), chat_id=group["id"])
    await hood.send(hood.world.command(group, alice, "/besoin une échelle"))
    assert sends(hood, group) == [429, 200]
    assert hood.waits and hood.waits[0] >= 3


async def test_stale_and_forged_buttons_are_answered_without_fuss(
    hood: Neighbourhood,
    group: dict[str, Any],
    alice: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    await hood.send(hood.world.command(group, alice, "/aide"))
    shown = hood.last(group)
    press = hood.world.callback(alice, shown, "1|nothing|here|3", check=False)
    await hood.send(press)
    answer = hood.engine.callback_answer(press["callback_query"]["id"])
    assert answer is not None and answer["text"] == str(translator("fr").gettext(STALE))
    # The same press delivered again (a crash before its offset was saved): Telegram refuses
    # a second answer; that is no reason to apologise.
    with caplog.at_level(logging.INFO):
        await deliver_anyway(hood, press)
    assert len(hood.said(group)) == 1
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_an_update_handled_twice_stores_once_and_shows_once(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    app = hood.running_app
    update = as_update(hood.world.command(group, alice, "/besoin une échelle samedi"), app.bot)
    await handle_updates(app, [update])
    await handle_updates(app, [update])  # re-delivered: the crash fell before the offset save
    assert len(hood.said(group)) == 1
    assert await app.runtime.store.posts.get(1) is not None
    assert await app.runtime.store.posts.get(2) is None


async def test_a_crash_between_the_card_and_its_record_shows_the_card_twice_at_most(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    # The card reached the group but the bot died before recording its message id (here: the
    # answer timed out). Handling the update again sends the card again: the documented bound.
    app = hood.running_app
    update = as_update(hood.world.command(group, alice, "/besoin une échelle samedi"), app.bot)
    hood.engine.fail_next("sendMessage", Fault.timeout(delivered=True), chat_id=group["id"])
    await handle_updates(app, [update])
    await handle_updates(app, [update])
    await handle_updates(app, [update])
    assert len(hood.said(group)) == 2
    assert await app.runtime.store.posts.get(2) is None


async def test_a_declaration_that_fails_half_way_leaves_nothing_behind(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    # The post, its schedules and its matches are one transaction. Storing the schedules
    # fails after the post row was written (SQLite refuses, as on a full disk): the post is
    # not kept either, and the same command handled again (as after a crash) declares it whole.
    app = hood.running_app
    store = app.runtime.store
    await hood.send(hood.world.command(group, alice, "/aide"))  # the group and Alice exist
    store.db.sql.execute(
        "CREATE TEMP TRIGGER no_schedules BEFORE INSERT ON schedules"
        " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    command = hood.world.command(group, alice, "/besoin une échelle samedi")
    source = command["message"]["message_id"]
    await handle_updates(app, [as_update(command, app.bot)])
    assert await store.posts.by_source(group["id"], source) is None
    assert "une échelle samedi" not in hood.last_text(group)  # an apology, no card
    store.db.sql.execute("DROP TRIGGER no_schedules")
    await handle_updates(app, [as_update(command, app.bot)])
    post = await store.posts.by_source(group["id"], source)
    assert post is not None
    assert await store.schedules.pending_for(EXPIRE, group["id"], post.id)
    assert "une échelle samedi" in hood.last_text(group)


async def test_accepting_help_that_fails_half_way_can_be_pressed_again(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any], bob: dict[str, Any]
) -> None:
    # Accepting marks the response accepted and moves the post, in one transaction: when
    # moving the post fails, the response is not left accepted (which would have answered
    # the next press "already done" and kept the post open for ever).
    app = hood.running_app
    store = app.runtime.store
    for user in (alice, bob):
        await hood.send(hood.world.command(hood.world.private(user), user, "/start"))
    await hood.send(hood.world.command(group, alice, "/besoin une échelle samedi"))
    await hood.send(hood.world.press(bob, hood.last(group), "🙋 Je peux aider"))
    ask = hood.last(hood.world.private(alice))
    store.db.sql.execute(
        "CREATE TEMP TRIGGER no_moves BEFORE UPDATE OF status ON posts"
        " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    await hood.send(hood.world.press(alice, ask, "✅ Accepter Bob"))
    response = await store.responses.get(1, bob["id"])
    assert response is not None and response.state == "offered"
    store.db.sql.execute("DROP TRIGGER no_moves")
    await hood.send(hood.world.press(alice, ask, "✅ Accepter Bob"))
    assert hood.said(hood.world.private(bob))[-1].startswith("🤝 Alice Martin a accepté")
    post = await store.posts.get(1)
    assert post is not None and post.status is PostStatus.AGREED


async def test_a_poll_whose_publication_failed_is_published_once_and_still_closes(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    # The decision and its timers are one transaction: when the first handling dies while
    # publishing (Telegram unreachable), handling the command again publishes it, and its
    # close is planned all the same (it used to be planned only after the publication).
    app = hood.running_app
    store = app.runtime.store
    hood.engine.set_admins(group["id"], [alice])
    command = hood.world.command(group, alice, "/sondage Pizza ou crêpes ? | Pizza | Crêpes | 48h")
    hood.engine.fail_next("sendPoll", Fault.server_error(502))
    await handle_updates(app, [as_update(command, app.bot)])
    assert await store.schedules.pending_for(CLOSE_KIND, group["id"], 1)
    await handle_updates(app, [as_update(command, app.bot)])
    polls = [c for c in hood.engine.calls_to("sendPoll") if c.ok]
    assert len(polls) == 1
    assert len(await store.schedules.pending_for(CLOSE_KIND, group["id"], 1)) == 1


async def test_a_poll_never_shown_ends_without_a_word(
    hood: Neighbourhood, group: dict[str, Any], alice: dict[str, Any]
) -> None:
    # Its publication failed and the facilitator did not send the command again: at its
    # deadline it is cancelled, and the group hears nothing of a poll it never saw.
    app = hood.running_app
    hood.engine.set_admins(group["id"], [alice])
    hood.engine.fail_next("sendPoll", Fault.server_error(502))
    await hood.send(
        hood.world.command(group, alice, "/sondage Pizza ou crêpes ? | Pizza | Crêpes | 48h")
    )
    said = len(hood.said(group))
    hood.clock.advance(hours=49)
    await hood.run_due()
    assert len(hood.said(group)) == said
    decision = await app.runtime.store.decisions.get(1)
    assert decision is not None and not decision.is_open
