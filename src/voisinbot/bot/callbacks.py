"""Callback data: a small versioned codec, checked on the way in.

``"1|<kind>|<action>|<int>|<int>…"`` fits easily in Telegram's 64 bytes. Never trust what
comes back: a forged or stale value unpacks to ``None`` and the handler re-checks the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram.constants import InlineKeyboardButtonLimit

VERSION = "1"
_SEP = "|"
MAX_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
_ID = re.compile(r"-?[0-9]{1,19}")
_INT64 = 2**63


@dataclass(frozen=True, slots=True)
class Callback:
    kind: str
    action: str
    ids: tuple[int, ...] = ()


def pack(kind: str, action: str, *ids: int) -> str:
    if _SEP in kind or _SEP in action:
        raise ValueError("kind and action must not contain the separator")
    data = _SEP.join((VERSION, kind, action, *(str(int(i)) for i in ids)))
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def unpack(data: str | None, *, kind: str, arity: int) -> Callback | None:
    """Decode ``data`` if it is of ``kind`` with exactly ``arity`` integer ids, else None."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(_SEP)
    if len(parts) != 3 + arity or parts[0] != VERSION or parts[1] != kind:
        return None
    parsed = [parse_id(p) for p in parts[3:]]
    ids = tuple(i for i in parsed if i is not None)
    if len(ids) != arity:
        return None
    return Callback(kind=parts[1], action=parts[2], ids=ids)


def parse_id(text: str | None) -> int | None:
    """An id from outside (callback data, a /start payload): ASCII digits within SQLite's
    integer range, else None. ``int()`` alone takes "٣" and "1_0", refuses "²" after
    ``isdigit()`` said yes, and gives ints SQLite cannot store."""
    if text is None or not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if -_INT64 <= value < _INT64 else None


def pattern(kind: str) -> str:
    """A CallbackQueryHandler pattern selecting one kind (any version, so stale ones are
    answered politely by the handler instead of hanging)."""
    return rf"^\d+\|{kind}\|"
