"""Helpers for the report tests: the fixtures, the CLI, and expected sums computed straight from ledes.iter_invoices."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path

import lxml.html
from click.testing import CliRunner, Result

import ledes
from ledes import LineItem, LineItemType
from ledes_cli.main import main

ROOT = Path(__file__).resolve().parents[2]
# ledes2000_sample.xml is the writer's own output (fixtures/xml/README.md): it is no clean input for a reader.
WRITER_OUTPUT = ROOT / "fixtures" / "xml" / "ledes2000_sample.xml"
FIXTURES = [
    *sorted((ROOT / "fixtures" / "1998b" / "valid").glob("*.txt")),
    *sorted((ROOT / "fixtures" / "1998bi" / "valid").glob("*.txt")),
    *sorted(path for path in (ROOT / "fixtures" / "xml").glob("*.xml") if path != WRITER_OUTPUT),
]
LOC_1998B = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"  # the LOC sample, January 1999
MULTI_MATTER = ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"
NORTHWIND = ROOT / "fixtures" / "guidelines" / "northwind-insurance.toml"
CENT = Decimal("0.01")


def run(*args: object, input: str | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


def report_json(*args: object) -> dict:
    result = run("report", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def expected(paths: Iterable[Path], keep: Callable[[LineItem], bool] = lambda item: True) -> dict[str | None, dict]:
    """Per currency, from the invoices themselves: invoice totals, line totals by type, fee hours, line count."""
    sums: dict[str | None, dict] = {}
    for path in paths:
        for invoice in ledes.iter_invoices(path):
            items = [item for item in invoice.line_items if keep(item)]
            if not items:
                continue
            figures = sums.setdefault(invoice.currency, {
                "invoice_totals": Decimal(0), "lines": 0, "hours": Decimal(0), "fees": Decimal(0),
                "expenses": Decimal(0), "adjustments": Decimal(0), "total": Decimal(0),
            })
            if len(items) == sum(1 for _ in invoice.line_items):
                figures["invoice_totals"] += invoice.total
            for item in items:
                figures["lines"] += 1
                figures["total"] += item.total
                if item.type is LineItemType.FEE:
                    figures["fees"] += item.total
                    figures["hours"] += item.units
                elif item.type is LineItemType.EXPENSE:
                    figures["expenses"] += item.total
                else:
                    figures["adjustments"] += item.total
    return sums


def money(amount: Decimal) -> str:
    """How the reports print money for people: ``1,752.00``."""
    return f"{amount.quantize(CENT):,}"


def csv_tables(text: str) -> list[list[dict[str, str]]]:
    """The CSV report's tables: separated by a blank line, each with its own header row."""
    return [list(csv.DictReader(io.StringIO(block))) for block in text.strip("\n").split("\n\n")]


def html_table(document: lxml.html.HtmlElement, table_id: str, part: str = "tbody") -> list[list[str]]:
    """The text of each cell of a table's body (or ``tfoot``), row by row."""
    rows = document.xpath(f'//table[@id="{table_id}"]/{part}/tr')
    return [[cell.text_content().strip() for cell in row.xpath("./td")] for row in rows]


def html_totals(document: lxml.html.HtmlElement) -> dict[str | None, Decimal]:
    """The grouped table's total per currency (its tfoot rows), read from the page."""
    totals = {}
    for row in document.xpath('//table[@id="groups"]/tfoot/tr'):
        currency = row.get("data-currency") or None
        totals[currency] = Decimal(row.xpath("./td")[-1].text_content().replace(",", ""))
    return totals
