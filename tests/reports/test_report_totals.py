"""`ledes report` totals agree with the invoices to the cent, in every output format and for every grouping."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import lxml.html
import pytest
from report_support import (
    FIXTURES,
    MULTI_MATTER,
    csv_tables,
    expected,
    html_table,
    html_totals,
    money,
    report_json,
    run,
)

from ledes.figures import quantity
from ledes.reports import KEYS

EXPECTED = expected(FIXTURES)
FIGURES = ("fees", "expenses", "adjustments", "total")


def test_the_fixtures_cover_every_format_and_several_currencies():
    """The expected sums come from 1998B, 1998BI, XML 2.0, 2.1, 2.2 and LEDES 2000 files in five currencies."""
    assert len(FIXTURES) == 11  # four 1998B, one 1998BI, XML 2.0, 2.1, two 2.2 and two LEDES 2000 files
    assert set(EXPECTED) == {None, "EUR", "GBP", "USD", "Dolar"}
    for figures in EXPECTED.values():
        assert figures["total"] == figures["invoice_totals"]  # the fixtures' lines add up to their invoices


def test_json_grand_totals_equal_the_invoice_totals_per_currency():
    """Each currency's grand total is the sum of its invoices' stated totals, and its figures the lines' sums."""
    document = report_json(*FIXTURES)
    totals = {entry["currency"]: entry for entry in document["totals"]}
    assert set(totals) == set(EXPECTED)
    for currency, figures in EXPECTED.items():
        assert Decimal(totals[currency]["total"]) == figures["invoice_totals"]
        assert totals[currency]["lines"] == figures["lines"]
        assert Decimal(totals[currency]["hours"]) == figures["hours"]
        for name in FIGURES:
            assert Decimal(totals[currency][name]) == figures[name], (currency, name)


@pytest.mark.parametrize("key", KEYS)
def test_every_grouping_adds_up_to_the_grand_total(key):
    """For each --by key, the groups of a currency add up to its total: every counted line is in one group."""
    document = report_json("--by", key, *FIXTURES)
    for currency, figures in EXPECTED.items():
        groups = [group for group in document["groups"] if group["currency"] == currency]
        assert all(set(group["keys"]) == {key} for group in groups)
        assert sum(Decimal(group["total"]) for group in groups) == figures["invoice_totals"]
        assert sum(Decimal(group["hours"]) for group in groups) == figures["hours"]
        assert sum(group["lines"] for group in groups) == figures["lines"]


def test_several_keys_give_one_row_per_combination():
    """--by client,matter --by month: each row has the three keys, no combination twice, and they add up."""
    document = report_json("--by", "client,matter", "--by", "month", *FIXTURES)
    assert document["by"] == ["client", "matter", "month"]
    combinations = [
        (group["currency"], *(group["keys"][key]["value"] for key in document["by"])) for group in document["groups"]
    ]
    assert len(combinations) == len(set(combinations))
    assert combinations == sorted(combinations, key=lambda c: (c[0] is not None, c[0] or "", *c[1:]))
    for currency, figures in EXPECTED.items():
        total = sum(Decimal(g["total"]) for g in document["groups"] if g["currency"] == currency)
        assert total == figures["invoice_totals"]


def test_json_invoices_reconcile_with_their_stated_totals():
    """Every invoice is listed with its stated total and the same total counted from its lines."""
    document = report_json(*FIXTURES)
    assert len(document["invoices"]) == 17  # 1 + 2 + 3 + 2 (1998B), 2 (1998BI), 1 + 1 + 1 + 1 (XML 2.x), 1 + 2 (LEDES 2000)
    for invoice in document["invoices"]:
        assert invoice["stated_total"] == invoice["total"]


def test_codes_and_phases_are_named_from_the_utbms_sets():
    """--by phase rolls tasks up to their phase (L120 → L100) and names it; lines without a task are "none"."""
    document = report_json("--by", "phase", *FIXTURES)
    phases = {group["keys"]["phase"]["value"]: group["keys"]["phase"]["name"] for group in document["groups"]}
    assert phases["L100"] == "Case Assessment, Development and Administration"
    assert phases["L500"] == "Appeal"
    assert None in phases and not {"L120", "L510"} & set(phases)


def test_text_total_rows_agree_with_the_invoices():
    """The text table ends with one total row per currency, each equal to the invoices' totals."""
    result = run("report", "--by", "timekeeper", *FIXTURES)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    totals = {}
    for line in lines[rule + 1:]:
        if not line.strip():
            break
        cells = re.split(r"\s{2,}", line.strip())
        assert cells[1] == "total"
        totals[None if cells[0] == "(unstated)" else cells[0]] = cells[-1]
    assert totals == {currency: money(f["invoice_totals"]) for currency, f in EXPECTED.items()}


def test_csv_total_rows_and_groups_agree_with_the_invoices():
    """The CSV has one row per group and one total row per currency; both add up to the invoices' totals."""
    result = run("report", "--format", "csv", "--by", "matter,expense", *FIXTURES)
    assert result.exit_code == 0, result.output
    (table,) = csv_tables(result.stdout)
    assert list(table[0]) == ["row", "currency", "matter", "matter_name", "expense", "expense_name",
                              "lines", "hours", "fees", "expenses", "adjustments", "tax", "total", "client_matter_id"]
    for currency, figures in EXPECTED.items():
        mine = [row for row in table if (row["currency"] or None) == currency]
        (total,) = [row for row in mine if row["row"] == "total"]
        assert Decimal(total["total"]) == figures["invoice_totals"]
        assert Decimal(total["hours"]) == figures["hours"]
        assert sum(Decimal(row["total"]) for row in mine if row["row"] == "group") == figures["invoice_totals"]
    copying = [row for row in table if row["expense"] == "E101"]
    assert copying and all(row["expense_name"] == "Copying" for row in copying)


def test_html_tables_agree_with_the_invoices():
    """The page's grouped table totals, invoice table and summary cards give the invoices' totals."""
    result = run("report", "--format", "html", "--by", "client", *FIXTURES)
    assert result.exit_code == 0, result.output
    document = lxml.html.document_fromstring(result.stdout)
    assert html_totals(document) == {currency: f["invoice_totals"] for currency, f in EXPECTED.items()}
    for currency, figures in EXPECTED.items():
        label = currency or "(unstated)"
        rows = [row for row in html_table(document, "groups") if row[0] == label]
        assert sum(Decimal(row[-1].replace(",", "")) for row in rows) == figures["invoice_totals"]
        (card,) = document.xpath(f'//ul[@id="summary"]/li[@data-currency="{currency or ""}"]')
        assert card.xpath('./span[@class="figure"]')[0].text_content() == money(figures["invoice_totals"])
    invoices = html_table(document, "invoices")
    assert len(invoices) == 17 and all(row[-2] == row[-1] for row in invoices)


def test_uncountable_lines_are_left_out_and_reported(tmp_path):
    """A line whose total cannot be read is not counted; the report says how many were left out."""
    text = MULTI_MATTER.read_text(encoding="utf-8").replace("|1225.00|", "|12x5.00|")
    path = tmp_path / "damaged.txt"
    path.write_text(text, encoding="utf-8")
    result = run("report", "--format", "json", path)
    assert result.exit_code == 0
    assert "reading it found" in result.stderr
    document = json.loads(result.stdout)
    assert document["uncounted"] == 1
    assert document["totals"][0]["total"] == "2451.50"  # 3676.50 less the unreadable 1225.00


def test_hours_wider_than_the_decimal_context_are_shown_not_raised(tmp_path):
    """33 digits of hours on one line (validate reports them) do not stop the report, and are shown in digits, not 1E+33.

    They are added exactly, as the rules add them: the timekeeper's other 0.50 hours are not
    rounded away (28 digits of precision made the sum 1000000000000000000000000000000000.00).
    """
    text = MULTI_MATTER.read_text(encoding="utf-8").replace("|F|3.50|", "|F|" + "9" * 33 + ".25|", 1)
    path = tmp_path / "wide.txt"
    path.write_text(text, encoding="utf-8")
    result = run("report", "--format", "json", "--by", "timekeeper", path)
    assert result.exit_code == 0, result.output
    hours = {group["keys"]["timekeeper"]["value"]: group["hours"] for group in json.loads(result.stdout)["groups"]}
    assert hours["22547"] == "9" * 33 + ".75" and hours["45875"] == "3.25"
    shown = run("report", "--by", "timekeeper", path)
    assert shown.exit_code == 0 and quantity(Decimal(hours["22547"])) in shown.stdout  # with thousands separators


def test_amounts_wider_than_the_decimal_context_are_added_exactly(tmp_path):
    """Lines of ±30 digits and one of 0.01: the group, the grand total and the invoice's counted total are all 0.01."""
    wide = "123456789012345678901234567890.67"
    lines = MULTI_MATTER.read_text(encoding="utf-8").splitlines()
    first = lines[2].split("|")
    total = next(index for index, name in enumerate(lines[1].removesuffix("[]").split("|")) if name == "LINE_ITEM_TOTAL")
    rows = []
    for number, amount in enumerate((wide, "0.01", "-" + wide), start=1):
        row = list(first)
        row[8], row[total] = str(number), amount
        rows.append("|".join(row))
    path = tmp_path / "wide.txt"
    path.write_text("\n".join([*lines[:2], *rows]) + "\n", encoding="utf-8")
    document = json.loads(run("report", "--format", "json", path).stdout)
    assert [group["total"] for group in document["groups"]] == ["0.01"]
    assert document["totals"][0]["total"] == "0.01"
    assert [invoice["total"] for invoice in document["invoices"]] == ["0.01"]
