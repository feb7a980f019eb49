"""Charts drawn as inline SVG: horizontal bars of totals by one key, and a line of totals by month."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from ledes.reports.model import Group
from ledes.reports.period import months_between
from ledes.reports.totals import money

WIDTH = 520
BAR_ROW = 24
MAX_BARS = 40
LABEL_CHARACTERS = 26
# Pixel positions are computed in Decimal too: no float anywhere near an amount.
HALF = Decimal("0.5")


def bar_chart(groups: Sequence[Group], caption: str) -> str:
    """One bar per group (its total), negative totals to the left of the zero line; the first ``MAX_BARS`` groups."""
    shown = list(groups[:MAX_BARS])
    low, high = _domain([group.totals.total for group in shown])
    span = (high - low) or Decimal(1)
    label_width, value_width = 170, 86
    plot = WIDTH - label_width - value_width
    height = BAR_ROW * len(shown) + 8

    def x(value: Decimal) -> Decimal:
        return label_width + plot * (value - low) / span

    rows = []
    for index, group in enumerate(shown):
        total = group.totals.total
        label = " · ".join(key.label for key in group.keys)
        top = 4 + index * BAR_ROW
        left, right = sorted((x(Decimal(0)), x(total)))
        rows.append(
            f'<g><title>{escape(label)}: {money(total)}</title>'
            f'<text x="{label_width - 8}" y="{top + 15}" text-anchor="end">{escape(_short(label))}</text>'
            f'<rect class="bar{" neg" if total < 0 else ""}" x="{left:.1f}" y="{top + 3}"'
            f' width="{max(right - left, HALF):.1f}" height="{BAR_ROW - 8}"/>'
            f'<text x="{label_width + plot + 8}" y="{top + 15}" class="value">{money(total)}</text></g>'
        )
    zero = x(Decimal(0))
    axis = f'<line class="axis" x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}"/>'
    more = "" if len(groups) <= MAX_BARS else f" (the first {MAX_BARS} of {len(groups)})"
    return _svg(caption + more, height, "".join(rows) + axis)


def line_chart(months: Sequence[Group], caption: str) -> str:
    """Totals by month, every month from the first to the last (a month without lines is zero)."""
    totals = {group.keys[0].value: group.totals.total for group in months if group.keys[0].value}
    if not totals:
        return _svg(caption, 40, '<text x="8" y="24">no dated line items</text>')
    axis = months_between(min(totals), max(totals))
    values = [totals.get(month, Decimal(0)) for month in axis]
    low, high = _domain(values)
    span = (high - low) or Decimal(1)
    height, left, right, top, bottom = 220, 76, 24, 12, 36
    plot_width, plot_height = WIDTH - left - right, height - top - bottom

    def x(index: int) -> Decimal:
        return left + (Decimal(plot_width * index) / (len(axis) - 1) if len(axis) > 1 else Decimal(plot_width) / 2)

    def y(value: Decimal) -> Decimal:
        return top + plot_height * (1 - (value - low) / span)

    parts = [f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_height}"/>']
    for tick in sorted({low, Decimal(0), high}):
        parts.append(
            f'<line class="grid" x1="{left}" y1="{y(tick):.1f}" x2="{WIDTH - right}" y2="{y(tick):.1f}"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{money(tick)}</text>'
        )
    step = max(1, -(-len(axis) // 5))
    for index in range(0, len(axis), step):
        parts.append(f'<text x="{x(index):.1f}" y="{height - 14}" text-anchor="middle">{axis[index]}</text>')
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<polyline class="line" points="{points}"/>')
    parts.extend(
        f'<circle class="point" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3"><title>{axis[i]}: {money(v)}</title></circle>'
        for i, v in enumerate(values)
    )
    return _svg(caption, height, "".join(parts))


def _domain(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """The lowest value the axis shows (zero at most) and the highest (zero at least)."""
    return min([Decimal(0), *values]), max([Decimal(0), *values])


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _svg(caption: str, height: int, body: str) -> str:
    return (
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img"'
        f' aria-label="{escape(caption)}"><title>{escape(caption)}</title>{body}</svg>'
    )
