"""The LEDES 1998BI (98BI V2) field table (the LEDES 98BI V2 specification, ledes.org): 1998B's 24 fields, then 28 more.

Fields 1–24 are 1998B's, with two differences: LINE_ITEM_TOTAL includes the line's tax,
and LAW_FIRM_ID may hold up to three identifiers joined by ``~``. Lengths of fields 31–52
are Lexitree's limits (marked ᴸ in the reference), not verified against the LOC text.
"""

import re

import attrs

from ledes.formats.fields import ACCOUNT_TYPE, ALL_LINE_TYPES, CURRENCY, Country, Field, IdList, Number, Rate, Text
from ledes.formats.ledes1998b.table import FEES, ID, INVOICE_AMOUNT, LINE_AMOUNT
from ledes.formats.ledes1998b.table import FIELDS as FIELDS_1998B
from ledes.formats.pipe.spec import PipeFormat

FORMAT_NAME = "LEDES98BI"
FORMAT_LINE = "LEDES98BI V2[]"

TEXT = Text()
COUNTRY = Country()  # an ISO code or the full name
TAX_RATE = Rate()
AMOUNT_12_4 = Number(integer_digits=12, decimals=4)
NAMED_TIMEKEEPER = ("TIMEKEEPER_NAME",)


def _shared(field: Field) -> Field:
    """1998B's fields as 1998BI has them: LAW_FIRM_ID may hold three ids joined by ``~``."""
    if field.name == "LAW_FIRM_ID":
        # IdList checks the count and each id's length; a max_length (3 × 20 + 2) would
        # report four long ids a second time, as a second field.length on the same field.
        return attrs.evolve(field, kind=IdList(each=ID, count=3), max_length=None)
    return field


FIELDS: tuple[Field, ...] = (
    *(_shared(field) for field in FIELDS_1998B),
    Field("PO_NUMBER", TEXT, "matter.po_number", 100),
    Field("CLIENT_TAX_ID", TEXT, "client.tax_id", ID),
    Field("MATTER_NAME", TEXT, "matter.name", 255),
    Field("INVOICE_TAX_TOTAL", INVOICE_AMOUNT, "invoice.tax_total"),
    Field("INVOICE_NET_TOTAL", AMOUNT_12_4, "invoice.net_total", required_for=ALL_LINE_TYPES),
    Field("INVOICE_CURRENCY", CURRENCY, "invoice.currency", required_for=ALL_LINE_TYPES),
    # Required on fee lines, and wherever TIMEKEEPER_NAME is filled (they are its parts). Required wherever
    # TIMEKEEPER_ID is, as Lexitree's validator has it, is a reading the spec's "conditional" does not settle.
    Field("TIMEKEEPER_LAST_NAME", TEXT, "timekeeper.last_name", 30, FEES, NAMED_TIMEKEEPER),
    Field("TIMEKEEPER_FIRST_NAME", TEXT, "timekeeper.first_name", 30, FEES, NAMED_TIMEKEEPER),
    Field("ACCOUNT_TYPE", ACCOUNT_TYPE, "matter.account_type"),
    Field("LAW_FIRM_NAME", TEXT, "law_firm.name", 60),
    Field("LAW_FIRM_ADDRESS_1", TEXT, "law_firm_address.line1", 60),
    Field("LAW_FIRM_ADDRESS_2", TEXT, "law_firm_address.line2", 60),
    Field("LAW_FIRM_CITY", TEXT, "law_firm_address.city", 40),
    Field("LAW_FIRM_STATEorREGION", TEXT, "law_firm_address.region", 40),
    Field("LAW_FIRM_POSTCODE", TEXT, "law_firm_address.postcode", 20),
    Field("LAW_FIRM_COUNTRY", COUNTRY, "law_firm_address.country"),
    Field("CLIENT_NAME", TEXT, "client.name", 60),
    Field("CLIENT_ADDRESS_1", TEXT, "client_address.line1", 60),
    Field("CLIENT_ADDRESS_2", TEXT, "client_address.line2", 60),
    Field("CLIENT_CITY", TEXT, "client_address.city", 40),
    Field("CLIENT_STATEorREGION", TEXT, "client_address.region", 40),
    Field("CLIENT_POSTCODE", TEXT, "client_address.postcode", 20),
    Field("CLIENT_COUNTRY", COUNTRY, "client_address.country"),
    Field("LINE_ITEM_TAX_RATE", TAX_RATE, "line_item.tax_rate"),
    Field("LINE_ITEM_TAX_TOTAL", LINE_AMOUNT, "line_item.tax_total", required_for=ALL_LINE_TYPES),
    Field("LINE_ITEM_TAX_TYPE", TEXT, "line_item.tax_type", ID),
    Field("INVOICE_REPORTED_TAX_TOTAL", INVOICE_AMOUNT, "invoice.reported_tax_total"),
    Field("INVOICE_TAX_CURRENCY", CURRENCY, "invoice.tax_currency"),
)

FORMAT = PipeFormat(
    name=FORMAT_NAME,
    title="LEDES 1998BI",
    marker="LEDES98BI",
    format_line=FORMAT_LINE,
    # Any version: "V2" is the attested marker; whether the V5 (1-2020) sample says V5 is UNVERIFIED.
    accepted_lines=re.compile(r"LEDES98BI V\d+\[\]"),
    fields=FIELDS,
)
HEADER = FORMAT.header
FIELD_NAMES = FORMAT.field_names
