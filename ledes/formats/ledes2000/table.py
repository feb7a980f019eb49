"""The LEDES 2000 element tables: each segment's elements, in order, and where each value lives in the model.

Names and order follow the LEDES 2000 elements that a production generator writes
(an ERP's LEDES 2000 export), with the LOC's own names where that generator differs:
``lf_`` for the firm (the generator's ``if_`` prefix is accepted as an alias), ``lf_billing_contact_*`` flat contact fields (the LEDES XML specifications).
Dates are ``YYYYMMDD``. As in the 2.x tables, the first name is written, every name is
accepted, ``=`` targets are computed by the writer and checked by the reader, and ``~``
targets are derived.
"""

from __future__ import annotations

import re
from datetime import date

from ledes.formats.fields import CLASSIFICATION, CURRENCY
from ledes.formats.ledesxml.table import ADDRESS, AMOUNT, HOURS, TEXT, Element, ElementKind
from ledes.formats.ledesxml.table import convert as convert_2x
from ledes.formats.ledesxml.table import render as render_2x
from ledes.model import Unparsed
from ledes.rules import field as field_rules

DATE8 = "date8"


def _e(names: str, target: str, kind: ElementKind = TEXT, required: bool = False) -> Element:
    return Element(tuple(names.split("|")), target, kind, required)


# Inside address_info, inside lf_address / lf_remit_address / cl_address.
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

FIRM = (
    _e("lf_tax_id|if_tax_id", "id", required=True),
    _e("lf_id|if_id", "code"),
    _e("lf_name|if_name", "name"),
    _e("lf_address|if_address", "address", ADDRESS),
    _e("lf_remit_address|if_remit_address", "remit_address", ADDRESS),
    _e("lf_billing_contact_lname|if_billing_contact_lname", "~billing.last_name"),
    _e("lf_billing_contact_fname|if_billing_contact_fname", "~billing.first_name"),
    _e("lf_billing_contact_id|if_billing_contact_id", "~billing.id"),
    _e("lf_billing_contact_phone|if_billing_contact_phone", "~billing.phone"),
    _e("lf_billing_contact_fax|if_billing_contact_fax", "~billing.fax"),
    _e("lf_billing_contact_email|if_billing_contact_email", "~billing.email"),
    _e("source_app", "=source_app"),
    _e("app_version", "=app_version"),
)

CLIENT = (
    _e("cl_id", "id", required=True),
    _e("cl_name", "name"),
    _e("cl_address", "address", ADDRESS),
    _e("cl_email", "~contact.email"),
    _e("cl_contact_lname", "~contact.last_name"),
    _e("cl_contact_fname", "~contact.first_name"),
    _e("cl_tax_id", "tax_id"),
)

INVOICE = (
    _e("inv_id", "number", required=True),
    _e("inv_date", "date", DATE8, required=True),
    _e("inv_due_date", "due_date", DATE8),
    _e("inv_currency", "currency", CURRENCY),
    _e("inv_start_date", "billing_start", DATE8),
    _e("inv_end_date", "billing_end", DATE8),
    _e("inv_desc", "description"),
    _e("inv_payment_terms", "payment_terms"),
    _e("inv_generic_discount", "~generic_discount", AMOUNT),
    _e("inv_total_net_due", "total", AMOUNT, required=True),
)

MATTER = (
    _e("cl_matter_id", "client_matter_id"),
    _e("lf_matter_id", "law_firm_matter_id", required=True),
    _e("matter_name", "name"),
    _e("matter_desc", "description"),
    _e("lf_managing_contact_lname", "~managing.last_name"),
    _e("lf_managing_contact_fname", "~managing.first_name"),
    _e("lf_contact_id", "~managing.id"),
    _e("lf_contact_phone", "~managing.phone"),
    _e("lf_contact_email", "~managing.email"),
    _e("matter_final_bill", "final_bill"),
    _e("matter_total_detail_fees", "=detail_fees", AMOUNT),
    _e("matter_total_detail_exp", "=detail_expenses", AMOUNT),
    _e("matter_tax_on_fees", "=tax_fees", AMOUNT),
    _e("matter_tax_on_exp", "=tax_expenses", AMOUNT),
    # A reduction is positive here, as that generator writes it; the model's discount line is negative.
    _e("matter_adj_on_fees", "~adjust_fees", AMOUNT),
    _e("matter_adj_on_exp", "~adjust_expenses", AMOUNT),
    _e("matter_perc_shar_fees", "fee_share", AMOUNT),
    _e("matter_perc_shar_exp", "expense_share", AMOUNT),
    _e("matter_net_fees", "=net_fees", AMOUNT),
    _e("matter_net_exp", "=net_expenses", AMOUNT),
    _e("matter_total_due", "=total_due", AMOUNT),
)

# Elements that begin a matter: where a second one appears in the same <matter>, a generator
# has merged several matters into one element (seen in that generator's output).
MATTER_KEYS = frozenset({"cl_matter_id", "lf_matter_id"})

TKSUM = (
    _e("tk_id", "id", required=True),
    _e("tk_lname", "last_name"),
    _e("tk_fname", "first_name"),
    _e("tk_level", "classification", CLASSIFICATION),
    _e("tk_rate", "~rate", AMOUNT),
    _e("tk_hours", "=hours", HOURS),
    _e("tk_cost", "=cost", AMOUNT),
)

FEE = (
    _e("charge_date", "date", DATE8, required=True),
    _e("tk_id", "~timekeeper_id"),
    _e("charge_desc", "description"),
    _e("acca_task", "task_code"),
    _e("acca_activity", "activity_code"),
    _e("charge_type", "charge_type"),
    _e("units", "units", HOURS, required=True),
    _e("rate", "unit_cost", AMOUNT, required=True),
    _e("base_amount", "~base_amount", AMOUNT),
    _e("total_amount", "~total", AMOUNT, required=True),
)

EXPENSE = (
    _e("charge_date", "date", DATE8, required=True),
    _e("tk_id", "~timekeeper_id"),
    _e("charge_desc", "description"),
    _e("acca_task", "task_code"),
    _e("acca_expense", "expense_code", required=True),  # as 1998B's LINE_ITEM_EXPENSE_CODE on E lines
    _e("charge_type", "charge_type"),
    _e("units", "units", AMOUNT, required=True),
    _e("rate", "unit_cost", AMOUNT, required=True),
    _e("total_amount", "~total", AMOUNT, required=True),
)

# Model paths to element names, so that rules on the model report the LEDES 2000 element.
FIELD_NAMES: dict[str, str] = {}
for _scope, _table in (("law_firm", FIRM), ("client", CLIENT), ("invoice", INVOICE), ("matter", MATTER),
                       ("line_item", FEE)):
    for _element in _table:
        if not _element.target.startswith(("=", "~")):
            FIELD_NAMES[f"{_scope}.{_element.target}"] = _element.name
FIELD_NAMES.update(
    {
        "line_item.expense_code": "acca_expense",
        "line_item.total": "total_amount",
        "line_item.type": "fee",
        "line_item.number": "line number (document order)",
        "line_item.adjustment": "base_amount",
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
        FIELD_NAMES[f"{_scope}.{_element.target}"] = f"{_name}/address_info/{_element.name}"
for _scope, _prefix in (("law_firm_billing_contact", "lf_billing_contact_"), ("client_contact", "cl_contact_"),
                        ("matter_managing_contact", "lf_managing_contact_")):
    for _attribute, _suffix in (("last_name", "lname"), ("first_name", "fname"), ("id", "id"), ("phone", "phone"),
                                ("fax", "fax"), ("email", "email")):
        FIELD_NAMES[f"{_scope}.{_attribute}"] = f"{_prefix}{_suffix}"


_DATE8 = re.compile(r"[0-9]{8}")


def convert(kind: ElementKind, text: str) -> tuple[object, tuple[str, str] | None]:
    """An element's text as a model value, and the problem to report (rule, message) when it is not as LEDES 2000 wants it.

    Units written ``HH:MM`` are read and reported as in LEDES XML 2.x (``HOURS``, ``table.hours``).
    """
    if kind == DATE8:
        stripped = text.strip()
        if _DATE8.fullmatch(stripped):
            try:
                return date(int(stripped[:4]), int(stripped[4:6]), int(stripped[6:])), None
            except ValueError:
                return Unparsed(text), (field_rules.DATE.name, f"'{text}' is not a real calendar date (YYYYMMDD)")
        return Unparsed(text), (field_rules.DATE.name, f"'{text}' is not a date in the form YYYYMMDD")
    return convert_2x(kind, text)


def render(kind: ElementKind, value: object) -> str:
    """A model value as LEDES 2000 element text: dates YYYYMMDD, hours and amounts as decimals."""
    if kind == DATE8 and isinstance(value, date):
        return f"{value.year:04d}{value.month:02d}{value.day:02d}"
    return render_2x(AMOUNT if kind == HOURS else kind, value)
