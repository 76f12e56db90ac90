"""The ``/control/...`` API of the HTTP server, for a test harness in another process.

Every endpoint takes its arguments as JSON (body) or query parameters and answers
``{"ok": true, "result": ...}``. ``/control/world/<factory>`` runs a ``World`` factory on the
server's own engine (so ids and "started" chats stay consistent) and pushes the updates it
makes unless ``"push": false``. Endpoints:

- ``GET calls[?method=sendMessage]``, ``POST clear_calls``, ``GET wait_calls?method=&count=
  &timeout=``, ``GET stats``
- ``POST push_update`` (the body is the update; ``?force=true`` skips the privacy filter),
  ``GET pending_updates``
- ``GET messages|history|sent_texts|duplicates?chat_id=``, ``GET message?chat_id=&message_id=``
- ``POST fail_next {"method", "fault": {"retry_after": 3} | ..., "times", "chat_id"}``,
  ``POST clear_faults``
- ``POST start_private {"user"}``, ``register_user {"user"}``, ``register_chat {"chat"}``,
  ``block|unblock {"user_id"}``, ``kick_bot|add_bot|set_bot_admin {"chat_id"}``,
  ``migrate {"old_chat_id", "new_chat_id"}``, ``set_admins {"chat_id", "admins", "creator"}``
- ``POST world/<factory> {"args": [...], "kwargs": {...}, "push": true}``
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any

from voisinbot.fakeapi.engine import ApiCall, FakeTelegram
from voisinbot.fakeapi.errors import Fault
from voisinbot.fakeapi.factories import World
from voisinbot.fakeapi.params import UploadedFile

WORLD_FACTORIES = frozenset(
    {
        "user", "private", "group", "supergroup", "channel", "message", "command", "reply",
        "edited_message", "sticker", "message_from_bot", "anonymous_admin_message",
        "channel_post", "callback", "press", "poll_answer", "poll_update", "bot_added",
        "bot_removed", "member_joined", "member_left", "migrate",
    }
)  # fmt: skip


def _encode(value: Any) -> Any:
    if isinstance(value, UploadedFile):
        return {"filename": value.filename, "mime_type": value.mime_type, "size": value.size}
    if isinstance(value, ApiCall):
        return {
            "method": value.method,
            "params": value.params,
            "status": value.status,
            "result_or_error": value.result_or_error,
            "timed_out": value.timed_out,
            "files": dict(value.files),
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def to_json_bytes(body: Any) -> bytes:
    return json.dumps(body, default=_encode).encode("utf-8")


def _chat_id(args: dict[str, Any]) -> int:
    return int(args["chat_id"])


class Control:
    def __init__(self, engine: FakeTelegram, world: World | None = None) -> None:
        self.engine = engine
        self.world = world or World(engine)
        e = engine
        self._sync: dict[str, Callable[[dict[str, Any]], Any]] = {
            "calls": lambda a: e.calls_to(a["method"]) if a.get("method") else list(e.calls),
            "clear_calls": lambda a: e.clear_calls(),
            "stats": lambda a: {
                "calls": len(e.calls),
                "too_many_requests_sent": e.too_many_requests_sent,
                "retry_after_count": e.retry_after_count,
                "pending_updates": len(e.pending_updates()),
                "dropped_updates": len(e.dropped_updates),
            },
            "pending_updates": lambda a: e.pending_updates(),
            "messages": lambda a: e.messages(_chat_id(a)),
            "history": lambda a: e.history(_chat_id(a)),
            "sent_texts": lambda a: e.sent_texts(_chat_id(a)),
            "duplicates": lambda a: e.duplicates(_chat_id(a)),
            "message": lambda a: e.message(_chat_id(a), int(a["message_id"])),
            "fail_next": lambda a: e.fail_next(
                a["method"],
                Fault.from_json(a["fault"]),
                times=int(a.get("times", 1)),
                chat_id=a.get("chat_id"),
            ),
            "clear_faults": lambda a: e.clear_faults(),
            "start_private": lambda a: e.start_private(a["user"]),
            "register_user": lambda a: e.register_user(a["user"]),
            "register_chat": lambda a: e.register_chat(a["chat"]),
            "block": lambda a: e.block(int(a["user_id"])),
            "unblock": lambda a: e.unblock(int(a["user_id"])),
            "kick_bot": lambda a: e.kick_bot(_chat_id(a)),
            "add_bot": lambda a: e.add_bot(_chat_id(a)),
            "set_bot_admin": lambda a: e.set_bot_admin(_chat_id(a), bool(a.get("is_admin", True))),
            "migrate": lambda a: e.migrate(int(a["old_chat_id"]), int(a["new_chat_id"])),
            "set_admins": lambda a: e.set_admins(_chat_id(a), a["admins"], a.get("creator")),
        }
        self._async: dict[str, Callable[[dict[str, Any]], Awaitable[Any]]] = {
            "wait_calls": lambda a: e.wait_for_calls(
                a["method"], int(a.get("count", 1)), float(a.get("timeout", 5.0))
            ),
        }

    async def handle(self, name: str, args: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            if name == "push_update":
                force = str(args.pop("force", "")).lower() in ("1", "true")
                result: Any = self.engine.push_update(args, force=force)
            elif name.startswith("world/"):
                result = self._world(name[len("world/") :], args)
            elif name in self._async:
                result = await self._async[name](args)
            elif name in self._sync:
                result = self._sync[name](args)
            else:
                return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        except (KeyError, TypeError, ValueError) as exc:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc!r}"}
        return 200, {"ok": True, "result": result}

    def _world(self, factory: str, args: dict[str, Any]) -> Any:
        if factory not in WORLD_FACTORIES:
            raise ValueError(f"unknown factory {factory!r}")
        made = getattr(self.world, factory)(*args.get("args", []), **args.get("kwargs", {}))
        if args.get("push", True):
            for item in made if isinstance(made, tuple) else (made,):
                if isinstance(item, dict) and "update_id" in item:
                    self.engine.push_update(item)
        return made
