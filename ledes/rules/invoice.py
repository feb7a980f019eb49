"""Invoice rules: repeated header values agree, line numbers are unique, an invoice's rows are together."""

from __future__ import annotations

from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.rules.base import Report, invoice_rule, is_number, reader_rule

CONSISTENT_FIELDS = reader_rule(
    "invoice.consistent-fields",
    Severity.ERROR,
    """Invoice-level fields are identical on every row of one invoice, and matter-level ones on every row of a matter.

    Why: LEDES 1998B repeats INVOICE_DATE, CLIENT_ID, INVOICE_TOTAL, BILLING_START_DATE,
    BILLING_END_DATE and LAW_FIRM_ID on every row; Legal Tracker error 007 rejects "The
    invoice total on 1 of the line items is different from the invoice total in a
    previous line item". CLIENT_MATTER_ID must agree on every row of one matter. The
    first row's values are the ones kept. Values that differ only in spelling
    (``1250`` and ``1250.00``) agree.
    Options: none.
    Money at stake: for INVOICE_TOTAL, the difference between the two totals.
    Passing: every row of invoice 96542 says INVOICE_TOTAL ``1684.45``.
    Failing: rows 1–5 say ``2934.45``, row 6 says ``1250``.
    """,
    lossy=True,
)

CONSISTENT_DESCRIPTION = reader_rule(
    "invoice.consistent-description",
    Severity.WARNING,
    """INVOICE_DESCRIPTION is identical on every row of one invoice.

    Why: the spec keeps only the first row's value, but Brightflag rejects files whose
    rows disagree (Brightflag "Identifying and fixing LEDES invoice errors"). A warning by default; raise it to an error
    for such clients.
    Options: none.
    Passing: every row says ``For services rendered``.
    Failing: one row says ``For services rendered; other stuff``.
    """,
    lossy=True,
)

NON_CONTIGUOUS = reader_rule(
    "invoice.non-contiguous",
    Severity.ERROR,
    """The rows of one invoice are consecutive in the file.

    Why: readers, ledes's streaming reader among them, take an invoice to end where
    another invoice number starts; rows that resume later are read as a second invoice
    with the same number, and their totals cannot be checked together.
    Options: none.
    Passing: rows of 96542, then rows of 96543.
    Failing: rows of 96542, a row of 96543, another row of 96542.
    """,
)


@invoice_rule("invoice.duplicate-line-number")
def duplicate_line_number(invoice: Invoice, report: Report, options: object) -> None:
    """No LINE_ITEM_NUMBER appears twice in one invoice.

    Why: LINE_ITEM_NUMBER is "the sequence number of the line item"; receivers key
    adjustments and appeals on it, and a repeated number usually means a line was
    pasted twice.
    Options: none.
    Money at stake: the repeated line's total.
    Passing: lines 1, 2, 3, 4, 5.
    Failing: lines 1, 2, 3, 4, 5, 5.
    """
    numbers = [item.number for item in invoice.line_items]
    if len(set(numbers)) == len(numbers):  # the rule: every number once
        return
    first_seen: dict[str, int | None] = {}
    # In file order, so that the later row is the one reported even when matters' rows interleave.
    for item in sorted(invoice.line_items, key=_file_line):
        number = item.number
        if number is None:
            continue
        if number in first_seen:
            where = first_seen[number]
            report(
                f"LINE_ITEM_NUMBER {number} already appears"
                + (f" on line {where}" if where is not None else "")
                + " of this invoice",
                record=item,
                field="line_item.number",
                amount=item.total if is_number(item.total) else None,
            )
        else:
            first_seen[number] = item.location.line if item.location else None


def _file_line(item) -> int:
    """The item's line in its file; 0 for an item built in memory (the sort is stable)."""
    return item.location.line if item.location and item.location.line is not None else 0


RULES = (CONSISTENT_FIELDS, CONSISTENT_DESCRIPTION, NON_CONTIGUOUS, duplicate_line_number)
