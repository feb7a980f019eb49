"""Field rules: required values, dates, numbers, lengths and closed vocabularies (reader-applied)."""

from __future__ import annotations

import operator
from decimal import Decimal

from ledes.diagnostics import Severity
from ledes.model import FEES_AND_EXPENSES, Invoice, LineItem, Unparsed
from ledes.money import MINOR_UNITS, decimals_of, to_minor
from ledes.rules.base import Report, invoice_rule, is_number, reader_rule

REQUIRED = reader_rule(
    "field.required",
    Severity.ERROR,
    """Fields the specification requires are not empty or blank, conditional ones by line type.

    Why: Legal Tracker error 005, "Your invoice contains a blank field where data is
    required". Always required: INVOICE_DATE, INVOICE_NUMBER, CLIENT_ID,
    LAW_FIRM_MATTER_ID, INVOICE_TOTAL, BILLING_START_DATE, BILLING_END_DATE,
    LINE_ITEM_NUMBER, EXP/FEE/INV_ADJ_TYPE, LINE_ITEM_TOTAL, LINE_ITEM_DATE, LAW_FIRM_ID.
    On F and E lines: LINE_ITEM_NUMBER_OF_UNITS and LINE_ITEM_UNIT_COST. On E lines:
    LINE_ITEM_EXPENSE_CODE. On F lines: TIMEKEEPER_ID, TIMEKEEPER_NAME and
    TIMEKEEPER_CLASSIFICATION. On a line whose type is none of F, E, IF and IE:
    LINE_ITEM_NUMBER_OF_UNITS and LINE_ITEM_UNIT_COST (only an adjustment may leave them
    empty). LEDES 1998BI also requires INVOICE_NET_TOTAL, INVOICE_CURRENCY and
    LINE_ITEM_TAX_TOTAL, and TIMEKEEPER_LAST_NAME and TIMEKEEPER_FIRST_NAME on F lines and
    on any line whose TIMEKEEPER_NAME is filled (they are its parts). A text field of only
    spaces or tabs is as empty as none (a number, date or code of them is reported as unreadable).
    Options: none.
    Passing: an E line with units 1, unit cost 24.95 and expense code E111.
    Failing: an E line with an empty LINE_ITEM_UNIT_COST.
    """,
)

DATE = reader_rule(
    "field.date",
    Severity.ERROR,
    """Dates are real calendar dates written ``YYYYMMDD``.

    Why: Legal Tracker error 003, "Your invoice contains an invalid date."
    Options: none.
    Passing: ``19990131``
    Failing: ``19990199``; ``1999-01-31``; ``20031301``
    """,
)

NUMBER = reader_rule(
    "field.number",
    Severity.ERROR,
    """Numbers hold only digits, at most one ``.`` and an optional leading ``-``, within the spec's precision.

    Why: Legal Tracker error 004 rejects spaces, commas, currency symbols and ``+``.
    Precision: line amounts and units 10.4 (ten digits before the point, four after),
    INVOICE_TOTAL 12.4. ``1250.``, ``0.200`` and ``-70`` are valid. A malformed number
    with one evident value (``+100.00``, ``1,250.00``, ``1 250,00``, ``$5``, ``(70.00)``,
    ``70.00-``) is reported and the arithmetic rules still compute with that value, as the
    finding says ("read as 100.00 for the arithmetic"); ``ledes show`` and ``ledes report``
    total it so. One with none (``1,250``: 1250 or 1.25? ``N/A``) names the checks it stops.
    Options: none.
    Passing: ``1250.``; ``0.200``; ``-70``
    Failing: ``+100.00``; ``1,250.00``; ``$5``; `` 5``; ``1250.123123``
    """,
)

LENGTH = reader_rule(
    "field.length",
    Severity.ERROR,
    """Text fields are within the specification's maximum length.

    Why: receivers truncate or reject longer values. Identifiers and codes: 20
    characters; TIMEKEEPER_NAME: 30; INVOICE_DESCRIPTION and LINE_ITEM_DESCRIPTION:
    15 KB (15,360 characters).
    Options: none.
    Passing: INVOICE_NUMBER ``96542``
    Failing: INVOICE_NUMBER ``96543965439654396543123`` (23 characters)
    """,
)

LINE_TYPE = reader_rule(
    "field.line-type",
    Severity.ERROR,
    """EXP/FEE/INV_ADJ_TYPE is ``F``, ``E``, ``IF`` or ``IE`` (upper case, as the spec writes them).

    Why: the line type decides how a line is read and totalled; anything else is
    rejected.
    Options: none.
    Passing: ``IF``
    Failing: ``A``; ``f``
    """,
)

CLASSIFICATION = reader_rule(
    "field.classification",
    Severity.ERROR,
    """TIMEKEEPER_CLASSIFICATION is a known code: the LOC 2014 list or a legacy 1998B code.

    Why: clients check rates and staffing by classification, and portals reject codes
    they do not know. Accepted: the 51 LOC codes of August 2014 (``PARTNR``, ``ASSOC``,
    ``PARALG``, …) and the legacy ``PT``, ``AS``, ``OC``, ``LA``, ``OT``.
    Options: none.
    Passing: ``PARTNR``; ``PT``
    Failing: ``ABCDE``
    """,
)

CONTROL_CHARACTER = reader_rule(
    "field.control-character",
    Severity.ERROR,
    """No field holds a control character: NUL, ESC, DEL, a C1 control (U+0080–U+009F) or another ASCII control but tab.

    Why: the LEDES 1998B text is "an ASCII, pipe delimited format" of printable text;
    a NUL or an escape sequence in a field is left over from the system that exported it,
    shows as garbage (or as terminal commands) where the field is displayed, and cannot be
    written to LEDES XML at all (XML 1.0 holds no such character), so ``ledes convert``
    refuses the invoice. XML 1.0 cannot hold the C0 controls but tab and the line ends (a
    document with one is not well-formed), but it holds DEL and the C1 controls
    (U+0080–U+009F): in an XML value they are reported here, at the element. C1 controls
    in text usually mean it was decoded with the wrong encoding (UTF-8 bytes read as
    ISO-8859-1 turn ``€`` into U+0082).
    Options: none.
    Passing: ``For services rendered``
    Failing: ``For<NUL>services rendered``; ``For<ESC>[2Jservices rendered``; ``For<U+009B>2J`` (the 8-bit
    CSI); in XML, ``<inv_desc>For&#x9B;2J</inv_desc>``
    """,
)


NULL = reader_rule(
    "field.null",
    Severity.ERROR,
    """An empty field is empty, not the word ``NULL`` (LEDES 1998B and 1998BI).

    Why: an empty value is "an empty string between pipes"; Collaborati explicitly rejects
    the literal ``NULL`` (Mitratech, "LEDES 1998B Format Specifications"), which a database
    export writes for a missing value. Where the field is required, the word also hides
    that the value is missing. ``NULL`` and ``null``, the whole field, are reported (a
    narrative that mentions the word is not); a timekeeper's or an invoice's field once
    per invoice.
    Options: none.
    Passing: ``||``
    Failing: ``|NULL|``
    """,
)

# The arithmetic a value that is no number at all stops, by model path (the pipe formats' field
# targets; the XML readers map their elements onto them).
_LINE_TOTAL = "this line's total is not checked (arithmetic.line-total)"
_STOPPED = {
    "line_item.units": _LINE_TOTAL,
    "line_item.unit_cost": _LINE_TOTAL,
    "line_item.adjustment": _LINE_TOTAL,
    "line_item.total": "neither this line's total nor the invoice total is checked"
                       " (arithmetic.line-total, arithmetic.invoice-total)",
    "line_item.tax_total": "this line's tax and total and the invoice's tax total are not checked"
                           " (arithmetic.line-tax, arithmetic.line-total, arithmetic.invoice-tax)",
    "line_item.tax_rate": "the tax on the lines at this rate is not checked (arithmetic.line-tax)",
    "invoice.total": "the invoice total is not checked (arithmetic.invoice-total, arithmetic.invoice-net)",
    "invoice.tax_total": "the invoice's tax and net totals are not checked (arithmetic.invoice-tax, arithmetic.invoice-net)",
    "invoice.net_total": "the invoice's net total is not checked (arithmetic.invoice-net)",
    "stated": "this figure is not checked against the lines (arithmetic.matter-totals, arithmetic.line-total)",
}


def arithmetic_note(target: str, value: object) -> str:
    """How the arithmetic reads a value ``field.number`` reports, to end its message; "" for a value that is a number.

    ``target`` is the value's model path (``line_item.total``; ``stated`` for a figure a
    file states beside its lines): an evident number is "read as 100.00 for the
    arithmetic"; a value with none names the checks it stops.
    """
    if type(value) is not Unparsed:
        return ""
    if value.evident is not None:
        return f"; read as {value.evident} for the arithmetic"
    stopped = _STOPPED.get(target)
    return f"; {stopped}" if stopped else ""


@invoice_rule("field.negative-units", Severity.WARNING)
def negative_units(invoice: Invoice, report: Report, options: object) -> None:
    """LINE_ITEM_NUMBER_OF_UNITS is not negative on fee and expense lines.

    Why: Brightflag rejects negative units ("must never be negative", Brightflag's
    "How to correctly format your LEDES file"): a write-off or credit belongs in LINE_ITEM_ADJUSTMENT_AMOUNT or on an IF/IE
    line. Other portals accept negative units, so this is a warning by default.
    Options: none.
    Money at stake: the line's total.
    Passing: an F line of ``2.00`` hours at 350 with adjustment ``-70``.
    Failing: an F line of ``-0.50`` hours at 350, total ``-175``.
    """
    items = list(invoice.line_items)
    try:
        if min(map(operator.attrgetter("units"), items)) >= 0:  # the rule: no negative units
            return
    except (TypeError, ValueError):  # an empty or unreadable value: check line by line
        pass
    for item in items:
        units = item.units
        if type(units) is Decimal and units < 0 and item.type in FEES_AND_EXPENSES:
            report(
                f"LINE_ITEM_NUMBER_OF_UNITS is {units}; put a credit in LINE_ITEM_ADJUSTMENT_AMOUNT"
                " or on an IF/IE line instead",
                record=item,
                field="line_item.units",
                amount=item.total if is_number(item.total) else None,
            )


@invoice_rule("field.timekeeper-name", Severity.WARNING)
def timekeeper_name(invoice: Invoice, report: Report, options: object) -> None:
    """TIMEKEEPER_NAME is written "Last, First" (LEDES 1998B).

    Why: the LEDES 1998B specification gives TIMEKEEPER_NAME as "Last, First"
    (``Arnsley, Robert``), and Brightflag requires "surname, first name"; one
    practice-management system (MyCase) exports "First Last", which a portal then files
    under the first name. A name of two words or more without a comma is reported once per
    timekeeper and invoice, at the timekeeper's first line. A one-word name is left alone,
    and so is a name whose parts the file also gives in fields of their own (1998BI's
    TIMEKEEPER_LAST_NAME and _FIRST_NAME, whose official sample writes ``Arnsley Robert``;
    LEDES XML's tk_lname and tk_fname). A warning: which words are the last name, ledes
    cannot tell ("Mary Ann van der Berg").
    Options: none.
    Passing: ``Arnsley, Robert``; ``Cher``.
    Failing: ``Robert Arnsley``.
    """
    firsts: dict[str, LineItem] = {}  # each name's first line
    for item in invoice.line_items:
        keeper = item.timekeeper
        if keeper is not None and isinstance(keeper.name, str) and keeper.name not in firsts:
            firsts[keeper.name] = item
    for name, item in firsts.items():
        keeper = item.timekeeper
        if "," in name or " " not in name.strip() or (keeper is not None and (keeper.last_name or keeper.first_name)):
            continue  # a name whose parts the file gives in fields of their own (1998BI, XML) is told apart by them
        report(
            f"TIMEKEEPER_NAME '{name}' is not written 'Last, First'",
            record=item,
            field="timekeeper.name",
            hint="write the last name, a comma and the first name, as 'Arnsley, Robert'",
        )


CURRENCY = reader_rule(
    "field.currency",
    Severity.ERROR,
    """INVOICE_CURRENCY and INVOICE_TAX_CURRENCY are ISO 4217 currency codes (LEDES 1998BI).

    Why: the currency decides how the client's system reads every amount; Collaborati
    rejects a currency that does not match its records, and an unknown code is an
    error everywhere.
    Options: none.
    Passing: ``GBP``; ``EUR``
    Failing: ``ABC``; ``GBPP``; ``£``
    """,
)

# The amounts of an invoice and of its lines, by model path (the finding's field), as the model holds them.
_INVOICE_AMOUNTS = ("total", "net_total", "tax_total")
_LINE_AMOUNTS = ("adjustment", "tax_total", "total")


@invoice_rule("field.currency-decimals")
def currency_decimals(invoice: Invoice, report: Report, options: object) -> None:
    """Amounts have no more decimals than the invoice currency has (ISO 4217 minor units; LEDES 1998BI and XML).

    Why: an amount is paid in the currency's smallest unit: whole yen (JPY, KRW: 0
    decimals), the cent (GBP, USD, EUR: 2), the fils (KWD, BHD, JOD, OMR, TND, IQD, LYD:
    3). ``0.37`` JPY cannot be paid, and a client's system rounds it where the firm's did
    not; the arithmetic rules compute to the same unit. Checked: INVOICE_TOTAL,
    INVOICE_NET_TOTAL, INVOICE_TAX_TOTAL, and each line's LINE_ITEM_ADJUSTMENT_AMOUNT,
    LINE_ITEM_TAX_TOTAL and LINE_ITEM_TOTAL. Unit costs and rates are prices, not
    amounts, and keep the four decimals ``field.number`` allows. Trailing zeros are not
    decimals (``1250.00`` JPY is whole yen). Skipped when the invoice states no currency
    (LEDES 1998B, whose amounts are to the cent: ``field.number`` checks their
    precision), one with no minor unit (gold, SDR, …) or one that is no ISO 4217 code
    (``field.currency``).
    Options: none.
    Money at stake: the part of the amount below the currency's minor unit.
    Passing: KWD ``10.125``; JPY ``1250.00``; GBP ``24.95``.
    Failing: JPY ``0.37``; GBP ``24.955``; KWD ``10.1255``.
    """
    currency = invoice.currency
    if not isinstance(currency, str) or currency not in MINOR_UNITS:
        return
    places = decimals_of(currency)
    _decimals(invoice, _INVOICE_AMOUNTS, "invoice", currency, places, report)
    for item in invoice.line_items:
        _decimals(item, _LINE_AMOUNTS, "line_item", currency, places, report)


def _decimals(record: Invoice | LineItem, names: tuple[str, ...], scope: str, currency: str, places: int, report: Report) -> None:
    for name in names:
        value = getattr(record, name)
        if type(value) is not Decimal:
            continue
        rounded = to_minor(value, currency)
        if rounded == value:
            continue
        allowed = f"{places} decimal{'' if places == 1 else 's'}"
        report(
            f"{value} has more decimals than a {currency} amount can have ({allowed}, ISO 4217); rounded, it is {rounded}",
            record=record,
            field=f"{scope}.{name}",
            amount=abs(value - rounded),
        )


TAX_RATE = reader_rule(
    "field.tax-rate",
    Severity.ERROR,
    """LINE_ITEM_TAX_RATE (LEDES 1998BI) and ``tax_rate_percent`` (LEDES XML) are rates from 0 up to (not including) 1.

    Why: "A decimal number between 0 and 1 indicating the rate of taxation on the line
    item" (CosmoLex); XML's ``tax_rate_percent`` is a fraction too, despite its name
    ("7.2516 % ... would be represented as 0.072516", FOLIO). 20 written for 20 % would
    multiply the tax by a hundred.
    Options: none.
    Passing: ``0.2``; ``0``
    Failing: ``20``; ``1``; ``-0.1``
    """,
)

ACCOUNT_TYPE = reader_rule(
    "field.account-type",
    Severity.ERROR,
    """ACCOUNT_TYPE is ``O`` (own account) or ``T`` (third-party account) (LEDES 1998BI).

    Why: the field has two values in the specification (Lexitree; XML 2.x
    ``account_type``); anything else is rejected.
    Options: none.
    Passing: ``O``
    Failing: ``X``; ``own``
    """,
)

HOURS_MINUTES = reader_rule(
    "field.hours-minutes",
    Severity.ERROR,
    """Units are decimal hours, not hours:minutes (LEDES 2000 and XML).

    Why: LEDES units are "the actual number of hours billed, e.g. 3.40"; one production
    LEDES 2000 generator writes ``02:30`` instead, which a portal reads as no number at
    all. ledes reads it as hours plus minutes ÷ 60, to 4 decimals (``02:20`` is 2.3333),
    and says so, so the amount at stake is visible before the portal rejects the file.
    Options: none.
    Passing: ``<units>2.5</units>``
    Failing: ``<units>02:30</units>``
    """,
)

RULES = (
    REQUIRED, DATE, NUMBER, LENGTH, LINE_TYPE, CLASSIFICATION, CURRENCY, TAX_RATE, ACCOUNT_TYPE, HOURS_MINUTES, CONTROL_CHARACTER,
    NULL, negative_units, timekeeper_name, currency_decimals,
)
