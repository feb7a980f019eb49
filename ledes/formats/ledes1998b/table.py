"""The LEDES 1998B field table (the LEDES 1998B specification, ledes.org): one declaration drives the reader and the writer."""

import re

from ledes.formats.fields import (
    ALL_LINE_TYPES,
    CLASSIFICATION,
    Date,
    Field,
    LineType,
    Number,
    Text,
)
from ledes.formats.pipe.spec import PipeFormat
from ledes.model import FEES_AND_EXPENSES, LineItemType

FORMAT_NAME = "LEDES1998B"
FORMAT_LINE = "LEDES1998B[]"

ID = 20  # Char 20: identifiers and codes
NARRATIVE = 15 * 1024  # "15 KB" descriptions (eCounsel, Lexitree); counted in characters
FEES = frozenset({LineItemType.FEE})
EXPENSES = frozenset({LineItemType.EXPENSE})

TEXT = Text()
DATE = Date()
LINE_AMOUNT = Number(integer_digits=10, decimals=4)  # Cur/Dec 10.4
INVOICE_AMOUNT = Number(integer_digits=12, decimals=4)  # Cur 12.4 (eCounsel); Collaborati's 14.2 fits

FIELDS: tuple[Field, ...] = (
    Field("INVOICE_DATE", DATE, "invoice.date", required_for=ALL_LINE_TYPES),
    Field("INVOICE_NUMBER", TEXT, "invoice.number", ID, ALL_LINE_TYPES),
    Field("CLIENT_ID", TEXT, "client.id", ID, ALL_LINE_TYPES),
    Field("LAW_FIRM_MATTER_ID", TEXT, "matter.law_firm_matter_id", ID, ALL_LINE_TYPES),
    Field("INVOICE_TOTAL", INVOICE_AMOUNT, "invoice.total", required_for=ALL_LINE_TYPES),
    Field("BILLING_START_DATE", DATE, "invoice.billing_start", required_for=ALL_LINE_TYPES),
    Field("BILLING_END_DATE", DATE, "invoice.billing_end", required_for=ALL_LINE_TYPES),
    Field("INVOICE_DESCRIPTION", TEXT, "invoice.description", NARRATIVE),
    Field("LINE_ITEM_NUMBER", TEXT, "line_item.number", ID, ALL_LINE_TYPES),
    Field("EXP/FEE/INV_ADJ_TYPE", LineType(), "line_item.type", required_for=ALL_LINE_TYPES),
    Field("LINE_ITEM_NUMBER_OF_UNITS", LINE_AMOUNT, "line_item.units", required_for=FEES_AND_EXPENSES),
    Field("LINE_ITEM_ADJUSTMENT_AMOUNT", LINE_AMOUNT, "line_item.adjustment"),
    Field("LINE_ITEM_TOTAL", LINE_AMOUNT, "line_item.total", required_for=ALL_LINE_TYPES),
    Field("LINE_ITEM_DATE", DATE, "line_item.date", required_for=ALL_LINE_TYPES),
    Field("LINE_ITEM_TASK_CODE", TEXT, "line_item.task_code", ID),
    Field("LINE_ITEM_EXPENSE_CODE", TEXT, "line_item.expense_code", ID, EXPENSES),
    Field("LINE_ITEM_ACTIVITY_CODE", TEXT, "line_item.activity_code", ID),
    Field("TIMEKEEPER_ID", TEXT, "timekeeper.id", ID, FEES),
    Field("LINE_ITEM_DESCRIPTION", TEXT, "line_item.description", NARRATIVE),
    Field("LAW_FIRM_ID", TEXT, "law_firm.id", ID, ALL_LINE_TYPES),
    Field("LINE_ITEM_UNIT_COST", LINE_AMOUNT, "line_item.unit_cost", required_for=FEES_AND_EXPENSES),
    Field("TIMEKEEPER_NAME", TEXT, "timekeeper.name", 30, FEES),
    Field("TIMEKEEPER_CLASSIFICATION", CLASSIFICATION, "timekeeper.classification", required_for=FEES),
    Field("CLIENT_MATTER_ID", TEXT, "matter.client_matter_id", ID),
)

FORMAT = PipeFormat(
    name=FORMAT_NAME,
    title="LEDES 1998B",
    marker="LEDES1998B",
    format_line=FORMAT_LINE,
    accepted_lines=re.compile(re.escape(FORMAT_LINE)),
    fields=FIELDS,
)
HEADER = FORMAT.header
# Model paths to this format's field names, so rules on the model report LEDES names.
FIELD_NAMES = FORMAT.field_names
