"""Bot API methods about the bot itself, webhooks, chats, members and commands."""

from __future__ import annotations

import json
from typing import Any

from telegram.constants import ChatAction

from voisinbot.fakeapi import validation
from voisinbot.fakeapi.errors import ApiError, bad_request
from voisinbot.fakeapi.params import Params, opt_bool, opt_int, opt_json, opt_str, req_int
from voisinbot.fakeapi.shapes import GROUP_TYPES, chat_full_info, chat_member
from voisinbot.fakeapi.state import State

_ACTIONS = frozenset(action.value for action in ChatAction)


def get_me(state: State, params: Params) -> dict[str, Any]:
    return dict(state.bot_user)


def log_out(state: State, params: Params) -> bool:
    return True


def close(state: State, params: Params) -> bool:
    return True


async def get_updates(state: State, params: Params) -> list[dict[str, Any]]:
    if state.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook "
            "to delete the webhook first",
        )
    allowed = opt_json(params, "allowed_updates")
    timeout = params.get("timeout") or 0
    return await state.updates.get(
        opt_int(params, "offset"),
        opt_int(params, "limit"),
        float(timeout),
        allowed if isinstance(allowed, list) else None,
    )


def set_webhook(state: State, params: Params) -> bool:
    url = opt_str(params, "url") or ""
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    state.webhook_url = url
    state.updates.cancel_polls()
    if opt_bool(params, "drop_pending_updates"):
        state.updates.drop_all()
    return True


def delete_webhook(state: State, params: Params) -> bool:
    state.webhook_url = ""
    if opt_bool(params, "drop_pending_updates"):
        state.updates.drop_all()
    return True


def get_webhook_info(state: State, params: Params) -> dict[str, Any]:
    return {
        "url": state.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }


def send_chat_action(state: State, params: Params) -> bool:
    chat = state.resolve_chat(params.get("chat_id"))
    state.check_can_send(chat)
    if opt_str(params, "action") not in _ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def get_chat(state: State, params: Params) -> dict[str, Any]:
    chat = state.resolve_chat(params.get("chat_id"))
    return chat_full_info(chat)


def get_chat_member(state: State, params: Params) -> dict[str, Any]:
    chat = state.resolve_chat(params.get("chat_id"))
    return state.member(chat["id"], req_int(params, "user_id"))


def get_chat_administrators(state: State, params: Params) -> list[dict[str, Any]]:
    chat = state.resolve_chat(params.get("chat_id"))
    state.raise_if_private(chat, "administrators")
    chat_id = chat["id"]
    out: list[dict[str, Any]] = []
    creator = state.creators.get(chat_id)
    if creator is not None:
        out.append(chat_member(state.users[creator], "creator"))
    out.extend(
        chat_member(state.users[uid], "administrator") for uid in state.admins.get(chat_id, ())
    )
    if state.bot_is_admin(chat_id):
        out.append(chat_member(state.bot_user, "administrator"))
    return out


def get_chat_member_count(state: State, params: Params) -> int:
    chat = state.resolve_chat(params.get("chat_id"))
    chat_id = chat["id"]
    if chat.get("type") == "private":
        return 2
    present = ("creator", "administrator", "member", "restricted")
    users = {uid for uid, status in state.members.get(chat_id, {}).items() if status in present}
    users.update(state.admins.get(chat_id, ()))
    if chat_id in state.creators:
        users.add(state.creators[chat_id])
    bot_in = state.bot_status.get(chat_id, "member") in present
    return len(users) + int(bot_in)


def leave_chat(state: State, params: Params) -> bool:
    chat = state.resolve_chat(params.get("chat_id"))
    if chat.get("type") == "private":
        raise bad_request("chat member status can't be changed in private chats")
    state.check_can_send(chat)
    state.bot_status[chat["id"]] = "left"
    return True


def _pin_target(state: State, params: Params) -> dict[str, Any]:
    chat = state.resolve_chat(params.get("chat_id"))
    state.check_can_send(chat)
    if chat.get("type") in GROUP_TYPES and not state.bot_is_admin(chat["id"]):
        raise bad_request("not enough rights to manage pinned messages in the chat")
    return chat


def pin_chat_message(state: State, params: Params) -> bool:
    chat = _pin_target(state, params)
    message_id = req_int(params, "message_id")
    if state.message(chat["id"], message_id) is None:
        raise bad_request("message to pin not found")
    pinned = state.pinned.setdefault(chat["id"], [])
    if message_id in pinned:
        pinned.remove(message_id)
    pinned.append(message_id)
    return True


def unpin_chat_message(state: State, params: Params) -> bool:
    chat = _pin_target(state, params)
    pinned = state.pinned.get(chat["id"], [])
    message_id = opt_int(params, "message_id")
    if message_id is None:
        if pinned:
            pinned.pop()
    elif message_id in pinned:
        pinned.remove(message_id)
    else:
        raise bad_request("message to unpin not found")
    return True


def unpin_all_chat_messages(state: State, params: Params) -> bool:
    chat = _pin_target(state, params)
    state.pinned.pop(chat["id"], None)
    return True


def _commands_key(params: Params) -> tuple[str, str]:
    scope = opt_json(params, "scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), opt_str(params, "language_code") or ""


def set_my_commands(state: State, params: Params) -> bool:
    state.commands[_commands_key(params)] = validation.commands(params)
    return True


def get_my_commands(state: State, params: Params) -> list[dict[str, Any]]:
    return list(state.commands.get(_commands_key(params), []))


def delete_my_commands(state: State, params: Params) -> bool:
    state.commands.pop(_commands_key(params), None)
    return True


def _set_text(field: str) -> Any:
    def handler(state: State, params: Params) -> bool:
        language = opt_str(params, "language_code") or ""
        state.texts[(field, language)] = validation.description(params, field)
        return True

    return handler


def _get_text(field: str) -> Any:
    def handler(state: State, params: Params) -> dict[str, Any]:
        language = opt_str(params, "language_code") or ""
        value = state.texts.get((field, language), state.texts.get((field, ""), ""))
        return {field: value}

    return handler


HANDLERS: dict[str, Any] = {
    "getMe": get_me,
    "logOut": log_out,
    "close": close,
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
    "sendChatAction": send_chat_action,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "getChatMemberCount": get_chat_member_count,
    "leaveChat": leave_chat,
    "pinChatMessage": pin_chat_message,
    "unpinChatMessage": unpin_chat_message,
    "unpinAllChatMessages": unpin_all_chat_messages,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setMyDescription": _set_text("description"),
    "getMyDescription": _get_text("description"),
    "setMyShortDescription": _set_text("short_description"),
    "getMyShortDescription": _get_text("short_description"),
}
