"""Shared text handling of the narrative checks: clauses, times, clause heads and phrase-list regexes."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from ledes.narratives.vocabulary import ABBREVIATIONS

_NOT_SENTENCE_END = "".join(rf"(?<!\b{re.escape(a)})" for a in ABBREVIATIONS)
# Where one clause of a narrative ends and the next begins. A comma needs a space after it, so
# "$185,000" stays whole; "re:" introduces a topic, not a list. "+" stands for "and"; a slash, a
# hyphen or an en dash separates only with spacing on both sides ("Review complaint / draft answer",
# "Review complaint - draft answer"), so "and/or", "w/", "1/15", "Smith/Jones", "re-draft" and
# "follow-up" stay whole; a double hyphen or an em dash separates with or without spacing.
# The lookahead names the characters a separator can start with, so that the other places of a text
# are passed over at once.
SEPARATOR = re.compile(
    r"(?=[\s;,:.\-—])(?:\s*;\s*|,\s+(?:(?:and|then|&|\+)\s+)*|\s+(?:and|&|then|\+)\s+(?:then\s+)?"
    r"|\s*(?:--+|—)\s*|\s+[-–/]\s+"
    rf"|(?=:\s)(?<!\bre):\s+|(?=\.\s)(?<!\b[^\W\d]){_NOT_SENTENCE_END}\.\s+)",
    re.IGNORECASE,
)
# What a separator holds that makes it one of the clause marks ``clauses`` names: a dash between clauses breaks
# as a semicolon does; a slash or "+" joins as "and" does.
_DASHES = ("-", "–", "—")

# A time entry for one task: "(1.2)", "[0.5]", "(0.5 h)", "2.0 hrs", "(30 min)", "- 1.3" before a break, a bare
# "0.5" ending a clause; not "(7.0 hrs total)", nor a section, rule or paragraph number ("Rule 12.1;").
# The lookahead names the characters a time can start with, so that the other places of a text are passed over at once.
TIME = re.compile(
    r"(?=[(\[\d\-–.])(?:"
    r"[(\[]\s*\d{0,2}\.\d{1,2}\s*(?:h|hrs?|hours?)?\s*[)\]]"
    r"|[(\[]\s*\d{1,3}\s*(?:m|mins?|minutes?)\s*[)\]]"
    r"|(?<![\w.])\d{1,2}(?:\.\d{1,2})?\s*(?:h|hrs?|hours?)\b(?!\.?\s*total)"
    r"|(?<![\w.])\d{1,3}\s*(?:mins?|minutes?)\b(?!\.?\s*total)"
    r"|[-–]\s*\d{1,2}\.\d{1,2}(?=\s*(?:$|[;,)]))"
    r"|(?<=\s)(?<!\bsection\s)(?<!\brule\s)(?<!\bpara\s)(?<!\bart\s)(?<!\bno\.\s)(?<!\bv\.\s)(?<!§\s)"
    r"(?<!\bversion\s)\d{0,2}\.\d{1,2}(?=\s*(?:$|[;,]|\.(?:\s|$))))",
    re.IGNORECASE,
)
# A time written before the task: "0.4 emails w/ …; 1.6 revise …".
LEADING_TIME = re.compile(r"\d{1,2}\.\d{1,2}\s+(?=[^\W\d])")

# What a clause head skips in every check: a leading time, an opening bracket or quote, a list's number or
# letter ("(1)", "2)", "3.", "(a)", "b)", "(iv)"), and words like "also" or "the".
SKIP_COMMON = (
    r"\d{1,2}\.\d{1,2}\s*(?:hrs?|hours?)?\s*[-–:]?\s+"
    r"|[(\[\"'“‘]\s*"
    r"|\d{1,2}(?:\)|\.(?=\s))\s*|(?:[a-h]|i{1,3}|iv|vi{0,3}|ix|x)\)\s*"
    r"|(?:also|then|and|further|electronically|(?:a\s+)?series\s+of|the)\s+"
)


def _word_pattern(word: str) -> str:
    """A regex for one word of a phrase and its regular inflections (file, files, filed, filing)."""
    escaped = re.escape(word)
    if not word.isalpha() or len(word) < 3:
        return escaped
    if word.endswith("e"):
        return f"{escaped[:-1]}(?:e|es|ed|ing)"
    if word.endswith("y") and word[-2] not in "aeiou":
        return f"{escaped[:-1]}(?:y|ies|ied|ying)"
    last = re.escape(word[-1])
    return f"{escaped}(?:s|es|ed|ing|{last}ed|{last}ing)?"


def word_forms(word: str) -> tuple[str, ...]:
    """What ``_word_pattern(word)`` matches (``word`` in lower case, as a phrase's words are): it and its inflections."""
    if not word.isalpha() or len(word) < 3:
        return (word,)
    if word.endswith("e"):
        return tuple(word[:-1] + ending for ending in ("e", "es", "ed", "ing"))
    if word.endswith("y") and word[-2] not in "aeiou":
        return tuple(word[:-1] + ending for ending in ("y", "ies", "ied", "ying"))
    last = word[-1]
    return tuple(word + ending for ending in ("", "s", "es", "ed", "ing", f"{last}ed", f"{last}ing"))


def phrase_words(phrase: str) -> list[str]:
    """The words of a phrase as its pattern reads them: lower case, split at spacing and hyphens."""
    return [w for w in re.split(r"[\s\-]+", phrase.strip().lower()) if w]


def _phrase_pattern(phrase: str) -> str:
    return r"[\s\-/]+".join(_word_pattern(w) for w in phrase_words(phrase))


def _trie(patterns: Sequence[str], depth: int = 3) -> str:
    """An alternation of `patterns` that branches on their leading letters, so a regex over a long
    word list tries a handful of branches at each word instead of every phrase; longest first."""
    if depth == 0:
        return "|".join(sorted(patterns, key=len, reverse=True))
    groups: dict[str, list[str]] = {}
    others = []
    for pattern in patterns:
        if len(pattern) > 1 and pattern[0].isalpha() and pattern[1] not in "?*+{":
            groups.setdefault(pattern[0].lower(), []).append(pattern[1:])
        else:
            others.append(pattern)
    branches = [
        f"{letter}(?:{_trie(rest, depth - 1)})" if len(rest) > 1 else letter + rest[0]
        for letter, rest in sorted(groups.items())
    ]
    return "|".join(branches + sorted(others, key=len, reverse=True))


@functools.lru_cache(maxsize=64)
def phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive regex for a word list (cached per list); None for an empty list."""
    patterns = {_phrase_pattern(p) for p in phrases if p.strip()}
    if not patterns:
        return None
    return re.compile(r"(?<![\w-])(?:" + _trie(sorted(patterns)) + r")(?![\w-])", re.IGNORECASE)


# An inline flag, which could turn case folding off for a part of a pattern.
_INLINE_FLAG = re.compile(r"\(\?[aiLmsux-]")
# A group's name, which matches nothing: "(?P<call>" or "(?P=call)".
_GROUP_NAME = re.compile(r"\(\?P(?:<\w+>|=\w+\))")
# Escapes that name a class, a position or a control character, not a character of a case.
_CLASS_ESCAPES = frozenset("wWsSdDbBAZtnrfv")


@functools.lru_cache(maxsize=64)
def lower_case_twin(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """``regex`` without IGNORECASE, to run on the lower case form of an ASCII text: the same matches at the
    same places, found faster (the engine compares characters without folding their case).

    Only for a pattern that ``folds_as_ascii``; None for any other.
    """
    flags = regex.flags
    return re.compile(regex.pattern, flags & ~re.IGNORECASE) if folds_as_ascii(regex.pattern, flags) else None


def folds_as_ascii(pattern: str, flags: int) -> bool:
    """Whether the regex of ``pattern`` and ``flags`` is case-insensitive and matches an ASCII text as its
    case-sensitive twin matches the text's lower case form.

    True for a pattern that sets no inline flag, escapes no character by its code (``\\x4B`` is a K),
    whose ASCII letters, outside escapes such as ``\\W`` and group names, are all lower case, and whose
    other characters have no case (the en dash, not the long s, which folds to an ASCII s).
    """
    if not flags & re.IGNORECASE or _INLINE_FLAG.search(pattern):
        return False
    if any(escaped.isalnum() and escaped not in _CLASS_ESCAPES for escaped in re.findall(r"\\(.)", pattern, re.S)):
        return False
    if any(not c.isascii() and not c.lower() == c.upper() == c.casefold() == c for c in pattern):
        return False
    return not re.search(r"[A-Z]", _GROUP_NAME.sub("", re.sub(r"\\.", "", pattern)))


def alternatives(words: Sequence[str]) -> str:
    """A regex alternation of the words and their inflections, longest first."""
    return "|".join(_phrase_pattern(w) for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=256)
def clauses(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, separator before it) for each clause; the separator is '', ';', ',', ':', '.' or 'and'.

    A dash between clauses is given as ';', a slash or "+" as 'and' (``SEPARATOR``).

    Cached for the last 256 texts: the rules read an invoice's narratives one rule after another, so
    block billing and administrative work share each narrative's clauses (a few MB at most).
    """
    found = []
    start, joiner = 0, ""
    for separator in SEPARATOR.finditer(text):
        if separator.start() > start:
            found.append((start, separator.start(), joiner))
        mark = separator.group()
        joiner = next((m for m in ";:,." if m in mark), None) or (";" if any(d in mark for d in _DASHES) else "and")
        start = separator.end()
    if start < len(text):
        found.append((start, len(text), joiner))
    return tuple(found)


def head(text: str, start: int, end: int, skip: re.Pattern[str]) -> int:
    """Where the clause's first meaningful word starts, past times, brackets and words like 'also'."""
    match = skip.match(text, start, end)
    return match.end() if match else start
