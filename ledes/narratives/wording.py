"""A narrative read once for every check: its lower-case form and its words, which prove most regexes find nothing.

A match of a phrase regex (``text.phrase_regex``, a task, a word list) in an ASCII text
holds each run of letters and digits of each of its words as a whole word of the text:
the words are joined by spacing, hyphens or slashes and bounded by characters that are
not letters or digits. So a text lacking, for every phrase, all forms of one of its words
cannot match, and the regex need not run. A text that is not ASCII, or a phrase list
whose regex folds case beyond ASCII (``text.folds_as_ascii``), is never ruled out.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from ledes.narratives.text import folds_as_ascii, phrase_regex, phrase_words, word_forms

# The runs of letters, digits and underscores of a text (\w in an ASCII text is [A-Za-z0-9_]).
_RUN = re.compile(r"\w+")
# An ASCII text's bytes lower-cased, with every byte that is not a letter, a digit or "_" made a space: split,
# they are the runs of its lower-case form, found at C speed (three times faster than _RUN.findall).
_RUNS_OF_BYTES = bytes(
    byte if chr(byte).isascii() and (chr(byte).isalnum() or chr(byte) == "_") else 32 for byte in range(256)
).lower()

# For one word of a phrase, the runs (lower-case ASCII bytes) of which a match holds one.
Alternatives = frozenset[bytes]


class Needs:
    """What a match of a regex holds: for one of its phrases, one run of each word's ``Alternatives``.

    ``alone`` are the runs of the one-word phrases; ``keys`` those of the other phrases' rarest-looking
    word (the longest), and ``others[key]`` lists, for each phrase with that key, its other words.
    """

    __slots__ = ("alone", "keys", "others", "runs")

    def __init__(self, phrases: Iterable[Sequence[Alternatives]]) -> None:
        alone: set[bytes] = set()
        others: dict[bytes, list[tuple[Alternatives, ...]]] = {}
        for words in phrases:
            if len(words) == 1:
                alone |= words[0]
                continue
            key = max(words, key=lambda runs: min(map(len, runs)))
            rest = tuple(runs for runs in words if runs is not key)
            for run in key:
                others.setdefault(run, []).append(rest)
        self.alone = frozenset(alone)
        self.keys = frozenset(others)
        self.runs = self.alone | self.keys  # a text holding none of these holds no phrase (most texts)
        self.others = {run: tuple(found) for run, found in others.items()}

    def held_by(self, words: frozenset[bytes]) -> bool:
        """Whether ``words`` hold every word of some phrase (False: the regex cannot match)."""
        if words.isdisjoint(self.runs):
            return False
        if not words.isdisjoint(self.alone):
            return True
        lacks = words.isdisjoint
        for key in words & self.keys:
            for rest in self.others[key]:
                if not any(map(lacks, rest)):
                    return True
        return False


class Wording:
    """A narrative's text with, when it is ASCII, its lower-case form and its words: its runs of letters and
    digits, in order (``runs``) and as a set (``words``), as lower-case ASCII bytes."""

    __slots__ = ("lower", "runs", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower: str | None = None
        self.runs: list[bytes] | None = None
        self.words: frozenset[bytes] | None = None
        if text.isascii():
            self.lower = text.lower()
            self.runs = runs = text.encode().translate(_RUNS_OF_BYTES).split()
            self.words = frozenset(runs)

    def may_hold(self, needs: Needs | None) -> bool:
        """False only when the text lacks what every match of the regex of ``needs`` holds: it finds nothing."""
        words = self.words
        return words is None or needs is None or needs.held_by(words)


def wording(narrative: str | Wording) -> Wording:
    """``narrative`` as a Wording (made once per narrative by the rules, here for a caller that passes text)."""
    return narrative if isinstance(narrative, Wording) else Wording(narrative)


def _longest_run(form: str) -> str | None:
    runs = _RUN.findall(form)
    return max(runs, key=len) if runs else None


def _ascii(runs: Iterable[str]) -> Alternatives | None:
    """The runs as ASCII bytes; None when one is not ASCII."""
    found = set()
    for run in runs:
        if not run.isascii():
            return None
        found.add(run.encode())
    return frozenset(found)


def _alternatives(forms: Iterable[str]) -> Alternatives | None:
    """The longest run of each form; None when a form has no letter or digit."""
    runs = [_longest_run(form) for form in forms]
    return None if None in runs else _ascii(run for run in runs if run is not None)


def _needs(phrases: Iterable[list[Alternatives | None]]) -> Needs | None:
    """The Needs of these phrases' words; None when a phrase has no word with alternatives."""
    found = []
    for words in phrases:
        known = [runs for runs in words if runs]
        if not known:
            return None
        found.append(known)
    return Needs(found)


@functools.lru_cache(maxsize=64)
def phrase_needs(phrases: tuple[str, ...]) -> Needs | None:
    """What a match of ``phrase_regex(phrases)`` holds; None when nothing can be proved absent."""
    regex = phrase_regex(phrases)
    if regex is None or not folds_as_ascii(regex.pattern, regex.flags):
        return None
    return _needs([_alternatives(word_forms(word)) for word in phrase_words(phrase)]
                  for phrase in phrases if phrase.strip())


@functools.lru_cache(maxsize=64)
def word_list_needs(words: tuple[str, ...]) -> Needs | None:
    """What a match of ``rules.lineitems.word_pattern(words)`` holds (each listed word, a plural ``s`` allowed).

    Every run of a word is a whole word of the text; the last may carry the plural ``s``.
    None when a word is not ASCII (case folding goes beyond ASCII) or has no letter or digit.
    """
    listed = [word.strip() for word in words if word.strip()]
    if not all(word.isascii() for word in listed):  # the Kelvin sign lower-cases to k, the long s folds to s
        return None
    phrases = []
    for word in listed:
        lower = word.lower()
        runs = _RUN.findall(lower)
        ends = bool(runs) and lower.endswith(runs[-1])
        phrases.append([
            _ascii((run, run + "s") if ends and index == len(runs) - 1 else (run,)) for index, run in enumerate(runs)
        ])
    return _needs(phrases)


@functools.lru_cache(maxsize=64)
def first_word_runs(phrases: tuple[str, ...]) -> Alternatives | None:
    """The first run of letters and digits of every form of each phrase's first word; None when one is not ASCII."""
    runs = set()
    for phrase in phrases:
        words = phrase_words(phrase)
        for form in word_forms(words[0]) if words else ():
            found = _RUN.search(form)
            if found is not None:
                runs.add(found.group())
    return _ascii(runs)


@functools.lru_cache(maxsize=64)
def phrase_runs(phrases: tuple[str, ...]) -> frozenset[str]:
    """Every run of letters and digits that a match of ``phrase_regex(phrases)`` can hold (lower case)."""
    return frozenset(
        run for phrase in phrases for word in phrase_words(phrase) for form in word_forms(word)
        for run in _RUN.findall(form)
    )
