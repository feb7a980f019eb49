"""Rendering what `ledes import` found and did, for people: bad rows, roundings, findings, invoices, the outcome."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ledes import Location
from ledes.importing import Finding, ImportResult
from ledes.safetext import visible

from .output import diagnostic_line, money, plural


def bad_row_lines(result: ImportResult) -> Iterable[str]:
    """``source:row: bad row: reason`` for each row that is on no invoice."""
    for bad in result.bad_rows:
        yield visible(f"{result.source}:{bad.row}: bad row: {bad.reason}")


def rounding_lines(result: ImportResult) -> Iterable[str]:
    """``source:row: rounded 1.25 h up to 1.3 h`` for each fee whose hours were rounded."""
    for rounding in result.roundings:
        how = "to the nearest" if rounding.rule == "nearest" else rounding.rule + " to"
        yield visible(f"{result.source}:{rounding.row}: rounded {rounding.hours} h {how} {rounding.rounded} h"
                      f" (billing increment {rounding.increment} h)")


def finding_line(source: str, finding: Finding) -> str:
    """A validation finding at the source row of the line it concerns (the invoice alone when that is not known)."""
    location = finding.diagnostic.location or Location()
    moved = attrs.evolve(finding.diagnostic, location=attrs.evolve(location, line=finding.row),
                         invoice=finding.invoice)
    return diagnostic_line(source, moved)


def invoice_lines(result: ImportResult) -> Iterable[str]:
    """One line per invoice: number, client, matter, billing period, lines and total."""
    for invoice in result.invoices:
        yield visible(f"  {invoice.number}  client {invoice.client_id}  matter {invoice.matter_id}  {invoice.start} to"
                      f" {invoice.end}  {plural(invoice.lines, 'line')}  {money(invoice.total, invoice.currency)}"
                      + (f" {invoice.currency}" if invoice.currency else ""))


def summary_line(result: ImportResult) -> str:
    """The counts: rows read, on invoices, bad; hours rounded; validation errors and warnings."""
    placed = result.line_items
    currencies = {invoice.currency for invoice in result.invoices}
    currency = currencies.pop() if len(currencies) == 1 else None  # the total's minor unit: its one currency's
    text = (f"{visible(result.source)}: {plural(result.rows, 'row')}: {placed:,} on {plural(len(result.invoices), 'invoice')}"
            f" (total {money(result.total, currency)}), {plural(len(result.bad_rows), 'bad row')}")
    if result.bad_rows and result.skip_bad_rows:
        text += " (skipped)"
    if result.blank_rows:
        text += f", {plural(result.blank_rows, 'blank row')} ignored"
    return text + (f"; {plural(len(result.roundings), 'rounding')} of hours;"
                   f" {plural(result.errors, 'error')}, {plural(result.warnings, 'warning')}")


def outcome_line(result: ImportResult) -> str:
    """What happened to the output, and why when nothing was written."""
    if result.written:
        return (f"wrote {visible(result.target)} ({result.format}): {plural(len(result.invoices), 'invoice')},"
                f" {plural(result.line_items, 'line item')}")
    target = visible(result.target or "the output")
    if result.bad_rows and not result.skip_bad_rows:
        why = f"{plural(len(result.bad_rows), 'bad row')}; fix them, or use --skip-bad-rows to import the rest"
    elif result.errors:
        why = f"the invoices have {plural(result.errors, 'validation error')}"
    elif not result.invoices:
        why = "no row makes an invoice"
    else:
        return f"dry run: nothing written; {target} would hold {plural(len(result.invoices), 'invoice')} ({result.format})"
    return f"not written: {target}: {why}"
