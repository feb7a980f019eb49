"""Billing reports over invoice files: totals and hours grouped by client, matter, timekeeper, code or period."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping

from ledes.errors import LedesWriteError
from ledes.formats.io import atomic_output, same_file
from ledes.reports.build import build_report
from ledes.reports.document import render_json
from ledes.reports.keys import KEYS, Key
from ledes.reports.model import BillingReport, Findings, Group, InvoiceTotal, SourceFile
from ledes.reports.page import render_html
from ledes.reports.period import Period, parse_period
from ledes.reports.table import render_csv
from ledes.reports.text import render_text
from ledes.reports.totals import Totals

RENDERERS: Mapping[str, Callable[[BillingReport], str]] = {
    "text": render_text,
    "csv": render_csv,
    "json": render_json,
    "html": render_html,
}

__all__ = [
    "KEYS",
    "RENDERERS",
    "BillingReport",
    "Findings",
    "Group",
    "InvoiceTotal",
    "Key",
    "Period",
    "SourceFile",
    "Totals",
    "build_report",
    "parse_period",
    "refuse_input",
    "render",
    "write_report",
]


def render(report: BillingReport, format: str = "text") -> str:
    """The report as ``text``, ``csv``, ``json`` or ``html``."""
    return RENDERERS[format](report)


def refuse_input(target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise LedesWriteError when ``target`` is one of the ``inputs``: a report never overwrites an invoice."""
    for path in inputs:
        if str(path) != "-" and same_file(path, target):
            raise LedesWriteError(f"refusing to overwrite the input file '{path}'; choose another output")


def write_report(
    report: BillingReport,
    target: str | os.PathLike[str],
    format: str,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """Write the report to ``target`` atomically; refuses when ``target`` is one of ``inputs``."""
    refuse_input(target, inputs)
    text = render(report, format)
    with atomic_output(target) as out:
        out.write(text)
