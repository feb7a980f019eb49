"""Helpers shared by the format tests: reading text or bytes with the 1998B (or 1998BI) reader, and the spec's columns."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from ledes.diagnostics import Diagnostic, DiagnosticSink
from ledes.engine import Config
from ledes.formats import format_named
from ledes.formats.ledes1998b.reader import read_1998b
from ledes.formats.ledes1998b.table import FIELD_NAMES
from ledes.formats.textio import text_stream
from ledes.model import Address, Invoice, LineItem, LineItemType, Matter

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "1998b"  # byte-for-byte copies of public samples, and files written for ledes
FIXTURES_1998BI = ROOT / "fixtures" / "1998bi"
VALID_1998BI = FIXTURES_1998BI / "valid" / "multi_matter_vat.txt"  # canonical, consistent, VAT at 0.2
LOC_1998BI = FIXTURES_1998BI / "invalid" / "travisbashor_tests-data_ledes_98BI.txt"  # the LOC 98BI sample
GOOD = FIXTURES / "valid" / "lexitree_ledes1998b_good.txt"  # the LOC sample
MULTI_MATTER = FIXTURES / "valid" / "multi_matter.txt"  # canonical: the writer reproduces it byte for byte
# Every sample file is in the repository, under FIXTURES and FIXTURES_1998BI (their SOURCES.md give
# each one's source and licence, or say it was written by hand). CORPUS is kept only because
# tests/formats/test_fuzz.py still adds ``CORPUS.glob("*.txt")`` to its seeds: fixtures/ itself holds
# no .txt file, so that adds nothing. Remove it once test_fuzz.py no longer names it.
CORPUS = ROOT / "fixtures"

F, E, IF, IE = LineItemType.FEE, LineItemType.EXPENSE, LineItemType.FEE_ADJUSTMENT, LineItemType.EXPENSE_ADJUSTMENT


def read_text(text: str, path: str | None = None) -> tuple[list[Invoice], list[Diagnostic]]:
    """Read 1998B text (LF line ends) as the library does, collecting the reader's diagnostics."""
    sink = DiagnosticSink(path, Config().level_of, FIELD_NAMES)
    invoices = list(read_1998b(io.StringIO(text), sink.emit, path))
    return invoices, sink.diagnostics


def read_bytes(data: bytes, path: str | None = None) -> tuple[list[Invoice], list[Diagnostic]]:
    """Read the bytes of a file as ``ledes`` opens files: BOM, line ends and encoding handled."""
    sink = DiagnosticSink(path, Config().level_of, FIELD_NAMES)
    invoices = list(read_1998b(text_stream(io.BytesIO(data)), sink.emit, path))
    return invoices, sink.diagnostics


def read_text_as(format_key: str, text: str, path: str | None = None) -> tuple[list[Invoice], list[Diagnostic]]:
    """Read text with the reader of ``format_key`` (``1998b``, ``1998bi``), collecting its diagnostics."""
    file_format = format_named(format_key)
    sink = DiagnosticSink(path, Config().level_of, file_format.field_names)
    invoices = list(file_format.read(io.StringIO(text), sink.emit, path))
    return invoices, sink.diagnostics


def read_bytes_as(format_key: str, data: bytes, path: str | None = None) -> tuple[list[Invoice], list[Diagnostic]]:
    """Read a file's bytes with the reader of ``format_key``, as ``ledes`` opens files."""
    file_format = format_named(format_key)
    sink = DiagnosticSink(path, Config().level_of, file_format.field_names)
    invoices = list(file_format.read(text_stream(io.BytesIO(data)), sink.emit, path))
    return invoices, sink.diagnostics


def rules(diagnostics: list[Diagnostic]) -> list[str]:
    return [d.rule for d in diagnostics]


Getter = Callable[[Invoice, Matter, LineItem], object]


def _keeper(attribute: str) -> Getter:
    return lambda i, m, l: getattr(l.timekeeper, attribute) if l.timekeeper is not None else None


# The 24 LEDES 1998B columns in spec order (the LEDES 1998B specification), written out here rather
# than taken from the library's table: what each holds, its kind, and on which line types
# an empty value is an error (§1.2 "R", §1.7: F/E need units and cost, E an expense code,
# F its timekeeper).
ALL = frozenset(LineItemType)
COLUMNS: tuple[tuple[str, str, Getter, frozenset], ...] = (
    ("INVOICE_DATE", "date", lambda i, m, l: i.date, ALL),
    ("INVOICE_NUMBER", "text", lambda i, m, l: i.number, ALL),
    ("CLIENT_ID", "text", lambda i, m, l: i.client.id, ALL),
    ("LAW_FIRM_MATTER_ID", "text", lambda i, m, l: m.law_firm_matter_id, ALL),
    ("INVOICE_TOTAL", "money", lambda i, m, l: i.total, ALL),
    ("BILLING_START_DATE", "date", lambda i, m, l: i.billing_start, ALL),
    ("BILLING_END_DATE", "date", lambda i, m, l: i.billing_end, ALL),
    ("INVOICE_DESCRIPTION", "text", lambda i, m, l: i.description, frozenset()),
    ("LINE_ITEM_NUMBER", "text", lambda i, m, l: l.number, ALL),
    ("EXP/FEE/INV_ADJ_TYPE", "type", lambda i, m, l: l.type, ALL),
    ("LINE_ITEM_NUMBER_OF_UNITS", "money", lambda i, m, l: l.units, frozenset({F, E})),
    ("LINE_ITEM_ADJUSTMENT_AMOUNT", "money", lambda i, m, l: l.adjustment, frozenset()),
    ("LINE_ITEM_TOTAL", "money", lambda i, m, l: l.total, ALL),
    ("LINE_ITEM_DATE", "date", lambda i, m, l: l.date, ALL),
    ("LINE_ITEM_TASK_CODE", "text", lambda i, m, l: l.task_code, frozenset()),
    ("LINE_ITEM_EXPENSE_CODE", "text", lambda i, m, l: l.expense_code, frozenset({E})),
    ("LINE_ITEM_ACTIVITY_CODE", "text", lambda i, m, l: l.activity_code, frozenset()),
    ("TIMEKEEPER_ID", "text", _keeper("id"), frozenset({F})),
    ("LINE_ITEM_DESCRIPTION", "text", lambda i, m, l: l.description, frozenset()),
    ("LAW_FIRM_ID", "text", lambda i, m, l: i.law_firm.id, ALL),
    ("LINE_ITEM_UNIT_COST", "money", lambda i, m, l: l.unit_cost, frozenset({F, E})),
    ("TIMEKEEPER_NAME", "text", _keeper("name"), frozenset({F})),
    ("TIMEKEEPER_CLASSIFICATION", "text", _keeper("classification"), frozenset({F})),
    ("CLIENT_MATTER_ID", "text", lambda i, m, l: m.client_matter_id, frozenset()),
)
HEADER = "|".join(name for name, _, _, _ in COLUMNS) + "[]"


def parse_field(kind: str, text: str) -> object:
    """What a field's text means, independently of the library's converters."""
    if kind == "date":
        return date(int(text[:4]), int(text[4:6]), int(text[6:8])) if len(text) == 8 and text.isdigit() else None
    if kind == "money":
        return Decimal(text)
    if kind == "type":
        return LineItemType(text)
    return text


def rows(invoices: list[Invoice]):
    """(invoice, matter, line item) in file order."""
    for invoice in invoices:
        for matter in invoice.matters:
            for item in matter.line_items:
                yield invoice, matter, item


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what field.control-character reports: controls but tab
_INVOICE_SCOPES = ("invoice", "client", "law_firm", "client_address", "law_firm_address")


def control_character_findings(invoices: list[Invoice], columns, fields) -> set[tuple[str, int, str]]:
    """``field.control-character`` as reading the written file reports it: on each row for a line's or a matter's
    field, on its invoice's first row only for an invoice-level field (its rows repeat it)."""
    invoice_level = {field.name for field in fields if field.scope in _INVOICE_SCOPES}
    found, line = set(), 3
    for invoice in invoices:
        first = True
        for matter in invoice.matters:
            for item in matter.line_items:
                for name, _, get, _ in columns:
                    value = get(invoice, matter, item)
                    if isinstance(value, str) and _CONTROL.search(value) and (first or name not in invoice_level):
                        found.add(("field.control-character", line, name))
                first, line = False, line + 1
    return found


def record(fields: dict[str, str]) -> str:
    """A 1998B record from field values by name (the others empty)."""
    return "|".join(fields.get(name, "") for name, _, _, _ in COLUMNS) + "[]"


def fee_row(invoice: str = "100", line: str = "1", changes: dict[str, str] | None = None) -> str:
    """A valid F record of invoice ``invoice`` (2 × 350 = 700), with ``changes`` by field name."""
    fields = {
        "INVOICE_DATE": "19990225",
        "INVOICE_NUMBER": invoice,
        "CLIENT_ID": "00711",
        "LAW_FIRM_MATTER_ID": "0528",
        "INVOICE_TOTAL": "700",
        "BILLING_START_DATE": "19990101",
        "BILLING_END_DATE": "19990131",
        "INVOICE_DESCRIPTION": "For services rendered",
        "LINE_ITEM_NUMBER": line,
        "EXP/FEE/INV_ADJ_TYPE": "F",
        "LINE_ITEM_NUMBER_OF_UNITS": "2",
        "LINE_ITEM_ADJUSTMENT_AMOUNT": "0",
        "LINE_ITEM_TOTAL": "700",
        "LINE_ITEM_DATE": "19990115",
        "LINE_ITEM_TASK_CODE": "L510",
        "LINE_ITEM_ACTIVITY_CODE": "A102",
        "TIMEKEEPER_ID": "22547",
        "LINE_ITEM_DESCRIPTION": "Research",
        "LAW_FIRM_ID": "24-6437381",
        "LINE_ITEM_UNIT_COST": "350",
        "TIMEKEEPER_NAME": "Arnsley, Robert",
        "TIMEKEEPER_CLASSIFICATION": "PARTNR",
        "CLIENT_MATTER_ID": "423-987",
    }
    fields.update(changes or {})
    return record(fields)


def ledes_file(*records: str, newline: str = "\n", final: bool = True) -> str:
    """The format line, the header and ``records``, joined by ``newline``."""
    lines = ["LEDES1998B[]", HEADER, *records]
    return newline.join(lines) + (newline if final else "")


# ------------------------------------------------------------------------------- LEDES 1998BI
def _address(record: str, part: str) -> Getter:
    def get(i: Invoice, m: Matter, l: LineItem) -> object:
        address: Address | None = getattr(i, record).address
        return getattr(address, part) if address is not None else None

    return get


# The 28 fields LEDES 1998BI adds after 1998B's 24 (the 98BI V2 specification), in order, written
# out from the reference: names (two in mixed case), kinds and when an empty value is an
# error: the net total, the currency and the line tax on every line (the sample writes 0
# for an untaxed line), the split timekeeper names on F lines like TIMEKEEPER_NAME.
COLUMNS_1998BI_ADDED: tuple[tuple[str, str, Getter, frozenset], ...] = (
    ("PO_NUMBER", "text", lambda i, m, l: m.po_number, frozenset()),
    ("CLIENT_TAX_ID", "text", lambda i, m, l: i.client.tax_id, frozenset()),
    ("MATTER_NAME", "text", lambda i, m, l: m.name, frozenset()),
    ("INVOICE_TAX_TOTAL", "money", lambda i, m, l: i.tax_total, frozenset()),
    ("INVOICE_NET_TOTAL", "money", lambda i, m, l: i.net_total, ALL),
    ("INVOICE_CURRENCY", "text", lambda i, m, l: i.currency, ALL),
    ("TIMEKEEPER_LAST_NAME", "text", _keeper("last_name"), frozenset({F})),
    ("TIMEKEEPER_FIRST_NAME", "text", _keeper("first_name"), frozenset({F})),
    ("ACCOUNT_TYPE", "text", lambda i, m, l: m.account_type, frozenset()),
    ("LAW_FIRM_NAME", "text", lambda i, m, l: i.law_firm.name, frozenset()),
    ("LAW_FIRM_ADDRESS_1", "text", _address("law_firm", "line1"), frozenset()),
    ("LAW_FIRM_ADDRESS_2", "text", _address("law_firm", "line2"), frozenset()),
    ("LAW_FIRM_CITY", "text", _address("law_firm", "city"), frozenset()),
    ("LAW_FIRM_STATEorREGION", "text", _address("law_firm", "region"), frozenset()),
    ("LAW_FIRM_POSTCODE", "text", _address("law_firm", "postcode"), frozenset()),
    ("LAW_FIRM_COUNTRY", "text", _address("law_firm", "country"), frozenset()),
    ("CLIENT_NAME", "text", lambda i, m, l: i.client.name, frozenset()),
    ("CLIENT_ADDRESS_1", "text", _address("client", "line1"), frozenset()),
    ("CLIENT_ADDRESS_2", "text", _address("client", "line2"), frozenset()),
    ("CLIENT_CITY", "text", _address("client", "city"), frozenset()),
    ("CLIENT_STATEorREGION", "text", _address("client", "region"), frozenset()),
    ("CLIENT_POSTCODE", "text", _address("client", "postcode"), frozenset()),
    ("CLIENT_COUNTRY", "text", _address("client", "country"), frozenset()),
    ("LINE_ITEM_TAX_RATE", "money", lambda i, m, l: l.tax_rate, frozenset()),
    ("LINE_ITEM_TAX_TOTAL", "money", lambda i, m, l: l.tax_total, ALL),
    ("LINE_ITEM_TAX_TYPE", "text", lambda i, m, l: l.tax_type, frozenset()),
    ("INVOICE_REPORTED_TAX_TOTAL", "money", lambda i, m, l: i.reported_tax_total, frozenset()),
    ("INVOICE_TAX_CURRENCY", "text", lambda i, m, l: i.tax_currency, frozenset()),
)
COLUMNS_1998BI = COLUMNS + COLUMNS_1998BI_ADDED
HEADER_1998BI = "|".join(name for name, _, _, _ in COLUMNS_1998BI) + "[]"
FIELD_NAMES_ALL = frozenset(name for name, _, _, _ in COLUMNS_1998BI)  # every field name of 1998B and 1998BI


def record_1998bi(fields: dict[str, str]) -> str:
    """A 1998BI record from field values by name (the others empty)."""
    return "|".join(fields.get(name, "") for name, _, _, _ in COLUMNS_1998BI) + "[]"


def fee_row_1998bi(invoice: str = "100", line: str = "1", changes: dict[str, str] | None = None) -> str:
    """A valid, consistent 1998BI F record: 2 × 350 = 700 plus VAT at 0.2 (140) = 840, in GBP.

    INVOICE_TOTAL 840, INVOICE_TAX_TOTAL 140 and INVOICE_NET_TOTAL 700 hold for an
    invoice of this one row; ``changes`` by field name.
    """
    fields = {
        **dict(zip([name for name, _, _, _ in COLUMNS], fee_row(invoice, line)[:-2].split("|"), strict=True)),
        "INVOICE_TOTAL": "840",
        "LINE_ITEM_TOTAL": "840",
        "TIMEKEEPER_NAME": "Arnsley, Robert",
        "PO_NUMBER": "77654",
        "CLIENT_TAX_ID": "76-1235",
        "MATTER_NAME": "Merten Merger",
        "INVOICE_TAX_TOTAL": "140",
        "INVOICE_NET_TOTAL": "700",
        "INVOICE_CURRENCY": "GBP",
        "TIMEKEEPER_LAST_NAME": "Arnsley",
        "TIMEKEEPER_FIRST_NAME": "Robert",
        "ACCOUNT_TYPE": "O",
        "LAW_FIRM_NAME": "Law Offices of John Smith",
        "LAW_FIRM_ADDRESS_1": "One Fleet Street",
        "LAW_FIRM_CITY": "London",
        "LAW_FIRM_POSTCODE": "EC2A 2EG",
        "LAW_FIRM_COUNTRY": "GBR",
        "CLIENT_NAME": "Stanley's Widgets",
        "CLIENT_ADDRESS_1": "One Times Square",
        "CLIENT_CITY": "New York",
        "CLIENT_STATEorREGION": "NY",
        "CLIENT_POSTCODE": "10036",
        "CLIENT_COUNTRY": "USA",
        "LINE_ITEM_TAX_RATE": "0.2",
        "LINE_ITEM_TAX_TOTAL": "140",
        "LINE_ITEM_TAX_TYPE": "VAT",
        "INVOICE_REPORTED_TAX_TOTAL": "140",
        "INVOICE_TAX_CURRENCY": "GBP",
    }
    fields.update(changes or {})
    return record_1998bi(fields)


def ledes1998bi_file(*records: str, newline: str = "\n", final: bool = True, format_line: str = "LEDES98BI V2[]") -> str:
    """The 1998BI format line, the 52-name header and ``records``, joined by ``newline``."""
    lines = [format_line, HEADER_1998BI, *records]
    return newline.join(lines) + (newline if final else "")


def assert_every_value_is_written(text: str, invoices: list[Invoice], format_line: str, columns) -> None:
    """The writer never drops a value: each non-empty model value is in its column of its row."""
    lines = text.split("\n")
    assert lines[:2] == [format_line, "|".join(name for name, _, _, _ in columns) + "[]"]
    assert lines[-1] == ""  # every record ends with a line break, the last one too
    records = lines[2:-1]
    assert len(records) == sum(1 for _ in rows(invoices))
    for record, (invoice, matter, item) in zip(records, rows(invoices), strict=True):
        assert record.endswith("[]")
        fields = record[:-2].split("|")
        assert len(fields) == len(columns)
        for (name, kind, get, _), field in zip(columns, fields, strict=True):
            value = get(invoice, matter, item)
            if value is None:
                assert field == "", name
            else:
                assert field != "", name
                assert parse_field(kind, field) == value, name
