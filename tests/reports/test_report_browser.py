"""The HTML report in headless Chromium: it loads without an error, shows the expected totals, and prints to PDF."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from report_support import FIXTURES, NORTHWIND, expected, html_table, html_totals, run

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


def chromium(page: Path, profile: Path, *arguments: str) -> subprocess.CompletedProcess:
    """Run the browser headless on ``page``; ``--no-sandbox`` when running as root, as containers do."""
    command = [
        browser(), "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions", "--hide-scrollbars",
        f"--user-data-dir={profile}", "--window-size=1200,900", *arguments, page.as_uri(),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(2, "--no-sandbox")
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


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


def test_the_page_prints_to_pdf(tmp_path):
    """Printing the page (its print stylesheet) gives a PDF."""
    page = tmp_path / "report.html"
    assert run("report", "--format", "html", "-o", page, *FIXTURES).exit_code == 0
    pdf = tmp_path / "report.pdf"
    done = chromium(page, tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert done.returncode == 0, done.stderr[-2000:]
    assert pdf.read_bytes().startswith(b"%PDF")
