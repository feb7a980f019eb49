"""The ``ledes report`` command: billing reports over invoice files; a thin shell over ledes.reports."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator

import click

from ledes import reports
from ledes.formats import FORMATS
from ledes.safeoutput import stdout_apart_from
from ledes.safetext import visible

from . import unread
from .text import TEXT, utf8


class PeriodType(click.ParamType):
    """``2024``, ``2024-Q1`` or ``2024-03``."""

    name = "period"

    def convert(self, value, param, ctx) -> reports.Period:
        if isinstance(value, reports.Period):
            return value
        try:
            return reports.parse_period(utf8(self, value, param, ctx))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def parse_keys(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--by client --by matter`` or ``--by client,matter``; each key once, in the order given."""
    keys = [key.strip().lower() for value in values for key in value.split(",") if key.strip()]
    unknown = [key for key in keys if key not in reports.KEYS]
    if unknown:
        raise click.BadParameter(
            f"unknown key '{unknown[0]}'; choose from {', '.join(reports.KEYS)}", param_hint="--by"
        )
    return tuple(dict.fromkeys(keys)) or ("matter",)


@click.command("report")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--by", "by", type=TEXT, multiple=True, metavar="KEY[,KEY...]",
              help=f"Group by one or more of: {', '.join(reports.KEYS)} (repeatable; default matter).")
@click.option("--period", type=PeriodType(), default=None, metavar="PERIOD",
              help="Count only line items dated in this year (2024), quarter (2024-Q1) or month (2024-03).")
@click.option("--guidelines", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Add the client's guideline findings and the money at risk (a TOML file, or default / strict).")
@click.option("--format", "output_format", type=click.Choice(list(reports.RENDERERS)), default="text",
              show_default=True, help="Plain-text tables, CSV, one JSON document, or one self-contained HTML page.")
@click.option("-o", "--output", "target", type=click.Path(allow_dash=True), default=None,
              help="Write the report to this file (atomically; a regular file, never an input; - for standard output).")
@click.option("--from", "source_format", type=click.Choice([f.key for f in FORMATS]), default=None,
              help="Read the files as this format instead of detecting it.")
def report_command(
    files: tuple[str, ...],
    by: tuple[str, ...],
    period: reports.Period | None,
    guidelines: str | None,
    output_format: str,
    target: str | None,
    source_format: str | None,
) -> None:
    """Billing report over FILES: totals and hours by client, matter, timekeeper, code or period.

    Amounts are line totals as billed (tax included), per currency: fees (F lines), expenses
    (E), adjustments (IF, IE); their sum equals the invoice totals. Hours are fee units.
    Several --by keys give one row per combination of their values. A file with no invoice
    in it (or no invoice file at all: a CSV export, a PDF, ...) makes no report: why is on
    stderr, and the exit status is 1.
    """
    config = None
    if guidelines is not None:
        from ledes.guidelines import load_config  # the TOML reader, only when asked for

        config = load_config(guidelines)
    inputs = (*files, *(config.sources if config is not None else ()))
    if target == "-":
        target = None
    if target is not None:
        reports.refuse_input(target, inputs)
    else:
        stdout_apart_from(inputs)  # ``>> invoice.txt``: the report would be added to the file
    report = reports.build_report(files, parse_keys(by), period, config, source_format, charts=output_format == "html")
    unread_files = [file for file in report.files if not file.invoices]
    if unread_files:
        # A report that left out a file it was given would total less than was asked for.
        for file in unread_files:
            heading = f"ledes: no report: {visible(file.path)} holds no invoice:"
            for line in unread.no_invoice_lines(heading, file.path, file.problems, (file.reading_errors,) * 2):
                click.echo(line, err=True)
        sys.exit(unread.EXIT_NO_INVOICE)
    for file in report.files:
        if file.reading_errors:
            click.echo(
                f"ledes: warning: {visible(file.path)}: reading it found {file.reading_errors} error(s);"
                " the report counts what could be read (`ledes validate` lists them)",
                err=True,
            )
    if target is None:
        for chunk in _joined(reports.render_chunks(report, output_format)):
            click.echo(chunk, nl=False)
    else:
        reports.write_report(report, target, output_format, inputs)
        click.echo(f"wrote {visible(target)}", err=True)



def _joined(chunks: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """The pieces of an output joined into pieces of about ``size`` characters: fewer, larger writes."""
    waiting: list[str] = []
    length = 0
    for chunk in chunks:
        waiting.append(chunk)
        length += len(chunk)
        if length >= size:
            yield "".join(waiting)
            waiting, length = [], 0
    if waiting:
        yield "".join(waiting)
