"""The billing report as CSV: the grouped table, then (with guidelines) the findings' tables after blank lines."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ledes.figures import plain_money
from ledes.reports.columns import (
    FIGURES,
    alias_cells,
    alias_names,
    key_cells,
    key_names,
    plain_figures,
    several_currencies,
)
from ledes.reports.model import BillingReport, Findings
from ledes.safetext import csv_row


def render_csv(report: BillingReport) -> str:
    """One row per group (``row`` is ``group``), then one per currency (``total``); money as ``1752.00``.

    Grouped by matter, a last column ``client_matter_id`` holds the client's matter id
    (``matter_name`` is the matter's name); the same column ends the at-risk-by-matter table.

    With guidelines, three more tables follow, each after a blank line with its own header:
    findings by rule, money at risk by invoice, money at risk by matter. With invoices in
    several currencies, the rules table has a row per rule and currency, and a last column
    ``currency`` ("" for the invoices that state none).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # Every cell through csv_row: a value from a file never starts a cell with a formula.
    writer.writerows(map(csv_row, group_rows(report)))
    if report.findings is not None:
        for rows in finding_tables(report.findings, several_currencies(report)):
            writer.writerow([])
            writer.writerows(map(csv_row, rows))
    return out.getvalue()


def group_rows(report: BillingReport) -> list[Sequence[str]]:
    blank = [""] * len(key_names(report.by))
    blank_aliases = [""] * len(alias_names(report.by))
    return [
        ["row", "currency", *key_names(report.by), *FIGURES, *alias_names(report.by)],
        *(["group", group.currency or "", *key_cells(report.by, group.keys),
           *plain_figures(group.totals, group.currency), *alias_cells(report.by, group.keys)]
          for group in report.groups),
        *(["total", group.currency or "", *blank, *plain_figures(group.totals, group.currency), *blank_aliases]
          for group in report.totals),
    ]


def finding_tables(findings: Findings, currency: bool = False) -> list[list[Sequence[str]]]:
    """The findings' tables; with ``currency`` (invoices in several currencies) the rules table ends in a currency column."""
    added = ["currency"] if currency else []
    return [
        [["rule", "level", "findings", "at_stake", *added],
         *([r.rule, r.severity, str(r.count), plain_money(r.at_stake, r.currency),
            *([r.currency or ""] if currency else [])]
           for r in findings.rules)],
        [["file", "invoice", "currency", "at_risk"],
         *([r.path, r.invoice, r.currency or "", plain_money(r.amount, r.currency)] for r in findings.invoices)],
        [["matter", "matter_name", "currency", "at_risk", "client_matter_id"],
         *([r.matter.value or "", r.matter.name or "", r.currency or "", plain_money(r.amount, r.currency),
            r.matter.alias or ""]
           for r in findings.matters)],
    ]
