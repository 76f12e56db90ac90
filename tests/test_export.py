"""`voisinbot export`: the CSV files of one group and period, written to a folder, from the
command line (no token needed)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from tests.harness import Neighbourhood
from voisinbot.services.export import (
    DECISIONS_COLUMNS,
    FILE_NAMES,
    HELPS_COLUMNS,
    POSTS_COLUMNS,
    THANKS_COLUMNS,
)


def _voisinbot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "voisinbot", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


async def test_the_command_writes_the_four_files(tmp_path: Path) -> None:
    hood = Neighbourhood(tmp_path)
    await hood.start()
    try:
        group = hood.world.supergroup("Jardin")
        alice = hood.world.user("Alice")
        await hood.send(hood.world.command(group, alice, '/besoin =HYPERLINK("http://x") un vélo'))
        await hood.send(hood.world.command(group, alice, "/offre des confitures"))
    finally:
        await hood.stop()
    out = tmp_path / "rapport"
    database = str(hood.database)
    result = _voisinbot(
        tmp_path,
        "export",
        "--group",
        str(group["id"]),
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--format",
        "csv",
        "--out",
        str(out),
        "--database",
        database,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"4 CSV files written to {out} (2026-11-01 to 2026-11-30)"
    assert sorted(p.name for p in out.iterdir()) == sorted(FILE_NAMES)
    columns = {
        "posts.csv": POSTS_COLUMNS,
        "helps.csv": HELPS_COLUMNS,
        "thanks.csv": THANKS_COLUMNS,
        "decisions.csv": DECISIONS_COLUMNS,
    }
    for name, header in columns.items():
        first = (out / name).read_text(encoding="utf-8-sig").splitlines()[0]
        assert first == ",".join(header)
    posts = _rows(out / "posts.csv")
    assert [(p["id"], p["kind"], p["status"]) for p in posts] == [
        ("1", "need", "open"),
        ("2", "offer", "open"),
    ]
    # A spreadsheet must not run what a resident wrote.
    assert posts[0]["text"] == '\'=HYPERLINK("http://x") un vélo'
    assert posts[0]["author"] == posts[1]["author"] != ""

    # December holds nothing; a period in the wrong order or an unknown group is refused.
    empty = tmp_path / "vide"
    args = ["--database", database, "--out", str(empty)]
    december = ["--from", "2026-12-01", "--to", "2026-12-31"]
    result = _voisinbot(tmp_path, "export", "--group", str(group["id"]), *december, *args)
    assert result.returncode == 0 and _rows(empty / "posts.csv") == []
    backwards = ["--from", "2026-12-31", "--to", "2026-12-01"]
    result = _voisinbot(tmp_path, "export", "--group", str(group["id"]), *backwards, *args)
    assert result.returncode == 2 and "--from and --to" in result.stderr
    result = _voisinbot(tmp_path, "export", "--group", "-42", *args)
    assert result.returncode == 1 and "no group -42" in result.stderr
