"""The ``ledes import`` command: CSV or Excel exports of time and expenses into LEDES invoices; a thin shell."""

from __future__ import annotations

import sys

import click

from ledes.formats import FORMATS
from ledes.importing import import_file

from . import import_output

EXIT_CLEAN, EXIT_NOT_WRITTEN = 0, 1


@click.command("import")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--mapping", "mapping", required=True, type=click.Path(dir_okay=False), metavar="MAP.toml",
              help="Which source column holds each invoice field, and how to group and number invoices.")
@click.option("-o", "--output", "target", type=click.Path(allow_dash=True), default=None,
              help="The file to write (atomically; a regular file, never an input; - for standard output).")
@click.option("--to", "target_format", type=click.Choice([f.key for f in FORMATS]), required=True,
              help="The LEDES format to write.")
@click.option("--guidelines", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="The client's guidelines: approved rates and billing increment, and their rules on validation.")
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows when some are bad (they are still listed).")
@click.option("--dry-run", is_flag=True, help="Show the invoices that would be written; write nothing.")
def import_command(source: str, mapping: str, target: str | None, target_format: str, guidelines: str | None,
                   skip_bad_rows: bool, dry_run: bool) -> None:
    """Import SOURCE, a CSV or .xlsx export of time entries and expenses, as LEDES invoices.

    Rows are grouped into invoices by client, matter and billing period, as MAP.toml says.
    Every row ends on one invoice line or is listed as a bad row with its reason; every
    rounding of hours is listed. The invoices are validated before they are written.

    Exit status: 0 written (or a clean dry run), 1 not written (bad rows without
    --skip-bad-rows, or validation errors), 2 a mistake in the mapping or an unreadable file.
    """
    if target is None and not dry_run:
        raise click.UsageError("give the file to write with -o OUT, or use --dry-run")
    result = import_file(source, mapping, target, target_format, guidelines, skip_bad_rows, dry_run)
    aside = target == "-" and not dry_run  # standard output holds the invoices: the rest goes to stderr
    for line in import_output.bad_row_lines(result):
        click.echo(line, err=aside)
    for line in import_output.rounding_lines(result):
        click.echo(line, err=aside)
    for finding in result.findings:
        click.echo(import_output.finding_line(result.source, finding), err=aside)
    if dry_run:
        for line in import_output.invoice_lines(result):
            click.echo(line)
    click.echo(import_output.summary_line(result), err=aside)
    click.echo(import_output.outcome_line(result), err=result.blocked or aside)
    sys.exit(EXIT_NOT_WRITTEN if result.blocked else EXIT_CLEAN)
