"""``python -m voisinbot.fakeapi --port N``: serve a fake Telegram Bot API on 127.0.0.1.

Prints ``listening on http://127.0.0.1:PORT`` (flushed) once ready, so a harness that starts
it with ``--port 0`` can read the chosen port from the first line of output.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from voisinbot.fakeapi.engine import FakeTelegram
from voisinbot.fakeapi.server import FakeTelegramServer


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m voisinbot.fakeapi", description=__doc__)
    parser.add_argument("--port", type=int, default=8081, help="0 picks a free port")
    parser.add_argument("--username", default="voisinbot_bot", help="the bot's username")
    parser.add_argument("--token", default=None, help="answer 401 to any other token")
    parser.add_argument("--enforce-limits", action="store_true", help="answer floods with 429")
    parser.add_argument(
        "--timeout-hold", type=float, default=10.0, help="seconds a timeout fault holds a request"
    )
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    engine = FakeTelegram(username=args.username, enforce_limits=args.enforce_limits)
    server = FakeTelegramServer(
        engine, port=args.port, token=args.token, timeout_hold=args.timeout_hold
    )
    await server.start()
    print(f"listening on http://127.0.0.1:{server.port}", flush=True)
    try:
        await server.serve_forever()
    finally:
        await server.stop()


def main(argv: list[str] | None = None) -> int:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(_parse(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
