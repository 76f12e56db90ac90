"""CSV files of a group's activity for a period, for reports to funders and members.

Residents appear only as pseudonyms: stable (the same resident, the same pseudonym, export
after export, from a secret kept in the database) but neither their name nor their Telegram
id. Columns: docs/export.md.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from voisinbot.domain.polls.budget import Outcome
from voisinbot.domain.polls.model import Decision, DecisionKind
from voisinbot.domain.stats import Period
from voisinbot.services import budget, dates, polls, signup
from voisinbot.storage import Store

POSTS = ("id", "kind", "category", "offer_type", "status", "created_at", "closed_at", "author")
POSTS_COLUMNS = (*POSTS, "text")
HELPS_COLUMNS = ("post_id", "kind", "helper", "helped", "accepted_at", "done_at")
THANKS_COLUMNS = ("post_id", "from", "to", "public", "created_at")
DECISIONS_COLUMNS = (
    "id",
    "kind",
    "title",
    "state",
    "created_at",
    "closed_at",
    "voters",
    "members",
    "turnout",
    "winner",
    "result",
)
FILE_NAMES = ("posts.csv", "helps.csv", "thanks.csv", "decisions.csv")
# A cell starting with one of these is a formula to a spreadsheet: residents' words must
# stay words (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SEPARATOR = " | "


def pseudonym(key: bytes, user_id: int | None) -> str:
    """``N-7KQ2MZ4A``; empty for a post whose author asked to be forgotten."""
    if user_id is None:
        return ""
    digest = hmac.new(key, str(user_id).encode(), hashlib.sha256).digest()
    return "N-" + base64.b32encode(digest).decode()[:8]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # With a byte order mark, spreadsheets read the accents right.
    return buffer.getvalue().encode("utf-8-sig")


def _at(value: datetime | None, tz: ZoneInfo) -> str:
    return "" if value is None else value.astimezone(tz).isoformat(timespec="seconds")


async def _decision_row(
    store: Store, decision: Decision, closed: datetime | None, tz: ZoneInfo
) -> list[object]:
    """One decision: who took part, what won, and the counts behind it."""
    winner: list[str] = []
    result: list[str] = []
    if decision.kind is DecisionKind.POLL:
        poll = await polls.result(store, decision)
        voters = poll.voters
        winner = [o.label for o in poll.options if o.position in poll.winners]
        result = [f"{o.label}={o.votes}" for o in poll.options]
    elif decision.kind is DecisionKind.DATES:
        board = await dates.board(store, decision)
        voters = board.respondents
        winner = [s.option.label for s in board.slots if s.option.position == board.best]
        result = [
            f"{s.option.label}={s.score.yes}/{s.score.maybe}/{s.score.no}" for s in board.slots
        ]
    elif decision.kind is DecisionKind.SIGNUP:
        sheet = await signup.board(store, decision)
        voters = len({p.user_id for slot in sheet.slots for p in slot.people})
        result = [
            f"{s.option.label}={len(s.people)}/"
            + ("" if s.option.capacity is None else str(s.option.capacity))
            for s in sheet.slots
        ]
    else:
        outcome = await budget.outcome(store, decision)
        voters = outcome.ballots
        labels = {o.position: o.label for o in outcome.options}
        winner = [labels[a.position] for a in outcome.result.ranked if a.outcome is Outcome.FUNDED]
        result = [f"{labels[a.position]}={a.votes}" for a in outcome.result.ranked]
    members = max(await store.decisions.count_members(decision.chat_id), voters)
    return [
        decision.id,
        decision.kind.value,
        decision.title,
        decision.state.value,
        _at(decision.created_at, tz),
        _at(closed, tz),
        voters,
        members,
        f"{voters / members:.2f}" if members else "",
        _SEPARATOR.join(winner),
        _SEPARATOR.join(result),
    ]


async def export_csv(store: Store, chat_id: int, period: Period, tz: ZoneInfo) -> dict[str, bytes]:
    """posts.csv, helps.csv, thanks.csv and decisions.csv for one group and period."""
    key = await store.reports.pseudonym_key()
    reports = store.reports
    posts = await reports.posts(chat_id, period.start, period.end)
    helps = await reports.helps(chat_id, period.start, period.end)
    thanks = await reports.thanks(chat_id, period.start, period.end)
    decisions = []
    for decision_id, closed in await reports.decisions_in(chat_id, period.start, period.end):
        decision = await store.decisions.get(decision_id)
        if decision is not None:
            decisions.append(await _decision_row(store, decision, closed, tz))
    return {
        "posts.csv": _csv(
            POSTS_COLUMNS,
            (
                (
                    p.id,
                    p.kind,
                    p.category,
                    p.offer_type,
                    p.status,
                    _at(p.created_at, tz),
                    _at(p.closed_at, tz),
                    pseudonym(key, p.author_id),
                    # Anonymised posts keep their words in the group, not in reports.
                    p.text if p.author_id is not None else "",
                )
                for p in posts
            ),
        ),
        "helps.csv": _csv(
            HELPS_COLUMNS,
            (
                (
                    h.post_id,
                    h.kind,
                    pseudonym(key, h.responder_id if h.kind == "need" else h.author_id),
                    pseudonym(key, h.author_id if h.kind == "need" else h.responder_id),
                    _at(h.accepted_at, tz),
                    _at(h.done_at, tz),
                )
                for h in helps
            ),
        ),
        "thanks.csv": _csv(
            THANKS_COLUMNS,
            (
                (
                    t.post_id,
                    pseudonym(key, t.from_user),
                    pseudonym(key, t.to_user),
                    t.public,
                    _at(t.created_at, tz),
                )
                for t in thanks
            ),
        ),
        "decisions.csv": _csv(DECISIONS_COLUMNS, decisions),
    }


def zipped(files: dict[str, bytes], folder: str) -> bytes:
    """The files in one zip (one document to send), under ``folder/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"{folder}/{name}", content)
    return buffer.getvalue()
