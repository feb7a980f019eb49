"""Billing reports over invoice files: totals and hours grouped by client, matter, timekeeper, code or period."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping

from ledes.reports.build import build_report
from ledes.reports.keys import KEYS, Key
from ledes.reports.model import BillingReport, Findings, Group, InvoiceTotal, SourceFile
from ledes.reports.period import Period, parse_period
from ledes.reports.totals import Totals
from ledes.safeoutput import atomic_output, writable_target

# Each renderer's module (and what it needs: html, csv, json) is imported only when its format is asked for.


def render_text(report: BillingReport) -> str:
    """The report as plain-text tables (``ledes.reports.text``)."""
    from ledes.reports.text import render_text as rendered

    return rendered(report)


def render_csv(report: BillingReport) -> str:
    """The report as CSV (``ledes.reports.table``)."""
    from ledes.reports.table import render_csv as rendered

    return rendered(report)


def render_json(report: BillingReport) -> str:
    """The report as one JSON document (``ledes.reports.document``)."""
    from ledes.reports.document import render_json as rendered

    return rendered(report)


def render_html(report: BillingReport) -> str:
    """The report as one self-contained HTML page (``ledes.reports.page``)."""
    from ledes.reports.page import render_html as rendered

    return rendered(report)


def _text_chunks(report: BillingReport) -> Iterator[str]:
    from ledes.reports.text import text_chunks

    return text_chunks(report)


def _json_chunks(report: BillingReport) -> Iterator[str]:
    from ledes.reports.document import json_chunks

    return json_chunks(report)


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
    "render_chunks",
    "write_report",
]


def render(report: BillingReport, format: str = "text") -> str:
    """The report as ``text``, ``csv``, ``json`` or ``html``."""
    return RENDERERS[format](report)


# The outputs written a piece at a time (the others are made whole, then written).
_CHUNKED: Mapping[str, Callable[[BillingReport], Iterator[str]]] = {"text": _text_chunks, "json": _json_chunks}


def render_chunks(report: BillingReport, format: str = "text") -> Iterator[str]:
    """``render(report, format)`` in pieces, in order: text and JSON a line at a time, never whole in memory."""
    chunked = _CHUNKED.get(format)
    if chunked is None:
        return iter([render(report, format)])
    return chunked(report)


def refuse_input(target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise LedesWriteError when ``target`` is one of the ``inputs`` (by any path), or not a regular file to write.

    A report never overwrites an invoice or the guidelines it was given; see ``ledes.safeoutput``.
    """
    writable_target(target, inputs)


def write_report(
    report: BillingReport,
    target: str | os.PathLike[str],
    format: str,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """Write the report to ``target`` atomically (``-``: standard output); refuses when ``target`` is one of ``inputs``."""
    inputs = tuple(inputs)
    refuse_input(target, inputs)
    chunks = render_chunks(report, format)
    with atomic_output(target, inputs) as out:
        out.writelines(chunks)
