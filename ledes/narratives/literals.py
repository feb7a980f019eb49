"""Cheap tests that rule a narrative out before a case-insensitive regex runs over it.

Every match of a short word list's regex (``rules.lineitems.word_pattern``: the travel
and event words), of a filler phrase, or of a clause separator holds a literal, lower
case: a listed word, a phrase's longest word, "and" or a punctuation mark. An ASCII text
whose lower-case form holds none of them cannot match, and the regex, which tries
every alternative at every position, need not run. A text or a literal that is not
ASCII is always searched (Unicode case folding matches more than ``str.lower`` shows).
"""

from __future__ import annotations

import functools

Literals = tuple[str, ...] | None


def may_contain(text: str, literals: Literals) -> bool:
    """False only when ``text`` is ASCII and its lower-case form holds none of ``literals`` (None: always True)."""
    if literals is None or not text.isascii():
        return True
    lower = text.lower()
    return any(literal in lower for literal in literals)


def _ascii(literals: set[str]) -> Literals:
    """The literals, each ASCII (else None), less those that hold another: a text holding one holds the other."""
    if not all(literal.isascii() for literal in literals):
        return None
    return tuple(sorted(literal for literal in literals if not any(other in literal for other in literals - {literal})))


@functools.lru_cache(maxsize=64)
def word_literals(words: tuple[str, ...]) -> Literals:
    """What a match of any of ``words`` (whole words, case-insensitive) holds: each word, trimmed, lower case."""
    return _ascii({word.strip().lower() for word in words if word.strip()})
