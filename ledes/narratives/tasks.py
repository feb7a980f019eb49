"""Block billing: the distinct tasks of a narrative, and whether each has its own time."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from ledes.narratives.finding import BLOCK_BILLING, NarrativeFinding
from ledes.narratives.literals import may_contain
from ledes.narratives.text import (
    LEADING_TIME,
    SEPARATOR,
    SKIP_COMMON,
    TIME,
    alternatives,
    clauses,
    folds_as_ascii,
    head,
)
from ledes.narratives.vocabulary import (
    NOUN_FORMS,
    SEPARATE_STEPS,
    TASK_KINDS,
    TASK_MODIFIERS,
    TOPIC_NOUNS,
)
from ledes.narratives.wording import Wording, first_word_runs, wording

_SKIP_TASK = re.compile(
    rf"(?:{SKIP_COMMON}|(?:{'|'.join(re.escape(word) for word in TASK_MODIFIERS)})\s+)*",
    re.IGNORECASE,
)
_TASK = re.compile(
    "|".join(
        rf"(?P<{kind}>(?:{alternatives(words)})(?![\w-]))"
        for kind, words in TASK_KINDS.items()
    ),
    re.IGNORECASE,
)
# A task after a clause separator (text.SEPARATOR: a mark, or "and" or "then" between spaces), past what
# _SKIP_TASK skips: every narrative of two tasks has one, as at most one task is in its first clause.
_LATER_TASK = (rf"[;,:.&+/\-–—\s](?:(?<=[;,:.&+/\-–—])|(?<=\s)(?:and|then)(?=\s))\s*"
               rf"{_SKIP_TASK.pattern}(?:{_TASK.pattern})")
_LATER_TASK_TWIN = re.compile(_LATER_TASK) if folds_as_ascii(_LATER_TASK, re.IGNORECASE) else None


@functools.cache
def _later_task() -> re.Pattern[str]:
    """``_LATER_TASK`` case-insensitive, for a text that is not ASCII (compiled when first needed)."""
    return re.compile(_LATER_TASK, re.IGNORECASE)
_TOPIC_MARKER = re.compile(r"(?<![\w-])(?:re|re:|regarding|concerning|about)(?![\w-])", re.IGNORECASE)
# A bare verb before "and" ("Draft and revise motion"): the two verbs make one task.
_BARE_VERB_TAIL = re.compile(r"\s*(?:for|to|up|on|with)?\s*$", re.IGNORECASE)
# "Review X and draft response": reading a paper and answering it is one task.
_RESPONSE_OBJECT = re.compile(r"\W+(?:[\w'’-]+\W+){0,2}?(?:response|responses|reply|objection|objections|comments)\b",
                              re.IGNORECASE)


# What every clause separator (text.SEPARATOR) holds: a punctuation mark or a dash, or "and", "&", "+" or "then".
_SEPARATOR_MARKS = (";", ",", ":", ".", "&", "+", "/", "-", "–", "—", "and", "then")
# A task starts a clause, past what _SKIP_TASK skips, which ends before a letter or digit: its first word's
# first run of letters and digits is a whole word of the lower-case text, one of these (when _TASK folds
# case as ASCII does; else None, and no narrative is ruled out by its words).
_TASK_HEADS = (
    first_word_runs(tuple(word for words in TASK_KINDS.values() for word in words))
    if folds_as_ascii(_TASK.pattern, _TASK.flags) else None
)


class _Task(NamedTuple):
    kind: str
    word_start: int
    word_end: int
    clause_start: int
    clause_end: int
    joiner: str


def _tasks(text: str) -> list[_Task]:
    """The distinct task units of a narrative, in order, before grouping e-mails and checking times."""
    tasks: list[_Task] = []
    parts = clauses(text)
    if len(parts) < 2:
        return tasks  # one clause: one task at most
    after_colon = after_topic = False
    for start, end, joiner in parts:
        if joiner == ";":
            after_topic = False
        if joiner == ":" and tasks:
            after_colon = True
        if after_colon:
            continue
        match = _TASK.match(text, head(text, start, end, _SKIP_TASK), end)
        if match is not None and not (after_topic and match.group().lower() in TOPIC_NOUNS):
            tasks.append(_Task(match.lastgroup or "", match.start(), match.end(), start, end, joiner))
        if _TOPIC_MARKER.search(text, start, end):
            after_topic = True
    return tasks


def _chained(text: str, task: _Task, following: _Task) -> bool:
    """Whether `task` is a bare verb that shares its object with the next one ("Draft and revise motion",
    "Review, revise and finalize SPA"); preparing or travelling for an event, and researching before
    writing, stay separate tasks."""
    if following.joiner not in ("and", ",") or following.clause_start != _next_start(text, task):
        return False
    if text[task.word_start:task.word_end].lower() in NOUN_FORMS:
        return False
    if _BARE_VERB_TAIL.match(text, task.word_end, task.clause_end) is None:
        return False
    return (task.kind, following.kind) not in SEPARATE_STEPS


def _merge(text: str, tasks: list[_Task]) -> list[_Task]:
    """Join what is one task: chained verbs, reading-and-answering, and e-mails grouped together."""
    merged: list[_Task] = []
    absorbed = False
    for index, task in enumerate(tasks):
        if absorbed:
            absorbed = index + 1 < len(tasks) and _chained(text, task, tasks[index + 1])
            continue
        absorbed = index + 1 < len(tasks) and _chained(text, task, tasks[index + 1])
        if merged and task.joiner == "and" and merged[-1].kind == "review" and (
            task.kind == "respond"
            or (task.kind == "draft" and _RESPONSE_OBJECT.match(text, task.word_end, task.clause_end))
        ):
            continue
        if task.kind == "email" and any(earlier.kind == "email" for earlier in merged):
            continue
        merged.append(task)
    return merged


def _next_start(text: str, task: _Task) -> int:
    """Where the clause after this task's clause starts (past the separator)."""
    separator = SEPARATOR.match(text, task.clause_end)
    return separator.end() if separator else task.clause_end


def _timed(text: str, tasks: list[_Task]) -> list[bool]:
    """For each task, whether a time is written inside its part of the narrative."""
    timed = []
    for index, task in enumerate(tasks):
        end = tasks[index + 1].clause_start if index + 1 < len(tasks) else len(text)
        timed.append(
            TIME.search(text, task.clause_start, end) is not None
            or LEADING_TIME.match(text, task.clause_start, end) is not None
        )
    return timed


def _two_task_words(read: Wording) -> bool:
    """False when the narrative's words hold fewer than two words that can start a task (ASCII text only)."""
    runs, words = read.runs, read.words
    if runs is None or words is None or _TASK_HEADS is None:
        return True
    heads = words & _TASK_HEADS
    if len(heads) != 1:
        return len(heads) > 1
    (only,) = heads
    return runs.count(only) > 1


def block_billing(narrative: str | Wording) -> NarrativeFinding | None:
    """Several distinct tasks in one entry without the time of each (block billing).

    Verbs on one work product ("draft and revise motion") are one task, sub-steps after a colon
    belong to the task before it, e-mails are grouped as ABA YLD allows, and a time written for
    every task ("(1.2)", "- 1.3", "2.0 hrs", a leading "0.4") makes the entry acceptable.
    """
    read = wording(narrative)
    if not _two_task_words(read):
        return None  # one task at most
    text = read.text
    if not may_contain(text, _SEPARATOR_MARKS):
        return None  # one clause: one task at most
    if _LATER_TASK_TWIN is not None and read.lower is not None:
        if _LATER_TASK_TWIN.search(read.lower) is None:  # the same answer, found in lower case
            return None
    elif _later_task().search(text) is None:
        return None  # no task after the first clause: one task at most
    tasks = _merge(text, _tasks(text))
    if len(tasks) < 2:
        return None
    timed = _timed(text, tasks)
    if all(timed):
        return None
    words = tuple(text[task.word_start:task.word_end] for task in tasks)
    listed = ", ".join(f"'{word}'" for word in words)
    reason = f"Bills {len(tasks)} separate tasks ({listed}) in one entry without a time for each."
    return NarrativeFinding(BLOCK_BILLING, words, reason)
