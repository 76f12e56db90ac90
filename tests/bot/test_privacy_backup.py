"""`voisinbot backup` while residents keep posting: the copy opens, is whole, holds what was
there before it began, and the bot runs on it once restored."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.harness import START, Neighbourhood
from voisinbot.storage.backup import backup
from voisinbot.storage.bulk import BulkPost
from voisinbot.storage.db import available_migrations

Chat = dict[str, Any]


async def test_a_backup_under_load_opens_holds_the_data_and_restores(
    hood: Neighbourhood, group: Chat, tmp_path: Path
) -> None:
    store = hood.running_app.runtime.store
    # Enough pages that the copy takes several steps, with the bot writing between them.
    await hood.send(hood.world.command(group, hood.world.user("Alice"), "/aide"))
    await store.bulk.add_members(range(1, 51), START)
    rows = [
        BulkPost(
            group["id"],
            1 + i % 50,
            "offer",
            f"objet à prêter n°{i} " + "x" * 120,
            "other",
            "{}",
            (),
        )
        for i in range(6000)
    ]
    await store.bulk.load_posts(rows, START, START + timedelta(days=90))
    residents = [hood.world.user(f"Voisin {i}") for i in range(30)]
    copy = tmp_path / "copies" / "voisinbot-copy.sqlite3"

    posted = asyncio.Event()

    async def residents_post() -> None:
        for i, resident in enumerate(residents):
            await hood.send(hood.world.command(group, resident, f"/besoin un coup de main n°{i}"))
            if i == 9:
                posted.set()  # the copy starts now, while the others keep posting
            await asyncio.sleep(0)

    load = asyncio.create_task(residents_post())
    await posted.wait()
    pages = await asyncio.to_thread(backup, hood.database, copy)
    await load
    assert pages > 256  # more than one step of the backup

    conn = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == available_migrations()[-1][0]
        count = conn.execute("SELECT count(*) FROM posts WHERE kind = 'offer'").fetchone()[0]
        assert count == 6000
        # What residents posted during the copy is there entirely or not at all, never torn.
        needs = conn.execute(
            "SELECT p.text, m.display_name FROM posts p JOIN members m ON m.user_id = p.author_id"
            " WHERE p.kind = 'need' ORDER BY p.id"
        ).fetchall()
    finally:
        conn.close()
    expected = [(f"un coup de main n°{i}", f"Voisin {i}") for i in range(len(needs))]
    assert needs == expected and len(needs) >= 10
    assert copy.stat().st_mode & 0o077 == 0  # residents' data: readable by the owner only

    # Restoring (docs/operations.md): stop, put the copy in place of the database, start.
    await hood.stop()
    for leftover in (hood.database.with_name(hood.database.name + s) for s in ("-wal", "-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(copy, hood.database)
    await hood.start()
    restored = hood.running_app.runtime.store
    assert await restored.posts.get(6000 + len(needs)) is not None
    await hood.send(hood.world.command(group, residents[0], "/besoins"))
    assert hood.last_text(group).startswith(f"{len(needs)} besoins ouverts")
