"""Billing-period rules: the period runs forward, and every line item falls inside it."""

from __future__ import annotations

from datetime import date

from ledes.model import Invoice
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
            f"BILLING_START_DATE {start:%Y%m%d} is after BILLING_END_DATE {end:%Y%m%d}",
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
                f"LINE_ITEM_DATE {when:%Y%m%d} is outside the billing period {start:%Y%m%d}–{end:%Y%m%d}",
                record=item,
                field="line_item.date",
                amount=item.total if is_number(item.total) else None,
            )


RULES = (period_order, line_date)
