"""Operations: the automatic copy before an upgrade migrates, health facts and verdicts,
JSON logs without secrets, the webhook settings, and settings documented everywhere."""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.harness import START, Neighbourhood
from voisinbot.bot.announce import announce_once
from voisinbot.config import SettingError, Settings, load_settings
from voisinbot.health import HEARTBEAT_JOB, STALE_AFTER, beating, check, evaluate
from voisinbot.logs import JsonFormatter, RedactingFormatter
from voisinbot.storage import Store
from voisinbot.storage.backup import pre_migration_backups, pre_migration_path
from voisinbot.storage.db import available_migrations
from voisinbot.storage.state import HealthFacts, read_health_facts

ROOT = Path(__file__).resolve().parents[1]
LATEST = available_migrations()[-1][0]
TOKEN = "123456:OPS-SECRET-TOKEN"


def _database_at(path: Path, version: int) -> None:
    """A database as an older release left it: only the migrations up to ``version``."""
    conn = sqlite3.connect(path)
    try:
        for number, sql in available_migrations():
            if number <= version:
                conn.executescript(sql)
                conn.execute(f"PRAGMA user_version = {number:d}")
        if version >= 1:
            conn.execute("INSERT INTO bot_state (key, value) VALUES ('update_offset', '42')")
        conn.commit()
    finally:
        conn.close()


def _schema(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


# --- the copy taken before migrating ----------------------------------------------------------


async def test_upgrade_copies_the_database_before_migrating(tmp_path: Path) -> None:
    database = tmp_path / "voisinbot.sqlite3"
    _database_at(database, LATEST - 1)
    store = Store(database)
    try:
        assert await store.open() == [LATEST]
        assert await store.state.update_offset() == 42
    finally:
        await store.close()
    copy = pre_migration_path(database, LATEST)
    assert copy.name == f"voisinbot.sqlite3.pre-{LATEST:04d}.bak"
    assert _schema(copy) == LATEST - 1
    assert _schema(database) == LATEST
    assert pre_migration_backups(database) == [copy]

    # Up to date now: opening again copies nothing.
    copy.unlink()
    store = Store(database)
    await store.open()
    await store.close()
    assert not copy.exists()


async def test_a_new_database_is_not_copied(tmp_path: Path) -> None:
    database = tmp_path / "voisinbot.sqlite3"
    store = Store(database)
    await store.open()
    await store.close()
    assert pre_migration_backups(database) == []


async def test_only_the_last_three_copies_are_kept(tmp_path: Path) -> None:
    database = tmp_path / "voisinbot.sqlite3"
    _database_at(database, LATEST - 1)
    older = [pre_migration_path(database, LATEST + n) for n in (1, 2, 3)]
    for age, path in enumerate(older):
        path.write_bytes(b"an older copy")
        os.utime(path, (1_000 * (age + 1), 1_000 * (age + 1)))
    store = Store(database)
    await store.open()
    await store.close()
    assert pre_migration_backups(database) == [*older[1:], pre_migration_path(database, LATEST)]
    assert not older[0].exists()


async def test_an_interrupted_upgrade_keeps_the_copy_from_before_it(tmp_path: Path) -> None:
    # The copy was taken at schema LATEST-2; one migration went through, the next failed.
    database = tmp_path / "voisinbot.sqlite3"
    _database_at(database, LATEST - 1)
    copy = pre_migration_path(database, LATEST)
    _database_at(copy, LATEST - 2)
    store = Store(database)
    await store.open()
    await store.close()
    assert _schema(copy) == LATEST - 2
    assert _schema(database) == LATEST


# --- health ----------------------------------------------------------------------------------


def test_health_verdicts() -> None:
    now = START
    assert evaluate(HealthFacts(), now).status == "never-started"
    fresh = HealthFacts(
        started_at=now - timedelta(hours=1), heartbeat_at=now - timedelta(seconds=50)
    )
    assert evaluate(fresh, now).healthy
    stale = HealthFacts(started_at=now - timedelta(hours=1), heartbeat_at=now - STALE_AFTER * 2)
    assert evaluate(stale, now).status == "stale"
    stopped = HealthFacts(
        started_at=now - timedelta(hours=1),
        heartbeat_at=now - timedelta(seconds=10),
        stopped_at=now - timedelta(seconds=5),
    )
    assert evaluate(stopped, now).status == "stopped"
    restarted = HealthFacts(
        started_at=now - timedelta(seconds=5),
        heartbeat_at=now - timedelta(seconds=5),
        stopped_at=now - timedelta(minutes=1),
    )
    assert evaluate(restarted, now).healthy


def test_health_of_a_missing_or_foreign_file(tmp_path: Path) -> None:
    assert check(tmp_path / "nowhere.sqlite3", START).status == "no-database"
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database")
    verdict = check(foreign, START)
    assert (verdict.status, verdict.healthy) == ("unreadable", False)
    assert not (tmp_path / "nowhere.sqlite3").exists()  # reading created nothing


async def test_the_running_bot_records_its_health(
    hood: Neighbourhood, group: dict[str, object], alice: dict[str, object]
) -> None:
    app = hood.app
    assert app is not None and app.job_queue is not None
    async with beating(app, "polling"):
        report = check(hood.database, hood.clock())
        assert report.healthy
        assert report.facts.run_mode == "polling"
        assert report.facts.last_update_at is None

        await hood.send(hood.world.command(group, alice, "/aide"))
        assert read_health_facts(hood.database).last_update_at == hood.clock()

        # The heartbeat job keeps the verdict healthy as time goes by.
        hood.clock.advance(minutes=10)
        assert not check(hood.database, hood.clock()).healthy
        (job,) = app.job_queue.get_jobs_by_name(HEARTBEAT_JOB)
        await job.run(app)
        assert check(hood.database, hood.clock()).healthy

        sent = await announce_once(
            app.runtime.store,
            hood.clock,
            kind="test",
            chat_id=int(str(group["id"])),
            period="p1",
            send=lambda: app.bot.send_message(int(str(group["id"])), "hello"),
        )
        assert sent is not None
        assert read_health_facts(hood.database).last_scheduled_send_at == hood.clock()
    report = check(hood.database, hood.clock())
    assert (report.status, report.healthy) == ("stopped", False)
    assert app.job_queue.get_jobs_by_name(HEARTBEAT_JOB) == ()


# --- logs ------------------------------------------------------------------------------------


def _record(message: str, *args: object, error: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(error), error, error.__traceback__) if error is not None else None
    return logging.LogRecord("voisinbot.test", logging.ERROR, __file__, 1, message, args, exc_info)


def _failure() -> BaseException:
    try:
        raise ConnectionError(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed")
    except ConnectionError as exc:
        return exc


def test_json_logs_are_one_object_per_line_without_secrets() -> None:
    formatter = JsonFormatter([TOKEN])
    line = formatter.format(_record("calling %s\nagain", f"/bot{TOKEN}/getMe", error=_failure()))
    assert "\n" not in line
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "message", "exception"}
    assert (entry["level"], entry["logger"]) == ("ERROR", "voisinbot.test")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])
    assert entry["message"] == "calling /bot<redacted>/getMe\nagain"
    assert "ConnectionError" in entry["exception"]
    assert TOKEN not in line


def test_text_logs_redact_tracebacks_too() -> None:
    text = RedactingFormatter([TOKEN]).format(_record("failed", error=_failure()))
    assert "ConnectionError" in text
    assert TOKEN not in text


# --- settings --------------------------------------------------------------------------------


def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("VOISINBOT_"):
            monkeypatch.delenv(name)


def test_webhook_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    _clean_env(monkeypatch)
    settings = load_settings(_env_file=None)
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8443)
    with pytest.raises(SettingError) as missing:
        settings.webhook()
    assert missing.value.variable == "VOISINBOT_WEBHOOK_URL"

    monkeypatch.setenv("VOISINBOT_WEBHOOK_URL", "https://bot.example.org/hook/path")
    monkeypatch.setenv("VOISINBOT_WEBHOOK_SECRET", "")  # an empty line in .env: not set
    with pytest.raises(SettingError) as missing:
        load_settings(_env_file=None).webhook()
    assert missing.value.variable == "VOISINBOT_WEBHOOK_SECRET"

    monkeypatch.setenv("VOISINBOT_WEBHOOK_SECRET", "Abc_123-xyz")
    monkeypatch.setenv("VOISINBOT_BOT_TOKEN", TOKEN)
    settings = load_settings(_env_file=None)
    webhook = settings.webhook()
    assert (webhook.path, webhook.secret) == ("/hook/path", "Abc_123-xyz")
    assert "Abc_123" not in repr(settings) + repr(webhook)
    assert sorted(settings.secrets()) == sorted([TOKEN, "Abc_123-xyz"])


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("VOISINBOT_WEBHOOK_SECRET", "has spaces and é"),
        ("VOISINBOT_WEBHOOK_SECRET", "x" * 257),
        ("VOISINBOT_WEBHOOK_URL", "http://bot.example.org/hook"),
        ("VOISINBOT_WEBHOOK_PORT", "70000"),
        ("VOISINBOT_LOG_FORMAT", "xml"),
    ],
)
def test_bad_ops_settings_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    _clean_env(monkeypatch)
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingError) as caught:
        load_settings(_env_file=None)
    assert caught.value.variable == variable
    if "SECRET" in variable:
        assert value not in str(caught.value)


def test_every_setting_is_documented() -> None:
    example = (ROOT / "deploy" / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        variable = f"VOISINBOT_{name.upper()}"
        assert re.search(rf"^#? ?{variable}=", example, re.MULTILINE), variable
        assert f"`{variable}`" in readme, variable


def test_health_command_needs_no_token(tmp_path: Path) -> None:
    import subprocess

    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    database = tmp_path / "voisinbot.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "voisinbot", "health", "--json", "--database", str(database)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert (report["healthy"], report["status"]) == (False, "no-database")
    assert not database.exists()
