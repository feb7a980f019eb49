"""Every limit-based rule at its limit, one step below it and one step above it; and the slow paths a fast path hides.

A step is a cent for money, 0.01 h (or one billing increment) for hours, a day for dates,
a character for lengths, a timekeeper for staffing. Each expected finding and amount is
worked out by hand in the comment or the literal next to it, never by calling the code
under test. Several rules take a fast path when the whole invoice is clean (every line
adds up exactly, every date is inside the period, no units are negative, ...) and check
line by line only otherwise: the cases marked "slow path" force that line-by-line check,
with lines at the limit beside the line that forces it, so that a wrong boundary there
cannot hide behind the fast path.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import ledes
from ledes import LedesConfigError
from ledes.formats import fields
from ledes.formats.ledes1998bi.table import FIELDS as FIELDS_1998BI
from ledes.formats.ledes2000 import table as ledes2000_table
from ledes.formats.ledesxml import table as ledesxml_table
from ledes.formats.xmlsafe import UntrustedStream, parse_untrusted
from ledes.model import (
    Client,
    Invoice,
    LawFirm,
    LineItem,
    LineItemType,
    Location,
    Matter,
    Timekeeper,
    Unparsed,
)
from ledes.rules import RULES_BY_NAME
from ledes.rules.base import ApprovedTimekeeper, Context, RatePeriod
from ledes.utbms import code_sets

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
LOC_SAMPLE = FIXTURES / "rules" / "period.line-date" / "pass_loc_sample.txt"
XML_22 = FIXTURES / "xml" / "ledes22_sample.xml"
XML_21 = FIXTURES / "xml" / "ledes21_sample.xml"
XML_2000 = FIXTURES / "xml" / "ledes2000_handwritten.xml"  # written by hand, not by the writer

D = Decimal
DAY = date(2024, 3, 4)
FEE, EXPENSE = LineItemType.FEE, LineItemType.EXPENSE
FEE_ADJ, EXPENSE_ADJ = LineItemType.FEE_ADJUSTMENT, LineItemType.EXPENSE_ADJUSTMENT


# ----------------------------------------------------------------- building invoices and running one rule
@attrs.frozen
class Finding:
    message: str
    record: object
    field: str | None
    amount: Decimal | None
    hint: str | None


def _money(value: str | None) -> Decimal | None:
    return None if value is None else D(value)


def item(kind: LineItemType, units: str | None, cost: str | None, total: str | None, *, adjustment: str | None = None,
         number: str = "1", on: object = DAY, keeper: str | None = None, classification: str | None = None,
         code: str | None = None, text: str = "Draft motion to compel", tax_rate: str | None = None,
         tax: str | None = None, activity: str | None = None, task: str | None = "L120") -> LineItem:
    """A line with the amounts exactly as given: nothing is computed here."""
    return LineItem(
        number=number, type=kind, date=on, units=_money(units), unit_cost=_money(cost),
        adjustment=_money(adjustment), total=_money(total), expense_code=code, description=text,
        timekeeper=Timekeeper(keeper, None, classification) if keeper else None, tax_rate=_money(tax_rate),
        tax_total=_money(tax), activity_code=activity, task_code=task if kind is FEE else None,
        location=Location("test.txt", int(number) if number and number.isdigit() else None),
    )


def fee(units: str, cost: str, total: str, *, keeper: str = "22547", classification: str = "PARTNR", **more) -> LineItem:
    return item(FEE, units, cost, total, keeper=keeper, classification=classification, **more)


def expense(units: str, cost: str, total: str, code: str, **more) -> LineItem:
    return item(EXPENSE, units, cost, total, code=code, **more)


def bill(*items: LineItem, total: str | None = "sum", number: str = "INV-1", on: date = date(2024, 3, 31),
         start: object = date(2024, 3, 1), end: object = date(2024, 3, 31), firm: str = "12-3456789",
         tax_total: str | None = None, net_total: str | None = None, matters: tuple[Matter, ...] | None = None) -> Invoice:
    """An invoice of ``items`` in one matter (or of ``matters``); ``total`` "sum" adds the given line totals."""
    if total == "sum":
        stated: Decimal | None = sum((line.total for line in items), D(0))  # type: ignore[misc]
    else:
        stated = _money(total)
    return Invoice(
        number=number, date=on, client=Client("C-1"), law_firm=LawFirm(firm), total=stated, billing_start=start,
        billing_end=end, matters=matters if matters is not None else (Matter("M-1", line_items=items),),
        tax_total=_money(tax_total), net_total=_money(net_total), location=Location("test.txt", 1),
    )


def run(name: str, *invoices: Invoice, timekeepers=None, **options) -> list[Finding]:
    """One rule over ``invoices`` as one run (its ``finish`` too), with ``options`` over its defaults."""
    rule = RULES_BY_NAME[name]
    settings = {**rule.options, **options}
    context = Context(timekeepers, code_sets())
    found: list[Finding] = []

    def report(message, *, record=None, field=None, amount=None, hint=None, invoice=None):
        found.append(Finding(message, record, field, amount, hint))

    for each in invoices:
        if rule.guideline:
            rule.check(each, report, settings, context)
        else:
            rule.check(each, report, settings)
    if rule.finish is not None:
        rule.finish(report, settings, context)
    return found


def reported(findings: list[Finding]) -> list[tuple[str | None, Decimal | None]]:
    """(line number, money at stake) of each finding, in order."""
    return [(getattr(f.record, "number", None), f.amount) for f in findings]


def _rule(problem) -> str | None:
    """The rule a conversion problem names (a rule object, or its name), None for no problem."""
    return None if problem is None else getattr(problem[0], "name", problem[0])


# ----------------------------------------------------------------- files: the LOC 1998B sample, edited
def loc_rows() -> tuple[str, list[str], list[dict[str, str]]]:
    """The LOC sample's format line, header and rows (physical lines 3 to 8), each row by field name."""
    lines = LOC_SAMPLE.read_text(encoding="utf-8").splitlines()
    names = lines[1].removesuffix("[]").split("|")
    rows = [dict(zip(names, line.removesuffix("[]").split("|"), strict=True)) for line in lines[2:]]
    return lines[0], names, rows


def validate_rows(tmp_path: Path, rows: list[dict[str, str]], name: str = "case.txt") -> list[tuple[str, int, str]]:
    first, names, _ = loc_rows()
    text = "\n".join([first, "|".join(names) + "[]", *("|".join(row[n] for n in names) + "[]" for row in rows)]) + "\n"
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = ledes.validate_file(path)
    return sorted((d.rule, d.line, d.field) for d in report.diagnostics)


def xml_findings(tmp_path: Path, sample: Path, *edits: tuple[str, str]) -> list[tuple[str, int]]:
    text = sample.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / sample.name
    path.write_text(text, encoding="utf-8")
    return sorted((d.rule, d.line) for d in ledes.validate_file(path).diagnostics)


# ================================================================= 1. IF/IE lines: empty units count as ONE unit
# arithmetic.line-total: "On IF/IE lines ... an empty unit cost counts as 0 and empty units as 1".
@pytest.mark.parametrize("kind", [FEE_ADJ, EXPENSE_ADJ], ids=["IF", "IE"])
def test_adjustment_line_with_empty_units_and_its_amount_in_the_unit_cost_adds_up(kind):
    line = item(kind, None, "1250", "1250")  # (1) × 1250 + (0) = 1250
    assert run("arithmetic.line-total", bill(line)) == []


@pytest.mark.parametrize("kind", [FEE_ADJ, EXPENSE_ADJ], ids=["IF", "IE"])
def test_adjustment_line_with_empty_units_is_checked_as_one_unit(kind):
    line = item(kind, None, "1250", "0")  # (1) × 1250 = 1250, not 0
    assert reported(run("arithmetic.line-total", bill(line))) == [("1", D("1250"))]
    short = item(kind, None, "1250", "1249.99")  # one cent short of 1 × 1250
    assert reported(run("arithmetic.line-total", bill(short))) == [("1", D("0.01"))]


def test_adjustment_line_with_empty_units_and_an_adjustment_too():
    both = item(FEE_ADJ, None, "100", "50", adjustment="-50")  # (1) × 100 − 50 = 50
    assert run("arithmetic.line-total", bill(both)) == []
    wrong = item(FEE_ADJ, None, "100", "-50", adjustment="-50")  # −50 would be 0 × 100 − 50
    assert reported(run("arithmetic.line-total", bill(wrong))) == [("1", D("100"))]


def test_adjustment_line_with_empty_unit_cost_counts_the_cost_as_zero():
    line = item(FEE_ADJ, "2", None, "-100", adjustment="-100")  # 2 × (0) − 100
    assert run("arithmetic.line-total", bill(line)) == []
    assert reported(run("arithmetic.line-total", bill(attrs.evolve(line, total=D("-99.99"))))) == [("1", D("0.01"))]


def test_adjustment_line_with_units_given_uses_them():
    line = item(FEE_ADJ, "2", "50", "100")  # 2 × 50 (+ no adjustment): the units count when they are given
    assert run("arithmetic.line-total", bill(line)) == []
    assert reported(run("arithmetic.line-total", bill(attrs.evolve(line, total=D("50"))))) == [("1", D("50"))]


def test_fee_line_with_empty_units_is_left_to_the_field_rules():
    line = item(FEE, None, "350", "700", keeper="22547")  # not 1 × 350, but an F line's units are required
    assert run("arithmetic.line-total", bill(line)) == []


def test_adjustment_line_with_empty_units_is_taxed_on_one_unit():
    line = item(FEE_ADJ, None, "1000", "1200", tax_rate="0.2", tax="200")  # (1 × 1000) × 0.2 = 200
    assert run("arithmetic.line-tax", bill(line)) == []
    assert reported(run("arithmetic.line-tax", bill(attrs.evolve(line, tax_total=D("0"))))) == [("1", D("200.00"))]


def test_if_row_with_empty_units_in_a_1998b_file(tmp_path: Path):
    _, _, rows = loc_rows()
    rows[5].update({"LINE_ITEM_NUMBER_OF_UNITS": "", "LINE_ITEM_ADJUSTMENT_AMOUNT": "", "LINE_ITEM_UNIT_COST": "1250"})
    assert validate_rows(tmp_path, rows) == []  # 96543's retainer: (1) × 1250 = 1250
    rows[5]["LINE_ITEM_TOTAL"] = rows[5]["INVOICE_TOTAL"] = "1250.01"
    assert validate_rows(tmp_path, rows) == [("arithmetic.line-total", 8, "LINE_ITEM_TOTAL")]


# ================================================================= arithmetic: one cent either side, and tolerances
LINE = {"units": "2.00", "cost": "350", "adjustment": "-70"}  # 2.00 × 350 − 70 = 630


@pytest.mark.parametrize(
    ("total", "tolerance", "at_stake"),
    [
        ("630.00", "0", None), ("630.01", "0", "0.01"), ("629.99", "0", "0.01"),
        ("630.01", "0.01", None), ("629.99", "0.01", None), ("630.02", "0.01", "0.02"), ("629.98", "0.01", "0.02"),
    ],
)
def test_line_total_one_cent_either_side(total: str, tolerance: str, at_stake: str | None):
    line = fee(LINE["units"], LINE["cost"], total, adjustment=LINE["adjustment"])
    found = run("arithmetic.line-total", bill(line), tolerance=D(tolerance))
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(("total", "at_stake"), [("2.49", None), ("2.48", "0.005"), ("2.50", "0.015")])
def test_line_total_rounds_half_up_to_the_cent(total: str, at_stake: str | None):
    line = fee("0.1", "24.85", total)  # 2.485: 2.49 half up (half even would make it 2.48)
    assert reported(run("arithmetic.line-total", bill(line))) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(
    ("rounding", "total", "at_stake"),
    [("half-even", "2.48", None), ("half-even", "2.49", "0.005"),  # 2.485: 2.48 half even
     ("either", "2.48", None), ("either", "2.49", None), ("either", "2.47", "0.015"), ("either", "2.50", "0.015"),
     ("half-up", "2.48", "0.005")],
)
def test_line_total_rounding_option(rounding: str, total: str, at_stake: str | None):
    line = fee("0.1", "24.85", total)
    found = run("arithmetic.line-total", bill(line), rounding=rounding)
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(("rounding", "tax", "at_stake"), [("half-even", "5.02", None), ("half-even", "5.03", "0.01"),
                                                           ("either", "5.02", None), ("either", "5.03", None)])
def test_line_tax_rounding_option(rounding: str, tax: str, at_stake: str | None):
    line = fee("1", "10.05", "10.05", tax_rate="0.5", tax=tax)  # 5.025: 5.02 half even, 5.03 half up
    assert reported(run("arithmetic.line-tax", bill(line), rounding=rounding)) == (
        [] if at_stake is None else [("1", D(at_stake))])


def test_line_total_slow_path_checks_each_line_at_the_limit():
    """Slow path: a line without units sends the rule line by line; the exact and taxed lines still pass."""
    unreadable = expense(None, "24.95", "24.95", "E111", number="1")  # left to field.required
    exact = fee("2.00", "350", "630", adjustment="-70", number="2")
    taxed = fee("2", "100", "240", tax_rate="0.2", tax="40", number="3")  # 1998BI: the total includes the tax
    rounded = fee("0.1", "24.85", "2.49", number="4")
    assert run("arithmetic.line-total", bill(unreadable, exact, taxed, rounded)) == []
    off = fee("2", "100", "240.01", tax_rate="0.2", tax="40", number="5")
    tolerated = fee("2", "100", "200.01", number="6")
    found = run("arithmetic.line-total", bill(unreadable, exact, taxed, off, tolerated), tolerance=D("0.01"))
    assert found == []
    found = run("arithmetic.line-total", bill(unreadable, exact, taxed, rounded, off, tolerated))
    assert reported(found) == [("5", D("0.01")), ("6", D("0.01"))]


@pytest.mark.parametrize(
    ("tax", "tolerance", "at_stake"),
    [("126", "0", None), ("126.01", "0", "0.01"), ("125.99", "0", "0.01"), ("126.01", "0.01", None),
     ("126.02", "0.01", "0.02"), ("125.98", "0.01", "0.02")],
)
def test_line_tax_one_cent_either_side(tax: str, tolerance: str, at_stake: str | None):
    line = fee("2.00", "350", "630", adjustment="-70", tax_rate="0.2", tax=tax)  # 630 × 0.2 = 126
    found = run("arithmetic.line-tax", bill(line), tolerance=D(tolerance))
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(
    ("rate", "tax", "at_stake"),
    [("20", "126", None),  # 630 at 20 %: right as a percentage (field.tax-rate reports the rate)
     ("20", "12600", None),  # 630 × 20: right as written
     ("20", "125", "1.00"),  # compared at 20 % (126), not at 20 (12,600: 12,475 at stake)
     ("1", "630", None), ("1", "6.30", None),  # a rate of 1: 100 % or 1 %
     ("1", "600", "30.00")],  # neither: compared as written (630), a rate of 1 being a rate as well as a percentage
)
def test_line_tax_rate_written_as_a_percentage(rate: str, tax: str, at_stake: str | None):
    line = fee("2.00", "350", "630", adjustment="-70", tax_rate=rate, tax=tax)
    assert reported(run("arithmetic.line-tax", bill(line))) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(("tax", "at_stake"), [("5.03", None), ("5.02", "0.01"), ("5.04", "0.01")])
def test_line_tax_rounds_half_up(tax: str, at_stake: str | None):
    line = fee("1", "10.05", "10.05", tax_rate="0.5", tax=tax)  # 5.025: 5.03 half up
    assert reported(run("arithmetic.line-tax", bill(line))) == ([] if at_stake is None else [("1", D(at_stake))])


def test_line_tax_is_checked_when_only_rates_or_only_taxes_are_given():
    """The shortcut "no rates and no taxes" must not skip a rate without its tax, or a tax at rate 0."""
    untaxed = fee("2.00", "350", "630", adjustment="-70", tax_rate="0.2", tax="0")  # should be 126
    assert reported(run("arithmetic.line-tax", bill(untaxed))) == [("1", D("126.00"))]
    zero_rate = fee("2.00", "350", "635", adjustment="-70", tax_rate="0", tax="5")  # 630 × 0 = 0
    assert reported(run("arithmetic.line-tax", bill(zero_rate))) == [("1", D("5.00"))]
    assert run("arithmetic.line-tax", bill(attrs.evolve(zero_rate, tax_total=D("0")))) == []
    no_rate = fee("2.00", "350", "635", adjustment="-70", tax="5")  # no rate: nothing to check against
    assert run("arithmetic.line-tax", bill(no_rate)) == []


@pytest.mark.parametrize(
    ("stated", "tolerance", "at_stake"),
    [("670", "0", None), ("670.01", "0", "0.01"), ("669.99", "0", "0.01"), ("670.01", "0.01", None),
     ("670.02", "0.01", "0.02"), ("669.98", "0.01", "0.02")],
)
def test_invoice_total_one_cent_either_side(stated: str, tolerance: str, at_stake: str | None):
    lines = (fee("2.00", "350", "630", adjustment="-70", number="1"), fee("0.2", "200", "40", number="2"))
    found = run("arithmetic.invoice-total", bill(*lines, total=stated), tolerance=D(tolerance))
    assert [f.amount for f in found] == ([] if at_stake is None else [D(at_stake)])


def test_invoice_total_skips_an_unreadable_line_total():
    lines = (fee("2.00", "350", "630", adjustment="-70", number="1"), fee("0.2", "200", None, number="2"))
    assert run("arithmetic.invoice-total", bill(*lines, total="1")) == []


@pytest.mark.parametrize(("stated", "at_stake"), [("355", None), ("355.01", "0.01"), ("354.99", "0.01"), ("670", "315")])
def test_invoice_total_counts_a_shared_matter_at_its_share(stated: str, at_stake: str | None):
    shared = Matter("M-1", line_items=(fee("2.00", "350", "630", adjustment="-70"),), fee_share=D("0.5"))  # 315
    whole = Matter("M-2", line_items=(fee("0.2", "200", "40", number="2"),), fee_share=D("1"))  # 40 in full
    found = run("arithmetic.invoice-total", bill(total=stated, matters=(shared, whole)))
    assert [f.amount for f in found] == ([] if at_stake is None else [D(at_stake)])


@pytest.mark.parametrize(
    ("stated", "tolerance", "at_stake"),
    [("134", "0", None), ("134.01", "0", "0.01"), ("133.99", "0", "0.01"), ("134.01", "0.01", None),
     ("133.98", "0.01", "0.02")],
)
def test_invoice_tax_one_cent_either_side(stated: str, tolerance: str, at_stake: str | None):
    lines = (fee("2.00", "350", "756", adjustment="-70", tax_rate="0.2", tax="126", number="1"),
             fee("0.2", "200", "48", tax_rate="0.2", tax="8", number="2"),
             expense("1", "24.95", "24.95", "E111", number="3"))  # no tax: counts as 0
    found = run("arithmetic.invoice-tax", bill(*lines, tax_total=stated), tolerance=D(tolerance))
    assert [f.amount for f in found] == ([] if at_stake is None else [D(at_stake)])


@pytest.mark.parametrize(
    ("tax", "net", "tolerance", "at_stake"),
    [("134", "670", "0", None), ("134", "670.01", "0", "0.01"), ("134", "669.99", "0", "0.01"),
     ("134", "670.01", "0.01", None), ("134", "670.02", "0.01", "0.02"),
     (None, "804", "0", None), (None, "803.99", "0", "0.01")],  # an empty tax total counts as 0
)
def test_invoice_net_one_cent_either_side(tax: str | None, net: str, tolerance: str, at_stake: str | None):
    invoice = bill(fee("1", "804", "804"), total="804", tax_total=tax, net_total=net)
    found = run("arithmetic.invoice-net", invoice, tolerance=D(tolerance))
    assert [f.amount for f in found] == ([] if at_stake is None else [D(at_stake)])


@pytest.mark.parametrize(("stated", "found"), [("1370.00", []), ("1370.01", [73]), ("1369.99", [73]),
                                                ("1370.004", []), ("1370.005", [73])])
def test_xml_matter_totals_one_cent_either_side(tmp_path: Path, stated: str, found: list[int]):
    # Matter 1 of the 2.2 sample: fees 630 + 700 + 40 = 1370.00, compared to the cent (half up)
    edit = ("<matter_total_detail_fees>1370.00<", f"<matter_total_detail_fees>{stated}<")
    assert xml_findings(tmp_path, XML_22, edit) == [("arithmetic.matter-totals", line) for line in found]


# ================================================================= 2. rates.cap: the limit, a cent and a unit over
APPROVED = {
    "22547": ApprovedTimekeeper("22547", None, "PARTNR", (
        RatePeriod(D("325"), None, date(2023, 12, 31)), RatePeriod(D("350"), date(2024, 1, 1)),
    )),
}


@pytest.mark.parametrize(
    ("rate", "at_stake"),
    [("349.99", None), ("350", None), ("350.00", None), ("350.01", "0.02"), ("351", "2.00"), ("351.00", "2.00")],
)
def test_rate_cap_at_the_approved_rate(rate: str, at_stake: str | None):
    line = fee("2.0", rate, "0")  # approved at 350 on DAY
    found = run("rates.cap", bill(line), timekeepers=APPROVED)
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(("rate", "at_stake"), [("399.99", None), ("400", None), ("400.01", "0.02"), ("401", "2.00")])
def test_rate_cap_at_the_classification_cap(rate: str, at_stake: str | None):
    line = fee("2.0", rate, "0", keeper="77777")  # not on any list: only the PARTNR cap of 400 applies
    found = run("rates.cap", bill(line), caps={"PARTNR": "400"})
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(
    ("cap", "rate", "at_stake"),
    [("340", "340.01", None), ("340", "350", None), ("340", "350.01", "0.02"), ("360", "350", None),
     ("360", "350.01", "0.02"), ("350", "350", None), ("350", "350.01", "0.02")],
)
def test_rate_cap_limit_is_the_approved_rate_before_the_cap(cap: str, rate: str, at_stake: str | None):
    line = fee("2.0", rate, "0")  # approved at 350 on DAY
    found = run("rates.cap", bill(line), timekeepers=APPROVED, caps={"PARTNR": cap})
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(
    ("on", "rate", "at_stake"),
    [(date(2023, 12, 31), "325", None), (date(2023, 12, 31), "325.01", "0.01"),  # last day at 325
     (date(2024, 1, 1), "350", None), (date(2024, 1, 1), "350.01", "0.01")],  # first day at 350
)
def test_rate_cap_at_the_edges_of_an_approved_rate_period(on: date, rate: str, at_stake: str | None):
    line = fee("1.0", rate, "0", on=on)
    found = run("rates.cap", bill(line), timekeepers=APPROVED)
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


# ================================================================= rates.increase
def _month(rate: str, number: str, on: date, line_day: date | None = None, hours: str = "2.0") -> Invoice:
    return bill(fee(hours, rate, "0", on=line_day or on.replace(day=5)), number=number, on=on)


@pytest.mark.parametrize(("rate", "at_stake"), [("349.99", None), ("350", None), ("350.01", "0.02"), ("351", "2.00")])
def test_rate_increase_one_cent_either_side(rate: str, at_stake: str | None):
    found = run("rates.increase", _month("350", "1", date(2024, 1, 31)), _month(rate, "2", date(2024, 2, 29)))
    assert [f.amount for f in found] == ([] if at_stake is None else [D(at_stake)])


def test_rate_increase_earlier_means_dated_on_or_before():
    same_day = run("rates.increase", _month("350", "1", date(2024, 2, 29)), _month("375", "2", date(2024, 2, 29)))
    assert [f.amount for f in same_day] == [D("50.00")]
    day_after = run("rates.increase", _month("350", "1", date(2024, 3, 1)), _month("375", "2", date(2024, 2, 29)))
    assert day_after == []


def test_rate_increase_keeps_the_highest_rate_of_a_day():
    high, low = _month("375", "1", date(2024, 2, 29)), _month("350", "2", date(2024, 2, 29))  # same invoice date
    again = _month("375", "3", date(2024, 3, 31))
    assert run("rates.increase", high, low, again) == []  # 375 was billed before: not an increase
    assert [f.amount for f in run("rates.increase", high, low, _month("375.01", "3", date(2024, 3, 31)))] == [D("0.02")]


def _raised_within(first: str, second: str, second_day: date) -> Invoice:
    return bill(fee("1.0", first, "0", on=date(2024, 3, 4), number="1"),
                fee("1.0", second, "0", on=second_day, number="2"))


@pytest.mark.parametrize(
    ("freeze", "second", "second_day", "at_stake"),
    [("2024-03-05", "350.01", date(2024, 3, 5), "0.01"),  # the raised line dated on the freeze's last day: frozen
     ("2024-03-31", "350", date(2024, 3, 5), None),
     ("2024-03-04", "350.01", date(2024, 3, 5), None),  # the raised line dated the day after the freeze
     ("2024-03-31", "375", date(2024, 3, 4), None)],  # the same day is not "later"
)
def test_rate_increase_within_one_invoice_during_a_freeze(freeze, second, second_day, at_stake):
    found = run("rates.increase", _raised_within("350", second, second_day), freeze_until=freeze)
    assert reported(found) == ([] if at_stake is None else [("2", D(at_stake))])


def test_rate_increase_during_a_freeze_holds_every_line_to_the_frozen_rate():
    january = _month("350", "1", date(2024, 1, 31), hours="1.0")
    level = bill(fee("1.0", "350", "0", on=date(2024, 3, 4), number="1"),
                 fee("1.0", "375", "0", on=date(2024, 3, 5), number="2"), number="2")
    (finding,) = run("rates.increase", january, level, freeze_until="2024-12-31")
    assert finding.amount == D("25.00") and "in an earlier invoice" in finding.message
    above = bill(fee("1.0", "350.01", "0", on=date(2024, 3, 4), number="1"),
                 fee("1.0", "375", "0", on=date(2024, 3, 5), number="2"), number="2")
    found = run("rates.increase", january, above, freeze_until="2024-12-31")
    # both held to January's 350, the first rate billed in the freeze: a raised rate never becomes the baseline
    assert [(f.record.number, f.amount) for f in found] == [("1", D("0.01")), ("2", D("25.00"))]
    assert all("350, the rate frozen until 2024-12-31" in f.message for f in found)


# ================================================================= expenses
@pytest.mark.parametrize(("cost", "at_stake"), [("0.09", None), ("0.10", None), ("0.1", None), ("0.11", "1.20")])
def test_unit_cost_cap_one_cent_either_side(cost: str, at_stake: str | None):
    line = expense("120", cost, "0", "E101")  # 120 pages; cap 0.10: 120 × 0.01 = 1.20 over
    assert reported(run("expense.unit-cost-cap", bill(line))) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(("cost", "at_stake"), [("74.99", None), ("75", None), ("75.01", "0.01")])
def test_unit_cost_cap_with_a_clients_own_cap(cost: str, at_stake: str | None):
    line = expense("1", cost, cost, "e111")  # codes compared without case
    found = run("expense.unit-cost-cap", bill(line), caps={"E111": "75"})
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


def meal(cost: str, *, number: str = "1", keeper: str | None = "22547", on: date = DAY, adjustment: str | None = None,
         units: str = "1") -> LineItem:
    return expense(units, cost, "0", "E111", number=number, keeper=keeper, on=on, adjustment=adjustment)


@pytest.mark.parametrize(("cost", "at_stake"), [("74.99", None), ("75", None), ("75.00", None), ("75.01", "0.01")])
def test_daily_cap_one_line_one_cent_either_side(cost: str, at_stake: str | None):
    assert reported(run("expense.daily-cap", bill(meal(cost)))) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(("second", "at_stake"), [("50.04", None), ("50.05", None), ("50.06", "0.01")])
def test_daily_cap_two_lines_one_cent_either_side(second: str, at_stake: str | None):
    lines = (meal("24.95", number="1"), meal(second, number="2"))  # 24.95 + 50.05 = 75.00
    found = run("expense.daily-cap", bill(*lines))
    assert reported(found) == ([] if at_stake is None else [("2", D(at_stake))])


@pytest.mark.parametrize(("second", "at_stake"), [("35", None), ("35.01", "0.01")])
def test_daily_cap_across_invoices_and_without_a_timekeeper(second: str, at_stake: str | None):
    first = bill(meal("40", keeper=None, number="1"))
    later = bill(meal(second, keeper=None, number="2"), number="INV-2")  # lines without a timekeeper count together
    found = run("expense.daily-cap", first, later)
    assert reported(found) == ([] if at_stake is None else [("2", D(at_stake))])


def test_daily_cap_counts_each_timekeeper_and_day_apart():
    lines = (meal("75", number="1"), meal("75", number="2", keeper="45875"), meal("75", number="3", on=date(2024, 3, 5)))
    assert run("expense.daily-cap", bill(*lines)) == []


@pytest.mark.parametrize(("adjustment", "at_stake"), [("-5", None), ("-4.99", "0.01")])
def test_daily_cap_amount_is_units_times_cost_plus_adjustment(adjustment: str, at_stake: str | None):
    line = meal("40", units="2", adjustment=adjustment)  # 2 × 40 − 5 = 75
    assert reported(run("expense.daily-cap", bill(line))) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(("total", "at_stake"), [("75.00", None), ("75.01", "0.01")])
def test_daily_cap_takes_the_total_when_the_adjustment_is_unreadable(total: str, at_stake: str | None):
    line = attrs.evolve(meal("80"), adjustment=Unparsed("-5,00"), total=D(total))  # 1 × 80 + ?: the total counts
    assert reported(run("expense.daily-cap", bill(line))) == ([] if at_stake is None else [("1", D(at_stake))])


def test_daily_cap_does_not_report_a_zero_or_negative_line_after_the_cap():
    lines = (meal("80", number="1"), meal("0", number="2"), meal("-10", number="3"), meal("10", number="4"))
    # The day's credit first (− 10, 0), then 80: 70; + 10 = 80: over by 80 − max(70, 75) = 5, the day's net excess
    assert reported(run("expense.daily-cap", bill(*lines))) == [("4", D("5.00"))]


# ================================================================= time entries
@pytest.mark.parametrize(
    ("second", "at_stake"), [("3.9", None), ("3.99", None), ("4.0", None), ("4.01", "3.50"), ("4.1", "35.00")],
)
def test_daily_hours_one_step_either_side(second: str, at_stake: str | None):
    lines = (fee("6.0", "200", "0", number="1"), fee(second, "350", "0", number="2"))  # 10 h allowed
    found = run("time.daily-hours", bill(*lines))
    assert reported(found) == ([] if at_stake is None else [("2", D(at_stake))])  # over × the crossing line's 350


def test_daily_hours_prices_each_hour_over_the_limit_at_the_rate_of_the_line_that_bills_it():
    """Cut back to the maximum, the day loses the crossing line's hours past it and every later line's."""
    lines = (fee("6.0", "300", "0", number="1"), fee("4.1", "200", "0", number="2"), fee("2.0", "500", "0", number="3"))
    assert reported(run("time.daily-hours", bill(*lines))) == [("2", D("20.00")), ("3", D("1000.00"))]  # 0.1 h × 200
    credited = (*lines, fee("-1.0", "500", "0", number="4"))  # a write-off of one of the 500 hours
    assert reported(run("time.daily-hours", bill(*credited))) == [("2", D("20.00")), ("3", D("500.00"))]


def test_daily_hours_add_up_per_client():
    """Each client's portal sees its own invoices: 6 h for one client and 6 h for another is no day over 10 h."""
    first = bill(fee("6.0", "300", "0"))
    other = attrs.evolve(bill(fee("6.0", "300", "0"), number="INV-2"), client=Client("C-2"))
    assert run("time.daily-hours", first, other) == []
    assert reported(run("time.daily-hours", first, bill(fee("6.0", "300", "0"), number="INV-2"))) == [("1", D("600.00"))]


@pytest.mark.parametrize(("hours", "at_stake"), [("7.9", None), ("8.0", None), ("8.1", "35.00")])
def test_daily_hours_with_a_clients_limit(hours: str, at_stake: str | None):
    found = run("time.daily-hours", bill(fee(hours, "350", "0")), max_hours="8")
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(
    ("hours", "limit", "at_stake"),
    [("7.9", "8", None), ("8.0", "8", None), ("8.01", "8", "2.00"), ("8.1", "8", "20.00"),
     ("0.4", "0.4", None), ("0.41", "0.4", "2.00"), ("0.5", "0.4", "20.00")],
)
def test_long_entry_one_step_either_side(hours: str, limit: str, at_stake: str | None):
    found = run("time.long-entry", bill(fee(hours, "200", "0")), max_hours=D(limit))
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])


@pytest.mark.parametrize(
    ("hours", "step", "at_stake", "hint"),
    [("2.0", "0.1", None, None), ("2.00", "0.1", None, None), ("0", "0.1", None, None),
     ("2.01", "0.1", "4.00", "bill 2.00 or 2.10 hours"),  # 0.01 h above 2.0, at 400
     ("1.99", "0.1", "36.00", "bill 1.90 or 2.00 hours"),  # 0.09 h above 1.9
     ("-0.25", "0.1", "0.00", "bill -0.20 or -0.30 hours"),  # a credit: reported, with nothing at stake
     ("0.25", "0.25", None, None), ("0.5", "0.25", None, None),
     ("0.26", "0.25", "4.00", "bill 0.25 or 0.50 hours"), ("0.24", "0.25", "96.00", "bill 0.00 or 0.25 hours")],
)
def test_increment_at_and_one_step_off_the_grid(hours: str, step: str, at_stake: str | None, hint: str | None):
    found = run("time.increment", bill(fee(hours, "400", "0")), increment=D(step))
    assert reported(found) == ([] if at_stake is None else [("1", D(at_stake))])
    if hint is not None:
        assert found[0].hint == hint


@pytest.mark.parametrize(("name", "option"), [("time.long-entry", "max_hours"), ("time.daily-hours", "max_hours"),
                                            ("time.increment", "increment")])
def test_hours_limits_must_be_numbers(name: str, option: str):
    with pytest.raises(LedesConfigError, match=f"{name}.{option}"):
        run(name, bill(fee("1.0", "400", "0")), **{option: "eight"})


@pytest.mark.parametrize("step", ["0", "-0.1"])
def test_increment_must_be_positive(step: str):
    with pytest.raises(LedesConfigError, match="time.increment.increment"):
        run("time.increment", bill(fee("1.0", "400", "0")), increment=D(step))
    assert run("time.increment", bill(fee("1.0", "400", "0")), increment=D("0.0001")) == []


def _travel(rate: str, *, adjustment: str | None = None) -> Invoice:
    work = fee("1.0", "350", "350", number="1", text="Draft brief")  # the full rate: 350
    trip = fee("3.0", rate, "0", number="2", text="Travel to Chicago for hearing", adjustment=adjustment)
    return bill(work, trip)


@pytest.mark.parametrize(
    ("rate", "adjustment", "at_stake"),
    [("174.99", None, None), ("175", None, None), ("175.01", None, "0.03"),  # 3 × 175.01 − 3 × 350 × 50 %
     ("175", "0.004", None), ("175", "0.005", "0.01")],  # less than half a cent over is not over
)
def test_travel_one_cent_either_side_of_half_the_rate(rate: str, adjustment: str | None, at_stake: str | None):
    assert reported(run("time.travel", _travel(rate, adjustment=adjustment))) == (
        [] if at_stake is None else [("2", D(at_stake))]
    )


def test_travel_full_rate_is_the_highest_rate_billed_on_other_lines():
    work = (fee("1.0", "350", "350", number="1", text="Draft brief"), fee("1.0", "300", "300", number="2", text="Call"))
    trip = fee("3.0", "175", "525", number="3", text="Travel to Chicago for hearing")  # half of 350, not of 300
    assert run("time.travel", bill(*work, trip)) == []
    coded = fee("2.0", "350", "700", number="3", text="Return", task="B195")  # Non-Working Travel, as a task code
    assert reported(run("time.travel", bill(*work, coded))) == [("3", D("350.00"))]  # 700 − 2 × 350 × 50 %


# ================================================================= submission: days
@pytest.mark.parametrize(
    ("on", "days", "late"),
    [(date(2024, 5, 29), 60, False), (date(2024, 5, 30), 60, False), (date(2024, 5, 31), 60, True),
     (date(2024, 3, 31), 0, False), (date(2024, 4, 1), 0, True), (date(2024, 3, 15), 0, False)],
)
def test_late_one_day_either_side(on: date, days: int, late: bool):
    found = run("invoice.late", bill(fee("1.0", "300", "300"), on=on), days=days)  # the period ends 2024-03-31
    assert [f.amount for f in found] == ([D("300")] if late else [])


@pytest.mark.parametrize("days", [-1, 1.5])
def test_days_must_be_a_whole_number_of_days(days):
    for name in ("invoice.late", "invoice.aged-charges"):
        with pytest.raises(LedesConfigError, match=f"{name}.days"):
            run(name, bill(fee("1.0", "300", "300")), days=days)


@pytest.mark.parametrize(
    ("on", "days", "aged"),
    [(date(2023, 10, 4), 180, False), (date(2023, 10, 3), 180, False), (date(2023, 10, 2), 180, True),  # 179/180/181
     (date(2024, 3, 31), 0, False), (date(2024, 3, 30), 0, True), (date(2024, 4, 1), 0, False)],
)
def test_aged_charges_one_day_either_side(on: date, days: int, aged: bool):
    found = run("invoice.aged-charges", bill(fee("1.0", "300", "300", on=on)), days=days)  # invoice of 2024-03-31
    assert [f.amount for f in found] == ([D("300")] if aged else [])


def test_aged_charges_leave_adjustments_alone():
    credit = item(FEE_ADJ, None, None, "-100", adjustment="-100", on=date(2023, 1, 1))
    assert run("invoice.aged-charges", bill(credit)) == []


# ================================================================= staffing
def _team(size: int) -> Invoice:
    """``size`` timekeepers on one matter, timekeeper n billing n hours at 100."""
    return bill(*(fee(f"{n}.0", "100", f"{n * 100}", keeper=str(n), number=str(n)) for n in range(1, size + 1)))


@pytest.mark.parametrize(("size", "limit", "at_stake"), [(4, 5, None), (5, 5, None), (6, 5, "100"), (7, 5, "300"),
                                                          (1, 1, None), (2, 1, "100")])
def test_max_timekeepers_one_either_side(size: int, limit: int, at_stake: str | None):
    found = run("staffing.max-timekeepers", _team(size), max=limit)  # the extra ones have the fewest hours: 1, 2, ...
    assert sum(f.amount for f in found) == (0 if at_stake is None else D(at_stake))  # a finding on each of their lines


def test_max_timekeepers_adds_up_each_timekeepers_hours_and_fees():
    lines = (fee("0.5", "100", "50", keeper="A", number="1"), fee("1.5", "100", "150", keeper="B", number="2"),
             fee("0.5", "100", "50", keeper="A", number="3"))  # A: 1.0 h and 100 in fees; B: 1.5 h
    found = run("staffing.max-timekeepers", bill(*lines), max=1)
    assert [(f.record.number, f.amount) for f in found] == [("1", D("50.00")), ("3", D("50.00"))]  # A's two lines
    assert all("A is past the cap (fewest hours: A (1.0 h))" in f.message for f in found)
    lines = (fee("1.0", "100", "100", keeper="A", number="1"), fee("1.5", "100", "150", keeper="B", number="2"),
             fee("1.0", "100", "100", keeper="A", number="3"))  # A: 2.0 h; B, with fewer hours, is the extra one
    assert [f.amount for f in run("staffing.max-timekeepers", bill(*lines), max=1)] == [D("150.00")]


def test_max_timekeepers_on_equal_hours_counts_the_later_timekeepers_as_extra():
    lines = [fee("1.0", rate, rate, keeper=keeper, number=str(n))
             for n, (keeper, rate) in enumerate([("A", "300"), ("B", "200"), ("C", "100")], 1)]
    (finding,) = run("staffing.max-timekeepers", bill(*lines), max=2)
    assert finding.amount == D("100.00") and "C (1.0 h)" in finding.message


def test_max_timekeepers_counts_distinct_fee_timekeepers():
    lines = (fee("1.0", "100", "100", keeper="1", number="1"), fee("1.0", "100", "100", keeper="1", number="2"),
             expense("1", "10", "10", "E101", keeper="2", number="3"))
    assert run("staffing.max-timekeepers", bill(*lines), max=1) == []


@pytest.mark.parametrize("limit", [0, -1, 1.5])
def test_max_timekeepers_must_be_a_whole_number_of_at_least_one(limit):
    with pytest.raises(LedesConfigError, match="staffing.max-timekeepers.max"):
        run("staffing.max-timekeepers", _team(1), max=limit)


# ================================================================= narrative.vague: min_words
@pytest.mark.parametrize(("text", "min_words", "vague"),
                         [("Review Smith lease", 1, False), ("Review Smith lease", 2, False),
                          ("Review Smith lease", 3, True), ("Review lease", 2, True)])
def test_vague_min_words_either_side(text: str, min_words: int, vague: bool):
    # "Review" is a generic word; "Smith" and "lease" are the two specific words
    found = run("narrative.vague", bill(fee("1.0", "100", "100", text=text)), min_words=min_words)
    assert len(found) == (1 if vague else 0)


# ================================================================= 3. period.line-date: the slow path's boundaries
START, END = date(2024, 3, 1), date(2024, 3, 31)


@pytest.mark.parametrize("unreadable", [None, Unparsed("20240399")], ids=["empty", "unparsed"])
def test_line_date_slow_path_accepts_both_ends_of_the_period(unreadable):
    """Slow path: an empty or unreadable date sends the rule line by line; the first and last days are inside."""
    lines = (fee("1.0", "100", "100", on=START, number="1"), fee("1.0", "100", "100", on=END, number="2"),
             fee("1.0", "100", "100", on=unreadable, number="3"))
    assert run("period.line-date", bill(*lines)) == []


@pytest.mark.parametrize("unreadable", [None, Unparsed("20240399")], ids=["empty", "unparsed"])
def test_line_date_slow_path_reports_the_day_before_and_the_day_after(unreadable):
    lines = (fee("1.0", "100", "100", on=date(2024, 2, 29), number="1"), fee("1.0", "100", "100", on=START, number="2"),
             fee("1.0", "100", "100", on=unreadable, number="3"), fee("1.0", "100", "100", on=END, number="4"),
             fee("1.0", "200", "200", on=date(2024, 4, 1), number="5"))
    assert reported(run("period.line-date", bill(*lines))) == [("1", D("100")), ("5", D("200"))]


def test_line_date_slow_path_forced_by_an_outside_line_keeps_the_boundaries_inside():
    lines = (fee("1.0", "100", "100", on=START, number="1"), fee("1.0", "100", "100", on=END, number="2"),
             fee("1.0", "100", "100", on=date(2024, 4, 1), number="3"))
    assert reported(run("period.line-date", bill(*lines))) == [("3", D("100"))]
    lines = (fee("1.0", "100", "100", on=date(2024, 2, 29), number="1"), fee("1.0", "100", "100", on=START, number="2"),
             fee("1.0", "100", "100", on=END, number="3"))
    assert reported(run("period.line-date", bill(*lines))) == [("1", D("100"))]


def test_line_date_fast_path_at_both_ends_and_one_day_out():
    inside = (fee("1.0", "100", "100", on=START, number="1"), fee("1.0", "100", "100", on=END, number="2"))
    assert run("period.line-date", bill(*inside)) == []
    assert reported(run("period.line-date", bill(fee("1.0", "100", "100", on=date(2024, 2, 29))))) == [("1", D("100"))]
    assert reported(run("period.line-date", bill(fee("1.0", "100", "100", on=date(2024, 4, 1))))) == [("1", D("100"))]


def test_line_date_period_of_one_day():
    one_day = {"start": END, "end": END}
    assert run("period.line-date", bill(fee("1.0", "100", "100", on=END), **one_day)) == []
    both = (fee("1.0", "100", "100", on=END, number="1"), fee("1.0", "100", "100", on=None, number="2"))
    assert run("period.line-date", bill(*both, **one_day)) == []
    out = (fee("1.0", "100", "100", on=date(2024, 3, 30), number="1"), fee("1.0", "100", "100", on=None, number="2"))
    assert reported(run("period.line-date", bill(*out, **one_day))) == [("1", D("100"))]


def test_line_date_skips_a_reversed_period_and_an_invoice_without_lines():
    lines = (fee("1.0", "100", "100", on=date(2024, 4, 1)),)
    assert run("period.line-date", bill(*lines, start=date(2024, 4, 2), end=date(2024, 4, 1))) == []
    assert run("period.line-date", bill(total="0")) == []


@pytest.mark.parametrize(("start", "reversed_"), [(date(2024, 3, 30), False), (date(2024, 3, 31), False),
                                                  (date(2024, 4, 1), True)])
def test_period_order_one_day_either_side(start: date, reversed_: bool):
    found = run("period.order", bill(fee("1.0", "100", "100", on=END), start=start, end=END))
    assert len(found) == (1 if reversed_ else 0)


# ================================================================= field.negative-units and duplicate numbers: slow paths
def test_negative_units_zero_is_not_negative_and_a_hundredth_below_is():
    assert run("field.negative-units", bill(fee("0", "350", "0"))) == []
    assert reported(run("field.negative-units", bill(fee("-0.01", "350", "-3.50")))) == [("1", D("-3.50"))]


def test_negative_units_slow_path():
    """Slow path: empty units send the rule line by line; zero units still pass, and IF/IE lines are not checked."""
    empty = item(FEE_ADJ, None, "100", "100", number="1")
    zero = fee("0", "350", "0", number="2")
    assert run("field.negative-units", bill(empty, zero)) == []
    credit = item(FEE_ADJ, "-1", "100", "-100", number="3")  # negative, but an IF line
    below = expense("-0.01", "10", "-0.10", "E101", number="4")
    assert reported(run("field.negative-units", bill(empty, zero, credit, below))) == [("4", D("-0.10"))]


def test_money_at_stake_of_a_credit_line_is_reported_without_its_sign():
    """The rule's figure is the line's total (-40.00); the finding's money at stake is the sum, 40.00, never negative."""
    case = FIXTURES / "rules" / "field.negative-units" / "fail_credit_as_negative_hours.txt"
    found = [d for d in ledes.validate_file(case).diagnostics if d.rule == "field.negative-units"]
    assert [(d.line, d.amount) for d in found] == [(5, D("40.00"))]


def test_duplicate_line_number_slow_path_leaves_empty_numbers_alone():
    lines = (fee("1.0", "100", "100", number="1"), attrs.evolve(fee("1.0", "100", "100"), number=None),
             attrs.evolve(fee("1.0", "100", "100"), number=None), fee("1.0", "100", "100", number="2"))
    assert run("invoice.duplicate-line-number", bill(*lines)) == []
    again = fee("1.0", "100", "100", number="2")
    (finding,) = run("invoice.duplicate-line-number", bill(*lines, again))
    assert finding.record is again


# ================================================================= field.length: at the limit and one character over
def _pad(length: int, seed: str = "X") -> str:
    return (seed * length)[:length]


@pytest.mark.parametrize(("length", "found"), [(19, []), (20, []), (21, [("field.length", 8, "INVOICE_NUMBER")])])
def test_invoice_number_length(tmp_path: Path, length: int, found: list):
    _, _, rows = loc_rows()
    rows[5]["INVOICE_NUMBER"] = _pad(length, "96543")  # invoice 96543 is the last row alone
    assert validate_rows(tmp_path, rows) == found


@pytest.mark.parametrize(("length", "found"), [(29, []), (30, []), (31, [("field.length", 5, "TIMEKEEPER_NAME")])])
def test_timekeeper_name_length(tmp_path: Path, length: int, found: list):
    _, _, rows = loc_rows()
    rows[2]["TIMEKEEPER_NAME"] = _pad(length, "Beaster, John ")  # 45875's only row
    assert validate_rows(tmp_path, rows) == found


@pytest.mark.parametrize(("length", "found"), [(15360, []), (15361, [("field.length", 3, "LINE_ITEM_DESCRIPTION")])])
def test_description_length(tmp_path: Path, length: int, found: list):
    _, _, rows = loc_rows()
    rows[0]["LINE_ITEM_DESCRIPTION"] = _pad(length, "Research ")
    assert validate_rows(tmp_path, rows) == found


def test_line_level_length_slow_path_reports_only_the_row_over_the_limit(tmp_path: Path):
    """Slow path: once one value of a column is too long, each row is checked; a row at the limit is not reported."""
    _, _, rows = loc_rows()
    rows[0]["LINE_ITEM_TASK_CODE"] = _pad(20, "L510")
    rows[1]["LINE_ITEM_TASK_CODE"] = _pad(20, "L510")
    assert validate_rows(tmp_path, rows) == []
    rows[1]["LINE_ITEM_TASK_CODE"] = _pad(21, "L510")
    rows[2]["LINE_ITEM_TASK_CODE"] = _pad(19, "L510")
    assert validate_rows(tmp_path, rows) == [("field.length", 4, "LINE_ITEM_TASK_CODE")]


def test_1998bi_law_firm_ids_at_their_limits():
    (law_firm_id,) = [field for field in FIELDS_1998BI if field.name == "LAW_FIRM_ID"]
    three = "~".join([_pad(20, "A"), _pad(20, "B"), _pad(20, "C")])
    assert _rule(law_firm_id.kind.convert(three)[1]) is None
    assert _rule(law_firm_id.kind.convert(three + "~D")[1]) == "field.length"  # four ids
    assert _rule(law_firm_id.kind.convert("~".join([_pad(20, "A"), _pad(21, "B")]))[1]) == "field.length"


# ================================================================= field.number, field.tax-rate: precision and range
@pytest.mark.parametrize(
    ("text", "problem"),
    [("9999999999", None), ("9999999999.9999", None), ("-9999999999", None), ("0000000000350", None),
     ("10000000000", "field.number"), ("350.00001", "field.number"), ("350.0000", None),
     # spelled with a leading zero: the digits are counted, not the characters
     ("09999999999.0000", None), ("010000000000", "field.number"), ("0350.00001", "field.number")],
)
def test_line_amount_precision_10_4(text: str, problem: str | None):
    assert _rule(fields.Number(integer_digits=10, decimals=4).convert(text)[1]) == problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [("0", None), ("0.9999999999", None), ("1", "field.tax-rate"), ("1.0", "field.tax-rate"),
     ("-0.0000000001", "field.tax-rate"), ("0.99999999999", "field.number")],
)
def test_tax_rate_from_zero_up_to_one(text: str, problem: str | None):
    assert _rule(fields.Rate().convert(text)[1]) == problem


# ================================================================= 4. impossible dates: field.date in every format
@pytest.mark.parametrize(
    ("text", "real"),
    [("20240229", True), ("20230229", False), ("20240230", False), ("20240131", True), ("20240132", False),
     ("20241231", True), ("20241301", False), ("20240100", False), ("00010101", True), ("00000101", False)],
)
def test_yyyymmdd_dates_at_the_calendar_limits(text: str, real: bool):
    """1998B/1998BI (fields.Date) and LEDES 2000 (DATE8) read the same calendar."""
    for value, problem in (fields.Date().convert(text)[:2], ledes2000_table.convert(ledes2000_table.DATE8, text)):
        assert isinstance(value, date) is real
        assert _rule(problem) == (None if real else "field.date")


@pytest.mark.parametrize(
    ("text", "real"),
    [("2024-02-29", True), ("2023-02-29", False), ("2024-02-30", False), ("2024-12-31", True), ("2024-12-32", False),
     ("2024-13-01", False), ("2024-01-00", False)],
)
def test_xml_dates_at_the_calendar_limits(text: str, real: bool):
    value, problem = ledesxml_table.convert(ledesxml_table.DATE, text)
    assert isinstance(value, date) is real
    assert _rule(problem) == (None if real else "field.date")


def _dates(findings: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return [finding for finding in findings if finding[0] == "field.date"]


@pytest.mark.parametrize(
    ("sample", "old", "new", "lines"),
    [(XML_22, "<charge_date>2021-01-15<", "<charge_date>2021-02-30<", [103, 122]),  # both fees of the 15th
     (XML_22, "<inv_date>2021-02-25<", "<inv_date>2021-02-30<", [51]),
     (XML_22, "<inv_date>2021-02-25<", "<inv_date>2021-02-29<", [51]),  # 2021 is not a leap year
     (XML_21, "<charge_date>2008-01-15<", "<charge_date>2008-02-30<", [95, 110]),
     (XML_21, "<inv_date>2008-02-25<", "<inv_date>2008-02-30<", [43]),
     (XML_2000, "<charge_date>20240206<", "<charge_date>20240230<", [100]),
     (XML_2000, "<inv_date>20240305<", "<inv_date>20240230<", [45, 238])],  # both invoices' dates
    ids=["2.2-charge", "2.2-invoice", "2.2-feb-29-2021", "2.1-charge", "2.1-invoice", "2000-charge", "2000-invoice"],
)
def test_xml_february_30_is_a_field_date_finding(tmp_path: Path, sample: Path, old: str, new: str, lines: list[int]):
    """Once per element, even when the same impossible text repeats (the reader converts each text once)."""
    assert _dates(xml_findings(tmp_path, sample, (old, new))) == [("field.date", n) for n in lines]


@pytest.mark.parametrize(
    ("sample", "old", "new"),
    [(XML_22, "<inv_date>2021-02-25<", "<inv_date>2021-02-28<"), (XML_21, "<inv_date>2008-02-25<", "<inv_date>2008-02-29<"),
     (XML_2000, "<inv_date>20240305<", "<inv_date>20240229<")],  # 2024 is a leap year
)
def test_xml_last_day_of_february_is_a_date(tmp_path: Path, sample: Path, old: str, new: str):
    assert xml_findings(tmp_path, sample, (old, new)) == []


def test_1998b_february_30_on_two_rows_is_two_findings(tmp_path: Path):
    _, _, rows = loc_rows()
    rows[0]["LINE_ITEM_DATE"] = rows[1]["LINE_ITEM_DATE"] = "19990230"
    assert validate_rows(tmp_path, rows) == [("field.date", 3, "LINE_ITEM_DATE"), ("field.date", 4, "LINE_ITEM_DATE")]


# ================================================================= xml.size: the ceiling, a byte under and a byte over
def _document(size: int) -> bytes:
    body = b"<?xml version='1.0'?>\n<a>"
    return body + b" " * (size - len(body) - len(b"</a>")) + b"</a>"


@pytest.mark.parametrize(("size", "limit", "refused"), [(200, 201, False), (200, 200, False), (200, 199, True)])
def test_xml_size_ceiling_for_bytes_files_and_streams(tmp_path: Path, size: int, limit: int, refused: bool):
    data = _document(size)
    assert len(data) == size
    path = tmp_path / "doc.xml"
    path.write_bytes(data)

    def is_refused(result, how: str) -> bool:
        if not isinstance(result, list):
            return False
        (problem,) = result
        assert problem.rule == "xml.size" and problem.message.endswith(how)
        return True

    # A size known beforehand (bytes, a file) is refused before anything is read; a stream once it passes the limit.
    assert is_refused(parse_untrusted(data, max_bytes=limit), "it was not read") is refused
    assert is_refused(parse_untrusted(path, max_bytes=limit), "it was not read") is refused
    assert is_refused(parse_untrusted(io.BytesIO(data), max_bytes=limit), "reading stopped") is refused
    with open(path, "rb") as handle:
        for source, how in ((io.BytesIO(data), "reading stopped"), (handle, "it was not read")):
            stream = UntrustedStream(source, ("a",), max_bytes=limit)
            elements = list(stream)
            assert is_refused(stream.problems or None, how) is refused
            assert len(elements) == (0 if refused else 1)


# ================================================================= a line the rule skips, then one over the limit
# Each rule skips lines it cannot or need not check (another line type, an empty operand); the
# lines after such a line are still checked, and the empty operand neither counts nor breaks the rule.
def _no_units(number: str) -> LineItem:
    """A fee line of 22547 without units: every guideline rule on hours or rates skips it."""
    return item(FEE, None, "500", "500", keeper="22547", classification="PARTNR", number=number)


CAPS_PARTNR = {"caps": {"PARTNR": "400"}}
SKIP_THEN_CHECK = [
    # rule, options, the lines it skips, then the line over its limit and the money at stake there
    ("rates.cap", CAPS_PARTNR,
     [expense("1", "500", "500", "E101", number="1"), item(FEE, "1.0", "500", "500", number="2"),  # no timekeeper
      fee("1.0", "500", "500", keeper="9", classification="ASSOC", number="3"), _no_units(number="4")],
     fee("1.0", "400.01", "400.01", number="5"), "0.01"),
    ("time.increment", {},
     [expense("1.25", "10", "12.50", "E101", number="1"), fee("1.0", "400", "400", number="2"), _no_units(number="3")],
     fee("1.25", "400", "500", number="4"), "20.00"),
    ("time.daily-hours", {},
     [expense("20", "10", "200", "E101", number="1", keeper="22547"), item(FEE, "11.0", "350", "3850", number="2"),
      fee("11.0", "350", "3850", on=None, number="3"), _no_units(number="4"), fee("6.0", "200", "1200", number="5")],
     fee("4.1", "350", "1435", number="6"), "35.00"),
    ("time.long-entry", {},
     [expense("20", "10", "200", "E101", number="1"), _no_units(number="2"), fee("8.0", "200", "1600", number="3")],
     fee("8.01", "200", "1602", number="4"), "2.00"),
    ("time.travel", {},
     [fee("3.0", "350", "1050", keeper="9", number="1", text="Travel to Chicago"),  # no full rate known for 9
      fee("1.0", "350", "350", number="2", text="Draft brief")],
     fee("3.0", "175.01", "525.03", number="3", text="Travel to Chicago"), "0.03"),
    ("expense.unit-cost-cap", {},
     [attrs.evolve(fee("1.0", "500", "500", number="1"), expense_code="E101"),
      expense(None, "0.25", "30", "E101", number="2"), expense("1", "100", "100", "E111", number="3")],
     expense("120", "0.11", "13.20", "E101", number="4"), "1.20"),
    ("expense.daily-cap", {},
     [expense("1", "80", "80", "E111", on=None, number="1", keeper="22547"),
      attrs.evolve(fee("1.0", "100", "100", number="2"), expense_code="E111"),
      expense("1", "100", "100", "E101", number="3", keeper="22547")],
     expense("1", "75.01", "75.01", "E111", number="4", keeper="22547"), "0.01"),
    ("invoice.aged-charges", {},
     [item(FEE_ADJ, None, None, "-100", adjustment="-100", on=date(2023, 1, 1), number="1"),
      fee("1.0", "300", "300", on=None, number="2"), fee("1.0", "300", "300", on=date(2023, 10, 3), number="3")],
     fee("1.0", "300", "300", on=date(2023, 10, 2), number="4"), "300"),
    ("arithmetic.line-tax", {},
     [fee("1", "100", "120", tax="20", number="1"),  # no rate
      item(FEE, None, "100", "120", tax_rate="0.2", tax="0", number="2")],
     fee("2.00", "350", "756.01", adjustment="-70", tax_rate="0.2", tax="126.01", number="3"), "0.01"),
]


@pytest.mark.parametrize(("name", "options", "skipped", "checked", "at_stake"), SKIP_THEN_CHECK,
                         ids=[case[0] for case in SKIP_THEN_CHECK])
def test_lines_after_a_skipped_line_are_still_checked(name, options, skipped, checked, at_stake):
    found = run(name, bill(*skipped, checked, total=None), **options)
    assert reported(found) == [(checked.number, D(at_stake))]


def test_rate_increase_checks_the_lines_after_a_skipped_one():
    january = _month("350", "1", date(2024, 1, 31))
    february = bill(expense("1", "500", "500", "E101", number="1"), item(FEE, "2.0", "500", "1000", number="2"),
                    _no_units(number="3"), fee("2.0", "350.01", "700.02", on=date(2024, 2, 5), number="4"),
                    number="2", on=date(2024, 2, 29))
    assert reported(run("rates.increase", january, february)) == [("4", D("0.02"))]


def test_max_timekeepers_checks_each_matter():
    small = Matter("M-1", line_items=(fee("1.0", "100", "100", keeper="A"),))
    large = Matter("M-2", line_items=tuple(fee("1.0", "100", "100", keeper=k, number=str(n))
                                           for n, k in enumerate("ABC", 1)))
    (finding,) = run("staffing.max-timekeepers", bill(total="400", matters=(small, large)), max=2)
    assert finding.record is large.line_items[2] and finding.amount == D("100.00")


def test_submission_rules_skip_an_invoice_without_its_dates():
    old = fee("1.0", "300", "300", on=date(2023, 1, 1))  # 730 days before 2025-01-01
    assert run("invoice.late", bill(old, on=date(2025, 1, 1), end=None)) == []
    assert reported(run("invoice.aged-charges", bill(old, on=date(2025, 1, 1), end=None))) == [("1", D("300"))]
    assert run("invoice.late", bill(old, on=None)) == [] and run("invoice.aged-charges", bill(old, on=None)) == []


def test_duplicate_invoice_number_skips_an_invoice_without_a_number():
    assert run("invoice.duplicate-number", bill(fee("1.0", "300", "300"), number=None),
               bill(fee("1.0", "300", "300"), number=None)) == []



def test_duplicate_line_item_compares_without_narratives_when_the_client_says_so():
    """Mitratech CSM's duplicate charge: project, date, timekeeper, task code and quantity; the narrative reworded."""
    january = bill(fee("2.0", "300", "600", text="Draft motion to compel production"), number="INV-1")
    february = bill(fee("2.0", "300", "600", text="Prepare the motion to compel"), number="INV-2")
    assert run("duplicate.line-item", january, february) == []
    (found,) = run("duplicate.line-item", january, february, same_narrative=False)
    assert found.amount == D("600") and "hours as line 1" in found.message and "narrative" not in found.message


def test_invoice_late_since_the_invoice_date_counts_to_the_day_of_the_run():
    """Mitratech CSM's "past due" rule: days from the invoice date to submission, the run standing in for it."""
    today = date.today()
    dated = bill(fee("1.0", "300", "300"), on=today - timedelta(days=31), start=today - timedelta(days=60),
                 end=today - timedelta(days=40))
    (found,) = run("invoice.late", dated, days=30, since="invoice-date")
    assert "submitted 31 days after its date" in found.message
    assert run("invoice.late", dated, days=31, since="invoice-date") == []
    assert run("invoice.late", dated, days=30) == []  # 9 days from the period's end to the invoice date
