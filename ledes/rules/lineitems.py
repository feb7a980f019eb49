"""Helpers of the guideline rules: a line's amount before tax, UTBMS codes, narrative word lists, earlier places."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from ledes.model import Invoice, LineItem, Location
from ledes.money import ZERO
from ledes.narratives.literals import Literals, may_contain
from ledes.narratives.text import clauses
from ledes.rules.base import is_number

HUNDRED = Decimal(100)


def hours(item: LineItem) -> Decimal | None:
    """The line's units (hours on a fee line) when they converted, else None."""
    return item.units if is_number(item.units) else None


def rate(item: LineItem) -> Decimal | None:
    """The line's unit cost (the hourly rate on a fee line) when it converted, else None."""
    return item.unit_cost if is_number(item.unit_cost) else None


def billed(item: LineItem) -> Decimal | None:
    """units × unit cost + adjustment (empty: 0), the line before tax; None when an operand is missing."""
    units, cost, adjustment = hours(item), rate(item), item.adjustment
    if units is None or cost is None:
        return None
    if adjustment is None:
        return units * cost
    return units * cost + adjustment if is_number(adjustment) else None


def code(value: str | None) -> str | None:
    """A UTBMS code as the sets spell it (trimmed, upper case), None when empty."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().upper()


def firm_id(invoice: Invoice) -> str | None:
    return invoice.law_firm.id if invoice.law_firm is not None else None


# The client's approval named as given: "approved", "pre-approved by M. Lee", "authorized in writing", "per client
# approval", "with the claims manager's authorization". "Approval" alone is often the subject ("petition for
# approval of settlement", "prior authorization requirements", "consent decree"): it counts after "with", "per"...
_APPROVAL_GIVEN = re.compile(
    r"(?<![\w-])(?:(?:pre-?)?(?:approved|authori[sz]ed)|cleared\s+by"
    r"|(?:per|with|upon|after|under)\s+(?:[\w.'’-]+\s+){0,3}(?:approval|authori[sz]ation|consent))(?![\w-])",
    re.IGNORECASE,
)
_DENIED = re.compile(r"(?<![\w-])(?:not|never|without|no|pending)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def names_approval(text: str) -> bool:
    """Whether a narrative names the client's approval as given ("pre-approved by M. Lee"), not denied or as a topic."""
    for found in _APPROVAL_GIVEN.finditer(text):
        if not _DENIED.search(text[max(0, found.start() - 24) : found.start()]):
            return True
    return False


@functools.lru_cache(maxsize=64)
def word_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any of ``words`` as whole words (a plural ``s`` allowed); None for none."""
    listed = [word.strip() for word in words if word.strip()]
    if not listed:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(listed, key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})s?(?!\w)", re.IGNORECASE)


def words_in(pattern: re.Pattern[str] | None, text: str | None, literals: Literals = None) -> list[str]:
    """The words of ``pattern`` found in ``text`` (as listed, without a plural ``s``), lower case, in order.

    ``literals``, the pattern's ``word_literals``, rules out most texts without running it.
    """
    if pattern is None or not isinstance(text, str) or not may_contain(text, literals):
        return []
    return [found.group(1).lower() for found in pattern.finditer(text)]


# What may stand before a word that begins its clause: "non-working travel", "round trip travel", "local travel".
_QUALIFIERS = ("non-working", "nonworking", "non working", "round-trip", "round trip", "roundtrip", "local", "return",
               "overnight", "time spent", "time", "including", "incl.", "incl", "also", "plus")


def words_leading(pattern: re.Pattern[str] | None, text: str | None, literals: Literals = None) -> list[str]:
    """``words_in``, but only the words that begin the narrative or one of its clauses: what an entry says was done
    ("Travel to Denver; attend hearing"), not what it is about ("review the plaintiff's travel records").

    Clauses are the narrative checks' (``narratives.text.clauses``: after ";", ",", ":", a sentence's
    end, "and" or "then"), and a bracket opens one ("(including travel)"); qualifiers such as
    "non-working" or "round trip" may stand before the word.
    """
    found = []
    for word, clause in _matches_in_clauses(pattern, text, literals):
        rest = clause[clause.rfind("(") + 1 :].strip().lower()
        while rest:
            qualifier = next((q for q in _QUALIFIERS if rest.startswith(q)), None)
            if qualifier is None:
                break
            rest = rest[len(qualifier) :].lstrip(" -")
        if not rest:
            found.append(word.group(1).lower())
    return found


# A word these stand before, in its clause, is what the line leaves out: "dinner, excluding alcohol".
_NEGATION = re.compile(r"(?<!\w)(?:no|not|non|excluding|excludes|excluded|exclusive of|without|less|minus|except)(?!\w)",
                       re.IGNORECASE)


def words_affirmed(pattern: re.Pattern[str] | None, text: str | None, literals: Literals = None) -> list[str]:
    """``words_in``, less the words that a negation before them in their clause leaves out ("no alcohol",
    "dinner, excluding alcohol", "without overtime")."""
    return [word.group(1).lower() for word, clause in _matches_in_clauses(pattern, text, literals)
            if not _NEGATION.search(clause)]


def _matches_in_clauses(pattern: re.Pattern[str] | None, text: str | None,
                        literals: Literals) -> list[tuple[re.Match[str], str]]:
    """Each match of ``pattern`` in ``text``, with what its clause holds before it."""
    if pattern is None or not isinstance(text, str) or not words_in(pattern, text, literals):
        return []
    parts = clauses(text)
    found = []
    for word in pattern.finditer(text):
        start = next((begin for begin, end, _ in parts if begin <= word.start() < end), 0)
        found.append((word, text[start : word.start()]))
    return found


def clause_end(text: str, position: int) -> int:
    """Where the clause of ``text`` (``narratives.text.clauses``) that holds ``position`` ends."""
    return next((end for begin, end, _ in clauses(text) if begin <= position < end), len(text))


def is_credit(item: LineItem) -> bool:
    """Whether a line gives money back: negative units (a credit of hours or pages) or a negative total."""
    units, total = hours(item), item.total
    return (units is not None and units < 0) or (is_number(total) and total < 0)


def over_limit(item: LineItem, units: Decimal, cost: Decimal, limit: Decimal) -> Decimal:
    """What a line bills above ``limit`` a unit: (cost − limit) × units, less what its adjustment already takes off."""
    return beyond(excess=(cost - limit) * units, charged=billed(item), allowed=limit * units)


def over_hours(item: LineItem, units: Decimal, cost: Decimal, allowed: Decimal) -> Decimal:
    """What a line bills for its hours above ``allowed`` hours: (units − allowed) × cost, less what its adjustment
    already takes off."""
    return beyond(excess=(units - allowed) * cost, charged=billed(item), allowed=allowed * cost)


def beyond(*, excess: Decimal, charged: Decimal | None, allowed: Decimal) -> Decimal:
    """The money at stake of a line over a limit: ``excess``, what it bills over the limit before its adjustment,
    but never more than what it bills (``charged``: units × cost + adjustment; None when unknown) above the
    ``allowed`` amount, and never less than 0 (a credit, or a line written down to the limit, has nothing at stake)."""
    at_stake = excess if charged is None else min(excess, charged - allowed)
    return max(at_stake, ZERO)


def where(location: Location | None, here: Invoice | LineItem) -> str:
    """Where an earlier record was, for a message: ``line 7``, or ``line 7 of other.txt`` in another file."""
    if location is None or location.line is None:
        return "an earlier record"
    other = here.location.path if here.location is not None else None
    if location.path and location.path != other:
        return f"line {location.line} of {location.path}"
    return f"line {location.line}"
