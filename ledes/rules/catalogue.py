"""Every rule's name, module, default level and properties, known without importing the rule's module.

A run imports only the modules of the rules it runs: ``ledes validate`` without guidelines
never imports the narrative vocabularies, the UTBMS code sets or the run-wide stores of the
guideline rules. The rules themselves stay declared beside their checks (``rates.py``, ...);
this table repeats what a run must know before it decides which to import, as ruff's code
table (``crates/ruff_linter/src/codes.rs``) does, and ``tests/rules/test_rule_catalogue.py``
checks it against the modules, so it cannot drift from them.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, NamedTuple

from ledes.diagnostics import Severity

if TYPE_CHECKING:
    from ledes.rules.base import Rule


# What a rule does beyond reporting what a format reader finds while reading (READER: nothing more); bits of ``traits``.
READER = 0
CHECK = 1  # a check on each invoice the reader yields
GUIDELINE = 2  # a client's guidelines: a check that runs only with guidelines (or a level given)
FINISH = 4  # a step once after the run's last file
LOSSY = 8  # writing the invoice back would lose something the file holds
WHOLE_INVOICE = 16  # about an invoice or a matter as a whole: its money at stake overlaps its lines'


class Entry(NamedTuple):
    """One rule as the catalogue knows it: its public name, the module (in ``ledes.rules``) that declares it, and more."""

    name: str
    module: str
    level: Severity
    traits: int

    @property
    def group(self) -> str:
        return self.name.partition(".")[0]

    @property
    def checks(self) -> bool:
        """True when the rule has a check on each invoice (a guideline rule always has one)."""
        return bool(self.traits & (CHECK | GUIDELINE))

    @property
    def guideline(self) -> bool:
        return bool(self.traits & GUIDELINE)

    @property
    def finishes(self) -> bool:
        return bool(self.traits & FINISH)

    @property
    def lossy(self) -> bool:
        return bool(self.traits & LOSSY)

    @property
    def whole_invoice(self) -> bool:
        return bool(self.traits & WHOLE_INVOICE)


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# In the order ``ledes rules`` lists them (and SARIF numbers them): a new rule is added here and in its module.
CATALOGUE: tuple[Entry, ...] = (
    Entry("structure.format-line", "structure", ERROR, READER),
    Entry("structure.no-invoice", "structure", ERROR, READER),
    Entry("structure.header", "structure", ERROR, READER),
    Entry("structure.field-count", "structure", ERROR, LOSSY),
    Entry("structure.trailing-separator", "structure", ERROR, READER),
    Entry("structure.terminator", "structure", ERROR, READER),
    Entry("structure.embedded-terminator", "structure", WARNING, READER),
    Entry("structure.line-break", "structure", ERROR, READER),
    Entry("structure.encoding", "structure", INFO, READER),
    Entry("structure.line-length", "structure", ERROR, LOSSY),
    Entry("field.required", "field", ERROR, READER),
    Entry("field.date", "field", ERROR, READER),
    Entry("field.number", "field", ERROR, READER),
    Entry("field.length", "field", ERROR, READER),
    Entry("field.line-type", "field", ERROR, READER),
    Entry("field.classification", "field", ERROR, READER),
    Entry("field.currency", "field", ERROR, READER),
    Entry("field.tax-rate", "field", ERROR, READER),
    Entry("field.account-type", "field", ERROR, READER),
    Entry("field.hours-minutes", "field", ERROR, READER),
    Entry("field.control-character", "field", ERROR, READER),
    Entry("field.null", "field", ERROR, READER),
    Entry("field.negative-units", "field", WARNING, CHECK),
    Entry("field.timekeeper-name", "field", WARNING, CHECK),
    Entry("field.currency-decimals", "field", ERROR, CHECK),
    Entry("arithmetic.line-total", "arithmetic", ERROR, CHECK),
    Entry("arithmetic.line-tax", "arithmetic", ERROR, CHECK),
    Entry("arithmetic.invoice-total", "arithmetic", ERROR, CHECK),
    Entry("arithmetic.invoice-tax", "arithmetic", ERROR, CHECK),
    Entry("arithmetic.invoice-net", "arithmetic", ERROR, CHECK),
    Entry("arithmetic.matter-totals", "matterfigures", ERROR, CHECK),
    Entry("invoice.consistent-fields", "invoice", ERROR, LOSSY),
    Entry("invoice.consistent-description", "invoice", WARNING, LOSSY),
    Entry("invoice.non-contiguous", "invoice", ERROR, READER),
    Entry("invoice.duplicate-line-number", "invoice", ERROR, CHECK),
    Entry("period.order", "period", ERROR, CHECK),
    Entry("period.line-date", "period", ERROR, CHECK),
    Entry("period.invoice-date", "period", ERROR, CHECK),
    Entry("xml.well-formed", "xml", ERROR, LOSSY),
    Entry("xml.unsafe", "xml", ERROR, LOSSY),
    Entry("xml.size", "xml", ERROR, LOSSY),
    Entry("xml.schema", "xml", ERROR, READER),
    Entry("xml.schema-reconstruction", "xml", WARNING, READER),
    Entry("xml.unmapped", "xml", INFO, LOSSY),
    Entry("xml.tax-reference", "xml", ERROR, LOSSY),
    Entry("xml.item-number", "xml", ERROR, READER),
    Entry("xml.merged-matters", "xml", ERROR, READER),
    Entry("xml.encoding", "xml", ERROR, READER),
    Entry("xml.unescaped", "xml", ERROR, READER),
    Entry("utbms.task-code", "codes", ERROR, GUIDELINE),
    Entry("utbms.activity-code", "codes", WARNING, GUIDELINE),
    Entry("utbms.expense-code", "codes", ERROR, GUIDELINE),
    Entry("utbms.phase-billed", "codes", ERROR, GUIDELINE),
    Entry("timekeeper.not-approved", "timekeeper", ERROR, GUIDELINE),
    Entry("timekeeper.classification", "timekeeper", WARNING, GUIDELINE),
    Entry("rates.cap", "rates", ERROR, GUIDELINE),
    Entry("rates.increase", "rates", WARNING, GUIDELINE),
    Entry("time.increment", "timeentries", WARNING, GUIDELINE),
    Entry("time.daily-hours", "dailyhours", WARNING, GUIDELINE | FINISH),
    Entry("time.long-entry", "timeentries", WARNING, GUIDELINE),
    Entry("time.multiple-attendees", "timeentries", WARNING, GUIDELINE),
    Entry("time.travel", "travel", WARNING, GUIDELINE),
    Entry("narrative.block-billing", "narrative", WARNING, GUIDELINE),
    Entry("narrative.vague", "narrative", WARNING, GUIDELINE),
    Entry("narrative.administrative", "narrative", WARNING, GUIDELINE),
    Entry("expense.not-reimbursable", "expense", WARNING, GUIDELINE),
    Entry("expense.unit-cost-cap", "expense", WARNING, GUIDELINE),
    Entry("expense.daily-cap", "expense", WARNING, GUIDELINE),
    Entry("duplicate.line-item", "duplicate", WARNING, GUIDELINE),
    Entry("duplicate.expense", "duplicate", WARNING, GUIDELINE),
    Entry("staffing.max-timekeepers", "staffing", WARNING, GUIDELINE),
    Entry("invoice.duplicate-number", "submission", ERROR, GUIDELINE | WHOLE_INVOICE),
    Entry("invoice.late", "submission", ERROR, GUIDELINE | WHOLE_INVOICE),
    Entry("invoice.aged-charges", "submission", WARNING, GUIDELINE),
    Entry("period.single-month", "submission", WARNING, GUIDELINE),
    Entry("invoice.zero-value-line", "submission", WARNING, GUIDELINE),
    Entry("convert.unsupported-field", "conversion", WARNING, LOSSY),
    Entry("convert.changed-value", "conversion", ERROR, LOSSY),
    # Added later, at the end so that the earlier rules keep their SARIF numbers.
    Entry("invoice.adjustments", "invoiceform", ERROR, GUIDELINE),
    Entry("invoice.number-format", "invoiceform", ERROR, GUIDELINE | WHOLE_INVOICE),
    Entry("invoice.max-matters", "invoiceform", ERROR, GUIDELINE | WHOLE_INVOICE),
    Entry("invoice.currency", "invoiceform", ERROR, GUIDELINE | WHOLE_INVOICE),
    Entry("narrative.length", "clientlimits", WARNING, GUIDELINE),
    Entry("timekeeper.not-billable", "clientlimits", WARNING, GUIDELINE),
    Entry("expense.line-cap", "clientlimits", WARNING, GUIDELINE),
    Entry("expense.approval", "clientlimits", WARNING, GUIDELINE),
    Entry("time.research", "workcaps", WARNING, GUIDELINE),
    Entry("rates.task-cap", "workcaps", WARNING, GUIDELINE),
    Entry("invoice.known-ids", "invoiceform", ERROR, GUIDELINE | WHOLE_INVOICE),
    Entry("invoice.tax-rates", "invoiceform", ERROR, GUIDELINE | WHOLE_INVOICE),
    Entry("xml.discount-sign", "xml", WARNING, READER),
)

ENTRIES: dict[str, Entry] = {entry.name: entry for entry in CATALOGUE}
# The groups (``arithmetic``), in the order of their first rule.
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(entry.group for entry in CATALOGUE))
# Findings after which writing the model back would lose data from the file.
LOSSY_RULES = frozenset(entry.name for entry in CATALOGUE if entry.lossy)
# The rules that compare money with amounts the guidelines give (caps, thresholds): an invoice in another currency
# than theirs is passed over (``Context.other_currency``), each rule's amounts in the currency of the file that gave them.
CURRENCY_RULES = frozenset({"rates.cap", "rates.task-cap", "expense.unit-cost-cap", "expense.daily-cap",
                            "expense.line-cap", "expense.approval"})
# Findings about an invoice or a matter as a whole, whose money at stake overlaps its lines'.
WHOLE_INVOICE_RULES = frozenset(entry.name for entry in CATALOGUE if entry.whole_invoice)


def rule_named(name: str) -> Rule:
    """The rule ``name``, its module imported now if it was not yet; a KeyError for a name no rule has."""
    return _declared(ENTRIES[name].module)[name]


@functools.cache
def _declared(module: str) -> dict[str, Rule]:
    """The rules the module ``ledes.rules.<module>`` declares (its ``RULES``), by name."""
    return {rule.name: rule for rule in importlib.import_module(f"ledes.rules.{module}").RULES}
