"""Submission rules: an invoice number is used once, an invoice is sent in time, bills no stale charges and no
zero-value lines, and covers the months the client bills by."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.figures import iso_day, ledes_day
from ledes.model import FEES_AND_EXPENSES, Invoice, Location
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule, is_number
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import firm_id, where
from ledes.rules.places import NOWHERE, first_places
from ledes.rules.runstore import SpillingMap, digest

PERIOD_END, INVOICE_DATE = "period-end", "invoice-date"


@attrs.frozen
class LateOptions:
    """invoice.late: the most days from the end of the billing period (or the invoice date) to the invoice date (or
    the day of the run, standing in for the submission)."""

    days: int = option.whole(60, minimum=0)
    since: str = option.one_of(PERIOD_END, (PERIOD_END, INVOICE_DATE))


@attrs.frozen
class AgedChargesOptions:
    """invoice.aged-charges: the most days from a line's date to the invoice date."""

    days: int = option.whole(180, minimum=0)


@attrs.frozen
class DuplicateNumberOptions:
    """invoice.duplicate-number: how far apart two invoices under one number are still duplicates."""

    days: int = option.whole(365, minimum=1)


@guideline_rule("invoice.duplicate-number", Severity.ERROR, whole_invoice=True, options=DuplicateNumberOptions)
def duplicate_number(invoice: Invoice, report: Report, options: DuplicateNumberOptions, context: Context) -> None:
    """No invoice number is used twice by one law firm for one client within a year, among the invoices of a run.

    Why: Legal Tracker "Troubleshoot LEDES posting issues", TeamConnect invoice
    duplicates, Collaborati's "Duplicate invoice <n> exists within one year of the
    supplied invoice date": an invoice number already used by the vendor is
    rejected within a window, commonly 12 months; a revised invoice carries a suffix
    (A, R, -REV). Invoices are compared over every file of one ``ledes validate`` run,
    per LAW_FIRM_ID and CLIENT_ID (each client's portal sees its own invoices); the later
    one is reported. Numbers are compared as written. An invoice without a readable date
    is compared whatever its date.
    Options: ``days`` (default 365): the most days between two invoice dates for the later
    one read to be a duplicate; each earlier use counts, whatever order the files come in.
    Money at stake: the repeated invoice's total.
    Passing: invoices 96542 and 96543; invoice 96542 of 1997-02-25 and again of 1999-02-25.
    Failing: invoice 96542 in one file and again in another, both of February 1999.
    """
    number = invoice.number
    if not isinstance(number, str) or not number.strip():
        return
    seen: SpillingMap[list[Use]] = context.run.slot(duplicate_number, _dated_places)
    client = invoice.client.id if invoice.client is not None else None
    key = digest((firm_id(invoice), client, number.strip()))
    when = invoice.date.toordinal() if isinstance(invoice.date, date) else None
    uses: list[Use] = seen.get(key) or []
    near = [place for day, place in uses if when is None or day is None or abs(when - day) <= options.days]
    seen.set(key, [*uses, (when, invoice.location or NOWHERE)][-_USES_KEPT:])
    if not near:
        return
    report(
        f"invoice number {number} of law firm {firm_id(invoice)} was already used at {where(near[0], invoice)}",
        record=invoice,
        field="invoice.number",
        amount=invoice.total if is_number(invoice.total) else None,
        hint="give a revised invoice its own number (a suffix such as 96542A)",
    )


Use = tuple[int | None, Location]  # an invoice number's use: its invoice's date (ordinal) and place
_USES_KEPT = 32  # the latest uses of one number kept: a number used more often in a run is no revision


def _dated_places() -> SpillingMap[list[Use]]:
    """A run's map from an invoice number's key to the dates and places it was used at, in the order read."""
    places = first_places()

    def encoded(uses: list[Use]) -> str:
        return json.dumps([[day, places.encode(place)] for day, place in uses])

    def decoded(text: str) -> list[Use]:
        return [(day, places.decode(place)) for day, place in json.loads(text)]

    return SpillingMap(encoded, decoded)


@guideline_rule("invoice.late", Severity.ERROR, whole_invoice=True, options=LateOptions)
def late(invoice: Invoice, report: Report, options: LateOptions, context: Context) -> None:
    """INVOICE_DATE is no more than the allowed number of days after BILLING_END_DATE.

    Why: Collaborati's "Invoice is Too Old" rule and carrier guidelines: late invoices are rejected: the limits seen are 30
    days (CSM default), 90 days (Collaborati sample, AmTrust, Liberty), or within 30
    days after month end. The file does not say when it is submitted, so the invoice
    date stands in for it; with ``since = "invoice-date"`` the days are counted from the
    invoice date to the day ledes runs, standing in for the submission, as Mitratech CSM
    counts them ("Invoice cannot be accepted as past due": 30 days from the invoice date to
    submission), for a run just before upload. Skipped when a date is missing or unreadable.
    Options: ``days`` (default 60) and ``since`` (default ``period-end``): the most days
    from the end of the billing period to the invoice date; with ``since = "invoice-date"``,
    from the invoice date to the day of the run.
    Money at stake: the invoice's total.
    Passing: period ending 19990131, invoice dated 19990225 (25 days).
    Failing: period ending 19990131, invoice dated 19990415 (74 days).
    """
    limit = options.days
    end: object
    when: object
    if options.since == INVOICE_DATE:
        end, when = invoice.date, date.today()
    else:
        end, when = invoice.billing_end, invoice.date
    if not isinstance(end, date) or not isinstance(when, date):
        return
    elapsed = (when - end).days
    if elapsed <= limit:
        return
    report(
        f"the invoice, dated {ledes_day(end)}, is submitted {elapsed} days after its date (today, {iso_day(when)});"
        f" the client accepts {limit}" if options.since == INVOICE_DATE else
        f"INVOICE_DATE {ledes_day(when)} is {elapsed} days after the billing period ended on {ledes_day(end)};"
        f" the client accepts {limit}",
        record=invoice,
        field="invoice.date",
        amount=invoice.total if is_number(invoice.total) else None,
        hint="invoice each period promptly; ask the client before sending a late invoice",
    )


@guideline_rule("invoice.aged-charges", Severity.WARNING, options=AgedChargesOptions)
def aged_charges(invoice: Invoice, report: Report, options: AgedChargesOptions, context: Context) -> None:
    """No fee or expense line is dated more than the allowed number of days before INVOICE_DATE.

    Why: Collaborati's "Charges are Too Old" rule: charges older than N days before the invoice date are
    flagged or reduced to 0 (180 days is the CSM default). Invoice-level adjustments
    (IF, IE) and credits (a line with a negative total) are not charges and are not checked.
    Options: ``days`` (default 180): the most days from a line's date to the invoice date.
    Money at stake: the line's total.
    Passing: a line of 19990115 on an invoice of 19990225 (41 days).
    Failing: a line of 19980601 on an invoice of 19990225 (269 days).
    """
    limit = options.days
    when = invoice.date
    if not isinstance(when, date):
        return
    for line in invoice_facts(invoice, context).lines:
        charged = line.day
        if line.kind not in FEES_AND_EXPENSES or charged is None or (when - charged).days <= limit or line.credit:
            continue
        report(
            f"LINE_ITEM_DATE {ledes_day(charged)} is {(when - charged).days} days before INVOICE_DATE {ledes_day(when)};"
            f" the client accepts charges up to {limit} days old",
            record=line.item,
            field="line_item.date",
            amount=line.total,
            hint="bill work within the client's window; older charges need its approval",
        )


@attrs.frozen
class SingleMonthOptions:
    """period.single-month: how many calendar months a billing period may touch, and whether within one block of them."""

    months: int = option.whole(1, minimum=1)
    aligned: bool = option.flag(False)
    year_start: int = option.whole(1, minimum=1)

    def __attrs_post_init__(self) -> None:
        if self.year_start > 12:
            raise option.OptionError(f"expected a month, 1 to 12, found {self.year_start}", ".year_start")
        if self.aligned and 12 % self.months:
            raise option.OptionError(f"needs months that divide a year into blocks (2, 3, 4, 6 or 12), not {self.months}",
                                     ".aligned")


@guideline_rule("period.single-month", Severity.WARNING, options=SingleMonthOptions)
def single_month(invoice: Invoice, report: Report, options: SingleMonthOptions, context: Context) -> None:
    """The billing period (BILLING_START_DATE … BILLING_END_DATE) stays within one calendar month, or the months allowed.

    Why: carrier and corporate guidelines bill monthly ("period within one calendar
    month; not across quarters": CNA, Liberty, AmTrust), and Legal Tracker's billing
    frequency setting can hold or reject an invoice whose period spans months. A client
    that allows quarterly bills sets ``months = 3``; with ``aligned = true`` the period
    must also stay within one block of that many months of the year ("not across
    quarters or fiscal years": January–March, April–June... from ``year_start``), so
    February–April is reported. Skipped when the period is reversed (``period.order``) or
    a date is unreadable.
    Options: ``months`` (default 1), ``aligned`` (default false), ``year_start`` (default 1).
    ``months`` is the most calendar months one billing period may touch; ``year_start``
    the first month of the client's (fiscal) year, where the blocks of ``aligned`` start
    (``aligned`` needs ``months`` of 2, 3, 4, 6 or 12).
    Money at stake: none: such an invoice is held or sent back to be split, not cut.
    Passing: 19990101 to 19990131.
    Failing: 19990115 to 19990214 (two months).
    """
    start, end = invoice.billing_start, invoice.billing_end
    if not (isinstance(start, date) and isinstance(end, date)) or start > end:
        return
    touched = (end.year - start.year) * 12 + end.month - start.month + 1
    months = options.months
    allowed = "one calendar month" if months == 1 else f"{months} calendar months"
    if touched > months:
        problem = f"spans {touched} calendar months; the client bills {allowed} at a time"
    elif options.aligned and months > 1 and _block(start, options) != _block(end, options):
        starts = [f"{date(2000, (options.year_start - 1 + months * step) % 12 + 1, 1):%B}" for step in range(12 // months)]
        if months == 12:
            problem = f"crosses the end of the client's year (its year starts in {starts[0]})"
        else:
            block = {3: "quarter", 6: "half-year"}.get(months, f"{months}-month block")
            problem = (f"crosses from one {block} of the client's year into the next ({block}s start in"
                       f" {', '.join(starts[:-1])} and {starts[-1]})")
    else:
        return
    report(
        f"the billing period {ledes_day(start)}–{ledes_day(end)} {problem}",
        record=invoice,
        field="invoice.billing_end",
        hint="split the work into one invoice per billing period",
    )


def _block(day: date, options: SingleMonthOptions) -> int:
    """Which block of ``options.months`` months, counted from the year's first month, ``day`` falls in."""
    return (day.year * 12 + day.month - options.year_start) // options.months


@guideline_rule("invoice.zero-value-line", Severity.WARNING)
def zero_value_line(invoice: Invoice, report: Report, options: object, context: Context) -> None:
    """No fee or expense line has a LINE_ITEM_TOTAL of zero.

    Why: portals and guidelines flag zero-value lines ("LINE_ITEM_TOTAL = 0", a warning
    in the e-billing vendors' rule sets): a no-charge entry either belongs off the
    invoice or, where a client asks to see no-charge time, in the form its guidelines
    give. Adjustments (IF, IE) are not checked: a zero adjustment says nothing. Skipped
    when the total is empty or unreadable (the field rules report it).
    Options: none.
    Money at stake: none: the line bills nothing.
    Passing: an F line of 2.00 h at 350, adjustment ``-70``, total ``630``.
    Failing: the same line with adjustment ``-700``, total ``0``.
    """
    for item in invoice.line_items:
        total = item.total
        if item.type in FEES_AND_EXPENSES and type(total) is Decimal and not total:
            report(f"LINE_ITEM_TOTAL is {total}: a line that bills nothing", record=item, field="line_item.total",
                   hint="take the no-charge entry off the invoice, or show it as the client's guidelines ask")


RULES = (duplicate_number, late, aged_charges, single_month, zero_value_line)
