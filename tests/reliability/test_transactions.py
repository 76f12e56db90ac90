"""Write transactions: all or nothing, nested blocks as savepoints, the writer's lock always
given back (a failed write must never block the next resident's)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from voisinbot.storage import Store
from voisinbot.storage.store import atomic

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.connect(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()


async def _title(store: Store, chat_id: int) -> str | None:
    group = await store.community.get_group(chat_id)
    return None if group is None else group.title


async def test_an_error_in_a_unit_undoes_every_write_of_it(store: Store) -> None:
    @atomic
    async def two_groups_then_fail(store: Store) -> None:
        await store.community.add_group(-1, "Jardin", "supergroup", "fr", "Europe/Paris", NOW)
        await store.community.add_group(-2, "Atelier", "supergroup", "fr", "Europe/Paris", NOW)
        raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        await two_groups_then_fail(store)
    assert await _title(store, -1) is None and await _title(store, -2) is None
    # The lock was given back: the next write goes through.
    await store.community.add_group(-1, "Jardin", "supergroup", "fr", "Europe/Paris", NOW)
    assert await _title(store, -1) == "Jardin"


async def test_a_failed_inner_block_is_undone_alone(store: Store) -> None:
    async def refused_inside() -> None:
        async with store.db.write():
            await store.community.add_group(-2, "Atelier", "supergroup", "fr", "Europe/Paris", NOW)
            raise RuntimeError("refused")

    async with store.transaction():
        await store.community.add_group(-1, "Jardin", "supergroup", "fr", "Europe/Paris", NOW)
        with pytest.raises(RuntimeError):
            await refused_inside()
    assert await _title(store, -1) == "Jardin"
    assert await _title(store, -2) is None


async def test_a_commit_that_fails_leaves_nothing_open(store: Store) -> None:
    # A deferred foreign key is checked at COMMIT: the commit fails, the block is undone,
    # and the next transaction can begin.
    async def orphan_member() -> None:
        async with store.db.write():
            store.db.sql.execute("PRAGMA defer_foreign_keys = ON")
            store.db.sql.execute(
                "INSERT INTO group_members (chat_id, user_id, seen_at) VALUES (-9, 9, 0)"
            )

    with pytest.raises(Exception, match="FOREIGN KEY"):
        await orphan_member()
    assert not store.db.sql.in_transaction
    await store.community.add_group(-1, "Jardin", "supergroup", "fr", "Europe/Paris", NOW)
    assert await _title(store, -1) == "Jardin"


async def test_another_task_waits_for_the_unit_and_does_not_join_it(store: Store) -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def slow_unit() -> None:
        async with store.transaction():
            await store.community.add_group(-1, "Jardin", "supergroup", "fr", "Europe/Paris", NOW)
            started.set()
            await release.wait()
            raise RuntimeError("rolled back")

    unit = asyncio.ensure_future(slow_unit())
    await started.wait()
    other = asyncio.ensure_future(
        store.community.add_group(-2, "Atelier", "supergroup", "fr", "Europe/Paris", NOW)
    )
    await asyncio.sleep(0)
    assert not other.done()  # waiting for the writer's lock, not inside the unit
    release.set()
    with pytest.raises(RuntimeError):
        await unit
    await other
    assert await _title(store, -1) is None
    assert await _title(store, -2) == "Atelier"


async def test_an_erasure_rewrites_the_file_while_the_bot_is_reading(
    store: Store, tmp_path: Path
) -> None:
    marker = "Zéphyrine Quasimodo"
    for user_id in (1, 2, 3):
        await store.community.save_member(user_id, f"{marker} {user_id}", "fr", NOW)
    await store.privacy.erase(2, remove_posts=True, surrogate=-7, post_schedule_kinds=(), now=NOW)
    # A look-up of the event loop begun and not finished (the rows come one by one) when the
    # erasure rewrites the file: VACUUM on that same connection failed with "SQL statements
    # in progress", and the resident's "forget me" with it.
    reading = store.db.sql.execute("SELECT user_id FROM members ORDER BY user_id")
    assert reading.fetchone()[0] == 1
    vacuum = asyncio.create_task(store.db.vacuum())
    await asyncio.sleep(0.1)
    assert [row[0] for row in reading.fetchall()] == [3]
    reading.close()
    assert await vacuum  # and the write-ahead log emptied once the reader was done
    left = _on_disk(tmp_path)
    assert f"{marker} 2".encode() not in left
    assert f"{marker} 3".encode() in left


def _on_disk(folder: Path) -> bytes:
    """The database file and its -wal / -shm companions, as bytes."""
    return b"".join(part.read_bytes() for part in sorted(folder.glob("bot.sqlite3*")))
