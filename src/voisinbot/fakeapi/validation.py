"""Parameter validation with Telegram's own error descriptions.

Limits come from ``telegram.constants`` so that they are written down once, by PTB.
"""

from __future__ import annotations

from typing import Any

from telegram.constants import (
    BotCommandLimit,
    BotDescriptionLimit,
    CallbackQueryLimit,
    InlineKeyboardButtonLimit,
    InlineKeyboardMarkupLimit,
    MessageLimit,
    PollLimit,
)

from voisinbot.fakeapi.errors import bad_request
from voisinbot.fakeapi.markup import parse_html
from voisinbot.fakeapi.params import Params, opt_json, opt_str

# PTB has no constant for these two; Telegram documents "2-12 answer options, 1-100 chars".
POLL_MIN_OPTIONS = 2
POLL_MIN_OPTION_LENGTH = 1

_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def render_text(
    text: str | None,
    parse_mode: str | None,
    entities: Any,
    *,
    strict_ampersand: bool,
) -> tuple[str, list[dict[str, Any]]]:
    """Turn submitted text into what residents see: plain text plus entities."""
    mode = (parse_mode or "").lower()
    if not text:
        return "", []
    if mode == "html":
        return parse_html(text, strict_ampersand=strict_ampersand)
    if mode in ("markdown", "markdownv2"):
        # Markdown is not parsed (see the package docstring); the text is kept verbatim.
        return text.strip(), []
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return text.strip(), list(entities) if isinstance(entities, list) else []


def message_text(params: Params, *, strict_ampersand: bool) -> tuple[str, list[dict[str, Any]]]:
    plain, entities = render_text(
        opt_str(params, "text"),
        opt_str(params, "parse_mode"),
        opt_json(params, "entities"),
        strict_ampersand=strict_ampersand,
    )
    if not plain:
        raise bad_request("message text is empty")
    if len(plain) > MessageLimit.MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return plain, entities


def caption(params: Params, *, strict_ampersand: bool) -> tuple[str, list[dict[str, Any]]]:
    plain, entities = render_text(
        opt_str(params, "caption"),
        opt_str(params, "parse_mode"),
        opt_json(params, "caption_entities"),
        strict_ampersand=strict_ampersand,
    )
    if len(plain) > MessageLimit.CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return plain, entities


def reply_markup(params: Params) -> dict[str, Any] | None:
    markup = opt_json(params, "reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _reply_keyboard(markup["keyboard"])
    elif not ("force_reply" in markup or "remove_keyboard" in markup):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _rows(rows: Any, field: str) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f'field "{field}" must be an Array of Arrays')
    total = 0
    for row in rows:
        if not row:
            raise bad_request(f"{field} row must be non-empty")
        if len(row) > InlineKeyboardMarkupLimit.BUTTONS_PER_ROW:
            raise bad_request("reply markup is too long")
        total += len(row)
    if total > InlineKeyboardMarkupLimit.TOTAL_BUTTON_NUMBER:
        raise bad_request("reply markup is too long")
    return rows


def _inline_keyboard(rows: Any) -> None:
    for row in _rows(rows, "inline_keyboard"):
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request(
                    'can\'t parse inline keyboard button: Field "text" must be of type String'
                )
            if not button["text"].strip():
                raise bad_request("BUTTON_TEXT_EMPTY")
            actions = [key for key in _BUTTON_ACTIONS if key in button]
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the "
                    "inline keyboard"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                size = len(data.encode("utf-8")) if isinstance(data, str) else -1
                low = InlineKeyboardButtonLimit.MIN_CALLBACK_DATA
                if not low <= size <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
                    raise bad_request(
                        f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL"
                    )


def _reply_keyboard(rows: Any) -> None:
    for row in _rows(rows, "keyboard"):
        for button in row:
            text = button if isinstance(button, str) else (button or {}).get("text")
            if not isinstance(text, str) or not text:
                raise bad_request("keyboard button text must be non-empty")


def poll(params: Params) -> tuple[str, list[str]]:
    question = (opt_str(params, "question") or "").strip()
    if len(question) < PollLimit.MIN_QUESTION_LENGTH:
        raise bad_request("poll question must be non-empty")
    if len(question) > PollLimit.MAX_QUESTION_LENGTH:
        raise bad_request(f"poll question length must not exceed {PollLimit.MAX_QUESTION_LENGTH}")
    raw = opt_json(params, "options")
    if not isinstance(raw, list):
        raise bad_request("options must be an Array")
    options = [(o.get("text") if isinstance(o, dict) else o) for o in raw]
    if len(options) < POLL_MIN_OPTIONS:
        raise bad_request(f"poll must have at least {POLL_MIN_OPTIONS} option")
    if len(options) > PollLimit.MAX_OPTION_NUMBER:
        raise bad_request(f"poll can't have more than {PollLimit.MAX_OPTION_NUMBER} options")
    texts: list[str] = []
    for option in options:
        text = (option if isinstance(option, str) else "").strip()
        if len(text) < POLL_MIN_OPTION_LENGTH:
            raise bad_request("poll options must be non-empty")
        if len(text) > PollLimit.MAX_OPTION_LENGTH:
            raise bad_request(f"poll options length must not exceed {PollLimit.MAX_OPTION_LENGTH}")
        texts.append(text)
    return question, texts


def callback_answer_text(params: Params) -> None:
    text = opt_str(params, "text") or ""
    if len(text) > CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")


def commands(params: Params) -> list[dict[str, Any]]:
    raw = opt_json(params, "commands")
    if not isinstance(raw, list):
        raise bad_request("can't parse commands JSON object")
    if len(raw) > BotCommandLimit.MAX_COMMAND_NUMBER:
        raise bad_request("too many commands specified")
    for item in raw:
        command = item.get("command") if isinstance(item, dict) else None
        description = item.get("description") if isinstance(item, dict) else None
        if not isinstance(command, str) or not (
            BotCommandLimit.MIN_COMMAND <= len(command) <= BotCommandLimit.MAX_COMMAND
            and all(c.isascii() and (c.isalnum() or c == "_") for c in command)
            and command == command.lower()
        ):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not (
            1 <= len(description) <= BotCommandLimit.MAX_DESCRIPTION
        ):
            raise bad_request("command description must be non-empty")
    return raw


def description(params: Params, field: str) -> str:
    value = opt_str(params, field) or ""
    limit = (
        BotDescriptionLimit.MAX_SHORT_DESCRIPTION_LENGTH
        if field == "short_description"
        else BotDescriptionLimit.MAX_DESCRIPTION_LENGTH
    )
    if len(value) > limit:
        raise bad_request(f"{field} is too long")
    return value
