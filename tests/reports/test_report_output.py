"""`ledes report` output: -o writes atomically, never over an input; the HTML page is self-contained and printable."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest
from report_support import FIXTURES, MULTI_MATTER, expected, report_json, run


def test_output_file_holds_what_stdout_would(tmp_path):
    """-o writes the same report to the file and says so on stderr; stdout stays empty."""
    target = tmp_path / "report.json"
    result = run("report", "--format", "json", "-o", target, *FIXTURES)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and f"wrote {target}" in result.stderr
    assert json.loads(target.read_text(encoding="utf-8")) == report_json(*FIXTURES)
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left behind


def test_output_never_overwrites_an_input(tmp_path):
    """-o naming an input file is refused (exit 2) and the input is untouched."""
    copy = tmp_path / "invoice.txt"
    copy.write_bytes(MULTI_MATTER.read_bytes())
    result = run("report", "-o", copy, MULTI_MATTER, copy)
    assert result.exit_code == 2
    assert "refusing to overwrite the input file" in result.stderr
    assert copy.read_bytes() == MULTI_MATTER.read_bytes()


def test_usage_errors_exit_2_with_one_line():
    """An unknown key or a missing file is a usage error: exit 2, no traceback."""
    unknown = run("report", "--by", "colour", MULTI_MATTER)
    assert unknown.exit_code == 2 and "choose from client, matter" in unknown.output
    missing = run("report", "no-such-file.txt")
    assert missing.exit_code == 2 and missing.stderr.startswith("ledes: error: cannot read")


def test_standard_input_is_read():
    """`-` reads the invoices from standard input."""
    result = run("report", "--format", "json", "-", input=MULTI_MATTER.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["totals"][0]["total"] == "3676.50"


@pytest.fixture(scope="module")
def page() -> str:
    result = run("report", "--format", "html", "--by", "timekeeper", *FIXTURES)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_page_fetches_nothing(page):
    """No script, stylesheet link, font, image or other address: the page is one self-contained file."""
    document = lxml.html.document_fromstring(page)
    assert not document.xpath("//script | //link | //img | //iframe | //object | //embed")
    assert not document.xpath("//@src | //@href | //@*[local-name()='href']")
    assert not re.search(r"https?:|@import|url\(|@font-face", page)
    assert document.xpath("//style") and document.xpath("//meta[@charset='utf-8']")


def test_the_page_has_charts_per_currency_and_print_styles(page):
    """Two inline SVG charts per currency (bars by the first key, a line by month) and a print stylesheet."""
    document = lxml.html.document_fromstring(page)
    currencies = len(expected(FIXTURES))
    charts = document.xpath('//section[@id="charts"]//figure/svg')
    assert len(charts) == 2 * currencies
    assert len(document.xpath('//section[@id="charts"]//svg//rect[contains(@class, "bar")]')) >= currencies
    # A month chart draws a line through two months or more, and a lone month as a point with its value.
    for chart in document.xpath('//section[@id="charts"]//figure[@class="months"]/svg'):
        assert chart.xpath('.//polyline[@class="line"] | .//text[@class="point-value"]')
    assert all(svg.get("role") == "img" and svg.get("aria-label") for svg in charts)
    assert "@media print" in page


def test_html_escapes_what_the_invoices_say(tmp_path):
    """Text from an invoice (a client id with markup) is shown as text, never as markup."""
    text = MULTI_MATTER.read_text(encoding="utf-8").replace("|00712|", "|<b>&x</b>|")
    path = tmp_path / "markup.txt"
    path.write_text(text, encoding="utf-8")
    document = lxml.html.document_fromstring(run("report", "--format", "html", "--by", "client", path).stdout)
    assert not document.xpath("//b")
    assert "<b>&x</b>" in [cell.text_content() for cell in document.xpath('//table[@id="groups"]//td')]
