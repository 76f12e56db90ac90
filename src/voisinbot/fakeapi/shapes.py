"""Builders of Telegram-shaped objects shared by the engine and the factories."""

from __future__ import annotations

from typing import Any

GROUP_TYPES = frozenset({"group", "supergroup"})

# Telegram's stand-in sender for anonymous group administrators.
GROUP_ANONYMOUS_BOT: dict[str, Any] = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}

_RESTRICTED_FLAGS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
    "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
    "can_send_other_messages", "can_add_web_page_previews", "can_change_info",
    "can_invite_users", "can_pin_messages", "can_manage_topics", "can_edit_tag",
)  # fmt: skip


def chat_member(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember of the given status with every field PTB requires."""
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "administrator":
        return {
            "status": "administrator",
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
            "can_manage_chat": True,
            "can_delete_messages": True,
            "can_manage_video_chats": True,
            "can_restrict_members": True,
            "can_promote_members": False,
            "can_change_info": True,
            "can_invite_users": True,
            "can_post_stories": False,
            "can_edit_stories": False,
            "can_delete_stories": False,
            "can_pin_messages": True,
        }
    if status == "kicked":
        return {"status": "kicked", "user": user, "until_date": 0}
    if status == "restricted":
        flags = dict.fromkeys(_RESTRICTED_FLAGS, False)
        return {"status": "restricted", "user": user, "is_member": True, "until_date": 0, **flags}
    if status in ("member", "left"):
        return {"status": status, "user": user}
    raise ValueError(f"unknown chat member status {status!r}")


def chat_full_info(chat: dict[str, Any]) -> dict[str, Any]:
    """getChat's answer: the chat plus the fields ChatFullInfo requires."""
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def chat_kind(chat: dict[str, Any]) -> str:
    """The word Telegram uses in its error texts: "group chat", "supergroup chat"..."""
    return f"{chat.get('type', 'group')} chat"
