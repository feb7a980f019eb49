"""The figures a file states beside its lines (LEDES XML and LEDES 2000 summaries) as frozen attrs records.

Apart from ``ledes.model.invoice`` and built when first used (``ledes.model``): a run on a
pipe file, which states none, never builds their classes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from ledes.model.invoice import LineItem, Location, Money


@attrs.frozen(slots=False)
class Stated:
    """A figure a file states that its lines also give (a matter total, a fee's ``base_amount``), and where it stands.

    Readers keep what the file says; the arithmetic rules compute the figure from the
    lines and report a difference at ``location`` (its line and XPath). ``name`` is the
    element as the format names it (``matter_total_detail_fees``).
    """

    name: str
    value: Money
    location: Location | None = None


@attrs.frozen(slots=False)
class StatedTax:
    """One tax summary a file states for a matter (LEDES XML ``tax_summary``).

    ``rate`` is the rate the file defines for ``tax_id`` (None when it defines no such
    tax), ``line_items`` the matter's lines that refer to that tax, ``figures`` the
    stated amounts keyed as ``ledes.totals.tax_summary`` keys them (``taxable_fees``,
    ``tax_fees``, ``taxable_expenses``, ``tax_expenses``).
    """

    tax_id: str | None
    rate: Money
    line_items: tuple[LineItem, ...] = ()
    figures: Mapping[str, Stated] = attrs.field(factory=dict)


@attrs.frozen(slots=False)
class StatedTimekeeper:
    """One timekeeper summary a file states for a matter (LEDES 2000 ``tk_sum``): whose fees, at what rate.

    ``figures`` holds the stated ``hours`` and ``cost`` (``tk_hours``, ``tk_cost``).
    """

    id: str | None
    rate: Money
    figures: Mapping[str, Stated] = attrs.field(factory=dict)


@attrs.frozen(slots=False)
class StatedTotals:
    """What a file states about a matter beside its lines, for ``arithmetic.matter-totals`` to check.

    ``figures`` are the matter's summary figures keyed as ``ledes.totals.matter_totals``
    keys them (``detail_fees`` …); ``taxes`` its tax summaries, ``timekeepers`` its
    timekeeper summaries. ``unplaced`` are the lines that refer to a tax the file does
    not define: they belong under no summary the file states, so the tax summaries
    cannot be checked.
    """

    figures: Mapping[str, Stated] = attrs.field(factory=dict)
    taxes: tuple[StatedTax, ...] = ()
    timekeepers: tuple[StatedTimekeeper, ...] = ()
    unplaced: tuple[LineItem, ...] = ()
