"""The billing report for people, as plain-text tables."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from ledes.figures import counted, money
from ledes.reports.columns import (
    FIGURES,
    currency_label,
    day_text,
    figures,
    several_currencies,
    stated,
)
from ledes.reports.model import BillingReport, Findings
from ledes.reports.spill import Rows
from ledes.safetext import visible

# A cell wider than this is cut, ending in "…": one long value (a 500 KB client id) must not
# pad every row of its table to its width.
MAX_CELL = 60
# A table of at most this many rows has its cells written once and held (a few hundred bytes a row).
ROWS_HELD = 2_048


def render_text(report: BillingReport) -> str:
    """The whole report: a heading, the grouped table with its totals, the invoices, and the guideline findings."""
    return "".join(text_chunks(report))


def text_chunks(report: BillingReport) -> Iterator[str]:
    """``render_text``'s lines one at a time, each with its newline: the report is never whole in memory."""
    return (line + "\n" for line in _lines(report))


def _lines(report: BillingReport) -> Iterator[str]:
    yield heading(report)
    if report.uncounted:
        yield f"{counted(report.uncounted, 'line item')} not counted: no known line type, no readable total, or no readable date"
    yield ""
    if not report.groups:
        yield "No line items counted."
    else:
        yield from _groups(report)
        yield ""
        yield "Invoices"
        yield from _invoices(report)
    if report.findings is not None:
        yield ""
        yield from _findings(report.findings, several_currencies(report))


def heading(report: BillingReport) -> str:
    """``Billing report: 3 files, 5 invoices, 16 line items; by matter; all dates``."""
    span = report.period
    period = f"period {span.name} ({span.start} to {span.end})" if span else "all dates"
    return (
        f"Billing report: {counted(len(report.files), 'file')}, {counted(len(report.invoices), 'invoice')},"
        f" {counted(report.line_items, 'line item')}; by {', '.join(report.by)}; {period}"
    )


def _groups(report: BillingReport) -> Iterator[str]:
    currency = several_currencies(report)
    headers = (["currency"] if currency else []) + list(report.by) + list(FIGURES)
    rows = Rows(lambda: report.groups, lambda group: (
        ([currency_label(group.currency)] if currency else []) + [key.label for key in group.keys]
        + figures(group.totals, group.currency)
    ), len(report.groups))
    padding = [""] * (len(report.by) - 1)
    totals = [
        ([currency_label(group.currency)] if currency else []) + ["total"] + padding
        + figures(group.totals, group.currency)
        for group in report.totals
    ]
    yield from table(headers, rows, totals, numeric_from=len(headers) - len(FIGURES))


def _invoices(report: BillingReport) -> Iterator[str]:
    headers = ["file", "invoice", "client", "currency", "date", "lines", "stated total", "counted total", ""]
    rows = Rows(lambda: report.invoices, lambda invoice: [
        invoice.path, invoice.number or "", invoice.client.label, currency_label(invoice.currency),
        day_text(invoice.date), f"{invoice.totals.lines:,}", stated(invoice.stated_total, invoice.currency),
        money(invoice.totals.total, invoice.currency), "" if invoice.agrees else "differs",
    ], len(report.invoices))
    yield from table(headers, rows, [], numeric_from=5, numeric_to=8)


def _findings(findings: Findings, currency: bool) -> Iterator[str]:
    yield f"Guideline findings ({findings.source})"
    # With several currencies, a rule has a row per currency: money in different currencies is never added together.
    shown = ["currency"] if currency else []
    rules = [
        [r.rule, r.severity, *([currency_label(r.currency)] if currency else []), f"{r.count:,}", money(r.at_stake, r.currency)]
        for r in findings.rules
    ]
    headers = ["rule", "level", *shown, "findings", "at stake"]
    yield from table(headers, rules, [], numeric_from=len(headers) - 2) if rules else ["none"]
    yield ""
    yield "At risk by invoice"
    invoices = [[r.path, r.invoice, currency_label(r.currency), money(r.amount, r.currency)] for r in findings.invoices]
    yield from table(["file", "invoice", "currency", "at risk"], invoices, [], numeric_from=3) if invoices else ["none"]
    yield ""
    yield "At risk by matter"
    matters = [[r.matter.label, currency_label(r.currency), money(r.amount, r.currency)] for r in findings.matters]
    yield from table(["matter", "currency", "at risk"], matters, [], numeric_from=2) if matters else ["none"]
    for risk_currency, amount in findings.at_risk().items():
        suffix = f" {currency_label(risk_currency)}" if currency else ""
        yield f"Total at risk{suffix}: {money(amount, risk_currency)}"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    footer: Sequence[Sequence[str]],
    numeric_from: int,
    numeric_to: int | None = None,
) -> Iterator[str]:
    """Aligned columns, numbers (columns ``numeric_from`` to ``numeric_to``) to the right; a rule above the footer.

    Each cell has its control characters made visible and is cut to ``MAX_CELL`` characters. Up to
    ``ROWS_HELD`` rows are written as text once and held; more are read twice (the widths, then the
    lines), never held: a report's rows may wait on disk.
    """
    shown_headers, shown_footer = _shown_row(headers), _shown(footer)
    held = _shown(rows) if len(rows) <= ROWS_HELD else None
    widths = [len(cell) for cell in shown_headers]
    for shown in itertools.chain(map(_shown_row, rows) if held is None else held, shown_footer):
        widths = list(map(max, widths, map(len, shown)))
    end = len(headers) if numeric_to is None else numeric_to

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if numeric_from <= column < end else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    yield line(shown_headers)
    for shown in map(_shown_row, rows) if held is None else held:
        yield line(shown)
    if shown_footer:
        yield "  ".join("-" * width for width in widths)
        for cells in shown_footer:
            yield line(cells)


def _shown(rows: Sequence[Sequence[str]]) -> list[list[str]]:
    return [_shown_row(row) for row in rows]


def _shown_row(row: Sequence[str]) -> list[str]:
    return [_cell(cell) for cell in row]


def _cell(text: str) -> str:
    shown = visible(text)
    return shown if len(shown) <= MAX_CELL else shown[: MAX_CELL - 1] + "…"
