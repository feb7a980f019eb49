"""The LEDES XML 2.1 / 2.2 element tables: each segment's elements, in order, and where each value lives in the model.

One table drives both the reader and the writer (as the field tables of the pipe
formats do). Element order and names follow the project's reconstructed XSDs
(``schemas/ledes-xml-2.x.xsd``), which cite their sources. Where the reference marks a
name UNVERIFIED, ``names`` lists every attested spelling: the reader accepts each, the
writer writes the first (the better attested one). These are 2.1's and 2.2's tables
(``SEGMENTS``); another version's are these amended by its differences
(``Segments.amended``; XML 2.0's in ``xml20.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

import attrs

from ledes.formats.fields import ACCOUNT_TYPE, CLASSIFICATION, CURRENCY, Kind
from ledes.model import Unparsed
from ledes.model.hours import as_hours, hours_minutes
from ledes.money import evident_amount, too_wide
from ledes.rules import field as field_rules

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# xs:decimal: an optional sign, digits with at most one point (whitespace around it is collapsed).
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")

_FOUR_PLACES = Decimal("0.0001")

# An element's kind: one of these names, or a field kind shared with the pipe formats (``fields.Kind``:
# a closed vocabulary such as ``CLASSIFICATION``), so that a value is checked alike in every format.
TEXT, DATE, AMOUNT, ADDRESS, CONTACT, HOURS = "text", "date", "amount", "address", "contact", "hours"
ElementKind = str | Kind


def convert(kind: ElementKind, text: str) -> tuple[object, tuple[str, str] | None]:
    """An element's text as a model value, and the problem to report (rule name, message) when it does not convert."""
    if kind == TEXT:
        return text, None
    if isinstance(kind, Kind):  # a code; one of spaces only (a generator's " " for none) is none
        if not text.strip():
            return None, None
        value, problem, _ = kind.convert(text)
        return value, None if problem is None else (problem[0].name, problem[1])
    stripped = text.strip()
    if kind == HOURS:
        return hours(text)
    if kind == AMOUNT:
        if _DECIMAL.fullmatch(stripped):
            wide = too_wide(stripped)
            if wide is not None:
                return Unparsed(text), (field_rules.NUMBER.name, wide)
            try:
                return Decimal(stripped), None
            except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
                pass
        return (Unparsed(text, evident_amount(text)),
                (field_rules.NUMBER.name, f"'{text}' is not a decimal number (digits, one '.', a leading '-')"))
    if _DATE.fullmatch(stripped):
        try:
            return date(int(stripped[:4]), int(stripped[5:7]), int(stripped[8:])), None
        except ValueError:
            return Unparsed(text), (field_rules.DATE.name, f"'{text}' is not a real calendar date (YYYY-MM-DD)")
    return Unparsed(text), (field_rules.DATE.name, f"'{text}' is not a date in the form YYYY-MM-DD")


def hours(text: str) -> tuple[object, tuple[str, str] | None]:
    """Units of time: decimal hours, or hours:minutes read as hours plus minutes ÷ 60 and reported (``field.hours-minutes``)."""
    found = hours_minutes(text)
    if found is None:
        return convert(AMOUNT, text)
    whole, minutes = found
    wide = too_wide(whole)
    if wide is not None:
        return Unparsed(text), (field_rules.NUMBER.name, wide)
    with localcontext() as context:  # every digit of the hours, and four decimals
        context.prec = max(context.prec, len(whole) + 8)
        value = as_hours(whole, minutes).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP).normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    note = " (the minutes are 60 or more)" if minutes >= 60 else ""
    unit = "hour" if value == 1 else "hours"
    return value, (field_rules.HOURS_MINUTES.name, f"'{text}' is hours:minutes{note}; read as {value} {unit}, to 4 decimals")


def render(kind: ElementKind, value: object) -> str:
    """A model value as element text (an Unparsed value is written back as it was read)."""
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@attrs.frozen
class Element:
    """One element of a segment: its names (the first is written), the model attribute it fills, its kind.

    ``target`` is an attribute of the segment's record; a name starting ``=`` is a value
    the writer computes and the reader checks (``=base_amount``), one starting ``~`` a
    value the writer derives and the reader uses (``~category``). ``required`` elements
    missing from a file are reported as ``field.required``; text longer than
    ``max_length`` characters (where a version sets one) as ``field.length``.
    """

    names: tuple[str, ...]
    target: str
    kind: ElementKind = TEXT
    required: bool = False
    max_length: int | None = None

    @property
    def name(self) -> str:
        return self.names[0]


def segment_values(record: object, elements: tuple[Element, ...], computed: dict | None = None):
    """(element, value) for each element of a segment, in order: from ``computed`` by target, else the record's attribute.

    ``=`` and ``~`` targets come only from ``computed``; so does everything when there is no
    record (a timekeeper summary, a tax summary). Both XML writers write segments so.
    """
    computed = computed or {}
    for element in elements:
        target = element.target
        if target in computed:
            yield element, computed[target]
        elif record is None or target[0] in "=~":
            yield element, None
        else:
            yield element, getattr(record, target)


def _e(names: str, target: str, kind: ElementKind = TEXT, required: bool = False) -> Element:
    return Element(tuple(names.split("|")), target, kind, required)


ADDRESS_ELEMENTS = (
    _e("address_1", "line1"),
    _e("address_2", "line2"),
    _e("city", "city"),
    _e("state_province", "region"),
    _e("zip_postal_code", "postcode"),
    _e("country", "country"),
    _e("phone", "phone"),
    _e("fax", "fax"),
)

CONTACT_ELEMENTS = (
    _e("contact_lname", "last_name"),
    _e("contact_fname", "first_name"),
    _e("contact_id", "id"),
    _e("contact_phone", "phone"),
    _e("contact_fax", "fax"),
    _e("contact_email", "email"),
)

# law_firm.* (a LawFirm); source_app and app_version name the program that wrote the file.
FIRM = (
    _e("lf_vendor_id|lf_office_id", "id", required=True),
    _e("lf_id", "code"),
    _e("lf_name", "name"),
    _e("lf_address", "address", ADDRESS),
    _e("lf_remit_address", "remit_address", ADDRESS),
    _e("lf_billing_contact", "billing_contact", CONTACT),
    _e("source_app", "=source_app"),
    _e("app_version", "=app_version"),
    _e("firm_URL", "website"),
)

CLIENT = (
    _e("cl_id", "id", required=True),
    _e("cl_lf_id", "law_firm_client_id"),
    _e("cl_name", "name"),
    _e("cl_address", "address", ADDRESS),
    _e("client_contact", "contact", CONTACT),
    _e("cl_tax_id", "tax_id"),
)

INVOICE = (
    _e("inv_id", "number", required=True),
    _e("inv_date", "date", DATE, required=True),
    _e("inv_due_date", "due_date", DATE),
    _e("inv_currency", "currency", CURRENCY),
    _e("inv_other_iso", "tax_currency", CURRENCY),
    _e("inv_start_date", "billing_start", DATE),
    _e("inv_end_date", "billing_end", DATE),
    _e("inv_desc", "description"),
    _e("rejected_inv_replacement", "replaces_rejected"),
    _e("inv_payment_terms", "payment_terms"),
    _e("inv_total_tax", "tax_total", AMOUNT),
    _e("inv_total_net_due", "total", AMOUNT, required=True),
    _e("inv_total_net_due_other_iso", "reported_total", AMOUNT),
    _e("inv_total_tax_other_iso", "reported_tax_total", AMOUNT),
    _e("inv_image_file_name", "image_file_name"),
    _e("exchange_rate", "exchange_rate", AMOUNT),
)

MATTER = (
    _e("cl_matter_id", "client_matter_id"),
    _e("lf_matter_id", "law_firm_matter_id", required=True),
    _e("matter_name", "name"),
    _e("matter_desc", "description"),
    _e("po_number", "po_number"),
    _e("account_type", "account_type", ACCOUNT_TYPE),
    _e("lf_managing_contact", "managing_contact", CONTACT),
    _e("matter_final_bill", "final_bill"),
    _e("matter_total_detail_fees", "=detail_fees", AMOUNT),
    _e("matter_total_detail_exp", "=detail_expenses", AMOUNT),
    _e("matter_disc_credit_fees", "=credit_fees", AMOUNT),
    _e("matter_disc_credit_exp", "=credit_expenses", AMOUNT),
    _e("matter_disc_cred_total", "=credit_total", AMOUNT),
    _e("matter_perc_shar_fees", "fee_share", AMOUNT),
    _e("matter_perc_shar_exp", "expense_share", AMOUNT),
    _e("matter_disc_bill_pct_fees", "fee_discount_rate", AMOUNT),
    _e("matter_disc_bill_pct_exp", "expense_discount_rate", AMOUNT),
    _e("matter_tax_on_fees", "=tax_fees", AMOUNT),
    _e("matter_tax_on_exp", "=tax_expenses", AMOUNT),
    _e("matter_net_fees", "=net_fees", AMOUNT),
    _e("matter_net_exp", "=net_expenses", AMOUNT),
    _e("matter_total_due", "=total_due", AMOUNT),
)

# An invoice-level adjustment (an IF or IE line) of the matter.
DISC_CRED = (
    _e("disc_cred", "adjustment_code"),
    _e("disc_cred_category", "~category"),
    _e("increase_decrease", "~direction"),
    _e("pre_post_split", "split"),
    _e("discount_percent", "discount_percent", AMOUNT),
    _e("disc_cred_amount", "~amount", AMOUNT, required=True),
)

TKSUM = (
    _e("tk_id", "id", required=True),
    _e("tk_lname", "last_name"),
    _e("tk_fname", "first_name"),
    _e("tk_level", "classification", CLASSIFICATION),
    _e("tk_rate", "~rate", AMOUNT),
)

FEE = (
    _e("charge_date", "date", DATE, required=True),
    _e("tk_id", "~timekeeper_id"),
    _e("tk_level", "~classification", CLASSIFICATION),
    _e("work_location_country", "work_country"),
    _e("charge_desc", "description"),
    _e("task_code", "task_code"),
    _e("task_activity", "activity_code"),
    _e("charge_type", "charge_type"),
    _e("units", "units", HOURS, required=True),
    _e("rate", "unit_cost", AMOUNT, required=True),
    _e("base_amount", "=base_amount", AMOUNT),
    _e("item_disc_cred_amount", "adjustment", AMOUNT),
    _e("total_amount", "~total", AMOUNT, required=True),
)

EXPENSE = (
    _e("charge_date", "date", DATE, required=True),
    _e("tk_id", "~timekeeper_id"),
    _e("tk_level", "~classification", CLASSIFICATION),
    _e("work_location_country", "work_country"),
    _e("charge_desc", "description"),
    _e("task_code", "task_code"),
    _e("expense_code", "expense_code", required=True),  # as 1998B's LINE_ITEM_EXPENSE_CODE on E lines
    _e("charge_type", "charge_type"),
    _e("units", "units", AMOUNT, required=True),
    _e("rate", "unit_cost", AMOUNT, required=True),
    _e("base_amount", "=base_amount", AMOUNT),
    _e("item_disc_cred_amount", "adjustment", AMOUNT),
    _e("total_amount", "~total", AMOUNT, required=True),
)

TAX = (
    _e("tx_id", "id", required=True),
    _e("tax_type", "type"),
    _e("tax_rate_percent", "rate", AMOUNT, required=True),  # without it, no line's tax can be computed
    _e("increase_decrease", "direction"),
    _e("tax_tiers", "tiers"),
)

TAX_SUMMARY = (
    _e("tx_id", "id", required=True),
    _e("tax_total_detail_fees", "=taxable_fees", AMOUNT),
    _e("total_tax_on_fees", "=tax_fees", AMOUNT),
    _e("tax_total_detail_expense", "=taxable_expenses", AMOUNT),
    _e("total_tax_on_expense", "=tax_expenses", AMOUNT),
)

# Child segments: each spelling the reader accepts, and the one the writer writes.
TKSUM_NAMES = ("tksum", "tk_sum")
TAX_SUMMARY_NAMES = ("tax_summary", "tax_sum")
TAX_ITEM_NAMES = {
    "fee": ("tax_item_fee", "tax_fee"),
    "expense": ("tax_item_expense", "tax_expense"),
    "matter_disc_cred": ("tax_matter_disc_cred",),
}
# Elements the reader passes over without a word: the item counter, and the 2.2 tiered-tax
# segments, whose tiers the model does not hold (a tiered tax is reported where it is used).
STRUCTURAL = frozenset({"file_item_nbr"})


@attrs.frozen
class Segments:
    """The element tables of one LEDES XML version, by segment: ``SEGMENTS`` are 2.1's and 2.2's.

    Another version states how it differs, as data, with ``amended``; the reader and the
    writer take a version's tables from its ``XmlVersion``.
    """

    firm: tuple[Element, ...] = FIRM
    client: tuple[Element, ...] = CLIENT
    invoice: tuple[Element, ...] = INVOICE
    matter: tuple[Element, ...] = MATTER
    disc_cred: tuple[Element, ...] = DISC_CRED
    tksum: tuple[Element, ...] = TKSUM
    fee: tuple[Element, ...] = FEE
    expense: tuple[Element, ...] = EXPENSE
    tax: tuple[Element, ...] = TAX
    tax_summary: tuple[Element, ...] = TAX_SUMMARY

    def amended(
        self,
        dropped: Mapping[str, tuple[str, ...]] | None = None,
        max_lengths: Mapping[str, Mapping[str, int]] | None = None,
    ) -> Segments:
        """These tables less the ``dropped`` elements and with ``max_lengths``, both by segment and element name.

        ``amended(dropped={"tax": ("tax_tiers",)}, max_lengths={"firm": {"lf_name": 60}})``;
        a segment or element these tables do not have is a ValueError.
        """
        dropped, max_lengths = dropped or {}, max_lengths or {}
        changed = {}
        for segment in {*dropped, *max_lengths}:
            if segment not in attrs.fields_dict(Segments):
                raise ValueError(f"no segment '{segment}' in the LEDES XML tables")
            elements = getattr(self, segment)
            gone, limits = set(dropped.get(segment, ())), max_lengths.get(segment, {})
            unknown = (gone | set(limits)) - {name for element in elements for name in element.names}
            if unknown:
                raise ValueError(f"no element {', '.join(sorted(unknown))} in segment '{segment}'")
            changed[segment] = tuple(
                attrs.evolve(element, max_length=limits[element.name]) if element.name in limits else element
                for element in elements
                if gone.isdisjoint(element.names)
            )
        return attrs.evolve(self, **changed)


SEGMENTS = Segments()

# Model paths to element names, so that rules on the model report the XML element.
FIELD_NAMES: dict[str, str] = {}
for _scope, _table in (
    ("law_firm", FIRM),
    ("client", CLIENT),
    ("invoice", INVOICE),
    ("matter", MATTER),
    ("line_item", FEE),
):
    for _element in _table:
        if not _element.target.startswith(("=", "~")):
            FIELD_NAMES[f"{_scope}.{_element.target}"] = _element.name
FIELD_NAMES.update(
    {
        "line_item.expense_code": "expense_code",
        "line_item.total": "total_amount",
        "line_item.tax_rate": "tax_rate_percent",
        "line_item.tax_type": "tax_type",
        "line_item.tax_total": "total_tax_on_fees",
        "line_item.adjustment_code": "disc_cred",
        "line_item.split": "pre_post_split",
        "line_item.discount_percent": "discount_percent",
        "line_item.type": "fee",
        "line_item.number": "line number (document order)",
        "timekeeper.id": "tk_id",
        "timekeeper.classification": "tk_level",
        "timekeeper.last_name": "tk_lname",
        "timekeeper.first_name": "tk_fname",
        "timekeeper.name": "tk_lname",
    }
)
for _scope, _name in (("client_address", "cl_address"), ("law_firm_address", "lf_address"),
                      ("law_firm_remit_address", "lf_remit_address")):
    for _element in ADDRESS_ELEMENTS:
        FIELD_NAMES[f"{_scope}.{_element.target}"] = f"{_name}/{_element.name}"
for _scope, _name in (("law_firm_billing_contact", "lf_billing_contact"), ("client_contact", "client_contact"),
                      ("matter_managing_contact", "lf_managing_contact")):
    for _element in CONTACT_ELEMENTS:
        FIELD_NAMES[f"{_scope}.{_element.target}"] = f"{_name}/{_element.name}"
