"""From a command line to a decision ready to launch, or the list of what to fix.

- quick poll: ``Question ? | Option 1 | Option 2 … [| settings]``
- date finding: ``Title | sam 14/12 10h | dim 15/12 15h … [| deadline]``
- sign-up sheet: ``Title | lun (2) | mer (2) | sam … [| deadline]`` (places in brackets,
  none for unlimited)
- citizen budget: ``Title | 5000 € | Bancs 1200 | Composteur 800 … [| deadline]``

See ``syntax`` for the settings segment. Every problem is reported at once, so a facilitator
fixes the line in one go.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from voisinbot.domain.polls.budget import parse_amount, split_project
from voisinbot.domain.polls.model import DecisionKind, Option
from voisinbot.domain.polls.syntax import (
    BadDeadline,
    Flag,
    Settings,
    fold,
    read_settings,
    reads_as_date,
    split_segments,
)
from voisinbot.domain.when import parse_when

DEFAULT_OPEN: dict[DecisionKind, timedelta | None] = {
    DecisionKind.POLL: timedelta(hours=48),
    DecisionKind.DATES: timedelta(hours=72),
    DecisionKind.SIGNUP: None,  # a sign-up sheet stays open until a facilitator closes it
    DecisionKind.BUDGET: timedelta(days=7),
}
MAX_OPEN = timedelta(days=365)
MAX_CAPACITY = 999
_CAPACITY = re.compile(r"^(?P<label>.*?)\s*[(\[]\s*(?P<n>\d{1,6})\s*[)\]]$")


class ProblemCode(enum.Enum):
    NO_TITLE = "no_title"
    TITLE_TOO_LONG = "title_too_long"
    TOO_FEW_OPTIONS = "too_few_options"
    TOO_MANY_OPTIONS = "too_many_options"
    OPTION_TOO_LONG = "option_too_long"
    DUPLICATE_OPTION = "duplicate_option"
    BAD_DEADLINE = "bad_deadline"
    DEADLINE_TOO_FAR = "deadline_too_far"
    CONFLICTING_FLAGS = "conflicting_flags"
    NO_TOTAL = "no_total"
    BAD_PROJECT = "bad_project"
    PROJECT_OVER_TOTAL = "project_over_total"
    BAD_CAPACITY = "bad_capacity"


@dataclass(frozen=True, slots=True)
class Problem:
    code: ProblemCode
    value: str = ""  # the piece of text concerned
    limit: int = 0
    length: int = 0
    index: int = 0  # 1-based number of the option concerned


@dataclass(frozen=True, slots=True)
class Limits:
    max_title: int
    max_option: int
    max_options: int
    min_options: int = 2


# Boards are messages with one to three buttons per option: these keep them within
# Telegram's 100 buttons and 4096 characters (the poll limits come from telegram.constants).
DATES_LIMITS = Limits(max_title=200, max_option=100, max_options=20)
SIGNUP_LIMITS = Limits(max_title=200, max_option=100, max_options=30, min_options=1)
BUDGET_LIMITS = Limits(max_title=200, max_option=60, max_options=20)


@dataclass(frozen=True, slots=True)
class Spec:
    """A decision as the facilitator described it, checked and ready to store."""

    kind: DecisionKind
    title: str
    options: tuple[Option, ...]
    closes_at: datetime | None
    anonymous: bool = False
    multiple: bool = False
    hidden: bool = False
    total: int | None = None


Parsed = Spec | tuple[Problem, ...]


def parse_poll(text: str, now: datetime, limits: Limits) -> Parsed:
    segments = split_segments(text)
    if not segments:
        return (Problem(ProblemCode.NO_TITLE),)
    title, labels = segments[0], segments[1:]
    # A bare date ends the poll ("| vendredi 18h") unless the options are dates themselves.
    bare_ok = not labels[:-1] or not all(reads_as_date(label, now) for label in labels[:-1])
    settings, labels, problems = _trailing_settings(labels, now, bare_date_is_deadline=bare_ok)
    flags = settings.flags if settings else frozenset()
    if {Flag.ANONYMOUS, Flag.NAMED} <= flags:
        problems.append(Problem(ProblemCode.CONFLICTING_FLAGS))
    problems += _check_title(title, limits) + _check_labels(labels, limits)
    options = tuple(Option(i, label) for i, label in enumerate(labels))
    return _finish(
        problems,
        Spec(
            DecisionKind.POLL,
            title,
            options,
            None,
            anonymous=Flag.ANONYMOUS in flags,
            multiple=Flag.MULTIPLE in flags,
            hidden=Flag.HIDDEN in flags,
        ),
        settings,
        now,
    )


def parse_dates(text: str, now: datetime, limits: Limits = DATES_LIMITS) -> Parsed:
    segments = split_segments(text)
    if not segments:
        return (Problem(ProblemCode.NO_TITLE),)
    title = segments[0]
    settings, labels, problems = _trailing_settings(segments[1:], now, bare_date_is_deadline=False)
    problems += _check_title(title, limits) + _check_labels(labels, limits)
    slots = []
    for label in labels:
        when = parse_when(label, now)
        slots.append(Option(0, label, when.at if when else None, bool(when and when.has_time)))
    # Dates in time order, then the slots that are not dates, as written.
    ordered = sorted(slots, key=lambda s: (s.at is None, s.at.timestamp() if s.at else 0))
    options = tuple(replace(slot, position=i) for i, slot in enumerate(ordered))
    return _finish(problems, Spec(DecisionKind.DATES, title, options, None), settings, now)


def parse_signup(text: str, now: datetime, limits: Limits = SIGNUP_LIMITS) -> Parsed:
    segments = split_segments(text)
    if not segments:
        return (Problem(ProblemCode.NO_TITLE),)
    title = segments[0]
    settings, raw, problems = _trailing_settings(segments[1:], now, bare_date_is_deadline=False)
    labels: list[str] = []
    capacities: list[int | None] = []
    for index, segment in enumerate(raw, start=1):
        match = _CAPACITY.match(segment)
        label, capacity = (match["label"], int(match["n"])) if match else (segment, None)
        if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
            problems.append(
                Problem(ProblemCode.BAD_CAPACITY, segment, limit=MAX_CAPACITY, index=index)
            )
        labels.append(label.strip() or segment)
        capacities.append(capacity)
    problems += _check_title(title, limits) + _check_labels(labels, limits)
    options = []
    for position, (label, capacity) in enumerate(zip(labels, capacities, strict=True)):
        when = parse_when(label, now)
        at, has_time = (when.at, when.has_time) if when else (None, False)
        options.append(Option(position, label, at, has_time, capacity=capacity))
    spec = Spec(DecisionKind.SIGNUP, title, tuple(options), None)
    return _finish(problems, spec, settings, now)


def parse_budget(text: str, now: datetime, limits: Limits = BUDGET_LIMITS) -> Parsed:
    segments = split_segments(text)
    if not segments:
        return (Problem(ProblemCode.NO_TITLE),)
    title, rest = segments[0], segments[1:]
    problems = _check_title(title, limits)
    total = parse_amount(rest[0]) if rest else None
    if total is None:
        return (*problems, Problem(ProblemCode.NO_TOTAL, rest[0] if rest else ""))
    rest = rest[1:]
    settings: Settings | None = None
    if rest and split_project(rest[-1]) is None:
        found = read_settings(rest[-1], now, bare_date_is_deadline=True)
        if isinstance(found, BadDeadline):
            problems.append(Problem(ProblemCode.BAD_DEADLINE, found.text))
            rest = rest[:-1]
        elif found is not None:
            settings, rest = found, rest[:-1]
    projects: list[tuple[str, int]] = []
    for index, segment in enumerate(rest, start=1):
        project = split_project(segment)
        if project is None:
            problems.append(Problem(ProblemCode.BAD_PROJECT, segment, index=index))
            continue
        if project[1] > total:
            problems.append(Problem(ProblemCode.PROJECT_OVER_TOTAL, project[0], index=index))
        projects.append(project)
    problems += _check_labels([name for name, _ in projects], limits)
    options = tuple(Option(i, name, cost=cost) for i, (name, cost) in enumerate(projects))
    spec = Spec(DecisionKind.BUDGET, title, options, None, total=total)
    return _finish(problems, spec, settings, now)


def _trailing_settings(
    labels: list[str], now: datetime, *, bare_date_is_deadline: bool
) -> tuple[Settings | None, list[str], list[Problem]]:
    if not labels:
        return None, labels, []
    found = read_settings(labels[-1], now, bare_date_is_deadline=bare_date_is_deadline)
    if isinstance(found, BadDeadline):
        return None, labels[:-1], [Problem(ProblemCode.BAD_DEADLINE, found.text)]
    if found is None:
        return None, labels, []
    return found, labels[:-1], []


def _check_title(title: str, limits: Limits) -> list[Problem]:
    if len(title) > limits.max_title:
        return [
            Problem(ProblemCode.TITLE_TOO_LONG, title, limit=limits.max_title, length=len(title))
        ]
    return []


def _check_labels(labels: list[str], limits: Limits) -> list[Problem]:
    problems = []
    if len(labels) < limits.min_options:
        problems.append(
            Problem(ProblemCode.TOO_FEW_OPTIONS, limit=limits.min_options, length=len(labels))
        )
    if len(labels) > limits.max_options:
        problems.append(
            Problem(ProblemCode.TOO_MANY_OPTIONS, limit=limits.max_options, length=len(labels))
        )
    seen: set[str] = set()
    for index, label in enumerate(labels, start=1):
        if len(label) > limits.max_option:
            problems.append(
                Problem(
                    ProblemCode.OPTION_TOO_LONG,
                    label,
                    limit=limits.max_option,
                    length=len(label),
                    index=index,
                )
            )
        key = fold(label)
        if key in seen:
            problems.append(Problem(ProblemCode.DUPLICATE_OPTION, label, index=index))
        seen.add(key)
    return problems


def _finish(
    problems: list[Problem], spec: Spec, settings: Settings | None, now: datetime
) -> Parsed:
    default = DEFAULT_OPEN[spec.kind]
    closes_at = settings.deadline if settings and settings.deadline else None
    if closes_at is None and default is not None:
        closes_at = now + default
    if closes_at is not None and closes_at - now > MAX_OPEN:
        problems.append(Problem(ProblemCode.DEADLINE_TOO_FAR, limit=MAX_OPEN.days))
    if problems:
        return tuple(problems)
    return replace(spec, closes_at=closes_at)
