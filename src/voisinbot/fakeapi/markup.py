"""Telegram's HTML parse mode: validation, plain-text extraction and entities.

Error texts follow Telegram's (``can't parse entities: Unsupported start tag "x" at byte
offset 3``), offsets being UTF-8 byte offsets into the submitted text as Telegram reports them.
Entity offsets and lengths are in UTF-16 code units, as in the Bot API.

Telegram itself keeps a lone ``&`` that starts no entity as a literal character; with
``strict_ampersand`` (the default of the engine) we reject it instead, because a bot that
forgets to escape ``&`` almost always forgets ``<`` too, and that one does break in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from voisinbot.fakeapi.errors import ApiError, bad_request

ALLOWED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
        "tg-spoiler", "span", "blockquote", "tg-emoji",
    }
)  # fmt: skip

_SIMPLE_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,4}));")
_UNQUOTED_VALUE = re.compile(r"[A-Za-z0-9.\-]*")
_MARKUP_CHAR = re.compile("[&<]")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _parse_error(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


@dataclass(slots=True)
class _Open:
    tag: str
    argument: str | None
    offset: int  # UTF-16 offset in the produced text
    source_index: int  # index of the "<" in the source, for error messages


def _decode_entity(text: str, index: int) -> tuple[str, int] | None:
    """Decode the HTML entity at ``text[index]`` (an "&"); return (char, next index)."""
    match = _ENTITY_RE.match(text, index)
    if match is None:
        return None
    dec, hexa, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        if char is None:
            return None
    else:
        code = int(dec) if dec is not None else int(hexa, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    return char, match.end()


def parse_html(text: str, *, strict_ampersand: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) for ``text`` in Telegram's HTML subset, or raise ApiError."""
    plain, entities = _parsed(text, strict_ampersand)
    return plain, [dict(entity) for entity in entities]  # the caller's own, to keep or change


# Bots send the same texts again and again (help, menus, panels): parsed once each. The fake
# stands for Telegram's servers, whose parsing costs the bot nothing.
@lru_cache(maxsize=1024)
def _parsed(text: str, strict_ampersand: bool) -> tuple[str, tuple[dict[str, Any], ...]]:
    plain, entities = _parse(text, strict_ampersand)
    return plain, tuple(entities)


def _parse(text: str, strict_ampersand: bool) -> tuple[str, list[dict[str, Any]]]:
    out: list[str] = []
    utf16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                out.append(decoded[0])
                utf16 += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict_ampersand:
                raise _parse_error(
                    f"Character '&' must be escaped as &amp; at byte offset {_byte_offset(text, i)}"
                )
        if ch != "<":
            # Plain text up to the next markup character, copied in one piece.
            found = _MARKUP_CHAR.search(text, i + 1)
            end = found.start() if found else n
            out.append(text[i:end])
            utf16 += utf16_len(text[i:end])
            i = end
            continue
        start = i
        if i + 1 < n and text[i + 1] == "/":
            i = _close_tag(text, i, stack, entities, utf16)
        else:
            i, opened = _open_tag(text, i)
            opened.offset = utf16
            opened.source_index = start
            stack.append(opened)
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return _strip("".join(out), entities)


def _open_tag(text: str, i: int) -> tuple[int, _Open]:
    n = len(text)
    start = i
    i += 1
    name_start = i
    while i < n and not text[i].isspace() and text[i] != ">":
        i += 1
    if i >= n:
        raise _parse_error(f"Unclosed start tag at byte offset {_byte_offset(text, start)}")
    tag = text[name_start:i].lower()
    if tag not in ALLOWED_TAGS:
        raise _parse_error(
            f'Unsupported start tag "{tag}" at byte offset {_byte_offset(text, start)}'
        )
    argument: str | None = None
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise _parse_error(
                f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, start)}'
            )
        if text[i] == ">":
            break
        attr_start = i
        while i < n and not text[i].isspace() and text[i] not in "=>/\"'":
            i += 1
        attr = text[attr_start:i].lower()
        if not attr:
            raise _parse_error(
                f'Empty attribute name in the tag "{tag}" at byte offset '
                f"{_byte_offset(text, start)}"
            )
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            if tag == "blockquote" and attr == "expandable":
                argument = "expandable"
            continue
        i += 1
        while i < n and text[i].isspace():
            i += 1
        value, i = _attr_value(text, i, start, tag)
        if tag == "a" and attr == "href":
            argument = value
        elif tag == "code" and attr == "class" and value.startswith("language-"):
            argument = value.removeprefix("language-")
        elif (tag, attr) in (("span", "class"), ("tg-emoji", "emoji-id")):
            argument = value
    if tag == "span" and argument != "tg-spoiler":
        raise _parse_error(
            f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, start)}'
        )
    return i + 1, _Open(tag, argument, 0, start)


def _attr_value(text: str, i: int, tag_start: int, tag: str) -> tuple[str, int]:
    n = len(text)
    if i >= n:
        raise _parse_error(
            f'Unclosed start tag "{tag}" at byte offset {_byte_offset(text, tag_start)}'
        )
    if text[i] not in "\"'":
        match = _UNQUOTED_VALUE.match(text, i)
        end = match.end() if match else i
        if end >= n or (not text[end].isspace() and text[end] != ">"):
            raise _parse_error(
                f"Unexpected end of name token at byte offset {_byte_offset(text, end)}"
            )
        return text[i:end].lower(), end
    quote = text[i]
    i += 1
    chars: list[str] = []
    while i < n and text[i] != quote:
        if text[i] == "&":
            decoded = _decode_entity(text, i)
            if decoded is not None:
                chars.append(decoded[0])
                i = decoded[1]
                continue
        chars.append(text[i])
        i += 1
    if i >= n:
        raise _parse_error(f"Unclosed start tag at byte offset {_byte_offset(text, tag_start)}")
    return "".join(chars), i + 1


def _close_tag(
    text: str, i: int, stack: list[_Open], entities: list[dict[str, Any]], utf16: int
) -> int:
    n = len(text)
    start = i
    if not stack:
        raise _parse_error(f"Unexpected end tag at byte offset {_byte_offset(text, start)}")
    i += 2
    name_start = i
    while i < n and not text[i].isspace() and text[i] != ">":
        i += 1
    name = text[name_start:i].lower()
    while i < n and text[i].isspace():
        i += 1
    if i >= n or text[i] != ">":
        raise _parse_error(f"Unclosed end tag at byte offset {_byte_offset(text, start)}")
    top = stack[-1]
    if name and name != top.tag:
        raise _parse_error(
            f"Unmatched end tag at byte offset {_byte_offset(text, start)}, "
            f'expected "</{top.tag}>", found "</{name}>"'
        )
    stack.pop()
    length = utf16 - top.offset
    if length > 0:
        _add_entity(entities, top, length)
    return i + 1


def _add_entity(entities: list[dict[str, Any]], opened: _Open, length: int) -> None:
    entity: dict[str, Any] = {"offset": opened.offset, "length": length}
    tag = opened.tag
    if tag == "a":
        if not opened.argument:
            return  # Telegram drops links without a usable URL and keeps the text.
        entity.update(type="text_link", url=opened.argument)
    elif tag == "blockquote":
        entity["type"] = "expandable_blockquote" if opened.argument else "blockquote"
    elif tag == "tg-emoji":
        if not (opened.argument or "").isdigit():
            raise _parse_error("Invalid custom emoji identifier specified")
        entity.update(type="custom_emoji", custom_emoji_id=opened.argument)
    elif tag == "pre" and entities and _same_span(entities[-1], entity, "code"):
        # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
        entities[-1]["type"] = "pre"
        return
    else:
        entity["type"] = _SIMPLE_TYPES[tag]
        if tag == "code" and opened.argument:
            entity["language"] = opened.argument
    entities.append(entity)


def _same_span(last: dict[str, Any], entity: dict[str, Any], kind: str) -> bool:
    return bool(
        last["type"] == kind
        and last["offset"] == entity["offset"]
        and last["length"] == entity["length"]
    )


def _strip(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace like Telegram does, keeping entities aligned."""
    stripped = text.strip()
    if stripped == text:
        entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return text, entities
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    kept: list[dict[str, Any]] = []
    for entity in entities:
        begin = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > begin:
            kept.append({**entity, "offset": begin, "length": end - begin})
    kept.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, kept
