"""What ``ledes convert`` lists, refuses and writes: two classes of loss, and the written file validated.

A value the target has no field for at all is a ``convert.unsupported-field`` warning and
the file is written (``--strict`` refuses); a value the target holds but would give back
changed or empty is a ``convert.changed-value`` error, refused unless ``--allow-loss``; the
written file is validated, its findings reported against its own path.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import ledes
from ledes.formats import format_named
from ledes.formats.losses import reread_losses
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[1]
XML_21 = ROOT / "fixtures" / "xml" / "ledes21_sample.xml"
LOC_1998B = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
VAT_1998BI = ROOT / "fixtures" / "1998bi" / "valid" / "multi_matter_vat.txt"
FIRM = "Law Offices of John Smith"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def the_loc_first_invoice_with_zero_adjustments(folder: Path) -> Path:
    """Invoice 96542 of the LOC 1998B sample, its zero adjustments written ``0.00`` (the first line's is -70)."""
    lines = LOC_1998B.read_text(encoding="utf-8").splitlines(keepends=True)[:7]
    text = "".join(lines).replace("|2.00|0|700|", "|2.00|0.00|700|").replace("|0.200|0|40|", "|0.200|0.00|40|")
    text = text.replace("|1|0|24.95|", "|1|0.00|24.95|").replace("|1|0|289.5|", "|1|0.00|289.5|")
    path = folder / "zero.txt"
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------- (a) no field: a warning, written; --strict refuses
def test_xml21_to_1998b_is_written_with_warnings_only(tmp_path: Path):
    """Names, addresses and the discount code have no 1998B field: each a warning on stderr, the file written, exit 0."""
    target = tmp_path / "out.txt"
    result = run("convert", XML_21, "-o", target, "--to", "1998b")
    assert result.exit_code == 0, result.output
    listed = [line for line in result.output.splitlines() if line.startswith("lost: ")]
    assert listed and all("warning convert.unsupported-field" in line for line in listed)
    assert any("cl_name" in line for line in listed) and any("lf_address/address_1" in line for line in listed)
    assert "wrote " in result.output and "1 invoice, 9 line items" in result.output
    assert ledes.validate_file(target).errors == 0


def test_xml21_to_1998b_with_strict_is_refused_and_nothing_is_written(tmp_path: Path):
    """--strict refuses what --allow-loss would not be needed for: exit 1, every loss an error, no file."""
    target = tmp_path / "out.txt"
    result = run("convert", XML_21, "-o", target, "--to", "1998b", "--strict")
    assert result.exit_code == 1
    assert "not written" in result.output and "error convert.unsupported-field" in result.output
    assert "warning convert.unsupported-field" not in result.output
    assert "--strict" in result.output
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_strict_in_the_library_and_allow_loss_over_it(tmp_path: Path):
    """ledes.convert(strict=True) raises with the losses as errors; allow_loss writes anyway, as on the command line."""
    target = tmp_path / "out.txt"
    try:
        ledes.convert(XML_21, target, to="1998b", strict=True)
    except ledes.LedesDataLossError as error:
        assert error.losses and {d.severity for d in error.losses} == {ledes.Severity.ERROR}
    else:
        raise AssertionError("strict should refuse")
    assert not target.exists()
    written = ledes.convert(XML_21, target, to="1998b", strict=True, allow_loss=True)
    assert written.losses and target.exists()
    plain = ledes.convert(XML_21, tmp_path / "plain.txt", to="1998b")
    assert {d.severity for d in plain.losses} == {ledes.Severity.WARNING}
    assert plain.output_diagnostics == () and plain.output_errors == 0


# ----------------------------------------------------------------- (b) a value that would change: refused
def test_a_value_that_would_change_is_refused_without_allow_loss(tmp_path: Path):
    """XML holds a timekeeper as last and first name: 'Arnsley,Robert' would come back 'Arnsley, Robert'."""
    source, target = tmp_path / "in.txt", tmp_path / "out.xml"
    source.write_text(LOC_1998B.read_text(encoding="utf-8").replace("Arnsley, Robert", "Arnsley,Robert"),
                      encoding="utf-8")
    refused = run("convert", source, "-o", target, "--to", "xml2.1", "--law-firm-name", FIRM)
    assert refused.exit_code == 1
    (changed,) = [line for line in refused.output.splitlines() if "convert.changed-value" in line]
    assert "error" in changed and "TIMEKEEPER_NAME 'Arnsley,Robert'" in changed and "'Arnsley, Robert'" in changed
    assert "use --allow-loss" in refused.output and not target.exists()
    allowed = run("convert", source, "-o", target, "--to", "xml2.1", "--law-firm-name", FIRM, "--allow-loss")
    assert allowed.exit_code == 0, allowed.output
    assert "lost: " in allowed.output and "convert.changed-value" in allowed.output
    assert target.exists() and ledes.validate_file(target).errors == 0


def test_another_name_for_one_timekeeper_id_is_a_changed_value_not_a_missing_field(tmp_path: Path):
    """22547 is 'Arnsley, Robert' on one line and 'Smith, Jo' on the next: XML holds one name per timekeeper id, so the
    second comes back as the first's, another person's name: refused without --allow-loss, not a mere warning."""
    lines = LOC_1998B.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = lines[3].replace("Arnsley, Robert", "Smith, Jo")
    source, target = tmp_path / "in.txt", tmp_path / "out.xml"
    source.write_text("".join(lines), encoding="utf-8")
    refused = run("convert", source, "-o", target, "--to", "xml2.2", "--law-firm-name", FIRM)
    assert refused.exit_code == 1 and not target.exists()
    (changed,) = [line for line in refused.output.splitlines() if "TIMEKEEPER_NAME" in line]
    assert "error convert.changed-value" in changed and "'Smith, Jo'" in changed and "'Arnsley, Robert'" in changed


def test_taxes_into_2000_change_the_line_totals_and_are_refused(tmp_path: Path):
    """2000 writes a line's tax into its matter's totals and reads the line back without it: its total changes."""
    target = tmp_path / "out.xml"
    try:
        ledes.convert(VAT_1998BI, target, to="xml2000")
    except ledes.LedesDataLossError as error:
        changed = {d.field for d in error.losses if d.rule == "convert.changed-value"}
        unheld = {d.field for d in error.losses if d.rule == "convert.unsupported-field"}
    else:
        raise AssertionError("the conversion should have been refused")
    assert changed == {"LINE_ITEM_TOTAL", "LINE_ITEM_TAX_TOTAL"}
    assert {"LINE_ITEM_TAX_RATE", "LINE_ITEM_TAX_TYPE", "INVOICE_TAX_TOTAL"} <= unheld
    assert not target.exists()


# ----------------------------------------------------------------- a value comes back as it was written
def test_1998b_to_2000_and_back_with_zero_adjustments(tmp_path: Path):
    """1998B -> LEDES 2000 -> 1998B: a 0.00 adjustment would come back as an empty field, so it is listed, as a warning.

    LEDES 2000 has no adjustment element: a fee's is total_amount less base_amount, and its
    writer writes a zero adjustment and none alike (base_amount = total_amount), so 2000 has
    no field for a zero: convert.unsupported-field, the file is written (strict refuses).
    Both files validate; every amount is unchanged.
    """
    source = the_loc_first_invoice_with_zero_adjustments(tmp_path)
    middle, back = tmp_path / "middle.xml", tmp_path / "back.txt"
    there = ledes.convert(source, middle, to="xml2000", law_firm_name=FIRM)
    assert [(d.rule, d.severity, d.field) for d in there.losses] == [
        ("convert.unsupported-field", ledes.Severity.WARNING, "LINE_ITEM_ADJUSTMENT_AMOUNT")]
    assert "'0.00': it would be dropped (and in 3 more places)" in there.losses[0].message
    assert there.output_diagnostics == ()
    with pytest.raises(ledes.LedesDataLossError):
        ledes.convert(source, tmp_path / "strict.xml", to="xml2000", law_firm_name=FIRM, strict=True)
    returned = ledes.convert(middle, back, to="1998b")
    assert [(d.rule, d.severity, d.field) for d in returned.losses] == [
        ("convert.unsupported-field", ledes.Severity.WARNING, "lf_name")]
    assert returned.output_diagnostics == ()
    (before,), (after,) = ledes.iter_invoices(source), ledes.iter_invoices(back)
    assert [item.adjustment for item in before.line_items] == [Decimal("-70"), *[Decimal("0.00")] * 4]
    assert [item.adjustment for item in after.line_items] == [Decimal("-70.00"), None, None, None, None]
    assert [item.total for item in after.line_items] == [item.total for item in before.line_items]
    assert after.total == before.total
    rows = back.read_text(encoding="utf-8").splitlines()[2:]
    assert [row.split("|")[11] for row in rows] == ["-70.00", "", "", "", ""]


def test_1998b_to_xml_and_back_keeps_a_zero_adjustment(tmp_path: Path):
    """LEDES XML has an adjustment element (item_disc_cred_amount): 0.00 is written and comes back 0.00."""
    source = the_loc_first_invoice_with_zero_adjustments(tmp_path)
    middle, back = tmp_path / "middle.xml", tmp_path / "back.txt"
    assert ledes.convert(source, middle, to="xml2.1", law_firm_name=FIRM).losses == ()
    ledes.convert(middle, back, to="1998b")
    (after,) = ledes.iter_invoices(back)
    assert [item.adjustment for item in after.line_items][1:] == [Decimal("0.00")] * 4


def test_a_zero_written_and_read_back_empty_is_a_change_where_the_target_writes_it():
    """A 0.00 a target writes and reads back empty has changed (convert.changed-value); one a target writes as no
    adjustment it has no field for (convert.unsupported-field, a warning): listed either way."""
    pipe = format_named("1998b")
    invoice = next(iter(ledes.iter_invoices(LOC_1998B.parent / "multi_matter.txt")))
    assert any(item.adjustment == Decimal("0.00") for item in invoice.line_items)

    def read_dropping_zero_adjustments(stream, emit, path):
        for read in pipe.read(io.TextIOWrapper(stream, encoding="utf-8", newline=""), emit, path):
            yield attrs.evolve(read, matters=tuple(
                attrs.evolve(matter, line_items=tuple(
                    attrs.evolve(item, adjustment=None) if item.adjustment == 0 else item for item in matter.line_items))
                for matter in read.matters))

    def write_without_adjustments(invoices, out):
        pipe.write([attrs.evolve(i, matters=tuple(attrs.evolve(m, line_items=tuple(
            attrs.evolve(item, adjustment=None) if item.adjustment == 0 else item for item in m.line_items))
            for m in i.matters)) for i in invoices], out)

    names = pipe.field_names
    written = reread_losses(invoice, pipe.write, read_dropping_zero_adjustments, names, "a target", "in.txt")
    assert [(d.rule, d.severity, d.field) for d in written] == [
        ("convert.changed-value", ledes.Severity.ERROR, "LINE_ITEM_ADJUSTMENT_AMOUNT")]
    assert "'0.00'" in written[0].message and "dropped" in written[0].message
    alike = reread_losses(invoice, write_without_adjustments, read_dropping_zero_adjustments, names, "a target", "in.txt")
    assert [(d.rule, d.severity, d.field) for d in alike] == [
        ("convert.unsupported-field", ledes.Severity.WARNING, "LINE_ITEM_ADJUSTMENT_AMOUNT")]


# ----------------------------------------------------------------- the written file is validated
def test_an_invalid_value_carried_through_is_reported_on_the_output(tmp_path: Path):
    """A total that is no number in the source is written as it was: the output's finding, its path, exit 1; the file stays."""
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_text(LOC_1998B.read_text(encoding="utf-8").replace("|2.00|0|700|", "|2.00|0|70O|"), encoding="utf-8")
    result = run("convert", source, "-o", target, "--to", "1998bi", "--currency", "USD")
    assert result.exit_code == 1
    (finding,) = [line for line in result.output.splitlines() if "field.number" in line]
    assert finding.startswith(f"{target}:4: error field.number:") and "'70O'" in finding
    assert "is written, but `ledes validate` finds 1 error" in result.output
    assert target.exists()
    converted = ledes.convert(source, tmp_path / "again.txt", to="1998bi", currency="USD")
    assert converted.output_errors == 1
    (diagnostic,) = converted.output_diagnostics
    assert diagnostic.location is not None
    assert (diagnostic.rule, diagnostic.line, diagnostic.location.path) == (
        "field.number", 4, str(tmp_path / "again.txt"))



# ----------------------------------------------------------------- a line's level that is no code is carried as written
@pytest.mark.parametrize("to", ["xml2.2", "xml2.1", "1998b", "1998bi"])
def test_a_line_level_that_is_no_code_is_written_as_it_is_not_the_summarys(tmp_path: Path, to: str):
    """A fee's tk_level 'Partner ' (the TOTVS SIGAPFS generator writes the category's description) beside a tk_sum
    saying ASSOC is written as it is, and reported on the output: never silently billed at the summary's ASSOC."""
    fees = (ROOT / "fixtures" / "xml" / "ledes22_sample.xml").read_text(encoding="utf-8").split("<fee>")
    fees[3] = fees[3].replace("<tk_level>ASSOC</tk_level>", "<tk_level>Partner </tk_level>", 1)  # 45875's; tksum ASSOC
    source, target = tmp_path / "in.xml", tmp_path / f"out.{to}"
    source.write_text("<fee>".join(fees), encoding="utf-8")
    assert [d.line for d in ledes.validate_file(source).diagnostics if d.rule == "field.classification"] == [143]
    converted = ledes.convert(source, target, to=to, currency="USD", allow_loss=True)
    assert not [d for d in converted.losses if d.field in ("tk_level", "TIMEKEEPER_CLASSIFICATION")]
    (invoice,) = ledes.iter_invoices(target)
    levels = [(item.timekeeper.id, item.timekeeper.classification) for item in invoice.line_items if item.timekeeper]
    assert levels[:3] == [("22547", "PARTNR"), ("22547", "PARTNR"), ("45875", "Partner ")]
    assert [d for d in converted.output_diagnostics if d.rule == "field.classification"]


# ----------------------------------------------------------------- a discount stated as a positive reduction stays so
@pytest.mark.parametrize("to", ["xml2.2", "xml2.1"])
def test_a_discount_stated_as_a_positive_reduction_is_written_so(tmp_path: Path, to: str):
    """matter_disc_credit_fees and matter_disc_cred_total 100.00 beside a disc_cred_amount of -100.00 (the TOTVS
    SIGAPFS sign; the spec leaves it open) are written 100.00 again, not flipped to the lines' -100.00."""
    cases = ROOT / "fixtures" / "rules" / "arithmetic.matter-totals"
    for name, sign in (("pass_ledes22_discount_stated_as_positive_reduction", ""), ("pass_ledes22_sample", "-")):
        target = tmp_path / f"{name}.{to}"
        converted = ledes.convert(cases / f"{name}.txt", target, to=to)
        assert converted.losses == () and converted.output_diagnostics == ()
        text = target.read_text(encoding="utf-8")
        assert f"<matter_disc_credit_fees>{sign}100.00</matter_disc_credit_fees>" in text
        assert f"<matter_disc_cred_total>{sign}100.00</matter_disc_cred_total>" in text
        assert "<disc_cred_amount>-100.00</disc_cred_amount>" in text and "<matter_net_fees>1075.00<" in text


@pytest.mark.parametrize("to", ["xml2.1", "xml2.2", "xml2.0", "xml2000"])
def test_the_currency_given_is_written_to_every_target_that_holds_one(tmp_path: Path, to: str):
    """--currency once reached only 1998BI: converted to XML, a 1998B invoice was written with no inv_currency."""
    target = tmp_path / "out.xml"
    converted = run("convert", LOC_1998B, "-o", target, "--to", to, "--currency", "EUR", "--law-firm-name", FIRM)
    assert converted.exit_code == 0, converted.output
    assert {invoice.currency for invoice in ledes.iter_invoices(target)} == {"EUR"}
    lower = tmp_path / "lower.xml"  # typed in lower case, written as the ISO code
    assert run("convert", LOC_1998B, "-o", lower, "--to", to, "--currency", "eur", "--law-firm-name", FIRM).exit_code == 0
    assert {invoice.currency for invoice in ledes.iter_invoices(lower)} == {"EUR"}


def test_a_currency_given_for_a_target_that_holds_none_is_said_to_have_no_effect(tmp_path: Path):
    converted = run("convert", XML_21, "-o", tmp_path / "out.txt", "--to", "1998b", "--currency", "EUR")
    assert "ledes: note: --currency has no effect: LEDES 1998B holds no currency" in converted.stderr
