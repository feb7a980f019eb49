"""Billing-period rules: the period runs forward, every line item falls inside it, the invoice is dated after its
work and not in the future."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ledes.figures import ledes_day
from ledes.model import FEES_AND_EXPENSES, Invoice
from ledes.money import exact
from ledes.rules.base import Report, invoice_rule, is_number


@invoice_rule("period.order")
def period_order(invoice: Invoice, report: Report, options: object) -> None:
    """BILLING_START_DATE is not after BILLING_END_DATE.

    Why: "The invoice billing start date is after the invoice billing end date."
    (Corridor); a reversed period also makes every line date fall outside it.
    Options: none.
    Passing: 19990101 to 19990131.
    Failing: 19990131 to 19990101.
    """
    start, end = invoice.billing_start, invoice.billing_end
    if isinstance(start, date) and isinstance(end, date) and start > end:
        report(
            f"BILLING_START_DATE {ledes_day(start)} is after BILLING_END_DATE {ledes_day(end)}",
            record=invoice,
            field="invoice.billing_start",
        )


@invoice_rule("period.line-date")
def line_date(invoice: Invoice, report: Report, options: object) -> None:
    """Each LINE_ITEM_DATE falls within BILLING_START_DATE … BILLING_END_DATE.

    Why: "The line item date is not within the invoice billing start and end dates."
    (Corridor). Skipped when the period is reversed (``period.order`` reports it) or a
    date is unreadable.
    Options: none.
    Money at stake: the line's total.
    Passing: 19990115 in 19990101–19990131.
    Failing: 19990201 in 19990101–19990131.
    """
    start, end = invoice.billing_start, invoice.billing_end
    if not (isinstance(start, date) and isinstance(end, date)) or start > end:
        return
    items = list(invoice.line_items)
    try:  # fast path: every line has a date, all inside the period
        dates = [item.date for item in items if isinstance(item.date, date)]
        if len(dates) == len(items) and start <= min(dates) and max(dates) <= end:
            return
    except (TypeError, ValueError):  # no lines, or dates that do not compare: check line by line
        pass
    for item in items:
        when = item.date
        if isinstance(when, date) and not start <= when <= end:
            report(
                f"LINE_ITEM_DATE {ledes_day(when)} is outside the billing period {ledes_day(start)}–{ledes_day(end)}",
                record=item,
                field="line_item.date",
                amount=item.total if is_number(item.total) else None,
            )


@invoice_rule("period.invoice-date")
def invoice_date(invoice: Invoice, report: Report, options: object) -> None:
    """INVOICE_DATE is not before the date of a fee or expense it bills, nor in the future.

    Why: portals refuse an invoice dated in the future ("invoice date not in future":
    Legal Tracker's CSM, Collaborati's date checks, which ask for dates "valid and
    chronologically consistent"), and an invoice dated before a line's date bills work
    not yet done when it was issued. In the future means more than one day after the day
    the file is checked (a day's grace for time zones). Adjustments (IF, IE) are not
    compared: LEDES XML gives them no date of their own. Skipped when a date is unreadable.
    Options: none.
    Money at stake: the total of the lines dated after the invoice.
    Passing: INVOICE_DATE ``19990225`` for lines dated in January 1999.
    Failing: INVOICE_DATE ``19990110`` for a line dated ``19990115``.
    """
    issued = invoice.date
    if not isinstance(issued, date):
        return
    if issued > date.today() + timedelta(days=1):
        report(f"INVOICE_DATE {ledes_day(issued)} is in the future", record=invoice, field="invoice.date",
               amount=invoice.total if is_number(invoice.total) else None,
               hint="date the invoice the day it is issued")
    last: date | None = None
    count, totals = 0, []
    for item in invoice.line_items:
        when = item.date
        if item.type in FEES_AND_EXPENSES and isinstance(when, date) and when > issued:
            count, last = count + 1, when if last is None or when > last else last
            if is_number(item.total):
                totals.append(item.total)
    if last is not None:
        with exact():  # every digit: a sum of money
            amount = sum(totals, Decimal(0)) if totals else None
        report(f"INVOICE_DATE {ledes_day(issued)} is before {count} line(s) dated after it, the last on {ledes_day(last)}",
               record=invoice, field="invoice.date", amount=amount,
               hint="an invoice bills work already done: date it on or after its last line")


RULES = (period_order, line_date, invoice_date)
