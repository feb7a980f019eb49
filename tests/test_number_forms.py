"""One file's hours, units and money read the same in `ledes show`, `ledes report` (text, CSV, JSON, HTML) and `ledes validate`."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st

from ledes.figures import counted, hours, money, plain_money, plain_quantity, quantity
from ledes_cli.main import main

HEADER = (
    "INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|BILLING_END_DATE|"
    "INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|"
    "LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|"
    "LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]"
)
START = "20240331|7001|00711|0528|456735.00|20240301|20240331|Services|"
# 1,304.5 hours on one day (over any daily cap), hours written "0.200", and 1,200 copies.
LINES = (
    "1|F|1304.5|0.00|456575.00|20240304|L120||A104|22547|Review and analyze the production|24-6437381|350.00|Arnsley, Robert|PARTNR|423-987[]",
    "2|F|0.200|0.00|40.00|20240305|L210||A103|45875|Draft motion to dismiss|24-6437381|200.00|Beaster, John|ASSOC|423-987[]",
    "3|E|1200|0.00|120.00|20240305||E101|||Copying|24-6437381|0.10|||423-987[]",
)


def run(*args: object) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.fixture(scope="module")
def invoice(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("forms") / "large.txt"
    path.write_text("\n".join(["LEDES1998B[]", HEADER, *(START + line for line in LINES)]) + "\n", encoding="utf-8")
    return path


def test_hours_units_and_money_read_the_same_in_every_command(invoice):
    """Hours 1,304.50 and 0.20, units 1,200.00, the total 456,735.00 and the money at stake, alike everywhere."""
    shown = run("show", invoice)
    assert re.search(r"22547 Arnsley, Robert PARTNR\s+1,304\.50\s+456,575\.00", shown)
    assert re.search(r"45875 Beaster, John ASSOC\s+0\.20\s+40\.00", shown)
    assert re.search(r"F fee\s+2\s+1,304\.70\s+456,615\.00", shown)
    assert re.search(r"E expense\s+1\s+1,200\.00\s+120\.00", shown)
    assert "invoice total 456,735.00" in shown and "2 lines, 1,304.70 hours" not in shown
    assert "matter 0528 (client matter 423-987): 3 lines, 1,304.70 hours, 456,735.00" in shown

    text = run("report", "--by", "timekeeper", "--guidelines", "default", invoice)
    assert re.search(r"22547 Arnsley, Robert\s+1\s+1,304\.50\s+456,575\.00", text)
    assert re.search(r"45875 Beaster, John\s+1\s+0\.20\s+40\.00", text)
    assert re.search(r"total\s+3\s+1,304\.70\s+456,615\.00\s+120\.00", text)
    assert re.search(r"large\.txt\s+7001\s+00711\s+\(unstated\)\s+2024-03-31\s+3\s+456,735\.00\s+456,735\.00", text)

    validated = run("validate", "--guidelines", "default", invoice)
    daily = next(line for line in validated.splitlines() if "time.daily-hours" in line)
    assert "bills 1,304.50 hours on 2024-03-04" in daily
    at_stake = re.search(r"at stake ([0-9,.]+)\]", daily).group(1)
    assert at_stake == "453,075.00"  # (1,304.5 - 10) h × 350.00
    assert re.search(rf"time\.daily-hours\s+warning\s+1\s+{re.escape(at_stake)}", text)

    page = lxml.html.document_fromstring(run("report", "--format", "html", "--by", "timekeeper", "--guidelines",
                                             "default", invoice))
    rows = {row[0]: row for row in _cells(page, "groups")}
    assert rows["22547 Arnsley, Robert"][2:4] == ["1,304.50", "456,575.00"]
    assert rows["45875 Beaster, John"][2:4] == ["0.20", "40.00"]
    assert _cells(page, "invoices")[0][-2:] == ["456,735.00", "456,735.00"]
    assert ["time.daily-hours", "warning", "1", at_stake] in _cells(page, "rules")
    assert "1,304.70 hours" in page.xpath('string(//ul[@id="summary"])')

    table, rules, *_ = [list(csv.DictReader(io.StringIO(block))) for block in
                        run("report", "--format", "csv", "--by", "timekeeper", "--guidelines", "default",
                            invoice).strip().split("\n\n")]
    by_keeper = {row["timekeeper"]: row for row in table}
    assert (by_keeper["22547"]["hours"], by_keeper["22547"]["total"]) == ("1304.50", "456575.00")
    assert (by_keeper["45875"]["hours"], by_keeper["45875"]["total"]) == ("0.20", "40.00")
    assert next(r for r in rules if r["rule"] == "time.daily-hours")["at_stake"] == at_stake.replace(",", "")


def test_json_figures_have_one_form_in_every_command(invoice):
    """JSON: money to the minor unit and hours to at least two places, as decimal strings without separators."""
    shown = json.loads(run("show", "--format", "json", invoice))
    (bill,) = shown["invoices"]
    assert (bill["invoice_total"], bill["line_total"]) == ("456735.00", "456735.00")
    assert [(k["id"], k["hours"], k["fees"]) for k in bill["timekeepers"]] == [
        ("22547", "1304.50", "456575.00"), ("45875", "0.20", "40.00")]
    assert bill["by_line_type"]["E expense"] == {"lines": 1, "units": "1200.00", "amount": "120.00"}
    (matter,) = bill["matters"]
    assert (matter["units"], matter["hours"], matter["expense_units"]) == ("1304.70", "1304.70", "1200.00")

    reported = json.loads(run("report", "--format", "json", "--by", "timekeeper", "--guidelines", "default", invoice))
    assert [(g["keys"]["timekeeper"]["value"], g["hours"], g["total"]) for g in reported["groups"]] == [
        ("22547", "1304.50", "456575.00"), ("45875", "0.20", "40.00"), (None, "0.00", "120.00")]
    validated = json.loads(run("validate", "--format", "json", "--guidelines", "default", invoice))
    daily = next(d for d in validated["files"][0]["diagnostics"] if d["rule"] == "time.daily-hours")
    stake = next(r for r in reported["guidelines"]["rules"] if r["rule"] == "time.daily-hours")["at_stake"]
    assert daily["amount"] == stake == "453075.00"


def _cells(page, table: str) -> list[list[str]]:
    return [[cell.text_content().strip() for cell in row.xpath("./td")]
            for row in page.xpath(f'//table[@id="{table}"]/tbody/tr')]


@pytest.mark.parametrize(("amount", "currency", "shown", "plain"), [
    (Decimal("1370"), None, "1,370.00", "1370.00"),
    (Decimal("1370"), "JPY", "1,370", "1370"),
    (Decimal("0.3705"), "KWD", "0.371", "0.371"),
    (Decimal("-0.004"), "USD", "0.00", "0.00"),
    (Decimal("-1234567.895"), "GBP", "-1,234,567.90", "-1234567.90"),
    (Decimal("433876619.5"), None, "433,876,619.50", "433876619.50"),
])
def test_money_to_the_currency_minor_unit(amount, currency, shown, plain):
    assert (money(amount, currency), plain_money(amount, currency)) == (shown, plain)


@pytest.mark.parametrize(("value", "shown", "plain"), [
    (Decimal("4"), "4.00", "4.00"), (Decimal("0.200"), "0.20", "0.20"), (Decimal("1.125"), "1.125", "1.125"),
    (Decimal("1304818.2"), "1,304,818.20", "1304818.20"), (Decimal("1E+3"), "1,000.00", "1000.00"),
])
def test_quantities_keep_every_digit_with_two_places_at_least(value, shown, plain):
    assert (quantity(value), plain_quantity(value)) == (shown, plain)


def test_nouns_agree_with_their_numbers():
    assert (hours(Decimal("1.00")), hours(Decimal("0.5")), hours(Decimal("2"))) == ("1 hour", "0.50 hours", "2.00 hours")
    assert (counted(1, "invoice"), counted(1204, "line item")) == ("1 invoice", "1,204 line items")


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**12, max_value=10**12))
@example(Decimal("-0.0001"))
def test_the_plain_form_is_the_people_form_without_separators(value):
    """Money and quantities: the CSV/JSON form is the text form with its commas taken out, and reads back."""
    assert plain_money(value).replace(",", "") == money(value).replace(",", "")
    assert Decimal(plain_quantity(value)) == value
    assert re.fullmatch(r"-?(0|[1-9][0-9]{0,2}(,[0-9]{3})*)\.[0-9]{2,}", quantity(value))
