"""Converting LEDES 1998B and 1998BI to LEDES XML and back: what comes back exactly, and what convert lists as lost.

The models are drawn in the shape XML holds (tests/strategies.py
``invoice_lists_as_xml_holds``): line numbers from 1 in each invoice, IF/IE lines as matter
discounts, one name per timekeeper and (1998BI) taxes consistent with their rates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
import strategies as S
from hypothesis import HealthCheck, given, settings
from roundtrips import round_trip, with_split_names

import ledes
from ledes.conversion import complete_for_1998bi, complete_for_xml
from ledes.model import Invoice, LineItemType

ROOT = Path(__file__).resolve().parents[1]
LOC_SAMPLE = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"
FIRM = "Law Offices of John Smith"

MODELS = settings(max_examples=max(16, settings().max_examples // 6))
FILES = settings(max_examples=max(8, settings().max_examples // 12), suppress_health_check=[HealthCheck.function_scoped_fixture])


def with_law_firm_name(invoice: Invoice) -> Invoice:
    return complete_for_xml(invoice, FIRM, "LEDES XML")


def without_what_xml_omits(invoice: Invoice) -> Invoice:
    """A 1998BI invoice as XML gives it back: no net total, and no tax total on a line without a tax rate."""
    return attrs.evolve(invoice, net_total=None, matters=tuple(
        attrs.evolve(matter, line_items=tuple(
            item if item.tax_rate is not None else attrs.evolve(item, tax_total=None) for item in matter.line_items))
        for matter in invoice.matters))


@MODELS
@given(S.invoice_lists_as_xml_holds())
def test_1998b_to_xml21_and_back_reproduces_the_model(invoices):
    """1998B -> XML 2.1 -> 1998B gives back exactly the 1998B model, for models in the shape XML holds.

    Exactly: with x read from 1998B and the law firm's name filled in (complete_for_xml),
    parse_xml(write_xml(x)) is x with each timekeeper's last and first names split from
    "Last, First", and parse_1998b(write_1998b(parse_xml(write_xml(x)))) == x without the
    firm's name, i.e. the 1998B model read at the start.
    """
    assert round_trip("1998b", invoices) == invoices  # x is what a 1998B file gives
    completed = [with_law_firm_name(invoice) for invoice in invoices]
    via_xml = round_trip("xml2.1", completed)
    assert via_xml == [with_split_names(invoice) for invoice in completed]
    assert round_trip("1998b", via_xml) == invoices


@MODELS
@given(S.invoice_lists_as_xml_holds(bi=True))
def test_1998bi_to_xml22_and_back_reproduces_the_model(invoices):
    """1998BI -> XML 2.2 -> 1998BI gives back the 1998BI model, once 1998BI's derived values are completed.

    Exactly: with x read from 1998BI and the firm's name filled in, parse_xml(write_xml(x))
    is x without its net total and without the tax total of lines that have no tax rate
    (XML holds neither); complete_for_1998bi derives both back (total less tax, and zero),
    so parse_1998bi(write_1998bi(complete_for_1998bi(parse_xml(write_xml(x))))) == x.
    That needs x's taxes consistent: each line tax is round-half-up((total - tax) × rate),
    a line without a rate has a zero tax and no tax type, and the invoice has a tax total
    with the net total equal to the total less it.
    """
    assert round_trip("1998bi", invoices) == invoices
    completed = [with_law_firm_name(invoice) for invoice in invoices]
    via_xml = round_trip("xml2.2", completed)
    assert via_xml == [without_what_xml_omits(invoice) for invoice in completed]
    again = [complete_for_1998bi(invoice, None) for invoice in via_xml]
    assert round_trip("1998bi", again) == completed


@FILES
@given(S.invoice_lists_as_xml_holds(max_size=2))
def test_convert_1998b_to_xml_and_back_loses_only_the_firm_name(tmp_path_factory, invoices):
    """ledes.convert: 1998B -> XML 2.1 lists no loss; back to 1998B lists only lf_name; the 1998B file reads the same."""
    folder = tmp_path_factory.mktemp("xml")
    source, middle, back = folder / "a.txt", folder / "b.xml", folder / "c.txt"
    ledes.write(invoices, source, format="1998b")
    there = ledes.convert(source, middle, to="xml2.1", law_firm_name=FIRM)
    assert there.losses == ()
    returned = ledes.convert(middle, back, to="1998b", allow_loss=True)
    assert {d.field for d in returned.losses} == {"lf_name"}
    assert list(ledes.iter_invoices(back)) == list(ledes.iter_invoices(source))


@FILES
@given(S.invoice_lists_as_xml_holds(max_size=2, bi=True))
def test_convert_1998bi_to_xml_and_back_reproduces_the_file(tmp_path_factory, invoices):
    """ledes.convert: 1998BI -> XML 2.2 -> 1998BI reads the same (with the firm's name), and nothing is lost coming back."""
    folder = tmp_path_factory.mktemp("xml")
    source, middle, back = folder / "a.txt", folder / "b.xml", folder / "c.txt"
    ledes.write(invoices, source, format="1998bi")
    there = ledes.convert(source, middle, to="xml2.2", law_firm_name=FIRM, allow_loss=True)
    assert there.losses == ()
    returned = ledes.convert(middle, back, to="1998bi")
    assert returned.losses == ()
    assert list(ledes.iter_invoices(back)) == [with_law_firm_name(i) for i in ledes.iter_invoices(source)]


def test_a_net_total_that_is_total_less_tax_is_not_a_loss_into_xml(tmp_path: Path):
    """XML has no net total, but one equal to the total less tax is derived back (as unsupported() already holds)."""
    invoice = Invoice("1", date(2024, 3, 1), ledes.Client("C1"), ledes.LawFirm("LF1", name=FIRM),
                      total=Decimal("120"), billing_start=date(2024, 2, 1), billing_end=date(2024, 2, 29),
                      currency="EUR", tax_total=Decimal("20"), net_total=Decimal("100"), matters=(
                          ledes.Matter("M1", line_items=(ledes.LineItem(
                              "1", LineItemType.FEE, date(2024, 2, 5), units=Decimal("1"), unit_cost=Decimal("100"),
                              total=Decimal("120"), tax_rate=Decimal("0.2"), tax_total=Decimal("20"),
                              timekeeper=ledes.Timekeeper("T1", "Doe, Jane", "PT", "Doe", "Jane")),)),))
    source = tmp_path / "bi.txt"
    ledes.write([invoice], source, format="1998bi")
    assert ledes.convert(source, tmp_path / "out.xml", to="xml2.2").losses == ()


# ---------------------------------------------------------------------------- the LOC 1998B sample


def test_converting_the_loc_sample_to_xml_needs_the_firm_name(tmp_path: Path):
    """1998B has no law firm name and XML requires lf_name: without law_firm_name nothing is written."""
    target = tmp_path / "out.xml"
    with pytest.raises(ledes.LedesMissingValueError, match="lf_name"):
        ledes.convert(LOC_SAMPLE, target, to="xml2.1")
    assert not target.exists()


def test_converting_the_loc_sample_to_xml_lists_the_discount_description(tmp_path: Path):
    """The IF line's description has no place in a matter_disc_cred, and its number 6 (the sample numbers lines through
    the file) comes back as 1 (XML numbers each invoice's lines from 1): warnings, and the file is written; strict
    refuses."""
    target = tmp_path / "out.xml"
    with pytest.raises(ledes.LedesDataLossError) as refused:
        ledes.convert(LOC_SAMPLE, target, to="xml2.1", law_firm_name=FIRM, strict=True)
    assert [(d.rule, d.severity, d.field, d.line, d.invoice) for d in refused.value.losses] == [
        ("convert.unsupported-field", ledes.Severity.ERROR, "LINE_ITEM_NUMBER", 8, "96543"),
        ("convert.unsupported-field", ledes.Severity.ERROR, "LINE_ITEM_DESCRIPTION", 8, "96543")]
    assert not target.exists()
    written = ledes.convert(LOC_SAMPLE, target, to="xml2.1", law_firm_name=FIRM)
    assert [(d.rule, d.severity, d.field, d.line, d.invoice) for d in written.losses] == [
        ("convert.unsupported-field", ledes.Severity.WARNING, "LINE_ITEM_NUMBER", 8, "96543"),
        ("convert.unsupported-field", ledes.Severity.WARNING, "LINE_ITEM_DESCRIPTION", 8, "96543")]
    assert "'6': it would be read back as '1'" in written.losses[0].message
    assert "Monthly Retainer Fee" in written.losses[1].message
    assert written.output_diagnostics == () and target.exists()


def test_the_loc_sample_converted_with_allow_loss_validates_cleanly(tmp_path: Path):
    """With allow_loss the XML is written; it is schema-valid and ledes.validate_file finds nothing at all."""
    target = tmp_path / "out.xml"
    result = ledes.convert(LOC_SAMPLE, target, to="xml2.1", law_firm_name=FIRM, allow_loss=True)
    assert (result.invoices, result.line_items) == (2, 6)
    assert [d.field for d in result.losses] == ["LINE_ITEM_NUMBER", "LINE_ITEM_DESCRIPTION"]
    report = ledes.validate_file(target)
    assert (report.format, report.invoices, report.line_items) == ("LEDESXML2.1", 2, 6)
    assert [(d.rule, d.message) for d in report.diagnostics] == []
    first, second = ledes.iter_invoices(target)
    assert first.law_firm.name == FIRM
    assert next(first.line_items).timekeeper == ledes.Timekeeper("22547", "Arnsley, Robert", "PARTNR", "Arnsley", "Robert")
    (retainer,) = second.line_items
    assert (retainer.type, retainer.number, retainer.date, retainer.adjustment, retainer.total, retainer.description) == (
        LineItemType.FEE_ADJUSTMENT, "1", date(1999, 1, 31), Decimal("1250"), Decimal("1250"), None)
