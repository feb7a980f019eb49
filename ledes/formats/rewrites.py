"""Telling what a target holds by writing an invoice again with the values it gives back (or none) in their place."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TextIO

import attrs
from attrs import AttrsInstance

from ledes.errors import LedesError
from ledes.model import Invoice, LineItem, Matter

# The record whose location a loss is reported at: the invoice, a matter or a line item.
Anchor = Invoice | Matter | LineItem
Write = Callable[[list[Invoice], TextIO], None]


def written(invoice: Invoice, write: Write) -> str:
    """The target's text of ``invoice`` alone."""
    out = io.StringIO()
    write([invoice], out)
    return out.getvalue()


# At most this many groups of values (by path, by path and value, by record) are written once more
# each to tell which the target holds, when the invoice as read back is not written as the original
# was; values in no group tried count as held (the conversion is refused then anyway).
_RECORDS_TRIED = 32


@attrs.frozen(eq=False)
class Difference:
    """A value of the invoice that the target gives back otherwise: changed, or empty (``kept`` None).

    ``record`` holds it; ``removed`` is set instead for a line the target gives back no line for.
    ``says_nothing``: the value is one whose absence reads the same (a zero tax, say).
    """

    path: str
    record: AttrsInstance
    anchor: Anchor
    value: object
    kept: object
    outcome: str
    says_nothing: bool = False
    removed: bool = False


def written_alike(invoice: Invoice, differences: list[Difference], text_of: Callable[[], str],
                   write: Callable[[list[Invoice], TextIO], None], unread: frozenset[str],
                   emptied: bool = False) -> set[Difference]:
    """The differences the target cannot tell from what it gives back: in their place, it writes ``text_of()`` again.

    In their place goes the value read back, or with ``emptied`` nothing: a changed value
    the target writes alike both ways is one it has no field for (a line number LEDES XML
    numbers itself); one it writes alike only with the value read back, it holds and gives
    back otherwise (a name "First Last" that comes back "Last, First"). All of them together
    first (the usual case: one more write); when the target then writes something else, the
    values of each path together (a description on every line), of each path and value (one
    timekeeper's name on each of their lines), then of each record (an IF line's units ×
    unit cost, which LEDES XML gives back as one amount), at most ``_RECORDS_TRIED`` groups
    of each. A group whose values are all at ``unread`` paths is written as ``text_of()`` without writing.
    """
    if not differences:
        return set()

    def writes_text(group: list[Difference]) -> bool:
        read = [difference for difference in group if difference.removed or difference.path not in unread]
        return not read or writes(invoice, read, write, emptied) == text_of()

    if writes_text(differences):
        return set(differences)
    alike: set[Difference] = set()
    for key in (lambda d: d.path, lambda d: (d.path, repr(d.value)), lambda d: id(d.record)):
        groups: dict[object, list[Difference]] = {}
        for difference in differences:
            if difference not in alike:
                groups.setdefault(key(difference), []).append(difference)
        for group in list(groups.values())[:_RECORDS_TRIED]:
            if writes_text(group):
                alike.update(group)
    # The same value given back the same way is held or not everywhere: a timekeeper's name on their
    # second line is held as much as on their first (LEDES XML writes it once, from the first).
    held = {(d.path, repr(d.value), repr(d.kept)) for d in differences if d not in alike}
    return {d for d in alike if (d.path, repr(d.value), repr(d.kept)) not in held}


# The attributes that hold records, which writes rebuilds.
_CHILDREN = frozenset({"client", "law_firm", "matters", "line_items", "address", "timekeeper", "remit_address",
                       "billing_contact", "contact", "managing_contact"})


def writes(invoice: Invoice, differences: list[Difference], write: Callable[[list[Invoice], TextIO], None],
            emptied: bool = False) -> str | None:
    """What the target writes for ``invoice`` with what it gives back (``emptied``: nothing) in place of ``differences``.

    None when it cannot write that at all.
    """
    changes: dict[int, dict[str, object]] = {}
    removed: set[int] = set()
    for difference in differences:
        if difference.removed:
            removed.add(id(difference.record))
        else:
            kept = None if emptied else difference.kept
            changes.setdefault(id(difference.record), {})[difference.path.rpartition(".")[2]] = kept

    def rebuilt(record: Any) -> Any:
        updates: dict[str, object] = dict(changes.get(id(record), {}))
        for attribute in attrs.fields(type(record)):
            child = getattr(record, attribute.name)
            if attribute.name not in _CHILDREN or child is None:
                continue
            if isinstance(child, tuple):
                kept = tuple(rebuilt(part) for part in child if id(part) not in removed)
                if len(kept) != len(child) or any(new is not old for new, old in zip(kept, child, strict=True)):
                    updates[attribute.name] = kept
            elif attrs.has(type(child)):
                new = rebuilt(child)
                if new is not child:
                    updates[attribute.name] = new
        return attrs.evolve(record, **updates) if updates else record

    out = io.StringIO()
    try:
        write([rebuilt(invoice)], out)
    except (LedesError, TypeError, ValueError, ArithmeticError):
        return None  # the target needs a value it would not give back: it holds it
    return out.getvalue()
