"""Command line: run, demo, migrate, backup."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from voisinbot.config import SettingError, Settings, load_settings

log = logging.getLogger("voisinbot")

EXIT_BAD_SETTING = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_SETTING
    try:
        return int(args.func(args) or 0)
    except SettingError as exc:
        print(f"voisinbot: {exc}", file=sys.stderr)
        return EXIT_BAD_SETTING
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="voisinbot", description=__doc__)
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="run the bot (long polling)")
    run.set_defaults(func=_run)

    demo = sub.add_parser("demo", help="try the bot with no token: a simulated group")
    demo.add_argument("--database", type=Path, help="SQLite file (default: a temporary one)")
    demo.add_argument("--script", type=Path, help="play a scripted conversation, print it")
    demo.set_defaults(func=_demo)

    migrate = sub.add_parser("migrate", help="apply database migrations and exit")
    migrate.set_defaults(func=_migrate)

    backup = sub.add_parser("backup", help="consistent online copy of the database")
    backup.add_argument("path", type=Path)
    backup.set_defaults(func=_backup)
    catalog = sub.add_parser("catalog", help="extract messages and update locales/ (developers)")
    catalog.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    catalog.set_defaults(func=_catalog)
    return parser


def _settings(**overrides: object) -> Settings:
    settings = load_settings(**overrides)
    from voisinbot.logs import configure_logging

    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    configure_logging(settings.log_level, [token])
    return settings


def _run(args: argparse.Namespace) -> int:
    settings = _settings()
    settings.token()  # fail early, with one line, when the token is missing
    asyncio.run(_run_bot(settings))
    return 0


async def _run_bot(settings: Settings) -> None:
    from voisinbot.bot.app import build_application, running
    from voisinbot.bot.polling import poll_updates

    app = build_application(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with running(app):
        await poll_updates(app, stop, poll_seconds=settings.poll_timeout)
    log.info("stopped cleanly")


def _demo(args: argparse.Namespace) -> int:
    from voisinbot.demo import run_demo

    return run_demo(database=args.database, script=args.script)


def _migrate(args: argparse.Namespace) -> int:
    from voisinbot.storage import Store

    settings = _settings()

    async def migrate() -> list[int]:
        store = Store(settings.database)
        await store.db.open()
        try:
            return await store.db.migrate()
        finally:
            await store.close()

    applied = asyncio.run(migrate())
    print(f"applied {len(applied)} migration(s); schema up to date")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from voisinbot.storage.backup import backup

    settings = _settings()
    pages = backup(settings.database, args.path)
    print(f"backup written to {args.path} ({pages} pages)")
    return 0


def _catalog(args: argparse.Namespace) -> int:
    from voisinbot.catalog import update

    report = update(args.root)
    print(f"{report.messages} messages extracted to locales/voisinbot.pot")
    incomplete = 0
    for locale, missing in report.missing.items():
        print(f"{locale}: {len(missing)} without translation")
        for msgid in missing:
            print(f"  - {msgid[:90]!r}")
        incomplete += len(missing)
    return 1 if incomplete else 0
