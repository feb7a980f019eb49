"""The HTML report in headless Chromium: it loads without an error, shows the expected totals, its charts keep every
label inside and tell the truth (largest first, "top N of M", no long runs of empty months), and it prints in 4 pages."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from generated import LONG_MATTER_NAME, MATTERS, long_name_file, many_matters_file
from report_support import FIXTURES, NORTHWIND, ROOT, expected, html_table, html_totals, report_json, run

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell")

# Injected into the test's copy of the page, first thing in <head>: records every error (a
# script error, or a resource that fails to load) on the root element, and that it ran at all.
PROBE = """<script>
(function () {
  var root = document.documentElement;
  window.addEventListener("error", function (event) {
    var what = event.message || (event.target && (event.target.src || event.target.href)) || "error";
    root.setAttribute("data-errors", (root.getAttribute("data-errors") || "") + what + ";");
  }, true);
  window.addEventListener("load", function () {
    root.setAttribute("data-loaded", "yes");
    root.setAttribute("data-overflow", String(root.scrollWidth > window.innerWidth + 1));
    var sizes = Array.prototype.map.call(document.querySelectorAll("svg"), function (svg) {
      var box = svg.getBoundingClientRect();
      return Math.round(box.width) + "x" + Math.round(box.height);
    });
    root.setAttribute("data-svg-sizes", sizes.join(" "));
  });
})();
</script>"""


@functools.cache
def browser() -> str | None:
    """The first browser on the PATH that runs (a snap stub for chromium-browser does not)."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found is None:
            continue
        try:
            if subprocess.run([found, "--version"], capture_output=True, timeout=60, check=False).returncode == 0:
                return found
        except (OSError, subprocess.TimeoutExpired):
            continue
    return None


pytestmark = pytest.mark.skipif(
    browser() is None,
    reason=f"no working headless browser ({', '.join(BROWSERS)}); .ci/run installs Chromium when it can",
)


def chromium(page: Path, profile: Path, *arguments: str, width: int = 1200) -> subprocess.CompletedProcess:
    """Run the browser headless on ``page``, in a fresh profile, with nothing fetched or synchronised."""
    command = [
        browser(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars",
        f"--user-data-dir={profile}", f"--window-size={width},900", *arguments, page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def rendered_dom(page: Path, folder: Path, probe: str, width: int = 1200) -> lxml.html.HtmlElement:
    """The page's DOM after load, with ``probe`` run first in its <head> (it writes what it measures on the root)."""
    probed = folder / f"probed-{page.stem}-{width}.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("<head>", "<head>" + probe, 1), encoding="utf-8")
    done = chromium(probed, folder / f"profile-{page.stem}-{width}", "--dump-dom", "--virtual-time-budget=10000",
                    width=width)
    assert done.returncode == 0, done.stderr[-2000:]
    return lxml.html.document_fromstring(done.stdout)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[lxml.html.HtmlElement, str]:
    """The report's page as Chromium built it (its DOM after load), and what the browser logged."""
    folder = tmp_path_factory.mktemp("browser")
    written = folder / "report.html"
    result = run("report", "--format", "html", "--by", "matter", "--guidelines", NORTHWIND, "-o", written, *FIXTURES)
    assert result.exit_code == 0, result.output
    probed = folder / "probed.html"
    probed.write_text(written.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    done = chromium(
        probed, folder / "profile", "--dump-dom", "--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return lxml.html.document_fromstring(done.stdout), done.stderr


def test_the_page_loads_without_errors(rendered):
    """The probe ran, recorded no error, and the console shows no uncaught exception."""
    document, log = rendered
    root = document.getroottree().getroot()
    assert root.get("data-loaded") == "yes"
    assert root.get("data-errors") is None
    assert "Uncaught" not in log


def test_the_page_shows_the_totals_of_the_invoices(rendered):
    """The rendered DOM's grouped table, summary and invoice table carry the invoices' totals, to the cent."""
    document, _ = rendered
    wanted = {currency: figures["invoice_totals"] for currency, figures in expected(FIXTURES).items()}
    assert html_totals(document) == wanted
    invoices = html_table(document, "invoices")
    assert sum(Decimal(row[-1].replace(",", "")) for row in invoices) == sum(wanted.values())
    assert html_table(document, "risk-matters")


def test_the_charts_are_drawn_and_the_page_fits_the_window(rendered):
    """Every SVG chart has a size on screen, and nothing is wider than a 1200-pixel window."""
    document, _ = rendered
    root = document.getroottree().getroot()
    sizes = root.get("data-svg-sizes").split()
    assert len(sizes) == 2 * len(expected(FIXTURES))
    assert all(int(width) > 300 and int(height) > 30 for width, height in (size.split("x") for size in sizes))
    assert root.get("data-overflow") == "false"


# Written on the root element once the page has loaded: every SVG text element that extends outside its SVG
# (by its bounding box on the page), and the tallest cell of the invoices table in lines of text.
MEASURE = """<script>
window.addEventListener("load", function () {
  var root = document.documentElement, outside = [], texts = 0;
  Array.prototype.forEach.call(document.querySelectorAll("svg"), function (svg) {
    var frame = svg.getBoundingClientRect();
    Array.prototype.forEach.call(svg.querySelectorAll("text"), function (text) {
      var box = text.getBoundingClientRect();
      texts += 1;
      if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5 ||
          box.top < frame.top - 0.5 || box.bottom > frame.bottom + 0.5) {
        outside.push(text.textContent + " [" + Math.round(box.left) + ".." + Math.round(box.right) + " in " +
                     Math.round(frame.left) + ".." + Math.round(frame.right) + "]");
      }
    });
  });
  var cells = Array.prototype.map.call(document.querySelectorAll("#invoices td"), function (cell) {
    var content = document.createRange();
    content.selectNodeContents(cell);
    var height = content.getBoundingClientRect().height;
    return {text: cell.textContent, lines: height / parseFloat(getComputedStyle(cell).lineHeight)};
  });
  var broken = Array.prototype.filter.call(
    document.querySelectorAll("td.id, td.num, td.path, td.label .id"), function (cell) {
      var content = document.createRange();
      content.selectNodeContents(cell);
      return content.getClientRects().length > 1 || content.getBoundingClientRect().height >
        1.5 * parseFloat(getComputedStyle(cell).lineHeight);
    }).map(function (cell) { return cell.textContent; });
  var page = document.body.getBoundingClientRect().right;
  var wide = Array.prototype.filter.call(document.querySelectorAll("table"), function (table) {
    return table.getBoundingClientRect().right > page + 0.5;
  }).map(function (table) { return table.id; });
  root.setAttribute("data-measured", JSON.stringify(
    {outside: outside, texts: texts, cells: cells, broken: broken, wide: wide, width: window.innerWidth}));
});
</script>"""
# Chromium lays a printed page out at the paper's width less its margins (14 mm each side), in CSS pixels.
PRINTED_WIDTHS = {"A4": round((210 - 28) / 25.4 * 96), "letter": round((8.5 * 25.4 - 28) / 25.4 * 96)}
# The report people print: every valid 1998B and 1998BI fixture (five files), with a client's guidelines.
FIVE_FILES = [*sorted((ROOT / "fixtures" / "1998b" / "valid").glob("*.txt")), *sorted(
    (ROOT / "fixtures" / "1998bi" / "valid").glob("*.txt"))]


def measured(document: lxml.html.HtmlElement) -> dict:
    return json.loads(document.getroottree().getroot().get("data-measured"))


@pytest.fixture(scope="module")
def charts(tmp_path_factory) -> tuple[lxml.html.HtmlElement, dict, list[Path]]:
    """The report over every fixture and two generated files (a 30-character matter name above 100 million in 1999
    and 2024; 5,000 matters), as Chromium laid it out; what the probe measured; the files."""
    folder = tmp_path_factory.mktemp("charts")
    files = [*FIXTURES, long_name_file(folder), many_matters_file(folder)]
    page = folder / "charts.html"
    assert run("report", "--format", "html", "--by", "matter", "-o", page, *files).exit_code == 0
    document = rendered_dom(page, folder, MEASURE)
    return document, measured(document), files


def test_no_chart_text_extends_outside_its_svg(charts):
    """Every text of every chart (labels, values, axis ticks, months) lies inside its SVG's box on the page."""
    document, found, _ = charts
    assert found["texts"] > 100 and found["outside"] == []
    # The largest figure, 125,000,000.00 on the 2024 axis, and the 30-character matter, are drawn (the label
    # shortened with an ellipsis, its whole text in the bar's <title>).
    gbp = document.xpath('//figure[@class="months"][contains(figcaption, "GBP")]/svg//text/text()')
    assert "125,000,000.00" in gbp
    labels = document.xpath('//figure[@class="bars"][contains(figcaption, "GBP")]//g[@class="bar-row"]')
    long = next(row for row in labels if LONG_MATTER_NAME in row.findtext("title"))
    shown = long.findtext("text")
    assert shown.endswith("…") and long.findtext("title").startswith(shown[:-1])
    for row in document.xpath('//g[@class="bar-row"]'):
        shown, whole = row.findtext("text"), row.findtext("title")
        assert whole.startswith(shown) or (shown.endswith("…") and whole.startswith(shown[:-1]))


def test_matter_bars_are_largest_first_and_the_page_says_how_many(charts):
    """Bars in descending order of amount; with 5,000+ matters, "top 40 of N" is written under the caption."""
    document, _, files = charts
    groups = report_json("--by", "matter", *files)["groups"]
    for figure in document.xpath('//figure[@class="bars"]'):
        totals = [Decimal(row.get("data-total")) for row in figure.xpath('.//g[@class="bar-row"]')]
        assert totals and totals == sorted(totals, reverse=True)
        currency = re.search(r"\((.*)\)", figure.findtext("figcaption")).group(1)
        count = sum(1 for g in groups if (g["currency"] or "no currency stated") == currency)
        note = figure.xpath("string(figcaption/span)")
        if count > 40:
            assert f"top 40 of {count:,}" in note and len(totals) == 40 and count > MATTERS
        else:
            assert f"all {count:,}" in note and len(totals) == count
    biggest = max(Decimal(g["total"]) for g in groups if g["currency"] is None)
    unstated = document.xpath('//figure[@class="bars"][contains(figcaption, "no currency")]//g[@class="bar-row"]')
    assert Decimal(unstated[0].get("data-total")) == biggest


def test_the_month_chart_has_no_long_run_of_zero_points(charts):
    """1999 and 2024 in one chart: the 299 empty months between are one marked gap, not a band of zero points."""
    document, _, _ = charts
    for chart in document.xpath('//figure[@class="months"]/svg'):
        zeros = longest = 0
        for point in chart.xpath('.//circle[@class="point"]'):
            zeros = zeros + 1 if Decimal(point.get("data-total")) == 0 else 0
            longest = max(longest, zeros)
        assert longest <= 12
    (gbp,) = document.xpath('//figure[@class="months"][contains(figcaption, "GBP")]/svg')
    slots = gbp.xpath('.//circle[@class="point"] | .//g[@class="gap"]')  # in the order of the axis
    assert (slots[0].get("data-month"), slots[-1].get("data-month")) == ("1999-01", "2024-01")
    assert slots[1].get("class") == "gap" and slots[1].get("data-first") == "1999-02"
    # Each month alone between gaps (1999-01, 2024-01, ...) is labelled with its value.
    runs = "".join("|" if slot.get("class") == "gap" else "." for slot in slots).split("|")
    assert len(gbp.xpath('.//text[@class="point-value"]')) == runs.count(".")
    assert {"1,225.00", "125,000,000.00"} <= set(gbp.xpath('.//text[@class="point-value"]/text()'))


@pytest.fixture(scope="module")
def five_files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("print")
    page = folder / "report.html"
    assert run("report", "--format", "html", "--guidelines", NORTHWIND, "-o", page, *FIVE_FILES).exit_code == 0
    return page


@pytest.mark.parametrize("paper", sorted(PRINTED_WIDTHS))
def test_the_five_file_report_prints_in_four_pages(five_files, paper, tmp_path):
    """Printed on A4 and on Letter, the report of the five fixture files takes at most 4 pages."""
    page = tmp_path / f"{paper}.html"
    page.write_text(five_files.read_text(encoding="utf-8").replace(
        "</style>", f"@page {{ size: {paper}; }}</style>", 1), encoding="utf-8")
    pdf = tmp_path / f"{paper}.pdf"
    done = chromium(page, tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert done.returncode == 0, done.stderr[-2000:]
    printed = pdf.read_bytes()
    assert printed.startswith(b"%PDF")
    assert 1 <= len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", printed)) <= 4


@pytest.mark.parametrize("paper", sorted(PRINTED_WIDTHS))
def test_no_invoice_cell_is_taller_than_two_lines_in_print(five_files, paper, tmp_path):
    """Laid out as printed (the print stylesheet, the paper's width), no cell of the invoices table wraps past 2 lines,
    and no id, date or number in any table breaks (``(unstated)``, ``1999-02-25``, ``425-936``)."""
    printed = five_files.read_text(encoding="utf-8").replace("@media print {", "@media all {", 1)
    page = tmp_path / f"as-printed-{paper}.html"
    page.write_text(printed, encoding="utf-8")
    found = measured(rendered_dom(page, tmp_path, MEASURE, width=PRINTED_WIDTHS[paper]))
    assert abs(found["width"] - PRINTED_WIDTHS[paper]) <= 16
    assert len(found["cells"]) == 8 * 10  # 10 invoices, 8 columns
    tallest = max(found["cells"], key=lambda cell: cell["lines"])
    assert tallest["lines"] <= 2.05, tallest
    assert found["wide"] == []  # no table wider than the paper, where it would be cut off
    assert found["broken"] == []  # no id, date, currency, number or file name over two lines, in any table
