"""Entities Telegram's servers attach to what a user types: commands, mentions, hashtags, URLs.

Offsets and lengths are in UTF-16 code units: an emoji before a command's arguments shifts
everything after it by two, which is exactly the kind of bug these factories must expose.
"""

from __future__ import annotations

import re
from typing import Any

from voisinbot.fakeapi.markup import utf16_len

# A command starts a word; Telegram allows 1-32 letters, digits and underscores, optionally
# followed by @botusername.
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")
_MENTION = re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")
_HASHTAG = re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")
_URL = re.compile(r"(?<![\w@])https?://[^\s<>\"]+[^\s<>\".,;:!?)\]']")

_PATTERNS = (("bot_command", _COMMAND), ("url", _URL), ("mention", _MENTION), ("hashtag", _HASHTAG))


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Entities for a plain user message, sorted by offset; overlapping matches are dropped."""
    spans: list[tuple[int, int, str]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end, _ in spans):
                continue  # e.g. the "@bot" inside "/cmd@bot" is not a separate mention
            spans.append((start, end, kind))
    spans.sort()
    return [
        {
            "type": kind,
            "offset": utf16_len(text[:start]),
            "length": utf16_len(text[start:end]),
        }
        for start, end, kind in spans
    ]
