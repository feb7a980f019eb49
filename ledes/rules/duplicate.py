"""Duplicate rules: the same time entry billed twice, in one invoice or across the invoices of a run."""

from __future__ import annotations

from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import where
from ledes.rules.places import Place, first_places, location_at, place_of
from ledes.rules.runstore import SpillingMap, digest


def _narrative(text: str) -> str:
    """A narrative compared without case and spacing differences.

    A text whose only spacing is single spaces between words is already spaced alike
    (``isprintable`` is False for any other whitespace): it is not split and joined again.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text.casefold()
    return " ".join(text.split()).casefold()


@guideline_rule("duplicate.line-item", Severity.WARNING)
def duplicate_line_item(invoice: Invoice, report: Report, options: object, context: Context) -> None:
    """No fee line repeats another's timekeeper, date, task code, hours and narrative, in the run.

    Why: Legal Tracker's duplicate line item audits and Collaborati's "Duplicate
    Timekeeper Charge" rule: duplicate entries (same timekeeper, date, task and
    units, and description or amount) are flagged, held or rejected; a time entry
    exported twice, or billed again in the next month's invoice, is the usual cause.
    Entries are compared over every invoice and file of one ``ledes validate`` run;
    narratives are compared without case or spacing differences, hours by value
    (``2.0`` = ``2.00``). The later entry is reported.
    Options: none.
    Money at stake: the repeated line's total.
    Passing: 22547 bills 2.00 h of L510 on 1999-01-15 twice, once "Research attorney's
    fees, Set off claim" and once "Research attorney's fees, Trial pleading".
    Failing: the same two lines with the same narrative.
    """
    seen: SpillingMap[Place] = context.run.slot(duplicate_line_item, first_places)  # where each entry was first
    facts = invoice_facts(invoice, context)
    firm = facts.firm
    for line in facts.fees:
        keeper, when, units = line.keeper, line.day, line.hours
        if keeper is None or when is None or units is None:
            continue
        item = line.item
        # Hours by value (2.0 = 2.00): the key's text spells equal amounts alike.
        amount = str(units.normalize()) if units else "0"
        description = item.description
        text = _narrative(description) if isinstance(description, str) else ""  # cheaper than a memo
        key = digest((firm, keeper, when.toordinal(), line.task, amount, text))  # a day's number: a shorter repr
        first = seen.get(key)
        if first is None:
            seen.set(key, place_of(item.location))
            continue
        report(
            f"same timekeeper ({keeper}), date, task code, hours and narrative as {where(location_at(first), item)}",
            record=item,
            field="line_item.description",
            amount=line.total,
            hint="remove the repeated entry, or say in the narrative how the work differs",
        )


RULES = (duplicate_line_item,)
