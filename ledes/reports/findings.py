"""Guideline findings on a report's counted lines: by rule, and the money at risk per invoice and per matter."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import attrs

from ledes.diagnostics import Diagnostic
from ledes.engine import FileReport, Report
from ledes.reports.keys import Key
from ledes.reports.lines import LineIndex, LineRef
from ledes.reports.model import Findings, InvoiceRisk, MatterRisk, RuleFindings
from ledes.rules import RULES_BY_NAME, WHOLE_INVOICE_RULES

ZERO = Decimal(0)


def guideline_findings(
    run: Report,
    lines: Sequence[LineIndex],
    invoices: Mapping[tuple[int, str], str | None],
    matter_key: Callable[[str | None], Key],
    source: str,
    assumed: str | None = None,
) -> Findings:
    """What ``run`` found on the counted lines (``lines``) and on the invoices that have some (``invoices``).

    The money of a line or invoice that states no currency is in ``assumed``, the currency of the
    guidelines' amounts, which their rules take it to be in (as ``ledes validate`` counts it).

    A finding on a line item counts when the report counts that line; one on an invoice as a
    whole (or on no line item) when the invoice has counted lines; one on no invoice when
    its file has. Per matter, each counted line's largest guideline finding is summed, so a
    finding on an invoice as a whole counts in the invoice's figure only.
    """
    by_rule: dict[tuple[str, str | None], list[Diagnostic]] = {}
    invoice_risks: list[InvoiceRisk] = []
    matter_risks: dict[tuple[str | None, str | None], Decimal] = {}
    for index, file in enumerate(run.files):
        selected_invoices = {number: currency or assumed for (i, number), currency in invoices.items() if i == index}
        kept = [d for d in file.diagnostics if _counted(d, lines[index], selected_invoices)]
        for diagnostic in kept:
            currency = _currency(diagnostic, lines[index], selected_invoices, assumed)
            by_rule.setdefault((diagnostic.rule, currency), []).append(diagnostic)
        invoice_risks.extend(_invoice_risks(file, kept, selected_invoices))
        for (currency, matter), amount in _matter_risks(kept, lines[index]).items():
            currency = currency or assumed
            matter_risks[(currency, matter)] = matter_risks.get((currency, matter), ZERO) + amount
    return Findings(
        source=source,
        rules=tuple(
            _rule_findings(rule, currency, found)
            for (rule, currency), found in sorted(by_rule.items(), key=_rule_order)
        ),
        invoices=tuple(invoice_risks),
        matters=tuple(
            MatterRisk(matter_key(matter), currency, amount)
            for (currency, matter), amount in sorted(matter_risks.items(), key=_risk_order)
        ),
    )


def _counted(diagnostic: Diagnostic, lines: LineIndex, invoices: Mapping[str, str | None]) -> bool:
    line = lines.find(diagnostic.location)
    if line is not None:
        return line.selected
    if diagnostic.invoice is not None:
        return diagnostic.invoice in invoices
    return bool(invoices)


def _currency(diagnostic: Diagnostic, lines: LineIndex, invoices: Mapping[str, str | None],
              assumed: str | None) -> str | None:
    """The currency of a counted finding: its line's (``assumed`` where it states none), else its invoice's; on neither,
    the file's one currency.

    A finding on no invoice of a file whose counted invoices are in several currencies has none (None).
    """
    line = lines.find(diagnostic.location)
    if line is not None:
        return line.currency or assumed
    if diagnostic.invoice is not None and diagnostic.invoice in invoices:
        return invoices[diagnostic.invoice]
    currencies = set(invoices.values())
    return currencies.pop() if len(currencies) == 1 else None


def _rule_findings(rule: str, currency: str | None, found: list[Diagnostic]) -> RuleFindings:
    at_stake = sum((abs(d.amount) for d in found if d.amount is not None), ZERO)
    return RuleFindings(rule, found[0].severity.value, len(found), at_stake, currency)


def _rule_order(entry: tuple[tuple[str, str | None], list[Diagnostic]]) -> tuple:
    (rule, currency), _ = entry
    return rule, currency is not None, currency or ""


def _invoice_risks(
    file: FileReport, kept: list[Diagnostic], invoices: Mapping[str, str | None]
) -> list[InvoiceRisk]:
    """The engine's money at risk per invoice (``FileReport.at_risk``), over the counted findings only."""
    at_risk = attrs.evolve(file, diagnostics=tuple(kept)).at_risk
    return [
        InvoiceRisk(file.path, number, invoices.get(number), amount)
        for number, amount in at_risk.items()
        if amount
    ]


def _matter_risks(kept: list[Diagnostic], lines: LineIndex) -> dict[tuple[str | None, str | None], Decimal]:
    """Per currency and matter, each counted line's largest guideline finding, summed."""
    largest: dict[LineRef, Decimal] = {}
    for diagnostic in kept:
        rule = RULES_BY_NAME.get(diagnostic.rule)
        if rule is None or not rule.guideline or diagnostic.amount is None or diagnostic.rule in WHOLE_INVOICE_RULES:
            continue
        line = lines.find(diagnostic.location)
        if line is not None:
            largest[line] = max(largest.get(line, ZERO), abs(diagnostic.amount))
    risks: dict[tuple[str | None, str | None], Decimal] = {}
    for line, amount in largest.items():
        risks[(line.currency, line.matter)] = risks.get((line.currency, line.matter), ZERO) + amount
    return risks


def _risk_order(entry: tuple[tuple[str | None, str | None], Decimal]) -> tuple:
    (currency, matter), _ = entry
    return currency is not None, currency or "", matter is None, matter or ""
