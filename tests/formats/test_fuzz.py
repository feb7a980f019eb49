"""Fuzzing the reader and the validator: whatever the bytes, only diagnostics come out.

For arbitrary bytes and for valid files damaged at random (bytes flipped, inserted or
deleted, the file truncated, lines duplicated, removed or swapped), ``ledes.validate_file``
and ``ledes.iter_invoices`` never raise; every diagnostic names a registered rule and a
physical line of the file (and a field of LEDES 1998B or 1998BI); and what is read without
loss is written in the format it was read as and read back the same.
"""

from __future__ import annotations

import gc
import io
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from formats_support import (
    CORPUS,
    FIELD_NAMES_ALL,
    FIXTURES,
    FIXTURES_1998BI,
    GOOD,
    HEADER,
    HEADER_1998BI,
    fee_row,
    fee_row_1998bi,
    ledes1998bi_file,
    ledes_file,
    read_bytes,
    read_text,
    read_text_as,
)
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ledes
from ledes.formats import FORMATS
from ledes.model import Unparsed
from ledes.money import MAX_DIGITS
from ledes.rules import LOSSY_RULES, RULES_BY_NAME

FORMAT_KEYS = {file_format.name: file_format.key for file_format in FORMATS}  # LEDES98BI -> 1998bi

FUZZ = settings(max_examples=max(200, 2 * settings().max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

BOM = b"\xef\xbb\xbf"


def physical_lines(data: bytes) -> int:
    """How many lines a file has: LF, CRLF and CR each end one; a last line needs no line end.

    A file that starts with a UTF-16 byte-order mark is UTF-16 text; any other is counted
    byte-wise, which is right for UTF-8 and Windows-1252 (CR and LF are never part of a
    longer character in either).
    """
    if data.startswith(BOM):
        data = data[len(BOM):]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", "replace")
    else:
        text = data.decode("latin-1")
    return len(io.StringIO(text, newline=None).readlines())


def check_diagnostics(diagnostics, data: bytes) -> None:
    lines = physical_lines(data)
    for d in diagnostics:
        assert d.rule in RULES_BY_NAME, d
        assert d.severity in (ledes.Severity.ERROR, ledes.Severity.WARNING, ledes.Severity.INFO)
        assert d.message and isinstance(d.message, str)
        assert d.line is not None, d
        # A missing line is reported where it should be: line 1 of an empty file (which a
        # note on the whole file, its encoding, also points at), the line after the
        # format line when the header is missing, or the line after the header when no
        # record follows it.
        missing_line = lines == 0 or (d.rule in ("structure.header", "structure.no-invoice") and d.line == lines + 1)
        assert 1 <= d.line <= lines or (missing_line and d.line == lines + 1), (d, lines)
        if d.field is not None:
            # a field's name; or XML of another kind, reported at its root element (an XPath)
            assert d.field in FIELD_NAMES_ALL or (d.rule == "structure.format-line" and d.field.startswith("/")), d


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "input.txt"


def validate_bytes(path, data: bytes):
    path.write_bytes(data)
    report = ledes.validate_file(path)
    assert gc.isenabled()  # a reader that pauses the garbage collector gives it back
    check_diagnostics(report.diagnostics, data)
    if report.format is None:  # no LEDES file at all: one finding, and nothing read
        assert [d.rule for d in report.diagnostics] == ["structure.format-line"]
        found = []
        assert list(ledes.iter_invoices(path, diagnostics=found)) == []
        assert [(d.rule, d.line, d.message) for d in found] == [(d.rule, d.line, d.message) for d in report.diagnostics]
        return report, [], []
    if report.format not in FORMAT_KEYS:  # XML: validated, but not read into invoices
        assert all(d.rule.startswith(("xml.", "structure.format-line")) for d in report.diagnostics)
        with pytest.raises(ledes.LedesInputError):
            list(ledes.iter_invoices(path))
        return report, [], []
    found = []
    invoices = list(ledes.iter_invoices(path, diagnostics=found))
    check_diagnostics(found, data)
    assert report.invoices == len(invoices)
    assert report.line_items == sum(len(m.line_items) for i in invoices for m in i.matters)
    # The reader's findings are the same whichever way the file is read.
    reader_rules = {r for r in RULES_BY_NAME if RULES_BY_NAME[r].check is None}
    assert sorted((d.rule, d.line, d.field) for d in report.diagnostics if d.rule in reader_rules) == sorted(
        (d.rule, d.line, d.field) for d in found
    )
    return report, invoices, found


def check_rewrite(invoices, found, file_format: str = "LEDES1998B") -> None:
    """What was read without loss is written in its format, and reads back as the same invoices."""
    if file_format not in FORMAT_KEYS or any(d.rule in LOSSY_RULES for d in found):
        return
    key = FORMAT_KEYS[file_format]
    try:
        text = ledes.dumps(invoices, format=key)
    except ledes.LedesWriteError as error:
        # Only a line break inside a value (a record that spanned lines) or a '[]' (reported on reading) cannot be
        # written.
        assert "line break" in str(error) or (
            "the record terminator" in str(error) and any(d.rule == "structure.embedded-terminator" for d in found))
        return
    again, diagnostics = read_text_as(key, text)
    assert again == invoices
    assert ledes.dumps(again, format=key) == text
    assert not {d.rule for d in diagnostics} & LOSSY_RULES


# ------------------------------------------------------------------------------ arbitrary bytes


@FUZZ
@given(st.binary(max_size=3000))
@example(b"")
@example(BOM)
@example(b"\r")
@example(b"\n\n\n")
@example(b"LEDES1998B[]")
@example(b"LEDES1998B[]\r\n")
@example(b"\x00")
@example(b"\xff\xfe\x00")
@example(b"\xff\xfe")
@example(b"\xfe\xff\x00")
@example(b"\xff\xfe\n\x00\r\x00\n")
@example(b"\xff\xfe" + "LEDES1998B[]\r\n".encode("utf-16-le") + HEADER.encode("utf-16-le"))
@example(b"[]")
@example(b"|" * 23 + b"[]")
@example(b"LEDES1998B[]\n" + b"|" * 23 + b"[]\n" + b"|" * 23)
@example(b"LEDES98BI V2[]")
@example(b"LEDES98BI V2[]\n" + b"|" * 51 + b"[]\n" + b"|" * 51 + b"[]")
@example(b"\xff\xfe" + "LEDES98BI V2[]\r\n".encode("utf-16-le") + HEADER_1998BI.encode("utf-16-le"))
@example(b"XLEDES98BI V2[]\n" + HEADER_1998BI.encode() + b"\n")  # a damaged first line: the header decides
def test_arbitrary_bytes_give_only_diagnostics(scratch, data):
    report, invoices, found = validate_bytes(scratch, data)
    check_rewrite(invoices, found, report.format)


# Bytes that matter to a LEDES reader, for insertions.
TOKENS = [b"|", b"||", b"[]", b"[", b"]", b"\n", b"\r", b"\r\n", b" ", b"\t", b"\x00", b"\xff", b"\x92", b"\xe2\x80",
          BOM, b"-", b".", b"0", b"9", b"IF", b"LEDES1998B[]\n", HEADER.encode() + b"\n", b"\xef\xbf\xbd",
          b"LEDES98BI V2[]\n", HEADER_1998BI.encode() + b"\n", b"~", b"GBP", b"0.2"]


@st.composite
def mutated(draw, source: st.SearchStrategy[bytes]) -> bytes:
    """A file with a few random edits."""
    data = bytearray(draw(source))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "token", "delete", "truncate", "dup-line", "drop-line", "swap-lines", "crlf"]))
        at = draw(st.integers(0, len(data)))
        if kind == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "token":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "truncate":
            del data[at:]
        elif kind in ("dup-line", "drop-line", "swap-lines"):
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if kind == "dup-line":
                lines.insert(i, lines[i])
            elif kind == "drop-line" and len(lines) > 1:
                del lines[i]
            else:
                lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        elif kind == "crlf":
            data = bytearray(bytes(data).replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r"]))))
    return bytes(data)


# Rows varied cheaply (generating whole models takes far longer than reading them; the
# model strategies are exercised by test_ledes1998b_roundtrip.py).
_rows = st.builds(
    lambda invoice, line, kind, matter, units, total, description: fee_row(invoice, line, {
        "EXP/FEE/INV_ADJ_TYPE": kind, "LAW_FIRM_MATTER_ID": matter, "LINE_ITEM_NUMBER_OF_UNITS": units,
        "LINE_ITEM_TOTAL": total, "LINE_ITEM_DESCRIPTION": description,
    }),
    st.sampled_from(["1", "2", "00711", ""]),
    st.sampled_from(["1", "2", "3"]),
    st.sampled_from(["F", "E", "IF", "IE"]),
    st.sampled_from(["0528", "1326", ""]),
    st.sampled_from(["2", "0.200", "1250.", "-70", ""]),
    st.sampled_from(["700", "630", "0"]),
    st.sampled_from(["Research", "Attorney’s fees", "", " padded ", "a[]b"]),
)
# LEDES 1998BI rows varied the same way, with the fields 1998BI adds.
_rows_1998bi = st.builds(
    lambda invoice, line, kind, matter, total, rate, tax, currency, law_firm, account: fee_row_1998bi(invoice, line, {
        "EXP/FEE/INV_ADJ_TYPE": kind, "LAW_FIRM_MATTER_ID": matter, "LINE_ITEM_TOTAL": total,
        "LINE_ITEM_TAX_RATE": rate, "LINE_ITEM_TAX_TOTAL": tax, "INVOICE_CURRENCY": currency,
        "LAW_FIRM_ID": law_firm, "ACCOUNT_TYPE": account,
    }),
    st.sampled_from(["1", "2", "96542", ""]),
    st.sampled_from(["1", "2", "3"]),
    st.sampled_from(["F", "E", "IF", "IE"]),
    st.sampled_from(["528", "1326", ""]),
    st.sampled_from(["840", "756", "0"]),
    st.sampled_from(["0.2", "0", "", "20", "0.061245"]),
    st.sampled_from(["140", "126", "0", ""]),
    st.sampled_from(["GBP", "EUR", "", "ABC"]),
    st.sampled_from(["24-6437381", "24-6437381~GB123456789", "a~b~c~d", ""]),
    st.sampled_from(["O", "T", "", "X"]),
)
valid_files = st.one_of(
    st.lists(_rows, min_size=1, max_size=8).map(lambda rows: ledes_file(*sorted(rows)).encode("utf-8")),
    st.lists(_rows_1998bi, min_size=1, max_size=8).map(lambda rows: ledes1998bi_file(*sorted(rows)).encode("utf-8")),
    st.sampled_from(
        sorted(FIXTURES.rglob("*.txt")) + sorted(FIXTURES_1998BI.rglob("*.txt")) + sorted(CORPUS.glob("*.txt"))
    ).map(lambda path: path.read_bytes()),
    st.just(b"\xff\xfe" + GOOD.read_text(encoding="utf-8").encode("utf-16-le")),  # Excel's "Unicode text"
    st.just(GOOD.read_text(encoding="utf-8").encode("cp1252")),
)


@FUZZ
@given(valid_files)
def test_valid_files_read_cleanly_or_report_only_content(scratch, data):
    report, invoices, found = validate_bytes(scratch, data)
    check_rewrite(invoices, found, report.format)


@FUZZ
@given(mutated(valid_files))
def test_damaged_valid_files_give_only_diagnostics(scratch, data):
    report, invoices, found = validate_bytes(scratch, data)
    check_rewrite(invoices, found, report.format)


@FUZZ
@given(mutated(st.just(GOOD.read_bytes())))
@example(b"LEDES1998B[]\nINVOICE_DATE|\nINVOICE_DATE|")  # found by fuzzing: see test_a_one_column_header_...
def test_damaged_sample_gives_only_diagnostics(scratch, data):
    report, invoices, found = validate_bytes(scratch, data)
    check_rewrite(invoices, found, report.format)


@FUZZ
@given(st.lists(st.sampled_from([
    "LEDES1998B[]", HEADER, fee_row("1", "1"), fee_row("1", "2", {"LINE_ITEM_DESCRIPTION": "a\nb"}), fee_row("2", "1"),
    fee_row("1", "3")[:-2], fee_row("1", "4")[:80], "", "   ", "[]", "|" * 23, "|" * 30 + "[]", fee_row("3", "1", {"INVOICE_TOTAL": "1"}),
    HEADER.lower(), "LEDES98BI V2[]", "<?xml version='1.0'?>", "\ufeffLEDES1998B[]",
    HEADER_1998BI, fee_row_1998bi("1", "1"), fee_row_1998bi("1", "2", {"LINE_ITEM_TAX_RATE": "20"}), "LEDES98BI V5[]",
    HEADER_1998BI.upper(), fee_row_1998bi("2", "1")[:-2] + "|[]",
]), max_size=12), st.sampled_from(["\n", "\r\n", "\r"]))
# libxml2 put an error at the end of a document ending in a line break on the line after the last
@example(["<?xml version='1.0'?>", ""], "\n")
@example(["<?xml version='1.0'?>", ""], "\r\n")
@example(["<?xml version='1.0'?>", ""], "\r")
def test_shuffled_lines_give_only_diagnostics(scratch, lines, newline):
    data = newline.join(lines).encode("utf-8")
    report, invoices, found = validate_bytes(scratch, data)
    check_rewrite(invoices, found, report.format)


def test_a_damaged_record_is_reported_at_its_own_line(scratch):
    text = ledes_file(fee_row("1", "1"), fee_row("1", "2"), fee_row("1", "3"))
    data = text.replace("|F|", "|F||", 1).encode()  # an extra field on line 3
    report, invoices, _ = validate_bytes(scratch, data)
    assert ("structure.field-count", 3) in [(d.rule, d.line) for d in report.diagnostics]
    assert [item.location.line for item in invoices[0].line_items] == [4, 5]


def test_a_one_column_header_and_a_record_with_a_separator_after_it_are_reported(scratch):
    """Found by fuzzing: the record's trailing '|' dropped, its invoice number was looked up past its one field (IndexError)."""
    report, invoices, _ = validate_bytes(scratch, b"LEDES1998B[]\nINVOICE_DATE|\nINVOICE_DATE|")
    assert [(d.rule, d.line) for d in report.diagnostics][:4] == [
        ("structure.header", 2), ("structure.terminator", 3), ("structure.trailing-separator", 3), ("field.date", 3)]
    [separator] = [d for d in report.diagnostics if d.rule == "structure.trailing-separator"]
    assert separator.invoice is None  # the record has no invoice number to name
    assert [(d.rule, d.line) for d in report.diagnostics][4:] == [("field.required", 3)] * 11  # the columns it lacks
    assert len(invoices) == 1


def test_physical_line_count():
    assert [physical_lines(b) for b in (b"", b"a", b"a\n", b"a\r\nb", b"a\rb\r", b"\n\n", BOM, BOM + b"x\r\n")] == [0, 1, 1, 2, 2, 2, 0, 1]
    assert physical_lines(b"\xff\xfe" + "a\r\nb\u0a0d".encode("utf-16-le")) == 2


def test_the_model_from_bytes_and_from_text_agree():
    text = GOOD.read_text(encoding="utf-8")
    assert read_bytes(text.encode())[0] == read_text(text)[0]


ROOT = Path(__file__).resolve().parents[2]
STRICT = None


def strict():
    """The strict preset's levels with Northwind's guidelines (an approved list of timekeepers and rates)."""
    global STRICT
    if STRICT is None:
        from ledes import guidelines

        STRICT = attrs.evolve(guidelines.load(ROOT / "fixtures" / "guidelines" / "northwind-insurance.toml"),
                              levels={**guidelines.preset("strict").levels})
    return STRICT


def with_value(data: bytes, line: int, field: str, value: bytes) -> bytes:
    """A 1998B file with one field of one line (counted from 1) replaced."""
    lines = data.split(b"\n")
    fields = lines[line - 1].split(b"|")
    fields[HEADER.removesuffix("[]").split("|").index(field)] = value
    lines[line - 1] = b"|".join(fields)
    return b"\n".join(lines)


# Found by fuzzing: 33 digits of hours raised decimal.InvalidOperation in time.increment (units % 0.1).
UNITS_33_DIGITS = with_value(GOOD.read_bytes(), 3, "LINE_ITEM_NUMBER_OF_UNITS", b"9" * 33)


@FUZZ
@given(mutated(st.just(GOOD.read_bytes())))
@example(UNITS_33_DIGITS)
@example(b"LEDES1998B[]\nINVOICE_DATE|\nINVOICE_DATE|")
def test_damaged_sample_under_strict_guidelines_gives_only_diagnostics(scratch, data):
    """Every guideline rule (the strict preset, with an approved list) meets damaged values without raising."""
    scratch.write_bytes(data)
    report = ledes.validate([scratch], strict())
    check_diagnostics(report.files[0].diagnostics, data)
    assert all(amount >= 0 for amount in report.files[0].at_risk.values())


def test_33_digit_units_under_strict_guidelines_are_findings(scratch):
    """Each rule on the line with 33 digits of hours reports it; time.increment finds it a whole number of tenths."""
    scratch.write_bytes(UNITS_33_DIGITS)
    report = ledes.validate([scratch], strict())
    assert [(d.rule, d.line, d.field) for d in report.files[0].diagnostics] == [
        ("field.number", 3, "LINE_ITEM_NUMBER_OF_UNITS"),  # more than 10 digits before the point
        ("arithmetic.line-total", 3, "LINE_ITEM_TOTAL"),
        ("time.long-entry", 3, "LINE_ITEM_NUMBER_OF_UNITS"),
        ("time.research", 3, "LINE_ITEM_NUMBER_OF_UNITS"),  # research (A102) over Northwind's 8 h on the matter
        ("time.daily-hours", 3, "LINE_ITEM_NUMBER_OF_UNITS"),
        ("time.research", 4, "LINE_ITEM_NUMBER_OF_UNITS"),  # and the research line after it
        ("time.daily-hours", 4, "LINE_ITEM_NUMBER_OF_UNITS"),  # past the day's limit too
        ("narrative.vague", 5, "LINE_ITEM_DESCRIPTION"),  # the sample's own finding
    ]


def test_wide_units_off_the_increment_are_reported_with_the_exact_remainder(scratch):
    # No adjustment on the line: the money at stake is the whole remainder, not less what a discount takes off.
    data = with_value(GOOD.read_bytes(), 3, "LINE_ITEM_NUMBER_OF_UNITS", b"9" * 33 + b".25")
    scratch.write_bytes(with_value(data, 3, "LINE_ITEM_ADJUSTMENT_AMOUNT", b"0"))
    report = ledes.validate([scratch], strict())
    [increment] = [d for d in report.files[0].diagnostics if d.rule == "time.increment"]
    assert increment.line == 3 and increment.amount == Decimal("17.50")  # 0.05 h × 350


NUMBERS_1998B = ["INVOICE_TOTAL", "LINE_ITEM_NUMBER_OF_UNITS", "LINE_ITEM_ADJUSTMENT_AMOUNT", "LINE_ITEM_TOTAL",
                 "LINE_ITEM_UNIT_COST"]


@pytest.mark.parametrize("digits", [33, MAX_DIGITS, MAX_DIGITS + 1, 1_000_001])
@pytest.mark.parametrize("field", NUMBERS_1998B)
def test_a_huge_number_in_1998b_under_strict_guidelines_is_a_finding(scratch, field, digits):
    """Up to MAX_DIGITS digits a number is read as one; wider (a million digits overflowed the context) it is text.

    Either way it is reported at its line and field, and every rule meets it without raising.
    """
    text = "9" * digits
    data = with_value(GOOD.read_bytes(), 3, field, text.encode())
    scratch.write_bytes(data)
    report = ledes.validate([scratch], strict())
    check_diagnostics(report.files[0].diagnostics, data)
    numbers = [d for d in report.files[0].diagnostics if d.rule == "field.number"]
    assert [(d.line, d.field) for d in numbers] == [(3, field)]
    if digits > MAX_DIGITS:
        assert f"has {digits} digits" in numbers[0].message
    invoices, _ = read_bytes(data)
    item = next(iter(invoices[0].line_items))
    value = {"LINE_ITEM_NUMBER_OF_UNITS": item.units, "LINE_ITEM_ADJUSTMENT_AMOUNT": item.adjustment,
             "LINE_ITEM_TOTAL": item.total, "LINE_ITEM_UNIT_COST": item.unit_cost, "INVOICE_TOTAL": invoices[0].total}[field]
    assert value == (Decimal(text) if digits <= MAX_DIGITS else Unparsed(text))
    assert type(value) is (Decimal if digits <= MAX_DIGITS else Unparsed)
