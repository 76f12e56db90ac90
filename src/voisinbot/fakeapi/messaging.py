"""Bot API methods that create, change or remove messages."""

from __future__ import annotations

import os
from typing import Any

from voisinbot.fakeapi import validation
from voisinbot.fakeapi.errors import bad_request
from voisinbot.fakeapi.params import (
    Params,
    UploadedFile,
    opt_bool,
    opt_int,
    opt_json,
    opt_str,
    req_int,
)
from voisinbot.fakeapi.state import Message, State

MAX_DELETE_AGE = 48 * 3600  # Telegram: messages older than 48 hours can't be deleted


def _new_file_id(state: State, kind: str) -> tuple[str, str]:
    n = next(state.seq)
    return f"fake-{kind}-{n:08d}", f"fu{n:08d}"


def _target_chat(state: State, params: Params) -> dict[str, Any]:
    if params.get("inline_message_id") is not None:
        raise bad_request("inline messages are not supported by the fake API")
    chat = state.resolve_chat(params.get("chat_id"))
    state.check_can_send(chat)
    return chat


def _reply_target(state: State, chat: dict[str, Any], params: Params) -> Message | None:
    reply = opt_json(params, "reply_parameters")
    allow = opt_bool(params, "allow_sending_without_reply")
    chat_id = chat["id"]
    if isinstance(reply, dict):
        message_id = reply.get("message_id")
        allow = bool(reply.get("allow_sending_without_reply", allow))
        if reply.get("chat_id") is not None:
            chat_id = state.resolve_chat(reply["chat_id"])["id"]
    else:
        message_id = opt_int(params, "reply_to_message_id")
    if message_id is None:
        return None
    target = state.message(chat_id, int(message_id))
    if target is None:
        if allow:
            return None
        raise bad_request("message to be replied not found")
    # Telegram nests one level only: the replied-to message loses its own reply_to_message.
    return {key: value for key, value in target.items() if key != "reply_to_message"}


def _store(
    state: State, chat: dict[str, Any], params: Params, content: dict[str, Any], log_text: str
) -> Message:
    markup = validation.reply_markup(params)
    reply = _reply_target(state, chat, params)
    state.check_flood(chat)
    message_id = state.next_message_id(chat["id"])
    message: Message = {"message_id": message_id}
    if chat.get("type") == "channel":
        message["sender_chat"] = chat
    else:
        message["from"] = state.bot_sender
    message.update(chat=chat, date=state.now(), **content)
    if reply is not None:
        message["reply_to_message"] = reply
    if markup is not None:
        state.sent_markup[(chat["id"], message_id)] = markup
        # Only inline keyboards are echoed back in Message.reply_markup, as on Telegram.
        if "inline_keyboard" in markup:
            message["reply_markup"] = markup
    state.messages.setdefault(chat["id"], {})[message_id] = message
    state.bot_messages.add((chat["id"], message_id))
    state.sent_texts.setdefault(chat["id"], []).append(log_text)
    return message


def send_message(state: State, params: Params) -> Message:
    chat = _target_chat(state, params)
    text, entities = validation.message_text(params, strict_ampersand=state.strict_ampersand)
    content: dict[str, Any] = {"text": text}
    if entities:
        content["entities"] = entities
    return _store(state, chat, params, content, text)


def _file(state: State, params: Params, field: str) -> dict[str, Any]:
    value = params.get(field)
    if value is None or value == "":
        raise bad_request(f"there is no {field} in the request")
    if isinstance(value, UploadedFile):
        if not value.content:
            raise bad_request("file must be non-empty")
        file_id, unique = _new_file_id(state, field)
        info: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": unique,
            "file_name": value.filename,
            "mime_type": value.mime_type,
            "file_size": value.size,
        }
    elif isinstance(value, str) and value in state.files:
        return state.files[value]  # re-sending a known file_id
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        file_id, unique = _new_file_id(state, field)
        info = {"file_id": file_id, "file_unique_id": unique}
        info["file_name"] = os.path.basename(value.split("?")[0]) or "file"
    else:
        raise bad_request("wrong file identifier/HTTP URL specified")
    state.files[info["file_id"]] = info
    state.uploads[info["file_id"]] = value if isinstance(value, UploadedFile) else None
    return info


def _send_media(state: State, params: Params, field: str) -> Message:
    chat = _target_chat(state, params)
    caption, entities = validation.caption(params, strict_ampersand=state.strict_ampersand)
    info = _file(state, params, field)
    content: dict[str, Any]
    if field == "photo":
        size = {key: info[key] for key in ("file_id", "file_unique_id")}
        size.update(width=800, height=600, file_size=info.get("file_size", 0))
        content = {"photo": [size]}
    else:
        content = {"document": {k: v for k, v in info.items() if v is not None}}
    if caption:
        content["caption"] = caption
    if entities:
        content["caption_entities"] = entities
    return _store(state, chat, params, content, caption)


def send_document(state: State, params: Params) -> Message:
    return _send_media(state, params, "document")


def send_photo(state: State, params: Params) -> Message:
    return _send_media(state, params, "photo")


def send_poll(state: State, params: Params) -> Message:
    chat = _target_chat(state, params)
    question, options = validation.poll(params)
    poll_id = str(5_000_000_000_000_000_000 + next(state.seq))
    poll: dict[str, Any] = {
        "id": poll_id,
        "question": question,
        # persistent_id, allows_revoting and members_only are required since Bot API 9.6/10.
        "options": [
            {"text": text, "voter_count": 0, "persistent_id": str(index)}
            for index, text in enumerate(options)
        ],
        "total_voter_count": 0,
        "is_closed": opt_bool(params, "is_closed"),
        "is_anonymous": opt_bool(params, "is_anonymous", True),
        "type": opt_str(params, "type") or "regular",
        "allows_multiple_answers": opt_bool(params, "allows_multiple_answers"),
        "allows_revoting": opt_bool(params, "allows_revoting", True),
        "members_only": opt_bool(params, "members_only"),
    }
    correct = opt_json(params, "correct_option_ids")
    if correct is None and opt_int(params, "correct_option_id") is not None:
        correct = [opt_int(params, "correct_option_id")]
    if isinstance(correct, list):
        poll["correct_option_ids"] = correct
    message = _store(state, chat, params, {"poll": poll}, question)
    state.polls[poll_id] = (chat["id"], message["message_id"])
    return message


def _editable(state: State, params: Params, what: str) -> tuple[dict[str, Any], Message]:
    chat = _target_chat(state, params)
    message = state.message(chat["id"], req_int(params, "message_id"))
    if message is None:
        raise bad_request(f"message to {what} not found")
    if not state.is_bot_message(message):
        raise bad_request("message can't be edited")
    return chat, message


def _commit_edit(state: State, chat: dict[str, Any], old: Message, new: Message) -> Message:
    if new == old:
        raise bad_request(
            "message is not modified: specified new message content and reply markup are "
            "exactly the same as a current content and reply markup of the message"
        )
    state.check_flood(chat, edit=True)
    new["edit_date"] = state.now()
    state.replace(new)
    return new


def _with(message: Message, key: str, value: Any) -> None:
    if value:
        message[key] = value
    else:
        message.pop(key, None)


def _edit_markup(state: State, chat: dict[str, Any], new: Message, params: Params) -> None:
    # Omitting reply_markup in an edit removes the keyboard, a classic bot bug to surface.
    markup = validation.reply_markup(params)
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    _with(new, "reply_markup", markup)
    if markup is not None:
        state.sent_markup[(chat["id"], new["message_id"])] = markup


def edit_message_text(state: State, params: Params) -> Message:
    chat, old = _editable(state, params, "edit")
    text, entities = validation.message_text(params, strict_ampersand=state.strict_ampersand)
    if "text" not in old:
        raise bad_request("there is no text in the message to edit")
    new = _without_edit_date(old)
    new["text"] = text
    _with(new, "entities", entities)
    _edit_markup(state, chat, new, params)
    return _commit_edit(state, chat, _without_edit_date(old), new)


def edit_message_caption(state: State, params: Params) -> Message:
    chat, old = _editable(state, params, "edit")
    caption, entities = validation.caption(params, strict_ampersand=state.strict_ampersand)
    if "document" not in old and "photo" not in old:
        raise bad_request("there is no caption in the message to edit")
    new = _without_edit_date(old)
    _with(new, "caption", caption)
    _with(new, "caption_entities", entities)
    _edit_markup(state, chat, new, params)
    return _commit_edit(state, chat, _without_edit_date(old), new)


def edit_message_reply_markup(state: State, params: Params) -> Message:
    chat, old = _editable(state, params, "edit")
    new = _without_edit_date(old)
    _edit_markup(state, chat, new, params)
    return _commit_edit(state, chat, _without_edit_date(old), new)


def _without_edit_date(message: Message) -> Message:
    return {key: value for key, value in message.items() if key != "edit_date"}


def stop_poll(state: State, params: Params) -> dict[str, Any]:
    chat = _target_chat(state, params)
    old = state.message(chat["id"], req_int(params, "message_id"))
    if old is None or "poll" not in old or not state.is_bot_message(old):
        raise bad_request("message with poll to stop not found")
    if old["poll"]["is_closed"]:
        raise bad_request("poll has already been closed")
    new = dict(old)
    new["poll"] = {**old["poll"], "is_closed": True}
    _edit_markup(state, chat, new, params)
    state.replace(new)
    return new["poll"]


def apply_poll_answer(
    state: State, poll_id: str, user_id: int, option_ids: list[int]
) -> dict[str, Any]:
    """Count a resident's vote so that later edits and stopPoll report real tallies."""
    where = state.polls.get(poll_id)
    if where is None:
        raise ValueError(f"unknown poll {poll_id}")
    old = state.message(*where)
    if old is None:
        raise ValueError(f"poll {poll_id} was deleted")
    poll = old["poll"]
    if poll["is_closed"]:
        raise ValueError(f"poll {poll_id} is closed")
    if any(not 0 <= i < len(poll["options"]) for i in option_ids):
        raise ValueError(f"option ids {option_ids} out of range")
    votes = state.poll_votes.setdefault(poll_id, {})
    if option_ids:
        votes[user_id] = list(option_ids)
    else:
        votes.pop(user_id, None)  # a retracted vote
    counts = [0] * len(poll["options"])
    for chosen in votes.values():
        for index in chosen:
            counts[index] += 1
    options = [{**o, "voter_count": c} for o, c in zip(poll["options"], counts, strict=True)]
    new_poll = {**poll, "options": options, "total_voter_count": len(votes)}
    state.replace({**old, "poll": new_poll})
    return new_poll


def delete_message(state: State, params: Params) -> bool:
    chat = state.resolve_chat(params.get("chat_id"))
    message_id = req_int(params, "message_id")
    message = state.message(chat["id"], message_id)
    if message is None:
        raise bad_request("message to delete not found")
    own = state.is_bot_message(message)
    in_group = chat.get("type") != "private"
    if in_group and not own and not state.bot_is_admin(chat["id"]):
        raise bad_request("message can't be deleted")
    too_old = state.now() - message["date"] > MAX_DELETE_AGE
    if too_old and not (chat.get("type") == "supergroup" and state.bot_is_admin(chat["id"])):
        raise bad_request("message can't be deleted for everyone")
    state.delete(chat["id"], message_id)
    return True


def delete_messages(state: State, params: Params) -> bool:
    chat = state.resolve_chat(params.get("chat_id"))
    ids = opt_json(params, "message_ids")
    if not isinstance(ids, list) or not ids:
        raise bad_request("message_ids must be non-empty")
    for message_id in ids:
        if state.message(chat["id"], int(message_id)) is not None:
            state.delete(chat["id"], int(message_id))
    return True


def answer_callback_query(state: State, params: Params) -> bool:
    query_id = opt_str(params, "callback_query_id") or ""
    if state.callbacks.get(query_id, True) is not None:
        # Unknown ids and second answers get the same answer on Telegram.
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    validation.callback_answer_text(params)
    state.callbacks[query_id] = dict(params)
    return True


HANDLERS = {
    "sendMessage": send_message,
    "sendDocument": send_document,
    "sendPhoto": send_photo,
    "sendPoll": send_poll,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "stopPoll": stop_poll,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
    "answerCallbackQuery": answer_callback_query,
}
