"""Money in different currencies is never added together: the money at risk and the findings' tables, per currency.

Two small 1998BI invoices, one in GBP and one in USD, each with a vague narrative the strict
preset puts at stake (48.00 GBP and 93.00 USD): no output may show their sum, 141.00.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

import ledes
from ledes import guidelines
from ledes_cli.main import main

from .test_json_schema import SCHEMA, conforms

ROOT = Path(__file__).resolve().parents[2]
HEADER = "".join((ROOT / "fixtures" / "1998bi" / "valid" / "multi_matter_vat.txt").read_text(encoding="utf-8")
                 .splitlines(keepends=True)[:2])
MULTI_MATTER = ROOT / "fixtures" / "1998b" / "valid" / "multi_matter.txt"  # 1998B: no currency; 10.00 at risk (strict)
NORTHWIND = ROOT / "fixtures" / "guidelines" / "northwind-insurance.toml"
VALID = ROOT / "fixtures" / "1998b" / "valid" / "lexitree_ledes1998b_good.txt"

# One fee line each: 0.2 h at 240.00 GBP, 0.3 h at 310.00 USD, no tax; "Telephone conference" is vague.
GBP = HEADER + (
    "20240131|GB-1|711|528|48|20240101|20240131|For services rendered|1|F|0.2|0|48|20240116|L510||A107|45875|"
    "Telephone conference with John Doe|GB123456789|240|Beaster, John|ASSOC|425-936||76-1235|Somos Merger|0|48|GBP|"
    "Beaster|John|T|Law Offices of John Smith|One Fleet Street||London||EC2A 2EG|GBR|Stanley's Widgets|"
    "One Times Square||New York|NY|10036|USA|0|0|VAT|0|GBP[]\n"
)
USD = HEADER + (
    "20240131|US-1|711|528|93|20240101|20240131|For services rendered|1|F|0.3|0|93|20240115|L510||A107|45875|"
    "Telephone conference with John Doe|24-6437381|310|Beaster, John|ASSOC|425-936||76-1235|Somos Merger|0|93|USD|"
    "Beaster|John|T|Law Offices of John Smith|One Park Avenue||New York|NY|10016|USA|Stanley's Widgets|"
    "One Times Square||New York|NY|10036|USA|0|0|VAT|0|USD[]\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    gbp, usd = tmp_path / "gbp.txt", tmp_path / "usd.txt"
    gbp.write_text(GBP, encoding="utf-8")
    usd.write_text(USD, encoding="utf-8")
    return gbp, usd


@pytest.fixture
def no_currency(tmp_path: Path) -> Path:
    """The strict preset with amounts of its own and no currency: they apply to every invoice, whatever it states."""
    path = tmp_path / "no-currency.toml"
    path.write_text('extends = "strict"\n[rules."expense.daily-cap"]\ncaps = { E111 = 75.00 }\n', encoding="utf-8")
    return path


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def validate_json(*args: object) -> dict:
    result = run("validate", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    assert conforms(document, SCHEMA) == []
    return document


def test_the_fixtures_are_sound_and_each_puts_money_at_risk(files):
    """Without guidelines neither invoice has a finding; with the strict preset each has its vague line at stake."""
    assert ledes.validate(files).errors == 0
    checked = ledes.validate(files, guidelines.preset("strict"))
    assert [file.at_risk for file in checked.files] == [{"GB-1": Decimal("48.00")}, {"US-1": Decimal("93.00")}]


def test_the_api_gives_the_money_at_risk_per_currency(files):
    """Report.at_risk is None over two currencies; at_risk_by_currency has each; each file knows its invoices' currency."""
    checked = ledes.validate(files, guidelines.preset("strict"))
    assert checked.at_risk is None
    assert checked.at_risk_by_currency == {"GBP": Decimal("48.00"), "USD": Decimal("93.00")}
    assert [dict(file.currencies) for file in checked.files] == [{"GB-1": "GBP"}, {"US-1": "USD"}]
    assert [file.at_risk_by_currency for file in checked.files] == [
        {"GBP": Decimal("48.00")}, {"USD": Decimal("93.00")}]


def test_an_invoice_without_a_currency_is_in_the_guidelines_currency(files):
    """1998B states no currency: the strict preset's rules take it to be in theirs (USD), and so does its money at risk,
    added to the USD invoice's, never to the GBP one's."""
    checked = ledes.validate([MULTI_MATTER, *files], guidelines.preset("strict"))
    assert checked.at_risk is None
    assert list(checked.at_risk_by_currency.items()) == [("GBP", Decimal("48.00")), ("USD", Decimal("103.00"))]
    assert checked.files[0].currencies == {"96544": "USD", "96545": "USD", "96546": "USD"}


def test_an_invoice_without_a_currency_is_a_currency_of_its_own_where_the_guidelines_name_none(files, no_currency):
    """Guidelines of their own amounts and no currency: 1998B's money at risk is under None, first, never added to the
    GBP or USD figure."""
    checked = ledes.validate([MULTI_MATTER, *files], guidelines.load_config(no_currency))
    assert checked.at_risk is None
    assert list(checked.at_risk_by_currency.items()) == [
        (None, Decimal("10.00")), ("GBP", Decimal("48.00")), ("USD", Decimal("93.00"))]
    assert checked.files[0].currencies == {"96544": None, "96545": None, "96546": None}


def test_one_currency_keeps_the_single_figure(files):
    """With one currency the API's figure is the total, as before."""
    checked = ledes.validate(files[:1], guidelines.preset("strict"))
    assert checked.at_risk == Decimal("48.00")
    assert checked.at_risk_by_currency == {"GBP": Decimal("48.00")}
    assert ledes.validate(files).at_risk == Decimal(0)  # nothing at risk: zero, in no currency
    assert ledes.validate(files).at_risk_by_currency == {}


def test_validate_json_over_two_currencies(files):
    """summary.at_risk is null, summary.at_risk_by_currency has each currency; each file says its invoices' currency."""
    document = validate_json("--guidelines", "strict", *files)
    assert document["summary"] == {"files": 2, "errors": 2, "warnings": 0, "at_risk": None,
                                   "at_risk_by_currency": {"GBP": "48.00", "USD": "93.00"}}
    assert [(f["at_risk"], f["at_risk_currency"]) for f in document["files"]] == [
        ({"GB-1": "48.00"}, {"GB-1": "GBP"}), ({"US-1": "93.00"}, {"US-1": "USD"})]


def test_validate_json_names_no_currency_with_an_empty_key(files, no_currency):
    """The invoices that state no currency, under guidelines that name none, are under "" in at_risk_by_currency,
    null in at_risk_currency."""
    document = validate_json("--guidelines", no_currency, MULTI_MATTER, *files)
    assert document["summary"]["at_risk"] is None
    assert document["summary"]["at_risk_by_currency"] == {"": "10.00", "GBP": "48.00", "USD": "93.00"}
    assert document["files"][0]["at_risk_currency"] == {"96544": None}


def test_validate_json_in_one_currency_is_as_before(files):
    """One currency: the single figure, and neither at_risk_by_currency nor at_risk_currency."""
    document = validate_json("--guidelines", "strict", files[0])
    assert document["summary"] == {"files": 1, "errors": 1, "warnings": 0, "at_risk": "48.00"}
    assert set(document["files"][0]) == {"path", "format", "invoices", "line_items", "diagnostics", "at_risk"}
    assert validate_json(*files)["summary"] == {"files": 2, "errors": 0, "warnings": 0, "at_risk": "0.00"}


def test_the_checker_rejects_a_sum_as_a_per_currency_figure():
    """The schema wants decimal strings in at_risk_by_currency, and null or a string in at_risk."""
    broken = {"files": [], "summary": {"files": 0, "errors": 0, "warnings": 0, "at_risk": 141,
                                       "at_risk_by_currency": []}}
    assert len(conforms(broken, SCHEMA)) == 2


def test_validate_text_names_each_currency_and_ends_with_a_total_per_currency(files, no_currency):
    """Each invoice's figure names the currency it states; the run ends with one total per currency, never 141.00."""
    lines = run("validate", "--guidelines", no_currency, MULTI_MATTER, *files).stdout.splitlines()
    assert f"{files[0]}: invoice GB-1: 48.00 GBP at risk under the client's guidelines" in lines
    assert f"{files[1]}: invoice US-1: 93.00 USD at risk under the client's guidelines" in lines
    assert f"{MULTI_MATTER}: invoice 96544: 10.00 at risk under the client's guidelines" in lines
    assert lines[-3:] == [
        "Total at risk (no currency stated): 10.00", "Total at risk GBP: 48.00", "Total at risk USD: 93.00"]
    assert not any("141.00" in line or "151.00" in line for line in lines)
    lines = run("validate", "--guidelines", "strict", MULTI_MATTER, *files).stdout.splitlines()  # 1998B taken as USD
    assert f"{MULTI_MATTER}: invoice 96544: 10.00 USD at risk under the client's guidelines" in lines
    assert lines[-2:] == ["Total at risk GBP: 48.00", "Total at risk USD: 103.00"]


def test_validate_text_in_one_currency(files):
    """One currency: the invoice's figure names the currency it states, the total none; a run with guidelines ends with it."""
    lines = run("validate", "--guidelines", "strict", files[0]).stdout.splitlines()
    assert lines[-2:] == [f"{files[0]}: invoice GB-1: 48.00 GBP at risk under the client's guidelines",
                          "Total at risk: 48.00"]
    lines = run("validate", "--guidelines", NORTHWIND, VALID, MULTI_MATTER).stdout.splitlines()
    assert lines[-2:] == ["2 files: 2 errors, 2 warnings", "Total at risk: 1,792.00"]


def report(*args: object) -> str:
    result = run("report", "--guidelines", "strict", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_report_json_has_a_rule_row_per_currency(files, no_currency):
    """The findings by rule: one row per rule and currency, each with its currency; the totals per currency. A 1998B
    invoice's are in the guidelines' currency where they name one (the strict preset's USD), else in none."""
    found = json.loads(report("--format", "json", MULTI_MATTER, *files))["guidelines"]
    assert found["rules"] == [
        {"rule": "narrative.vague", "level": "error", "currency": "GBP", "findings": 1, "at_stake": "48.00"},
        {"rule": "narrative.vague", "level": "error", "currency": "USD", "findings": 1, "at_stake": "93.00"},
        {"rule": "time.increment", "level": "error", "currency": "USD", "findings": 1, "at_stake": "10.00"},
    ]
    assert found["at_risk"] == [{"currency": "GBP", "at_risk": "48.00"}, {"currency": "USD", "at_risk": "103.00"}]
    result = run("report", "--guidelines", no_currency, "--format", "json", MULTI_MATTER, *files)
    found = json.loads(result.stdout)["guidelines"]
    assert found["rules"][-1] == {"rule": "time.increment", "level": "error", "currency": None, "findings": 1,
                                  "at_stake": "10.00"}
    assert found["at_risk"] == [{"currency": None, "at_risk": "10.00"}, {"currency": "GBP", "at_risk": "48.00"},
                                {"currency": "USD", "at_risk": "93.00"}]


def test_report_json_in_one_currency_is_as_before(files):
    """One currency: the rule rows have no currency key, as before."""
    found = json.loads(report("--format", "json", files[0]))["guidelines"]
    assert found["rules"] == [{"rule": "narrative.vague", "level": "error", "findings": 1, "at_stake": "48.00"}]


def test_report_text_has_a_rule_row_per_currency(files):
    text = report(*files)
    assert "narrative.vague  error  GBP              1     48.00" in text
    assert "narrative.vague  error  USD              1     93.00" in text
    assert "Total at risk GBP: 48.00\nTotal at risk USD: 93.00\n" in text
    assert "141.00" not in text
    single = report(files[0])
    assert "rule             level  findings  at stake\nnarrative.vague  error         1     48.00" in single


def test_report_csv_has_a_rule_row_per_currency(files):
    tables = [list(csv.DictReader(io.StringIO(block))) for block in report("--format", "csv", *files).split("\n\n")]
    rules = tables[1]
    assert [(r["rule"], r["currency"], r["findings"], r["at_stake"]) for r in rules] == [
        ("narrative.vague", "GBP", "1", "48.00"), ("narrative.vague", "USD", "1", "93.00")]
    single = report("--format", "csv", files[0]).split("\n\n")[1]
    assert single.splitlines()[0] == "rule,level,findings,at_stake"


def test_report_html_has_a_rule_row_per_currency(files):
    page = lxml.html.document_fromstring(report("--format", "html", *files))
    rows = [[cell.text_content() for cell in row.xpath("./td")] for row in page.xpath('//table[@id="rules"]/tbody/tr')]
    assert rows == [["narrative.vague", "error", "GBP", "1", "48.00"], ["narrative.vague", "error", "USD", "1", "93.00"]]
    totals = [p.text_content() for p in page.xpath('//section[@id="guidelines"]/p/strong')]
    assert totals == ["Total at risk GBP: 48.00", "Total at risk USD: 93.00"]
    assert "141.00" not in page.text_content()


def test_a_currency_with_control_characters_is_shown_escaped_in_the_money_at_risk(tmp_path: Path, files):
    """The currency is the file's text: the money-at-risk lines and the totals show it as every other line does."""
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(GBP.replace("|GBP|", "|\x1b[1mGBP|"), encoding="utf-8")
    result = run("validate", "--guidelines", "strict", hostile, files[1])
    assert "\x1b" not in result.stdout
    assert "invoice GB-1: 48.00 \\x1b[1mGBP at risk" in result.stdout
    assert "Total at risk \\x1b[1mGBP: 48.00" in result.stdout


@pytest.fixture
def one_file(tmp_path: Path) -> Path:
    """Both invoices in one file: GBP's and USD's rows under one header."""
    both = tmp_path / "both.txt"
    both.write_text(GBP + USD.split("\n", 2)[2], encoding="utf-8")
    return both


def test_show_totals_a_file_of_two_currencies_per_currency(one_file: Path):
    """``ledes show``'s file totals: one block per currency, never their sum (141.00)."""
    result = run("show", one_file)
    assert result.exit_code == 0, result.output
    totals = result.output[result.output.index("Totals over 2 invoices:"):]
    assert "1 invoice in GBP:" in totals and "1 invoice in USD:" in totals
    assert "48.00" in totals and "93.00" in totals and "141" not in totals


def test_show_json_totals_a_file_of_two_currencies_per_currency(one_file: Path):
    """The JSON totals: no amount over both (null, no line types), each currency's in ``by_currency``."""
    result = run("show", "--format", "json", one_file)
    assert result.exit_code == 0, result.output
    totals = json.loads(result.stdout)["totals"]
    assert (totals["amount"], totals["by_line_type"]) == (None, {})
    assert [(sums["currency"], sums["invoices"], sums["amount"], sums["by_line_type"]["F fee"]["amount"])
            for sums in totals["by_currency"]] == [("GBP", 1, "48.00", "48.00"), ("USD", 1, "93.00", "93.00")]
    assert "141" not in result.stdout


def test_the_api_summary_of_two_currencies_adds_neither(one_file: Path):
    """``ledes.api.overview``: ``total`` None over two currencies, each currency's sums in ``by_currency``."""
    summary = ledes.api.overview(one_file).summary
    assert summary.total is None and summary.by_type == {}
    assert [(sums.currency, sums.total) for sums in summary.by_currency] == [
        ("GBP", Decimal("48")), ("USD", Decimal("93"))]
