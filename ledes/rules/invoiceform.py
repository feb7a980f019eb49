"""Invoice form rules a client sets: its adjustment lines, the invoice number, the matters, the currency and the tax rates."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice, LineItem, LineItemType
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule, is_number
from ledes.rules.facts import invoice_facts

_ADJUSTMENTS = {LineItemType.FEE_ADJUSTMENT: "IF", LineItemType.EXPENSE_ADJUSTMENT: "IE"}


@attrs.frozen
class AdjustmentsOptions:
    """invoice.adjustments: how many invoice-level adjustment lines an invoice may have, and their sign."""

    max_fee_adjustments: int = option.whole(0, minimum=0)
    max_expense_adjustments: int = option.whole(0, minimum=0)
    sign: str = option.one_of("any", ("any", "negative"))


@guideline_rule("invoice.adjustments", Severity.ERROR, options=AdjustmentsOptions)
def adjustments(invoice: Invoice, report: Report, options: AdjustmentsOptions, context: Context) -> None:
    """An invoice has no more invoice-level adjustment lines (IF, IE) than the client accepts, and only reductions if it says so.

    Why: eCounsel rejects an invoice with more than one IF line, and portals expect
    invoice-level adjustments to be discounts ("Net Invoice Total is greater than
    Original" is a Collaborati rejection); the LEDES 1998B sample itself bills a retainer
    as a positive IF line, so neither limit is on unless the client's guidelines set it.
    Options: ``max_fee_adjustments``, ``max_expense_adjustments`` (default 0), ``sign`` (default ``any``).
    The first two are the most IF and IE lines an invoice may have (0: any number);
    ``sign = "negative"`` accepts only adjustments that reduce the invoice.
    Money at stake: a positive adjustment's total (an extra discount line puts nothing at stake).
    Passing: one IF line of -125.00, with ``max_fee_adjustments = 1`` and ``sign = "negative"``.
    Failing: two IF lines, or an IF line of +1250, with those options.
    """
    limits = {LineItemType.FEE_ADJUSTMENT: options.max_fee_adjustments,
              LineItemType.EXPENSE_ADJUSTMENT: options.max_expense_adjustments}
    negative_only = options.sign == "negative"
    if not any(limits.values()) and not negative_only:
        return
    seen = dict.fromkeys(limits, 0)
    for line in invoice_facts(invoice, context).lines:
        kind = line.kind
        if kind not in _ADJUSTMENTS:
            continue
        code = _ADJUSTMENTS[kind]
        seen[kind] += 1
        limit = limits[kind]
        if limit and seen[kind] > limit:
            report(
                f"{code} line {seen[kind]} of the invoice: the client accepts"
                f" {f'one {code} line' if limit == 1 else f'at most {limit} {code} lines'} on an invoice",
                record=line.item,
                field="line_item.type",
                amount=line.total,
                hint=f"join the invoice's {code} adjustments into {'one line' if limit == 1 else f'{limit} lines'}",
            )
        if negative_only and line.total is not None and line.total > 0:
            report(
                f"the {code} line adds {line.total} to the invoice: the client accepts invoice-level adjustments"
                " that reduce it only",
                record=line.item,
                field="line_item.total",
                amount=line.total,
                hint="bill a charge as a fee or expense line; an invoice-level adjustment is a discount",
            )


@attrs.frozen
class NumberFormatOptions:
    """invoice.number-format: the longest invoice number the client accepts, and characters it refuses."""

    max_length: int = option.whole(0, minimum=0)
    forbidden: str = option.text("")


@guideline_rule("invoice.number-format", Severity.ERROR, whole_invoice=True, options=NumberFormatOptions)
def number_format(invoice: Invoice, report: Report, options: NumberFormatOptions, context: Context) -> None:
    """The invoice number is no longer than the client accepts and holds none of the characters it refuses.

    Why: the spec allows 20 characters (``field.length``), but portals apply the client's
    own limits: at most 10 characters, letters and digits only, no ``/ - ; & #`` (public
    e-billing guides); the invoice is rejected at upload.
    Options: ``max_length`` (default 0: the spec's limit only) and ``forbidden`` (default
    none): the characters the client refuses, as one text (``"/-;&# "``).
    Money at stake: the invoice's total (the invoice is rejected).
    Passing: ``96542`` with ``max_length = 10`` and ``forbidden = "/-"``.
    Failing: ``2024/INV-000123`` (15 characters; ``/`` and ``-``).
    """
    number = invoice.number
    if not isinstance(number, str) or not (options.max_length or options.forbidden):
        return
    problems = []
    if options.max_length and len(number) > options.max_length:
        problems.append(f"is {len(number)} characters long, more than the {options.max_length} the client accepts")
    refused = sorted({character for character in number if character in options.forbidden})
    if refused:
        problems.append(f"holds {', '.join(repr(character) for character in refused)}, which the client refuses")
    if problems:
        report(
            f"invoice number {number!r} {' and '.join(problems)}",
            record=invoice,
            field="invoice.number",
            amount=invoice.total if is_number(invoice.total) else None,
            hint="number the invoice as the client's guidelines ask",
        )


@attrs.frozen
class MaxMattersOptions:
    """invoice.max-matters: the most matters one invoice may bill."""

    max: int = option.whole(0, minimum=0)


@guideline_rule("invoice.max-matters", Severity.ERROR, whole_invoice=True, options=MaxMattersOptions)
def max_matters(invoice: Invoice, report: Report, options: MaxMattersOptions, context: Context) -> None:
    """An invoice bills no more matters than the client accepts (one, for most that limit it).

    Why: "Multi-matter invoices are not accepted" (Brightflag; many clients' guidelines):
    each matter is billed on its own invoice; the portal rejects the invoice. LEDES files
    may hold several matters an invoice, so the limit is the client's to set.
    Options: ``max`` (default 0: any number): the most matters one invoice may bill.
    Money at stake: the invoice's total (the invoice is rejected).
    Passing: invoice 96542 billing matter 0528 alone, with ``max = 1``.
    Failing: one invoice billing matters 0528 and 0529, with ``max = 1``.
    """
    limit = options.max
    if not limit or len(invoice.matters) <= limit:
        return
    named = ", ".join(str(matter.law_firm_matter_id) for matter in invoice.matters[:5])
    more = f" and {len(invoice.matters) - 5} more" if len(invoice.matters) > 5 else ""
    report(
        f"invoice {invoice.number} bills {len(invoice.matters)} matters ({named}{more}); the client accepts"
        f" {'one matter' if limit == 1 else f'at most {limit} matters'} on an invoice",
        record=invoice,
        field="matter.law_firm_matter_id",
        amount=invoice.total if is_number(invoice.total) else None,
        hint="bill each matter on its own invoice",
    )


@attrs.frozen
class CurrencyOptions:
    """invoice.currency: the currencies the client is billed in."""

    currencies: tuple[str, ...] = option.currencies()


@guideline_rule("invoice.currency", Severity.ERROR, whole_invoice=True, options=CurrencyOptions)
def currency(invoice: Invoice, report: Report, options: CurrencyOptions, context: Context) -> None:
    """An invoice that states its currency (LEDES 1998BI, XML) states one the client is billed in.

    Why: the portals hold each vendor to its billing currency (Brightflag: the invoice
    currency must be the vendor's or office's); an invoice in another is rejected. LEDES
    1998B states no currency and is not checked. The guidelines' ``currency`` names the
    currency of their amounts, which an invoice in another is not held to; this rule says
    which currencies are accepted at all.
    Options: ``currencies`` (default none: any): the ISO 4217 codes the client accepts.
    Money at stake: the invoice's total (the invoice is rejected).
    Passing: a 98BI invoice in GBP with ``currencies = ["GBP", "EUR"]``.
    Failing: the same invoice in USD.
    """
    stated = invoice.currency
    if not options.currencies or not isinstance(stated, str) or not stated.strip():
        return
    if stated.strip().upper() in options.currencies:
        return
    report(
        f"invoice {invoice.number} is in {stated.strip()}; the client is billed in {', '.join(options.currencies)}",
        record=invoice,
        field="invoice.currency",
        amount=invoice.total if is_number(invoice.total) else None,
        hint=f"bill the client in {' or '.join(options.currencies)}",
    )


@attrs.frozen
class KnownIdsOptions:
    """invoice.known-ids: the client's ids, law firm ids and client matter ids on file."""

    client_ids: tuple[str, ...] = option.texts(())
    law_firm_ids: tuple[str, ...] = option.texts(())
    client_matter_ids: tuple[str, ...] = option.texts(())


@guideline_rule("invoice.known-ids", Severity.ERROR, whole_invoice=True, options=KnownIdsOptions)
def known_ids(invoice: Invoice, report: Report, options: KnownIdsOptions, context: Context) -> None:
    """The invoice's CLIENT_ID, LAW_FIRM_ID and each CLIENT_MATTER_ID are ones the client has on file.

    Why: the portals match an invoice to the client's records before anything else:
    LAW_FIRM_ID must be the firm's tax id on file, CLIENT_ID the client's code, and the
    client's matter id a matter assigned to the firm (Legal Tracker, Collaborati
    "Client Matter ID is Invalid"); an unknown one rejects the invoice. Ids are compared
    exactly, spaces at either end left out (ids are text: ``00711`` is not ``711``); a 98BI
    LAW_FIRM_ID of several ids joined by ``~`` passes when it, or one of them, is on file. Each
    list is checked only when the client's guidelines give it; an empty id is
    ``field.required``'s.
    Options: ``client_ids``, ``law_firm_ids``, ``client_matter_ids`` (default none: not checked).
    Money at stake: the invoice's total (the invoice is rejected).
    Passing: CLIENT_ID ``00711`` with ``client_ids = ["00711"]``.
    Failing: CLIENT_ID ``711`` with ``client_ids = ["00711"]``.
    """
    wanted = [(options.client_ids, "CLIENT_ID", "client.id", invoice.client.id if invoice.client else None),
              (options.law_firm_ids, "LAW_FIRM_ID", "law_firm.id", invoice.law_firm.id if invoice.law_firm else None)]
    problems, field = [], None
    for listed, name, target, value in wanted:
        if not listed or not isinstance(value, str) or not value.strip():
            continue
        known = {each.strip() for each in listed}
        # A 98BI LAW_FIRM_ID holds up to three ids joined by "~" (tax ids of several countries): one on file will do.
        given = [value.strip(), *(part.strip() for part in value.split("~"))] if name == "LAW_FIRM_ID" else [value.strip()]
        if known.isdisjoint(given):
            problems.append(f"{name} {value.strip()!r}")
            field = field or target
    if options.client_matter_ids:
        known = {i.strip() for i in options.client_matter_ids}
        for matter in invoice.matters:
            value = matter.client_matter_id
            if isinstance(value, str) and value.strip() and value.strip() not in known:
                problems.append(f"client matter id {value.strip()!r}")
                field = field or "matter.client_matter_id"
    if problems:
        report(
            f"invoice {invoice.number}: {', '.join(dict.fromkeys(problems))} not on the client's records",
            record=invoice,
            field=field,
            amount=invoice.total if is_number(invoice.total) else None,
            hint="use the ids the client has on file (its e-billing setup lists them)",
        )


@attrs.frozen
class TaxRatesOptions:
    """invoice.tax-rates: the currencies whose invoices tax their lines at one rate only."""

    currencies: tuple[str, ...] = option.currencies()


@guideline_rule("invoice.tax-rates", Severity.ERROR, whole_invoice=True, options=TaxRatesOptions)
def tax_rates(invoice: Invoice, report: Report, options: TaxRatesOptions, context: Context) -> None:
    """An invoice in one of the client's single-rate currencies taxes its lines at one rate at most.

    Why: Collaborati rejects "Invoices with US Taxes cannot have more than one tax rate.":
    a US invoice's taxed lines share one LINE_ITEM_TAX_RATE. Lines without a tax (no rate,
    or 0) are not counted; rates are compared by value (``0.0825`` = ``0.08250``). An
    invoice that states no currency (LEDES 1998B) carries no line tax and is not checked.
    Options: ``currencies`` (default none: not checked): the ISO 4217 codes of the invoices
    held to one rate, e.g. ``["USD"]``.
    Money at stake: the invoice's total (the invoice is rejected).
    Passing: a 98BI invoice in USD whose taxed lines are all at ``0.0825``.
    Failing: the same invoice with one line at ``0.06``.
    """
    stated = invoice.currency
    if not options.currencies or not isinstance(stated, str) or stated.strip().upper() not in options.currencies:
        return
    rates: dict[Decimal, LineItem] = {}  # each distinct rate, by value, with the first line taxed at it
    for item in invoice.line_items:
        rate = item.tax_rate
        if is_number(rate) and rate != 0:
            rates.setdefault(rate.normalize(), item)
    if len(rates) <= 1:
        return
    shown = ", ".join(str(rate) for rate in list(rates)[:5]) + (f" and {len(rates) - 5} more" if len(rates) > 5 else "")
    report(
        f"invoice {invoice.number} in {stated.strip()} taxes its lines at {len(rates)} rates ({shown}); the client"
        " accepts one tax rate an invoice",
        record=list(rates.values())[1],
        field="line_item.tax_rate",
        amount=invoice.total if is_number(invoice.total) else None,
        hint="bill the lines at one tax rate, or split them into one invoice per rate",
    )


RULES = (adjustments, number_format, max_matters, currency, known_ids, tax_rates)
