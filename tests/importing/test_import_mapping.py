"""A mistake in the mapping is one line naming the file, the key and what was expected, with exit status 2."""

from __future__ import annotations

import pytest
from conftest import CSV_EXPORT, CSV_MAPPING, run_import

GOOD = CSV_MAPPING.read_text(encoding="utf-8")


@pytest.mark.parametrize(("change", "message"), [
    (("per = \"month\"", "per = \"week\""), "invoice.per: expected one of month, quarter, matter, found 'week'"),
    (("first = 1041", "first = \"1041\""), "invoice.first: expected a whole number (the first counter) from 0 to 999,999,999,999,999, found '1041'"),
    (("first = 1041", "first = 1000000000000000"), "invoice.first: expected a whole number (the first counter) from 0 to"),
    (("number = \"HF-{year}{month:02d}-{counter:04d}\"", "number = \"HF-{counter:{counter}}\""),
     "invoice.number: {counter:{counter}}: a format spec cannot hold a replacement field"),
    (("number = \"HF-{year}{month:02d}-{counter:04d}\"", "number = \"HF-{counter:c}\""),
     "invoice.number: {counter:c}: the c type writes a number as the character of that code"),
    (("fee = [\"Time\"]", "fee = []"), "types.fee: expected a list of the type column's values, found an empty list"),
    (("number = \"HF-{year}{month:02d}-{counter:04d}\"", "number = \"HF-{yr}-{counter}\""),
     "invoice.number: unknown field {yr} (expected one of year, month, quarter, counter, client, matter)"),
    (("number = \"HF-{year}{month:02d}-{counter:04d}\"", "number = \"HF-{year}\""),
     "invoice.number: expected a pattern with {counter}"),
    (("hours = \"Hours\"", "hours = \"Hrs\""), "columns.hours: expected a column of"),
    (("hours = \"Hours\"", "hour = \"Hours\""), "columns.hour: unknown key; did you mean 'hours'?"),
    (("rounding = \"up\"", "rounding = \"ceiling\""), "hours.rounding: expected one of up, down, nearest, found 'ceiling'"),
    (("decimal = \".\"", "decimal = \"·\""), "source.decimal: expected \".\" or \",\""),
    (("date_formats = [\"%m/%d/%Y\"]", "date_formats = [\"%m/%d\"]"), "source.date_formats: expected a list of strftime"),
    (("law_firm_id = \"36-4815162\"", ""), "defaults.law_firm_id: expected the law firm's id"),
    (("currency = \"USD\"", "currency = \"dollars\""), "defaults.currency: expected an ISO 4217 code"),
    (("rate = 450.00", "rate = \"a lot\""), "timekeepers.\"0042\".rate: expected a number, found 'a lot'"),
    (("[invoice]", "[invoices]"), "invoices: unknown key; did you mean 'invoice'?"),
    (("fee = [\"Time\"]", "fee = [\"Expense\"]"), "types: EXPENSE cannot mean both a fee and an expense"),
    (("[columns]", "[columns"), "not valid TOML"),
])
def test_mapping_mistakes_exit_2_with_one_line(tmp_path, change, message):
    """Each mistake names the mapping file and the key; no traceback, nothing written."""
    mapping = tmp_path / "mapping.toml"
    old, new = change
    assert old in GOOD
    mapping.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run_import(CSV_EXPORT, "--mapping", mapping, "-o", out, "--to", "1998b")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ledes: error: {mapping}: "), result.stderr
    assert message in lines[0]
    assert not out.exists()


@pytest.mark.parametrize(("removed", "to", "message"), [
    ("law_firm_name = \"Harbor & Finch LLP\"", "xml2.2",
     "defaults.law_firm_name: LEDES XML 2.2 needs the law firm's name (lf_name), found nothing"),
    ("currency = \"USD\"", "1998bi", "defaults.currency: LEDES 1998BI needs the invoices' currency"),
])
def test_what_a_target_format_requires_must_be_in_the_mapping(tmp_path, removed, to, message):
    """XML needs the law firm's name and 1998BI a currency: from the mapping's defaults, or exit 2."""
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(GOOD.replace(removed, ""), encoding="utf-8")
    result = run_import(CSV_EXPORT, "--mapping", mapping, "-o", tmp_path / "out", "--to", to)
    assert result.exit_code == 2
    assert message in result.stderr


def test_missing_mapping_and_missing_source_exit_2(tmp_path):
    """Files that cannot be read are usage errors too."""
    result = run_import(CSV_EXPORT, "--mapping", tmp_path / "none.toml", "-o", tmp_path / "out", "--to", "1998b")
    assert result.exit_code == 2 and "cannot read mapping" in result.stderr
    result = run_import(tmp_path / "none.csv", "--mapping", CSV_MAPPING, "-o", tmp_path / "out", "--to", "1998b")
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_the_source_is_never_overwritten(tmp_path):
    """-o naming the source is refused before anything is read."""
    source = tmp_path / "export.csv"
    source.write_bytes(CSV_EXPORT.read_bytes())
    result = run_import(source, "--mapping", CSV_MAPPING, "-o", source, "--to", "1998b")
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert source.read_bytes() == CSV_EXPORT.read_bytes()


def test_output_or_dry_run_is_required(tmp_path):
    """Without -o and without --dry-run there is nothing to do: a usage error."""
    result = run_import(CSV_EXPORT, "--mapping", CSV_MAPPING, "--to", "1998b")
    assert result.exit_code == 2 and "-o OUT" in result.stderr


def test_a_mapping_with_a_byte_order_mark_is_read(tmp_path):
    """Windows editors write a UTF-8 BOM: it is not part of the TOML."""
    mapping = tmp_path / "mapping.toml"
    mapping.write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    result = run_import(CSV_EXPORT, "--mapping", mapping, "-o", tmp_path / "out.txt", "--to", "1998b")
    assert result.exit_code == 0, result.stderr


def test_a_mapped_column_the_export_has_twice_is_refused(tmp_path):
    """Which of two 'Hours' columns holds the hours cannot be told: exit 2, naming both, nothing written."""
    lines = CSV_EXPORT.read_text(encoding="utf-8").splitlines()
    export = tmp_path / "export.csv"
    export.write_text("\n".join([lines[0] + ",Hours", *(line + ",9.9" for line in lines[1:])]) + "\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    result = run_import(export, "--mapping", CSV_MAPPING, "-o", out, "--to", "1998b")
    assert result.exit_code == 2
    header = lines[0].split(",")
    assert f"has two columns named 'Hours' (columns {header.index('Hours') + 1} and {len(header) + 1})" in result.stderr
    assert len(result.stderr.splitlines()) == 1 and not out.exists()
