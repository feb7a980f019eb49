"""Charts drawn as inline SVG: horizontal bars of the largest totals by one key, and a line of totals by month.

Every label is whole, or shortened with an ellipsis and its full text in a ``<title>``; the
drawing's width and margins are computed from its longest labels, so no text leaves it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal

import attrs

from ledes.figures import money
from ledes.reports.model import Group
from ledes.safetext import html_text as escape

BAR_ROW = 24
BAR_PLOT = 300
MAX_BARS = 40
LABEL_CHARACTERS = 32
# The widest a character of the 12 px chart text is taken to be: 0.7 em, more than the digits and
# lower-case letters of common sans-serif faces, so a label measured this way never overflows.
CHARACTER_WIDTH = Decimal("8.4")
LINE_PLOT = 420
# Up to this many months without a dated line are drawn as zero; a longer run is one gap.
LONGEST_ZERO_RUN = 12
ZERO = Decimal(0)


@attrs.frozen
class BarChart:
    """The SVG, and how many of how many groups it shows (the largest totals first)."""

    svg: str
    shown: int
    of: int

    @property
    def note(self) -> str:
        """``top 40 of 5,000, by total`` or ``all 6, by total``, written on the page under the chart's caption."""
        if self.shown < self.of:
            return f"top {self.shown:,} of {self.of:,}, largest total first"
        return f"all {self.of:,}, largest total first"


def by_amount(groups: Sequence[Group]) -> list[Group]:
    """The groups by total, largest first (ties in their given order)."""
    return sorted(groups, key=lambda group: -group.totals.total)


def bar_chart(groups: Sequence[Group], caption: str, currency: str | None, limit: int = MAX_BARS) -> BarChart:
    """One bar per group (its total) for the ``limit`` largest totals, largest first; negative totals left of zero."""
    shown = by_amount(groups)[:limit]
    labels = [" · ".join(key.label for key in group.keys) for group in shown]
    values = [money(group.totals.total, currency) for group in shown]
    label_width = _width(max((_short(label) for label in labels), key=len, default="")) + 16
    value_width = _width(max(values, key=len, default="")) + 16
    width = label_width + BAR_PLOT + value_width
    height = BAR_ROW * len(shown) + 8
    low, high = _domain([group.totals.total for group in shown])
    span = (high - low) or Decimal(1)

    def x(value: Decimal) -> Decimal:
        return label_width + BAR_PLOT * (value - low) / span

    rows = []
    for index, (group, label, value) in enumerate(zip(shown, labels, values, strict=True)):
        total = group.totals.total
        top = 4 + index * BAR_ROW
        left, right = sorted((x(ZERO), x(total)))
        rows.append(
            f'<g class="bar-row" data-total="{total}"><title>{escape(label)}: {value}</title>'
            f'<text x="{label_width - 8}" y="{top + 15}" text-anchor="end">{escape(_short(label))}</text>'
            f'<rect class="bar{" neg" if total < 0 else ""}" x="{left:.1f}" y="{top + 3}"'
            f' width="{max(right - left, Decimal("0.5")):.1f}" height="{BAR_ROW - 8}"/>'
            f'<text x="{label_width + BAR_PLOT + 8}" y="{top + 15}" class="value">{value}</text></g>'
        )
    zero = x(ZERO)
    axis = f'<line class="axis" x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}"/>'
    chart = BarChart("", len(shown), len(groups))
    return attrs.evolve(chart, svg=_svg(f"{caption}: {chart.note}", width, height, "".join(rows) + axis))


@attrs.frozen
class _Slot:
    """One place on the month axis: a month and its total, or a gap of months with no dated line."""

    month: str
    total: Decimal | None = None
    last: str | None = None  # a gap's last month

    @property
    def gap(self) -> bool:
        return self.total is None


def month_slots(totals: dict[str, Decimal]) -> list[_Slot]:
    """The months from the first to the last with lines: a month without lines is zero, more than 12 in a row one gap."""
    slots: list[_Slot] = []
    previous: int | None = None
    for month in sorted(totals):
        index = _month_index(month)
        if previous is not None:
            missing = index - previous - 1
            if missing > LONGEST_ZERO_RUN:
                slots.append(_Slot(_month_name(previous + 1), None, _month_name(index - 1)))
            else:
                slots.extend(_Slot(_month_name(between), ZERO) for between in range(previous + 1, index))
        slots.append(_Slot(month, totals[month]))
        previous = index
    return slots


def line_chart(months: Sequence[Group], caption: str, currency: str | None) -> str:
    """Totals by month; a run of more than 12 months without lines is drawn as a gap, a lone month with its value."""
    totals = {group.keys[0].value: group.totals.total for group in months if group.keys[0].value}
    if not totals:
        return _svg(caption, 220, 40, '<text x="8" y="24">no dated line items</text>')
    slots = month_slots(totals)
    values = [slot.total for slot in slots if slot.total is not None]
    low, high = _domain(values)
    span = (high - low) or Decimal(1)
    ticks = sorted({low, ZERO, high})
    month_half = _width("0000-00") / 2 + 4
    left = max(max(_width(money(tick, currency)) for tick in ticks) + 12, month_half)
    plain_values = [money(value, currency) for value in values]
    right = max(month_half, _width(max(plain_values, key=len)) / 2 + 8)
    top, bottom = 24, 36
    plot_height = Decimal(220 - top - bottom)
    width = left + LINE_PLOT + right
    height = top + plot_height + bottom

    def x(index: int) -> Decimal:
        return left + (Decimal(LINE_PLOT * index) / (len(slots) - 1) if len(slots) > 1 else Decimal(LINE_PLOT) / 2)

    def y(value: Decimal) -> Decimal:
        return top + plot_height * (1 - (value - low) / span)

    parts = [f'<line class="axis" x1="{left:.1f}" y1="{top}" x2="{left:.1f}" y2="{top + plot_height}"/>']
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{left:.1f}" y1="{y(tick):.1f}" x2="{left + LINE_PLOT:.1f}" y2="{y(tick):.1f}"/>'
            f'<text x="{left - 6:.1f}" y="{y(tick) + 4:.1f}" text-anchor="end">{money(tick, currency)}</text>'
        )
    parts.extend(_month_labels(slots, x, height))
    for run in _runs(slots):
        points = [(index, slots[index].total) for index in run]
        if len(points) > 1:
            path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points if v is not None)
            parts.append(f'<polyline class="line" points="{path}"/>')
        else:
            index, value = points[0]
            assert value is not None
            anchor, shift = ("start", 6) if x(index) < left + LINE_PLOT // 2 else ("end", -6)
            parts.append(
                f'<text class="point-value" x="{x(index) + shift:.1f}" y="{y(value) - 8:.1f}"'
                f' text-anchor="{anchor}">{money(value, currency)}</text>'
            )
    for index, slot in enumerate(slots):
        if slot.gap:
            parts.append(
                f'<g class="gap" data-first="{slot.month}" data-last="{slot.last}"><title>no dated lines from'
                f' {slot.month} to {slot.last}</title><line class="gap-mark" x1="{x(index):.1f}" y1="{top}"'
                f' x2="{x(index):.1f}" y2="{top + plot_height}"/></g>'
            )
        else:
            assert slot.total is not None
            parts.append(
                f'<circle class="point" data-month="{slot.month}" data-total="{slot.total}" cx="{x(index):.1f}"'
                f' cy="{y(slot.total):.1f}" r="3"><title>{slot.month}: {money(slot.total, currency)}</title></circle>'
            )
    return _svg(caption, width, height, "".join(parts))


def _month_labels(slots: Sequence[_Slot], x: Callable[[int], Decimal], height: Decimal) -> list[str]:
    """At most six month labels along the axis, each whole: the first month, the last, and those after a gap."""
    wanted = {0, len(slots) - 1} | {index + 1 for index, slot in enumerate(slots) if slot.gap}
    step = max(1, -(-len(slots) // 5))
    wanted |= set(range(0, len(slots), step))
    labels: list[str] = []
    last_end = Decimal("-Infinity")
    half = _width("0000-00") / 2 + 4
    for index in sorted(wanted):
        slot = slots[index]
        if slot.gap or x(index) - half < last_end:
            continue
        labels.append(f'<text x="{x(index):.1f}" y="{height - 14}" text-anchor="middle">{slot.month}</text>')
        last_end = x(index) + half
    return labels


def _runs(slots: Sequence[_Slot]) -> list[list[int]]:
    """The indexes of the slots between gaps: each run is drawn as one line (or one labelled point)."""
    runs: list[list[int]] = [[]]
    for index, slot in enumerate(slots):
        if slot.gap:
            runs.append([])
        else:
            runs[-1].append(index)
    return [run for run in runs if run]


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _month_name(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _domain(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """The lowest value the axis shows (zero at most) and the highest (zero at least)."""
    return min([ZERO, *values]), max([ZERO, *values])


def _width(text: str) -> Decimal:
    """The most room ``text`` can take in the chart's 12 px type."""
    return len(text) * CHARACTER_WIDTH


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _svg(caption: str, width: Decimal | int, height: Decimal | int, body: str) -> str:
    return (
        f'<svg viewBox="0 0 {math.ceil(width)} {math.ceil(height)}" width="{math.ceil(width)}"'
        f' height="{math.ceil(height)}" role="img"'
        f' aria-label="{escape(caption)}"><title>{escape(caption)}</title>{body}</svg>'
    )
