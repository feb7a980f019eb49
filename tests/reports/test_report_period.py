"""--period counts only the line items dated in a year, quarter or month; invoices are reconciled line by line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from report_support import FIXTURES, MULTI_MATTER, expected, report_json, run

from ledes.reports import parse_period


@pytest.mark.parametrize(
    ("text", "name", "start", "end"),
    [
        ("2024", "2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-Q1", "2024-Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024-q4", "2024-Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", "2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("0100", "0100", date(100, 1, 1), date(100, 12, 31)),  # four digits, as the report's own periods sort
        ("0999-03", "0999-03", date(999, 3, 1), date(999, 3, 31)),
    ],
)
def test_a_period_is_a_year_a_quarter_or_a_month(text, name, start, end):
    """Each form names the whole span, both ends included."""
    period = parse_period(text)
    assert (period.name, period.start, period.end) == (name, start, end)
    assert start in period and end in period and date(start.year - 1, 12, 31) not in period


@pytest.mark.parametrize("text", ["24", "2024-Q5", "2024-13", "2024-1", "2024-03-01", "Q1", ""])
def test_other_periods_are_refused(text):
    """Anything else is a usage error naming the three accepted forms, exit 2."""
    with pytest.raises(ValueError, match="a quarter"):
        parse_period(text)
    result = run("report", "--period", text, MULTI_MATTER)
    assert result.exit_code == 2
    assert "2024-Q1" in result.output


@pytest.mark.parametrize("period", ["2008", "2008-Q1", "2008-01", "1999-Q1", "1999-02", "2021", "2024-01"])
def test_period_totals_equal_the_lines_dated_in_it(period):
    """The totals are those of exactly the lines dated in the period, computed from the invoices."""
    span = parse_period(period)
    wanted = expected(FIXTURES, lambda item: item.date in span)
    document = report_json("--period", period, "--by", "month", *FIXTURES)
    assert document["period"] == {"name": span.name, "start": str(span.start), "end": str(span.end)}
    totals = {entry["currency"]: entry for entry in document["totals"]}
    assert set(totals) == set(wanted)
    for currency, figures in wanted.items():
        assert Decimal(totals[currency]["total"]) == figures["total"]
        assert totals[currency]["lines"] == figures["lines"]
        assert Decimal(totals[currency]["hours"]) == figures["hours"]
    for group in document["groups"]:
        assert parse_period(group["keys"]["month"]["value"]).start in span


def test_a_period_with_no_lines_gives_an_empty_report():
    """No line dated in the period: no groups, no totals, no invoices, and still exit 0."""
    document = report_json("--period", "2030", *FIXTURES)
    assert document["groups"] == document["totals"] == document["invoices"] == []
    assert run("report", "--period", "2030", "--format", "html", *FIXTURES).exit_code == 0
    assert "No line items counted." in run("report", "--period", "2030", *FIXTURES).stdout


def test_an_invoice_split_by_the_period_shows_what_was_counted(tmp_path):
    """An invoice with lines in two months: the period counts its lines in the month, beside its stated total."""
    text = MULTI_MATTER.read_text(encoding="utf-8").replace("|1225.00|19990203|", "|1225.00|19990303|")
    path = tmp_path / "two-months.txt"
    path.write_text(text, encoding="utf-8")
    february = report_json("--period", "1999-02", path)
    invoice = next(i for i in february["invoices"] if i["number"] == "96544")
    assert (invoice["stated_total"], invoice["total"], invoice["lines"]) == ("1752.00", "527.00", 5)
    march = report_json("--period", "1999-Q1", "--by", "month", path)
    months = {g["keys"]["month"]["value"]: g["total"] for g in march["groups"]}
    assert months == {"1999-02": "2451.50", "1999-03": "1225.00"}
    text_output = run("report", "--period", "1999-02", path).stdout
    assert "differs" in text_output and "period 1999-02 (1999-02-01 to 1999-02-28)" in text_output
