"""Command line: run, demo, migrate, backup, health."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from voisinbot.config import SettingError, Settings, Webhook, load_settings

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

    run = sub.add_parser("run", help="run the bot (long polling, or --webhook)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates on VOISINBOT_WEBHOOK_URL instead of polling",
    )
    run.set_defaults(func=_run)

    demo = sub.add_parser("demo", help="try the bot with no token: a simulated group")
    demo.add_argument("--database", type=Path, help="SQLite file (default: a temporary one)")
    demo.add_argument("--script", type=Path, help="play a scripted conversation, print it")
    demo.set_defaults(func=_demo)

    migrate = sub.add_parser("migrate", help="apply database migrations and exit")
    migrate.add_argument("--database", type=Path, help="SQLite file (default: VOISINBOT_DATABASE)")
    migrate.set_defaults(func=_migrate)

    backup = sub.add_parser("backup", help="consistent online copy of the database")
    backup.add_argument("path", type=Path)
    backup.add_argument("--database", type=Path, help="SQLite file (default: VOISINBOT_DATABASE)")
    backup.set_defaults(func=_backup)

    health = sub.add_parser("health", help="is the bot running? exit 0 if healthy, 1 if not")
    health.add_argument("--json", action="store_true", help="machine-readable output")
    health.add_argument("--database", type=Path, help="SQLite file (default: VOISINBOT_DATABASE)")
    health.set_defaults(func=_health)
    bench = sub.add_parser("bench", help="benchmarks that print figures")
    bench_sub = bench.add_subparsers(dest="bench", required=True)
    quality = bench_sub.add_parser("matching", help="matching quality on a labelled data set")
    quality.add_argument("file", type=Path)
    quality.set_defaults(func=_bench_matching)
    speed = bench_sub.add_parser("matching-speed", help="time to match a new post among 200,000")
    speed.add_argument(
        "--size", type=int, default=100_000, help="active offers (and as many needs)"
    )
    speed.add_argument("--samples", type=int, default=400)
    speed.set_defaults(func=_bench_matching_speed)
    updates = bench_sub.add_parser("updates", help="updates/s through the bot vs bare PTB")
    updates.add_argument("--groups", type=int, default=200)
    updates.add_argument("--residents", type=int, default=5_000)
    updates.add_argument("--updates", type=int, default=5_000, help="updates measured")
    updates.set_defaults(func=_bench_updates)
    fanout = bench_sub.add_parser("fanout", help="digest + reminders at Telegram's limits")
    fanout.add_argument("--groups", type=int, default=1_000, help="digests (one per group)")
    fanout.add_argument("--reminders", type=int, default=5_000, help="private reminders")
    fanout.set_defaults(func=_bench_fanout)
    startup = bench_sub.add_parser("startup", help="fresh process to ready, large database")
    startup.add_argument("--posts", type=int, default=100_000)
    startup.add_argument("--schedules", type=int, default=10_000)
    startup.add_argument("--runs", type=int, default=3, help="measured starts")
    startup.set_defaults(func=_bench_startup)

    export = sub.add_parser("export", help="a group's activity as CSV files (docs/export.md)")
    export.add_argument("--group", type=int, required=True, help="the group's chat id")
    export.add_argument("--from", dest="first", help="first day, YYYY-MM-DD (default: 30 days ago)")
    export.add_argument("--to", dest="last", help="last day, included (default: today)")
    export.add_argument("--format", choices=["csv"], default="csv")
    export.add_argument("--out", type=Path, default=Path("."), help="folder (default: here)")
    export.add_argument("--database", type=Path, help="SQLite file (default: VOISINBOT_DATABASE)")
    export.set_defaults(func=_export)

    catalog = sub.add_parser("catalog", help="extract messages and update locales/ (developers)")
    catalog.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[2])
    catalog.set_defaults(func=_catalog)
    return parser


def _settings(**overrides: object) -> Settings:
    settings = load_settings(**overrides)
    from voisinbot.logs import configure_logging

    configure_logging(settings.log_level, settings.secrets(), settings.log_format)
    return settings


def _database_settings(args: argparse.Namespace) -> Settings:
    return _settings(**({"database": args.database} if args.database else {}))


def _run(args: argparse.Namespace) -> int:
    settings = _settings()
    settings.token()  # fail early, with one line, when the token is missing
    webhook = settings.webhook() if args.webhook else None  # same for the webhook settings
    # Imported only once the settings are known good: a bad setting answers at once.
    from voisinbot.bot.webhook import WebhookSetupError

    try:
        asyncio.run(_run_bot(settings, webhook))
    except WebhookSetupError as exc:
        log.error("%s", exc)  # a log line (not a print): JSON logs stay one object per line
        return 1
    return 0


async def _run_bot(settings: Settings, webhook: Webhook | None = None) -> None:
    from voisinbot.bot.app import build_application, running
    from voisinbot.bot.polling import poll_updates
    from voisinbot.bot.webhook import run_webhook
    from voisinbot.health import beating

    app = build_application(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with running(app), beating(app, "webhook" if webhook else "polling"):
        if webhook is not None:
            await run_webhook(app, stop, webhook)
        else:
            await poll_updates(app, stop, poll_seconds=settings.poll_timeout)
    log.info("stopped cleanly")


def _demo(args: argparse.Namespace) -> int:
    from voisinbot.demo import run_demo

    return run_demo(database=args.database, script=args.script)


def _migrate(args: argparse.Namespace) -> int:
    from voisinbot.storage import Store

    settings = _database_settings(args)

    async def migrate() -> list[int]:
        store = Store(settings.database)
        try:
            return await store.open()  # copies an existing database first (backup.py)
        finally:
            await store.close()

    applied = asyncio.run(migrate())
    print(f"applied {len(applied)} migration(s); schema up to date")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from voisinbot.storage.backup import backup

    settings = _database_settings(args)
    pages = backup(settings.database, args.path)
    print(f"backup written to {args.path} ({pages} pages)")
    return 0


def _export(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from voisinbot.domain.stats import DEFAULT_DAYS, days_period, parse_day
    from voisinbot.services.export import export_csv
    from voisinbot.storage import Store

    settings = _database_settings(args)

    async def export() -> int:
        store = Store(settings.database)
        try:
            await store.open()
            group = await store.community.get_group(args.group)
            if group is None:
                print(f"voisinbot: no group {args.group} in {settings.database}", file=sys.stderr)
                return 1
            tz = ZoneInfo(group.timezone)
            today = datetime.now(UTC).astimezone(tz).date()
            last = parse_day(args.last) if args.last else today
            if args.first:
                first = parse_day(args.first)
            else:
                first = None if last is None else last - timedelta(days=DEFAULT_DAYS - 1)
            period = days_period(first, last, tz) if first and last else None
            if period is None:
                print(
                    "voisinbot: --from and --to must be days (YYYY-MM-DD), in order",
                    file=sys.stderr,
                )
                return EXIT_BAD_SETTING
            files = await export_csv(store, args.group, period, tz)
        finally:
            await store.close()
        args.out.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (args.out / name).write_bytes(content)
        print(f"{len(files)} CSV files written to {args.out} ({first} to {last})")
        return 0

    return asyncio.run(export())


def _health(args: argparse.Namespace) -> int:
    import json
    from datetime import UTC, datetime

    from voisinbot.health import check

    settings = _database_settings(args)
    health = check(settings.database, datetime.now(UTC))
    if args.json:
        print(json.dumps(health.as_json(settings.database), indent=2))
    else:
        print(health.as_text(settings.tz, settings.database))
    return 0 if health.healthy else 1


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


def _bench_matching(args: argparse.Namespace) -> int:
    from voisinbot.bench.matching import run

    return run(args.file)


def _bench_matching_speed(args: argparse.Namespace) -> int:
    from voisinbot.bench.matching_speed import run

    return run(size=args.size, samples=args.samples)


def _bench_updates(args: argparse.Namespace) -> int:
    from voisinbot.bench.updates import run

    return run(groups=args.groups, residents=args.residents, updates=args.updates)


def _bench_fanout(args: argparse.Namespace) -> int:
    from voisinbot.bench.fanout import run

    return run(groups=args.groups, reminders=args.reminders)


def _bench_startup(args: argparse.Namespace) -> int:
    from voisinbot.bench.startup import run

    return run(posts=args.posts, schedules=args.schedules, runs=args.runs)
