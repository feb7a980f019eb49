"""LEDES 1998BI: the 52-field table, round trips, header matching, the format line, LAW_FIRM_ID,
format detection and the command line (the LEDES 98BI V2 specification).

Round trips go through the library's own entry points: ``ledes.dumps(invoices, format="1998bi")``
to write, and ``ledes.formats.pipe.reader.read_pipe`` with the 1998BI table to read back.
"""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
import strategies as S
from click.testing import CliRunner
from formats_support import (
    COLUMNS_1998BI,
    FIXTURES_1998BI,
    HEADER_1998BI,
    LOC_1998BI,
    VALID_1998BI,
    assert_every_value_is_written,
    control_character_findings,
    fee_row,
    fee_row_1998bi,
    ledes1998bi_file,
    ledes_file,
    read_bytes_as,
    rows,
)
from hypothesis import given, settings
from hypothesis import strategies as st

import ledes
from ledes.diagnostics import Diagnostic, DiagnosticSink
from ledes.engine import Config
from ledes.formats import detect_format
from ledes.formats.ledes1998bi import table
from ledes.formats.pipe.reader import read_pipe
from ledes.formats.registry import LEDES_1998B, LEDES_1998BI
from ledes.model import Invoice, LineItemType
from ledes.model.classifications import ALL_CLASSIFICATIONS
from ledes_cli.main import main

# Generating 1998BI models (52 values a row) is slower still than 1998B ones: the main property runs
# half the profile's examples, the variations a sixth; HYPOTHESIS_PROFILE=fuzz runs many more.
MAIN = settings(max_examples=max(50, settings().max_examples // 2))
MODELS = settings(max_examples=max(15, settings().max_examples // 6))

# The header exactly as the 98BI V2 specification gives it (Lexitree's ``ledes98bi_data_columns`` and the
# LOC sample): 1998B's 24 names, then the 28 that 1998BI adds, two of them in mixed case.
SPEC_HEADER = (
    "INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|BILLING_END_DATE|"
    "INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|"
    "LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|"
    "LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID|"
    "PO_NUMBER|CLIENT_TAX_ID|MATTER_NAME|INVOICE_TAX_TOTAL|INVOICE_NET_TOTAL|INVOICE_CURRENCY|TIMEKEEPER_LAST_NAME|"
    "TIMEKEEPER_FIRST_NAME|ACCOUNT_TYPE|LAW_FIRM_NAME|LAW_FIRM_ADDRESS_1|LAW_FIRM_ADDRESS_2|LAW_FIRM_CITY|"
    "LAW_FIRM_STATEorREGION|LAW_FIRM_POSTCODE|LAW_FIRM_COUNTRY|CLIENT_NAME|CLIENT_ADDRESS_1|CLIENT_ADDRESS_2|"
    "CLIENT_CITY|CLIENT_STATEorREGION|CLIENT_POSTCODE|CLIENT_COUNTRY|LINE_ITEM_TAX_RATE|LINE_ITEM_TAX_TOTAL|"
    "LINE_ITEM_TAX_TYPE|INVOICE_REPORTED_TAX_TOTAL|INVOICE_TAX_CURRENCY[]"
)


def read(text: str, path: str | None = None) -> tuple[list[Invoice], list[Diagnostic]]:
    """Read 1998BI text with the pipe reader and the 1998BI table, collecting what it reports."""
    sink = DiagnosticSink(path, Config().level_of, table.FIELD_NAMES)
    invoices = list(read_pipe(table.FORMAT, io.StringIO(text), sink.emit, path))
    return invoices, sink.diagnostics


def where(diagnostics) -> list[tuple[str, int | None, str | None]]:
    return sorted(((d.rule, d.line, d.field) for d in diagnostics), key=lambda f: (f[1] or 0, f[0], f[2] or ""))


def validate_text(tmp_path, text: str, name: str = "bi.txt") -> ledes.FileReport:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return ledes.validate_file(path)


# ------------------------------------------------------------------------------------ the table


def test_the_table_has_the_52_fields_of_the_specification_in_order():
    assert table.HEADER == SPEC_HEADER == HEADER_1998BI
    assert len(table.FIELDS) == 52
    assert "LAW_FIRM_STATEorREGION" in table.FIELD_NAMES.values()
    assert "CLIENT_STATEorREGION" in table.FIELD_NAMES.values()
    # fields 1-24 are 1998B's
    from ledes.formats.ledes1998b.table import FIELDS as FIELDS_1998B

    assert [f.name for f in table.FIELDS[:24]] == [f.name for f in FIELDS_1998B]
    assert (table.FORMAT_NAME, table.FORMAT_LINE) == ("LEDES98BI", "LEDES98BI V2[]")
    assert (LEDES_1998BI.key, LEDES_1998BI.name) == ("1998bi", "LEDES98BI")


# ---------------------------------------------------------------------------- parse(write(x)) == x


NAME_PARTS = ("TIMEKEEPER_LAST_NAME", "TIMEKEEPER_FIRST_NAME")


def expected_diagnostics(invoices: list[Invoice]) -> set[tuple[str, int, str]]:
    """What reading the writer's output of a valid 1998BI model reports, predicted from the model.

    Only content: an empty conditionally required field (units and unit cost on F/E, expense
    code on E, the timekeeper's id, name, classification and last and first names on F, the last
    and first names wherever the timekeeper's name is filled) and a
    classification that is not a known code.
    """
    found = set()
    for line, (invoice, matter, item) in enumerate(rows(invoices), start=3):
        for name, _, get, required_for in COLUMNS_1998BI:
            if get(invoice, matter, item) is None and (item.type in required_for or (
                    name in NAME_PARTS and item.timekeeper is not None and item.timekeeper.name is not None)):
                found.add(("field.required", line, name))
        keeper = item.timekeeper
        if keeper is not None and keeper.classification is not None and keeper.classification not in ALL_CLASSIFICATIONS:
            found.add(("field.classification", line, "TIMEKEEPER_CLASSIFICATION"))
    return found | control_character_findings(invoices, COLUMNS_1998BI, table.FIELDS)


def reported(diagnostics) -> set[tuple[str, int, str]]:
    return {(d.rule, d.line, d.field) for d in diagnostics}


@MAIN
@given(S.invoice_lists(bi=True))
def test_reading_the_writers_output_gives_back_the_1998bi_model(invoices):
    """parse(write(x)) == x; only content is reported; write(parse(f)) == f; no value dropped."""
    text = ledes.dumps(invoices, format="1998bi")
    back, diagnostics = read(text)
    assert back == invoices
    assert reported(diagnostics) == expected_diagnostics(invoices)
    assert len(diagnostics) == len(reported(diagnostics))  # each reported once
    assert ledes.dumps(back, format="1998bi") == text
    assert_every_value_is_written(text, invoices, "LEDES98BI V2[]", COLUMNS_1998BI)


@MODELS
@given(S.invoice_lists(bi=True, alphabet=S.any_characters))
def test_1998bi_round_trip_holds_for_control_characters_and_unicode_separators(invoices):
    back, diagnostics = read(ledes.dumps(invoices, format="1998bi"))
    assert back == invoices
    assert reported(diagnostics) == expected_diagnostics(invoices)


@MODELS
@given(S.invoice_lists(bi=True, max_size=2), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_1998bi_round_trip_through_bytes_with_any_line_end_and_bom(invoices, newline, bom):
    data = ledes.dumps(invoices, format="1998bi").replace("\n", newline).encode("utf-8")
    back, diagnostics = read_bytes_as("1998bi", (b"\xef\xbb\xbf" if bom else b"") + data)
    assert back == invoices
    assert reported(diagnostics) == expected_diagnostics(invoices)


@MODELS
@given(S.invoice_lists(bi=True, max_size=2))
def test_1998bi_round_trip_through_a_file_with_detection(tmp_path_factory, invoices):
    """ledes.write and ledes.iter_invoices: the file is detected as 1998BI from its content."""
    path = tmp_path_factory.mktemp("bi") / "out.txt"
    ledes.write(invoices, path, format="1998bi")
    found = []
    assert list(ledes.iter_invoices(path, diagnostics=found)) == invoices
    assert reported(found) == expected_diagnostics(invoices)
    assert ledes.validate_file(path).format == "LEDES98BI"


def test_the_1998b_strategies_draw_no_1998bi_values():
    """Without bi=True the models stay 1998B models (the 1998B round trips rely on it)."""

    @settings(max_examples=10)
    @given(S.invoice_lists(max_size=1))
    def check(invoices):
        for invoice in invoices:
            assert (invoice.currency, invoice.tax_total, invoice.net_total, invoice.client.address) == (None,) * 4
            assert all(item.tax_rate is None and item.tax_total is None for item in invoice.line_items)

    check()


# ------------------------------------------------------------------ write(parse(f)) == f for files


def test_the_canonical_1998bi_fixture_is_reproduced_byte_for_byte():
    data = VALID_1998BI.read_bytes()
    invoices, diagnostics = read(data.decode("ascii"))
    assert diagnostics == []
    assert [(i.number, len(i.matters)) for i in invoices] == [("96544", 2), ("96545", 1)]
    assert ledes.dumps(invoices, format="1998bi").encode("ascii") == data
    assert ledes.dumps(ledes.load(VALID_1998BI), format="1998bi").encode("ascii") == data


def test_the_loc_98bi_sample_is_written_back_byte_for_byte():
    """The LOC sample (LF, a final newline) is canonical 1998BI: its values all come back as written."""
    data = LOC_1998BI.read_bytes()
    invoices, diagnostics = read(data.decode("ascii"))
    assert diagnostics == []  # the reader's checks pass; its tax arithmetic is the rules' business
    assert ledes.dumps(invoices, format="1998bi").encode("ascii") == data


def test_1998bi_values_are_read_into_the_model():
    (invoice,), diagnostics = read(ledes1998bi_file(fee_row_1998bi("7", "1")))
    assert diagnostics == []
    item = next(invoice.line_items)
    assert (invoice.currency, invoice.tax_currency) == ("GBP", "GBP")
    assert (invoice.total, invoice.tax_total, invoice.net_total, invoice.reported_tax_total) == (
        Decimal(840), Decimal(140), Decimal(700), Decimal(140)
    )
    assert (item.tax_rate, item.tax_total, item.tax_type, item.total) == (Decimal("0.2"), Decimal(140), "VAT", Decimal(840))
    assert (item.timekeeper.last_name, item.timekeeper.first_name) == ("Arnsley", "Robert")
    matter = invoice.matters[0]
    assert (matter.name, matter.po_number, matter.account_type) == ("Merten Merger", "77654", "O")
    assert invoice.client == ledes.Client(
        "00711", "Stanley's Widgets", ledes.Address("One Times Square", None, "New York", "NY", "10036", "USA"), "76-1235"
    )
    assert invoice.law_firm == ledes.LawFirm(
        "24-6437381", "Law Offices of John Smith", ledes.Address("One Fleet Street", None, "London", None, "EC2A 2EG", "GBR")
    )


def test_an_empty_address_is_none():
    empty = {name: "" for name, _, _, _ in COLUMNS_1998BI if name.startswith(("LAW_FIRM_", "CLIENT_")) and name not in (
        "LAW_FIRM_ID", "LAW_FIRM_MATTER_ID", "CLIENT_ID", "CLIENT_MATTER_ID", "CLIENT_TAX_ID")}
    (invoice,), diagnostics = read(ledes1998bi_file(fee_row_1998bi("7", "1", empty)))
    assert diagnostics == []
    assert (invoice.client.address, invoice.law_firm.address, invoice.client.name, invoice.law_firm.name) == (None,) * 4


# ------------------------------------------------------------------------------------- the header


def test_header_names_are_matched_exactly_mixed_case_included():
    (invoice,), diagnostics = read(ledes1998bi_file(fee_row_1998bi("7", "1", {"LAW_FIRM_STATEorREGION": "Greater London"})))
    assert diagnostics == []
    assert invoice.law_firm.address.region == "Greater London"


@pytest.mark.parametrize(
    "header",
    [
        SPEC_HEADER.replace("LAW_FIRM_STATEorREGION", "LAW_FIRM_STATEORREGION"),  # upper-cased
        SPEC_HEADER.replace("CLIENT_STATEorREGION", "CLIENT_STATEORREGION"),
        SPEC_HEADER.upper(),
        SPEC_HEADER.lower().replace("[]", "[]"),
    ],
    ids=["law-firm-upper", "client-upper", "all-upper", "all-lower"],
)
def test_a_header_differing_only_in_case_is_mapped_and_reported(header):
    row = fee_row_1998bi("7", "1", {"LAW_FIRM_STATEorREGION": "Greater London", "CLIENT_STATEorREGION": "NY"})
    text = ledes1998bi_file(row).replace(SPEC_HEADER, header)
    (invoice,), diagnostics = read(text)
    assert where(diagnostics) == [("structure.header", 2, None)]
    assert "upper case as the specification writes them" in diagnostics[0].message
    assert (invoice.law_firm.address.region, invoice.client.address.region) == ("Greater London", "NY")


def test_the_upper_cased_state_or_region_is_named_in_the_message():
    text = ledes1998bi_file(fee_row_1998bi()).replace("LAW_FIRM_STATEorREGION", "LAW_FIRM_STATEORREGION")
    _, diagnostics = read(text)
    assert "'LAW_FIRM_STATEORREGION' should be 'LAW_FIRM_STATEorREGION'" in diagnostics[0].message


def test_columns_out_of_order_are_matched_by_name():
    names = SPEC_HEADER[:-2].split("|")
    values = fee_row_1998bi("7", "1")[:-2].split("|")
    order = list(range(52))
    order[24], order[51] = order[51], order[24]  # PO_NUMBER and INVOICE_TAX_CURRENCY swapped
    header = "|".join(names[i] for i in order) + "[]"
    record = "|".join(values[i] for i in order) + "[]"
    (invoice,), diagnostics = read("\n".join(["LEDES98BI V2[]", header, record]) + "\n")
    assert where(diagnostics) == [("structure.header", 2, None)]
    assert (invoice.matters[0].po_number, invoice.tax_currency) == ("77654", "GBP")


def test_a_1998b_header_in_a_1998bi_file_is_reported():
    text = "\n".join(["LEDES98BI V2[]", ledes_file(fee_row()).split("\n")[1], fee_row()]) + "\n"
    _, diagnostics = read(text)
    assert ("structure.header", 2, None) in where(diagnostics)


# -------------------------------------------------------------------------------- the format line


@pytest.mark.parametrize("format_line", ["LEDES98BI V2[]", "LEDES98BI V5[]", "LEDES98BI V32[]", "\ufeffLEDES98BI V5[]"])
def test_any_version_of_the_format_line_is_accepted(format_line):
    invoices, diagnostics = read(ledes1998bi_file(fee_row_1998bi(), format_line=format_line))
    assert diagnostics == []
    assert len(invoices) == 1


@pytest.mark.parametrize("format_line", ["LEDES98BI[]", "LEDES98BI V2", "LEDES98BIV2[]", "LEDES98BI VX[]", "LEDES98BI v2[]"])
def test_a_malformed_format_line_is_reported_and_the_file_still_read(format_line):
    invoices, diagnostics = read(ledes1998bi_file(fee_row_1998bi(), format_line=format_line))
    assert where(diagnostics) == [("structure.format-line", 1, None)]
    assert "LEDES98BI V2[]" in diagnostics[0].message
    assert len(invoices) == 1


def test_the_v5_marker_is_accepted_by_validate_file(tmp_path):
    report = validate_text(tmp_path, ledes1998bi_file(fee_row_1998bi(), format_line="LEDES98BI V5[]"))
    assert (report.format, report.diagnostics, report.line_items) == ("LEDES98BI", (), 1)


def test_the_writer_writes_the_v2_marker():
    (invoice,), _ = read(ledes1998bi_file(fee_row_1998bi(), format_line="LEDES98BI V5[]"))
    assert ledes.dumps([invoice], format="1998bi").startswith("LEDES98BI V2[]\n" + SPEC_HEADER + "\n")


# --------------------------------------------------------------------------------------- LAW_FIRM_ID

ID_20 = "12345678901234567890"


@pytest.mark.parametrize(
    "law_firm_id",
    ["24-6437381", "24-6437381~GB123456789", "24-6437381~GB123456789~FR12345678901", "~".join([ID_20] * 3), ID_20],
)
def test_law_firm_id_holds_up_to_three_ids_joined_by_tilde(law_firm_id):
    (invoice,), diagnostics = read(ledes1998bi_file(fee_row_1998bi("7", "1", {"LAW_FIRM_ID": law_firm_id})))
    assert diagnostics == []
    assert invoice.law_firm.id == law_firm_id
    assert ledes.dumps([invoice], format="1998bi") == ledes1998bi_file(fee_row_1998bi("7", "1", {"LAW_FIRM_ID": law_firm_id}))


@pytest.mark.parametrize(
    "law_firm_id",
    [
        "a~b~c~d",  # four ids
        "~".join([ID_20] * 4),  # four ids of 20 characters: 83 in all, still one finding
        ID_20 + "1",  # one id of 21 characters
        "24-6437381~" + ID_20 + "1",  # a second id of 21 characters
        "24-6437381~GB123456789~" + ID_20 + "1",
    ],
)
def test_law_firm_id_with_four_ids_or_a_long_one_is_reported_once(law_firm_id):
    text = ledes1998bi_file(fee_row_1998bi("7", "1", {"LAW_FIRM_ID": law_firm_id}), fee_row_1998bi("7", "2"))
    text = text.replace("|24-6437381|", f"|{law_firm_id}|")  # the same id on both rows of the invoice
    (invoice,), diagnostics = read(text)
    assert where(diagnostics) == [("field.length", 3, "LAW_FIRM_ID")]  # invoice-level: once, on its first row
    assert invoice.law_firm.id == law_firm_id  # kept as written


def test_in_1998b_law_firm_id_is_one_id_of_20_characters():
    from formats_support import read_text

    _, diagnostics = read_text(ledes_file(fee_row("7", "1", {"LAW_FIRM_ID": "24-6437381~GB123456789"})))
    assert where(diagnostics) == [("field.length", 3, "LAW_FIRM_ID")]


# ------------------------------------------------------------------------------------ field values


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"LINE_ITEM_TAX_RATE": "20"}, ["field.tax-rate"]),  # 20 % written as 20
        ({"LINE_ITEM_TAX_RATE": "1"}, ["field.tax-rate"]),
        ({"LINE_ITEM_TAX_RATE": "-0.2"}, ["field.tax-rate"]),
        ({"LINE_ITEM_TAX_RATE": "0.12345678901"}, ["field.number"]),  # 11 decimals
        ({"LINE_ITEM_TAX_RATE": "20%"}, ["field.number"]),
        ({"LINE_ITEM_TAX_RATE": "0.9999999999"}, []),
        ({"LINE_ITEM_TAX_RATE": ".2"}, []),
        ({"LINE_ITEM_TAX_RATE": ""}, []),  # optional
        ({"INVOICE_CURRENCY": "ABC"}, ["field.currency"]),
        ({"INVOICE_CURRENCY": "gbp"}, ["field.currency"]),
        ({"INVOICE_CURRENCY": ""}, ["field.required"]),
        ({"INVOICE_TAX_CURRENCY": "GBPP"}, ["field.currency"]),
        ({"INVOICE_TAX_CURRENCY": ""}, []),  # optional
        ({"ACCOUNT_TYPE": "X"}, ["field.account-type"]),
        ({"ACCOUNT_TYPE": "own"}, ["field.account-type"]),
        ({"ACCOUNT_TYPE": "T"}, []),
        ({"LINE_ITEM_TAX_TOTAL": ""}, ["field.required"]),
        ({"INVOICE_NET_TOTAL": ""}, ["field.required"]),
        ({"TIMEKEEPER_LAST_NAME": ""}, ["field.required"]),  # on an F line
        ({"TIMEKEEPER_FIRST_NAME": "x" * 31}, ["field.length"]),
        ({"MATTER_NAME": "m" * 255, "PO_NUMBER": "p" * 100, "LAW_FIRM_COUNTRY": "GBR", "CLIENT_POSTCODE": "9" * 20}, []),
        ({"MATTER_NAME": "m" * 256}, ["field.length"]),
        ({"PO_NUMBER": "p" * 101}, ["field.length"]),
        ({"CLIENT_COUNTRY": "USAF"}, ["field.length"]),  # too long for a code, and no name
        ({"CLIENT_COUNTRY": "United States", "LAW_FIRM_COUNTRY": "GB"}, []),  # a full name (CosmoLex), a code
        ({"LAW_FIRM_COUNTRY": "Côte d'Ivoire"}, []),
        ({"CLIENT_COUNTRY": "United States of America" * 3}, ["field.length"]),  # 72 characters: no name is so long
        ({"LINE_ITEM_TAX_TYPE": "t" * 21}, ["field.length"]),
        ({"INVOICE_NET_TOTAL": "1234567890123"}, ["field.number"]),  # 13 integer digits (12.4)
    ],
)
def test_1998bi_field_checks(changes, expected):
    _, diagnostics = read(ledes1998bi_file(fee_row_1998bi("7", "1", changes)))
    assert [d.rule for d in diagnostics] == expected
    assert all(d.field in changes for d in diagnostics)


def test_timekeeper_names_are_not_required_on_expense_and_adjustment_lines():
    no_keeper = dict.fromkeys(("TIMEKEEPER_ID", "TIMEKEEPER_NAME", "TIMEKEEPER_CLASSIFICATION", "TIMEKEEPER_LAST_NAME", "TIMEKEEPER_FIRST_NAME"), "")
    expense = fee_row_1998bi("7", "1", {"EXP/FEE/INV_ADJ_TYPE": "E", "LINE_ITEM_EXPENSE_CODE": "E111", **no_keeper})
    retainer = fee_row_1998bi("7", "2", {"EXP/FEE/INV_ADJ_TYPE": "IF", **no_keeper})
    invoices, diagnostics = read(ledes1998bi_file(expense, retainer))
    assert diagnostics == []
    assert [item.timekeeper for item in invoices[0].line_items] == [None, None]


# --------------------------------------------------------------------------------- tax arithmetic


def test_the_consistent_fixture_satisfies_every_tax_rule():
    for invoice in ledes.load(VALID_1998BI):
        items = list(invoice.line_items)
        for item in items:
            base = item.units * item.unit_cost + (item.adjustment or 0)
            assert item.tax_total == (base * item.tax_rate).quantize(Decimal("0.01"))
            assert item.total == base + item.tax_total
        assert invoice.total == sum(item.total for item in items)
        assert invoice.tax_total == sum(item.tax_total for item in items)
        assert invoice.net_total == invoice.total - invoice.tax_total


def test_tax_rules_report_the_money_at_stake(tmp_path):
    report = validate_text(tmp_path, LOC_1998BI.read_text(encoding="ascii"))
    amounts = {(d.rule, d.line): d.amount for d in report.diagnostics}
    assert amounts[("arithmetic.invoice-tax", 3)] == Decimal("3.00")  # 185.52 - 182.52
    assert amounts[("arithmetic.invoice-net", 3)] == Decimal("93.71")  # 1781.16 - 1687.45
    assert amounts[("arithmetic.line-tax", 3)] == Decimal("49.05")  # 87.63 - 38.58


def test_line_total_includes_the_tax(tmp_path):
    consistent = fee_row_1998bi("7", "1")
    report = validate_text(tmp_path, ledes1998bi_file(consistent))
    assert report.diagnostics == ()
    # a 1998BI line total without its tax is wrong, and so is the invoice built on it
    without_tax = fee_row_1998bi("7", "1", {"LINE_ITEM_TOTAL": "700", "INVOICE_TOTAL": "700", "INVOICE_NET_TOTAL": "560"})
    report = validate_text(tmp_path, ledes1998bi_file(without_tax))
    assert where(report.diagnostics) == [("arithmetic.line-total", 3, "LINE_ITEM_TOTAL")]


# ------------------------------------------------------------------------------- format detection


def test_detect_format_reads_the_format_line():
    assert detect_format("LEDES98BI V2[]\n") is LEDES_1998BI
    assert detect_format("\ufeffLEDES98BI V5[]\r\n" + SPEC_HEADER) is LEDES_1998BI
    assert detect_format("LEDES1998B[]\n") is LEDES_1998B
    assert detect_format("") is LEDES_1998B
    assert detect_format("garbage\n") is LEDES_1998B


@pytest.mark.parametrize("first_line", ["LEDES98B1 V2[]", "LEDS98BI V2[]", "XXXXXXXX", "LEDES1998Z[]", "LEDES98BI"])
def test_a_damaged_first_line_with_the_52_names_is_detected_as_1998bi(first_line, tmp_path):
    source = LOC_1998BI.read_text(encoding="ascii")
    text = source.replace("LEDES98BI V2[]", first_line, 1)
    assert detect_format(text) is LEDES_1998BI
    report = validate_text(tmp_path, text)
    assert report.format == "LEDES98BI"
    assert (report.invoices, report.line_items) == (2, 6)
    expected_taxes = [("arithmetic.invoice-net", 3, "INVOICE_NET_TOTAL"), ("arithmetic.invoice-tax", 3, "INVOICE_TAX_TOTAL"),
                      *(("arithmetic.line-tax", line, "LINE_ITEM_TAX_TOTAL") for line in (3, 4, 5, 8))]
    assert where(report.diagnostics) == [("structure.format-line", 1, None), *sorted(expected_taxes, key=lambda f: (f[1], f[0]))]


def test_a_file_starting_with_the_1998bi_header_is_detected_as_1998bi(tmp_path):
    text = LOC_1998BI.read_text(encoding="ascii").split("\n", 1)[1]  # no format line at all
    assert detect_format(text) is LEDES_1998BI
    report = validate_text(tmp_path, text)
    assert report.format == "LEDES98BI"
    assert report.line_items == 6
    assert where(report.diagnostics)[0] == ("structure.format-line", 1, None)


def test_a_1998b_file_with_a_damaged_first_line_is_still_1998b():
    text = ledes_file(fee_row("1", "1")).replace("LEDES1998B[]", "LEDES1998Z[]")
    assert detect_format(text) is LEDES_1998B


@pytest.mark.parametrize(("encoding", "bom"), [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_a_utf16_1998bi_file_is_detected_as_1998bi(encoding, bom, tmp_path):
    """Excel's "Unicode text": the format line is read in the file's own encoding."""
    path = tmp_path / "unicode.txt"
    path.write_bytes(bom + VALID_1998BI.read_text(encoding="ascii").replace("\n", "\r\n").encode(encoding))
    report = ledes.validate_file(path)
    assert report.format == "LEDES98BI"
    assert (report.invoices, report.line_items) == (2, 6)
    assert [(d.rule, d.severity) for d in report.diagnostics] == [("structure.encoding", ledes.Severity.INFO)]


def test_the_format_can_be_forced(tmp_path):
    path = tmp_path / "bi.txt"
    path.write_bytes(VALID_1998BI.read_bytes())
    assert ledes.validate_file(path, format="1998bi").diagnostics == ()
    forced = ledes.validate_file(path, format="1998b")
    assert (forced.format, [d.rule for d in forced.diagnostics]) == ("LEDES1998B", ["structure.format-line"])


# ----------------------------------------------------------------------------------- command line


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_ledes_show_on_a_1998bi_file():
    result = run("show", VALID_1998BI)
    assert result.exit_code == 0, result.output
    output = result.output
    # matter 1326 is billed in both invoices: two distinct matters
    assert f"{VALID_1998BI}: LEDES98BI, 2 invoices, 2 matters, 2 timekeepers, 6 line items" in output
    assert "Invoice 96544" in output and "Invoice 96545" in output
    assert "invoice total 2,016.35 GBP (tax 331.90)" in output
    assert "matter 528 (client matter 423-987): 3 lines, 4.00 hours, 1,620.95" in output  # 756 + 840 + 24.95
    assert "matter 1326 (client matter 425-936): 2 lines, 0.20 hours, 395.40" in output  # 48 + 347.4
    assert "22547 Arnsley, Robert PARTNR" in output


def test_ledes_show_json_on_a_1998bi_file():
    result = run("show", "--format", "json", VALID_1998BI)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["format"] == "LEDES98BI"
    assert [(i["number"], i["currency"], i["invoice_total"], i["tax_total"]) for i in document["invoices"]] == [
        ("96544", "GBP", "2016.35", "331.90"),
        ("96545", "GBP", "1500.00", "250.00"),
    ]


def test_ledes_validate_json_on_1998bi_files():
    result = run("validate", "--format", "json", VALID_1998BI, LOC_1998BI)
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    assert document["summary"] == {"files": 2, "errors": 6, "warnings": 0, "at_risk": "0.00"}
    valid, sample = document["files"]
    assert (valid["format"], valid["invoices"], valid["line_items"], valid["diagnostics"]) == ("LEDES98BI", 2, 6, [])
    assert (sample["format"], sample["invoices"], sample["line_items"]) == ("LEDES98BI", 2, 6)
    assert sorted((d["rule"], d["line"], d["field"]) for d in sample["diagnostics"]) == sorted(
        [("arithmetic.invoice-net", 3, "INVOICE_NET_TOTAL"), ("arithmetic.invoice-tax", 3, "INVOICE_TAX_TOTAL")]
        + [("arithmetic.line-tax", line, "LINE_ITEM_TAX_TOTAL") for line in (3, 4, 5, 8)]
    )
    net = next(d for d in sample["diagnostics"] if d["rule"] == "arithmetic.invoice-net")
    assert (net["severity"], net["invoice"], net["amount"]) == ("error", "96542", "93.71")


def test_ledes_validate_passes_the_loc_sample_with_the_tax_checks_demoted():
    levels = ["--level", "arithmetic.line-tax=warning", "--level", "arithmetic.invoice-tax=warning",
              "--level", "arithmetic.invoice-net=warning"]
    result = run("validate", *levels, LOC_1998BI)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].endswith("0 errors, 6 warnings")


def test_ledes_validate_text_on_a_1998bi_file():
    result = run("validate", VALID_1998BI)
    assert result.exit_code == 0, result.output
    assert "LEDES98BI, 2 invoices, 6 line items: 0 errors, 0 warnings" in result.output


def test_ledes_validate_on_the_invalid_98bi_samples():
    result = run("validate", "--format", "json", *sorted((FIXTURES_1998BI / "invalid").glob("*.txt")))
    document = json.loads(result.output)
    assert {f["format"] for f in document["files"]} == {"LEDES98BI"}
    assert len(document["files"]) == 4
    assert result.exit_code == 1


def test_an_adjustment_line_type_reads_in_1998bi():
    (invoice,), _ = read(ledes1998bi_file(fee_row_1998bi("7", "1", {"EXP/FEE/INV_ADJ_TYPE": "IF"})))
    assert next(invoice.line_items).type is LineItemType.FEE_ADJUSTMENT
    assert invoice.date == date(1999, 2, 25)


@pytest.mark.parametrize("name", [
    "travisbashor_tests-data_ledes_98BI.txt",
    "lexitree_ledes98bi_good.txt",
    "lexitree_ledes98bi_eager_bad.txt",  # no final newline
    "lexitree_ledes98bi_greedy_bad.txt",  # marker V32, a bad header, nearly every value invalid
])
def test_every_record_of_a_98bi_sample_is_written_back_unchanged(name):
    """Read without loss, even invalid values (kept as text) come back as they were written."""
    from ledes.rules import LOSSY_RULES

    data = (FIXTURES_1998BI / "invalid" / name).read_bytes()
    invoices, diagnostics = read_bytes_as("1998bi", data)
    assert not {d.rule for d in diagnostics} & LOSSY_RULES
    records = data.decode("ascii").rstrip("\n").split("\n")[2:]
    assert ledes.dumps(invoices, format="1998bi").split("\n")[2:] == [*records, ""]


@pytest.mark.parametrize("country", ["GBR", "US", "United Kingdom", "UNITED STATES", "CANADA", "GUINEA-BISSAU",
                                     "TÜRKIYE", "England"])
def test_a_country_is_a_code_or_a_name_in_any_case(country: str):
    """A code of at most 3 characters, a name in words, or a country's one-word name in capitals, as some systems
    write addresses."""
    assert table.COUNTRY.convert(country)[1] is None


@pytest.mark.parametrize("country", ["GBRX", "USAF", "CANADAA"])
def test_a_country_too_long_for_a_code_and_no_name_is_refused(country: str):
    problem = table.COUNTRY.convert(country)[1]
    assert problem is not None and "a country code has at most 3" in problem[1]


def test_a_timekeeper_name_without_a_comma_is_never_split_at_a_space(tmp_path):
    """The LOC 98BI sample writes "Arnsley Robert" (last name first), other files "Robert Arnsley": converting such a
    name to 1998BI keeps it whole as the last name, with no first name (reported on the output, which requires one on
    fees), instead of guessing a split that swaps the names."""
    source = tmp_path / "names.txt"
    good = FIXTURES_1998BI.parent / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
    source.write_text(good.read_text(encoding="utf-8").replace("Arnsley, Robert", "Arnsley Robert"), encoding="utf-8")
    target = tmp_path / "names_bi.txt"
    conversion = ledes.convert(source, target, to="1998bi", currency="USD")
    fields = target.read_text(encoding="utf-8").splitlines()[2].split("|")
    assert (fields[21], fields[30], fields[31]) == ("Arnsley Robert", "Arnsley Robert", "")
    assert {d.rule for d in conversion.output_diagnostics} == {"field.required"}
