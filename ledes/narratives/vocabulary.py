"""The narrative vocabulary, read once from the package's vocabulary.toml into tuples and frozensets."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

_DATA: dict[str, Any] = tomllib.loads(
    # Beside this module (package data); importlib.resources would cost every start-up more than the read.
    Path(__file__).with_name("vocabulary.toml").read_text(encoding="utf-8")
)


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise TypeError(f"vocabulary.toml: {where} is not a list of strings")
    return tuple(value)


def _words(section: str, key: str) -> tuple[str, ...]:
    """One list of the file, in its order."""
    return _strings(_DATA[section][key], f"[{section}] {key}")


def _pairs(section: str, key: str) -> frozenset[tuple[str, str]]:
    pairs = set()
    for pair in _DATA[section][key]:
        first, second = _strings(pair, f"a pair of [{section}] {key}")
        pairs.add((first, second))
    return frozenset(pairs)


def _kinds(section: str, key: str) -> dict[str, tuple[str, ...]]:
    """A table of lists, in the file's order."""
    return {kind: _strings(words, f"[{section}.{key}] {kind}") for kind, words in _DATA[section][key].items()}


ABBREVIATIONS = _words("clauses", "abbreviations")

TASK_MODIFIERS = _words("block_billing", "task_modifiers")
TOPIC_NOUNS = frozenset(_words("block_billing", "topic_nouns"))
NOUN_FORMS = frozenset(_words("block_billing", "noun_forms"))
SEPARATE_STEPS = _pairs("block_billing", "separate_steps")
TASK_KINDS = _kinds("block_billing", "task_kinds")

VAGUE_PHRASES = _words("vague", "phrases")
FILLER = frozenset(_words("vague", "filler"))
FILLER_PHRASES = _words("vague", "filler_phrases")
GENERIC = frozenset(_words("vague", "generic"))
PARTICIPANT_START = frozenset(_words("vague", "participant_start"))
PARTICIPANT_END = frozenset(_words("vague", "participant_end"))

ADMINISTRATIVE_PHRASES = _words("administrative", "phrases")
HANDLING_VERBS = _words("administrative", "handling_verbs")
COMMUNICATIONS = _words("administrative", "communications")

# A narrative must name at least this many specific words (words outside the generic vocabulary).
DEFAULT_MIN_WORDS = 1
