"""Normalisation of Bot API parameters, whatever transport they came through.

PTB hands ``FakeRequest`` Python values (ints, dicts, lists), while a bot speaking HTTP sends
every value as a string, with non-string values JSON-encoded (that is what
``RequestData.json_parameters`` produces). Telegram accepts both, so the engine normalises
both to the same Python shape before validating anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from voisinbot.fakeapi.errors import bad_request

Params = dict[str, Any]

# Parameters whose value is a free string: never JSON-decode them, or a text such as "42" or
# "true" would silently turn into a number or a boolean.
STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "question",
        "parse_mode",
        "question_parse_mode",
        "explanation",
        "explanation_parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "action",
        "language_code",
        "description",
        "short_description",
        "secret_token",
        "ip_address",
        "emoji",
        "business_connection_id",
        "message_effect_id",
        "type",
        "name",
        "title",
    }
)


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file uploaded in a multipart request, kept so tests can inspect exports."""

    field: str
    filename: str
    mime_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


def normalize(raw: dict[str, Any]) -> Params:
    """Return a copy of ``raw`` with string-encoded JSON values decoded."""
    out: Params = {}
    for key, value in raw.items():
        if isinstance(value, str) and key not in STRING_FIELDS:
            out[key] = _maybe_json(value)
        else:
            out[key] = value
    return out


def _maybe_json(value: str) -> Any:
    # Only attempt decoding where the first character can start a JSON value, so that plain
    # strings such as "@channel" or "typing" stay cheap and untouched.
    if not value or value[0] not in '{["-0123456789tfn':
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def req_int(params: Params, name: str) -> int:
    value = params.get(name)
    if value is None:
        raise bad_request(f"{name} is empty")
    return _as_int(name, value)


def opt_int(params: Params, name: str, default: int | None = None) -> int | None:
    value = params.get(name)
    if value is None:
        return default
    return _as_int(name, value)


def _as_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise bad_request(f"invalid {name} specified")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            pass
    raise bad_request(f"invalid {name} specified")


def opt_bool(params: Params, name: str, default: bool = False) -> bool:
    value = params.get(name)
    if value is None:
        return default
    if isinstance(value, str):
        return value.lower() in ("true", "1")
    return bool(value)


def opt_str(params: Params, name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def opt_json(params: Params, name: str) -> Any:
    """A structured parameter (dict or list); strings are decoded, garbage is rejected."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    return value
