"""What an invoice's money is attributed to under each ``--by`` key, and splitting an amount by those shares to the minor unit."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ledes.ledger.events import InvoiceState
from ledes.money import minor_unit, to_minor

KEYS = ("client", "matter", "portal", "timekeeper", "task")
NONE = "(none)"


def shares(state: InvoiceState, by: str) -> dict[str, Decimal]:
    """The invoice's billed amount per value of ``by``: one value for client and portal; its lines' totals otherwise.

    A line without a timekeeper (an expense, an adjustment) or a task code counts under
    ``(none)``. An invoice whose lines add to nothing counts wholly under its first value.
    """
    if by == "client":
        return {state.client or NONE: state.billed}
    if by == "portal":
        return {state.portal or NONE: state.billed}
    found: dict[str, Decimal] = {}
    for line in state.document.lines:
        value = {"matter": line.matter, "timekeeper": line.timekeeper, "task": line.task}[by] or NONE
        found[value] = found.get(value, Decimal(0)) + line.total
    if not found or sum(found.values()) == 0:
        return {next(iter(found), NONE): state.billed}
    return found


def allocate(amount: Decimal, weights: Mapping[str, Decimal], currency: str) -> dict[str, Decimal]:
    """``amount`` split in proportion to ``weights``, each part in ``currency``'s minor unit, the parts adding up exactly.

    The remainder after rounding down goes one minor unit at a time to the largest
    fractions (the largest remainder method), ties to the first value in order.
    """
    if len(weights) == 1:
        return {next(iter(weights)): amount}
    total = sum(weights.values())
    if total == 0:
        first = next(iter(weights))
        return {key: amount if key == first else Decimal(0) for key in weights}
    unit = minor_unit(currency)
    exact = {key: amount * weight / total for key, weight in weights.items()}
    floored = {key: (value // unit) * unit for key, value in exact.items()}
    left = int(to_minor(amount - sum(floored.values()), currency) / unit)
    position = {key: index for index, key in enumerate(weights)}  # looked up, not list.index: linear in the keys
    order = sorted(exact, key=lambda key: (-(exact[key] - floored[key]), position[key]))
    for key in order[:abs(left)]:
        floored[key] += unit if left > 0 else -unit
    return floored
