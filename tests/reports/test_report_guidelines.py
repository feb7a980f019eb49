"""With --guidelines, the report sums the findings by rule and the money at risk per invoice and per matter."""

from __future__ import annotations

from decimal import Decimal

import lxml.html
from report_support import FIXTURES, LOC_1998B, MULTI_MATTER, NORTHWIND, csv_tables, html_table, report_json, run

import ledes
from ledes import guidelines


def test_northwind_findings_on_multi_matter():
    """Northwind's guidelines find a 10.00 increment, a 190.00 unapproved timekeeper, and two matters on invoice 96544
    (one an invoice): the invoice, 1,752.00, is at risk; its matter 0528 has 200.00 at risk in its lines."""
    found = report_json("--guidelines", NORTHWIND, MULTI_MATTER)["guidelines"]
    assert found["source"] == str(NORTHWIND)
    assert found["rules"] == [
        {"rule": "invoice.max-matters", "level": "error", "findings": 1, "at_stake": "1752.00"},
        {"rule": "time.increment", "level": "warning", "findings": 1, "at_stake": "10.00"},
        {"rule": "timekeeper.not-approved", "level": "error", "findings": 1, "at_stake": "190.00"},
    ]
    assert found["invoices"] == [{"path": str(MULTI_MATTER), "invoice": "96544", "currency": None, "at_risk": "1752.00"}]
    assert found["matters"] == [
        {"matter": {"value": "0528", "name": None, "client_matter_id": "423-987"}, "currency": None, "at_risk": "200.00"}
    ]
    assert found["at_risk"] == [{"currency": None, "at_risk": "1752.00"}]


def test_the_findings_in_text_csv_and_html():
    """The same figures in the text report, the CSV's extra tables and the page's tables."""
    text = run("report", "--guidelines", NORTHWIND, MULTI_MATTER).stdout
    assert "time.increment           warning         1     10.00" in text
    assert "timekeeper.not-approved  error           1    190.00" in text
    assert "invoice.max-matters      error           1  1,752.00" in text
    assert "Total at risk: 1,752.00" in text

    _, rules, invoices, matters = csv_tables(run("report", "--format", "csv", "--guidelines", NORTHWIND,
                                                      MULTI_MATTER).stdout)
    assert [(r["rule"], r["findings"], r["at_stake"]) for r in rules] == [
        ("invoice.max-matters", "1", "1752.00"), ("time.increment", "1", "10.00"),
        ("timekeeper.not-approved", "1", "190.00")]
    assert [(r["invoice"], r["at_risk"]) for r in invoices] == [("96544", "1752.00")]
    assert [(r["matter"], r["at_risk"]) for r in matters] == [("0528", "200.00")]

    page = lxml.html.document_fromstring(run("report", "--format", "html", "--guidelines", NORTHWIND,
                                             MULTI_MATTER).stdout)
    assert html_table(page, "rules") == [["invoice.max-matters", "error", "1", "1,752.00"],
                                         ["time.increment", "warning", "1", "10.00"],
                                         ["timekeeper.not-approved", "error", "1", "190.00"]]
    assert html_table(page, "risk-invoices") == [[MULTI_MATTER.name, "96544", "(unstated)", "1,752.00"]]
    assert page.xpath('//table[@id="risk-invoices"]/tbody/tr/td[1]/@title') == [str(MULTI_MATTER)]
    assert html_table(page, "risk-matters") == [["0528 423-987", "(unstated)", "200.00"]]


def test_findings_outside_the_period_are_left_out():
    """Only findings on counted lines count: a period without those lines has nothing at risk."""
    found = report_json("--guidelines", NORTHWIND, "--period", "1999-01", MULTI_MATTER, LOC_1998B)["guidelines"]
    assert all(risk["path"] != str(MULTI_MATTER) for risk in found["invoices"])
    assert "timekeeper.not-approved" not in {rule["rule"] for rule in found["rules"]}


def test_money_at_risk_per_invoice_is_the_validators():
    """Without a period, each invoice's money at risk is exactly what `ledes validate` reports, over every fixture."""
    run_report = ledes.validate(FIXTURES, guidelines.load(NORTHWIND))
    wanted = {(f.path, number): amount for f in run_report.files for number, amount in f.at_risk.items() if amount}
    found = report_json("--guidelines", NORTHWIND, *FIXTURES)["guidelines"]
    assert {(r["path"], r["invoice"]): Decimal(r["at_risk"]) for r in found["invoices"]} == wanted
    counts: dict[str, int] = {}
    for file in run_report.files:
        for diagnostic in file.diagnostics:
            counts[diagnostic.rule] = counts.get(diagnostic.rule, 0) + 1
    reported: dict[str, int] = {}
    for row in found["rules"]:  # the fixtures' invoices are in several currencies: a row per rule and currency
        reported[row["rule"]] = reported.get(row["rule"], 0) + row["findings"]
    assert reported == counts


def test_a_preset_can_stand_for_a_file():
    """--guidelines default applies the shipped preset."""
    found = report_json("--guidelines", "default", MULTI_MATTER)["guidelines"]
    assert found["source"] == "preset 'default'"


def test_guidelines_need_files_not_standard_input():
    """Standard input cannot be read a second time for validation: one line, exit 2."""
    result = run("report", "--guidelines", NORTHWIND, "-", input=MULTI_MATTER.read_text(encoding="utf-8"))
    assert result.exit_code == 2
    assert "standard input" in result.stderr
