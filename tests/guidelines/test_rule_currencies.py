"""Each rule's amounts are in the currency of the guidelines file that gave them: an inherited cap keeps its own."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import ledes
from ledes import guidelines
from ledes.rules.base import EVERY_CURRENCY

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "guidelines" / "currencies"


def findings(tmp_path: Path, text: str, invoice: str) -> list[tuple[str, Decimal | None]]:
    path = tmp_path / "client.toml"
    path.write_text(text, encoding="utf-8")
    report = ledes.validate([FIXTURES / invoice], guidelines.load(path))
    return [(d.rule, d.amount) for d in report.files[0].diagnostics if d.severity is not ledes.Severity.INFO]


def test_the_presets_caps_stay_in_usd_when_a_client_file_gives_caps_of_its_own(tmp_path: Path):
    """A file extending ``default`` with its own rate caps and no currency: those caps hold every invoice, while the
    preset's meal and copy caps (USD) pass over a JPY invoice instead of capping its 6,000 meal at 75."""
    text = 'extends = "default"\nclient = "Acme"\n[rules."rates.cap"]\ncaps = { PARTNR = 500 }\n'
    config = guidelines.load(_written(tmp_path, text))
    assert config.currency is None
    assert config.rule_currencies["expense.daily-cap"] == "USD" and config.rule_currencies["rates.cap"] is None
    found = findings(tmp_path, text, "jpy_invoice.txt")
    assert [rule for rule, _ in found] == ["rates.cap"]
    assert findings(tmp_path, 'extends = "default"\n', "jpy_invoice.txt") == []  # every amount in USD: none applies


def test_a_threshold_without_a_currency_holds_every_invoice(tmp_path: Path):
    """An approval threshold is an amount of the file that gives it, as caps are: not the preset's USD."""
    text = 'extends = "default"\n[rules."expense.approval"]\nthreshold = 500\n'
    assert findings(tmp_path, text, "eur_expense.txt") == [("expense.approval", Decimal("900.00"))]
    in_usd = text.replace('extends = "default"\n', 'extends = "default"\ncurrency = "USD"\n')
    assert findings(tmp_path, in_usd, "eur_expense.txt") == []  # a USD threshold passes over a EUR invoice
    assert findings(tmp_path, text.replace('extends = "default"\n', 'extends = "default"\ncurrency = "EUR"\n'),
                    "eur_expense.txt") == [("expense.approval", Decimal("900.00"))]


def _written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


APPROVED = '[[timekeepers]]\nid = "22547"\nclassification = "PARTNR"\nrates = [{ rate = 25000, from = 1999-01-01 }]\n'


def test_approved_rates_are_in_the_currency_of_the_file_that_lists_them(tmp_path: Path):
    """A client file extending ``default`` in JPY lists its partner at 25,000: the JPY invoice's 30,000 is 5,000 over
    (the preset's ``rates.cap`` table, in USD, does not hold the rates back); in USD the JPY invoice is not held to it."""
    in_yen = f'extends = "default"\ncurrency = "JPY"\n{APPROVED}'
    assert findings(tmp_path, in_yen, "jpy_invoice.txt") == [("rates.cap", Decimal("5000"))]
    without = f'extends = "default"\n{APPROVED}'  # no currency: the file's rates hold every invoice
    assert findings(tmp_path, without, "jpy_invoice.txt") == [("rates.cap", Decimal("5000"))]
    in_dollars = f'extends = "default"\ncurrency = "USD"\n{APPROVED}'
    assert findings(tmp_path, in_dollars, "jpy_invoice.txt") == []
    config = guidelines.load(_written(tmp_path, in_yen))
    assert config.timekeepers is not None and config.timekeepers["22547"].currency == "JPY"
    assert guidelines.load(_written(tmp_path, without)).timekeepers["22547"].currency == EVERY_CURRENCY
