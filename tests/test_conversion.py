"""Converting between LEDES 1998B and 1998BI: nothing lost silently, required values derived or asked for."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from strategies import invoice_lists

import ledes
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[1]
MULTI_MATTER = ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"
SAMPLE_1998BI = ROOT / "fixtures" / "1998bi" / "invalid" / "travisbashor_tests-data_ledes_98BI.txt"  # the LOC 98BI sample


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(invoices=invoice_lists())
def test_1998b_to_1998bi_and_back_reproduces_the_model(tmp_path_factory, invoices):
    """1998B -> 1998BI -> 1998B gives the original model; only the currency it was given is listed as lost."""
    folder = tmp_path_factory.mktemp("round")
    source, middle, back = folder / "a.txt", folder / "b.txt", folder / "c.txt"
    ledes.write(invoices, source, format="1998b")
    ledes.convert(source, middle, to="1998bi", currency="EUR")
    result = ledes.convert(middle, back, to="1998b", allow_loss=True)
    assert {d.field for d in result.losses} <= {"INVOICE_CURRENCY"}
    assert list(ledes.iter_invoices(back)) == list(ledes.iter_invoices(source))


def test_1998bi_needs_a_currency_and_derives_the_rest(tmp_path: Path):
    """Without --currency the conversion stops naming the field; with it, a valid 1998BI file comes out."""
    target = tmp_path / "out.txt"
    missing = run("convert", MULTI_MATTER, "-o", target, "--to", "1998bi")
    assert missing.exit_code == 2
    assert "INVOICE_CURRENCY" in missing.output and "--currency" in missing.output
    assert not target.exists()
    made = run("convert", MULTI_MATTER, "-o", target, "--to", "1998bi", "--currency", "USD")
    assert made.exit_code == 0, made.output
    report = ledes.validate_file(target)
    assert (report.format, report.errors, report.warnings) == ("LEDES98BI", 0, 0)
    first = next(ledes.iter_invoices(target))
    assert (first.currency, first.tax_total, first.net_total) == ("USD", 0, first.total)
    keeper = next(first.line_items).timekeeper
    assert (keeper.last_name, keeper.first_name) == ("Arnsley", "Robert")


def test_back_to_1998b_lists_what_1998b_cannot_hold(tmp_path: Path):
    """1998BI -> 1998B writes the file and warns of each field 1998B has none for, per invoice; --strict refuses."""
    middle, back = tmp_path / "bi.txt", tmp_path / "b.txt"
    assert run("convert", MULTI_MATTER, "-o", middle, "--to", "1998bi", "--currency", "USD").exit_code == 0
    refused = run("convert", middle, "-o", back, "--to", "1998b", "--strict")
    assert refused.exit_code == 1
    # one line per invoice, for the currency only: the zero taxes, the net totals (equal to the
    # totals) and the timekeepers' last and first names (split from TIMEKEEPER_NAME) lose nothing
    assert refused.output.count("error convert.unsupported-field") == 3
    assert "INVOICE_CURRENCY" in refused.output and not back.exists()
    written = run("convert", middle, "-o", back, "--to", "1998b")
    assert written.exit_code == 0, written.output
    assert written.output.count("warning convert.unsupported-field") == 3
    assert back.read_bytes() == MULTI_MATTER.read_bytes()


def test_taxes_and_addresses_into_1998b_are_listed(tmp_path: Path):
    """The official 1998BI sample holds taxes, names and addresses that 1998B has no field for: warnings, but its line
    taxes are not zero and its line totals include them, so dropped they leave lines that no longer add up: errors,
    refused unless the loss is allowed."""
    sample, target = SAMPLE_1998BI, tmp_path / "out.txt"
    try:
        ledes.convert(sample, target, to="1998b")
    except ledes.LedesDataLossError as error:
        lost = {d.field for d in error.losses}
        errors = {(d.rule, d.field) for d in error.losses if d.severity is ledes.Severity.ERROR}
    else:
        raise AssertionError("the conversion should have been refused")
    assert errors == {("convert.changed-value", "LINE_ITEM_TAX_TOTAL")}
    assert {"INVOICE_CURRENCY", "INVOICE_TAX_TOTAL", "LINE_ITEM_TAX_TOTAL", "CLIENT_NAME", "LAW_FIRM_ADDRESS_1"} <= lost
    assert "INVOICE_NET_TOTAL" in lost  # 1781.16 is not total less tax: it cannot be derived back
    assert not target.exists()
    written = ledes.convert(sample, target, to="1998b", allow_loss=True)
    assert {d.field for d in written.losses} == lost
    assert any("'87.63', '92.6' and '5.29' (3 places)" in d.message for d in written.losses)  # each value, not the first
    assert target.exists()
