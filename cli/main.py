"""The ``ledes`` command: validate, show and convert LEDES files; a thin shell over the library."""

from __future__ import annotations

import errno
import gc
import importlib
import re
import sys

import click

import ledes
from ledes.errors import LedesError
from ledes.formats.keys import FORMAT_KEYS

from .text import TEXT

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
# Commands whose modules are imported only when they run (or are listed): start-up stays small.
LAZY_COMMANDS = {"import": ("importing", "import_command"), "report": ("reporting", "report_command"),
                 "validate": ("validating", "validate"), "ledger": ("ledger", "ledger_group")}


class LedesGroup(click.Group):
    """Turns library exceptions into one line on stderr and exit code 2, never a traceback.

    The ``import``, ``report``, ``validate`` and ``ledger`` commands are loaded when asked for, so
    that ``ledes validate`` does not import the importer, the reports and the ledger's database
    toolkit, nor the others validate.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, name = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(f"{__package__}.{module}"), name))
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:  # an option of ``ledes`` itself (``ledes --bogus``)
            if type(error).__name__ == "NoArgsIsHelpError":  # ``ledes`` alone: click shows the help
                raise
            _usage_error(ctx, error)
            raise  # not reached: _usage_error exits

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LedesError as error:
            from ledes.safetext import visible  # control characters in a path or value are shown, not sent

            click.echo(f"ledes: error: {visible(str(error))}", err=True)
            ctx.exit(EXIT_USAGE)
        except click.UsageError as error:
            _usage_error(ctx, error)
        except KeyboardInterrupt:
            click.echo("ledes: interrupted", err=True)
            ctx.exit(130)
        except OSError as error:  # the output or a temporary file cannot be written (a full disk): not the input's
            if error.errno == errno.EPIPE:
                raise  # the reader went away (``| head``): click ends quietly, as it always has
            _cannot_write(error)
            ctx.exit(EXIT_USAGE)


def _cannot_write(error: OSError) -> None:
    """One line for an output that fails (a full disk, a closed standard output); what is still buffered for standard
    output is dropped, so that the interpreter's last flush does not fail again with a traceback."""
    import os
    import tempfile

    from ledes.safetext import visible

    if error.filename:  # a file the library did not expect to fail, named as the system names it
        click.echo(f"ledes: error: '{visible(os.fsdecode(error.filename))}': {error.strerror or error}", err=True)
    else:  # a stream: standard output, or a temporary file being written
        click.echo(f"ledes: error: cannot write: {error.strerror or error} (standard output, or a temporary file in"
                   f" {visible(tempfile.gettempdir())})", err=True)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _usage_error(ctx: click.Context, error: click.UsageError) -> None:
    """One line, as every other error: what is wrong, and where the options are listed; exit 2."""
    where = " ".join(["ledes", *(error.ctx or ctx).command_path.split()[1:]])
    message = re.sub(r"\s*\n\s*", " ", error.format_message())  # click lists a missing choice's values a line each
    click.echo(f"ledes: error: {message.rstrip('.')} (see `{where} --help`)", err=True)
    ctx.exit(EXIT_USAGE)


def _print_version(ctx: click.Context) -> None:
    """``ledes, version 0.1.0``: the package metadata is read only here."""
    from ledes.version import installed_version

    click.echo(f"ledes, version {installed_version()}")
    ctx.exit()


def run() -> None:
    """The ``ledes`` program, as its console script and ``python -m ledes`` start it.

    A run makes and frees millions of small objects that hold no reference cycles. At the
    cyclic collector's default (a pass after every 700 objects kept) its passes found
    nothing and took a sixth of a plain validation's time; a pass now waits for 100,000.
    Set here, for the program's own process only, not for a program that calls ``main``.
    """
    gc.set_threshold(100_000, 50, 100)
    if sys.stdout is None:  # closed by the shell (``>&-``): the findings would have nowhere to go
        click.echo("ledes: error: standard output is closed: give the command somewhere to write", err=True)
        sys.exit(EXIT_USAGE)
    try:
        main(prog_name="ledes")
    except OSError as error:  # writing the help or a usage message failed (the command's own errors: ``invoke``)
        _cannot_write(error)
        sys.exit(EXIT_USAGE)


@click.group(cls=LedesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=lambda ctx, _param, value:
              _print_version(ctx) if value else None, help="Show the version and exit.")
def main() -> None:
    """Validate LEDES e-billing invoices (format and client guidelines), convert them, import exports, report."""


@main.command()
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--from", "source_format", type=click.Choice(FORMAT_KEYS), default=None,
              help="Read the file as this format instead of detecting it.")
def show(file: str, output_format: str, source_format: str | None) -> None:
    """Show what FILE holds: invoices, matters, timekeepers, hours and amounts by line type.

    A file with no invoice in it (or no invoice file at all: a CSV export, a PDF, ...)
    shows nothing: why is on stderr, and the exit status is 1.
    """
    import tempfile

    from ledes.api import overview_each
    from ledes.findingsample import KEPT
    from ledes.safeoutput import stdout_apart_from

    from . import output, unread

    stdout_apart_from([file])  # ``>> invoice.txt``: what is shown would be added to the file

    # The heading counts the whole file: the invoices wait (on disk past SHOW_IN_MEMORY) until it is read;
    # surrogatepass keeps any text the invoices hold exactly as it was, for standard output to write as before.
    with tempfile.SpooledTemporaryFile(SHOW_IN_MEMORY, mode="w+", encoding="utf-8", errors="surrogatepass") as body:
        shown = output.ShowBody(body, text=output_format == "text")
        seen = overview_each(file, shown.add, source_format, keep=KEPT)  # the findings counted, a few kept
        figures = seen.figures
        if seen.format is None or not figures.invoices:  # None: no invoice file at all
            for line in unread.no_invoice_lines(f"ledes: nothing to show: {file} holds no invoice:", file,
                                                seen.diagnostics, (seen.count, seen.errors)):
                click.echo(line, err=True)
            sys.exit(unread.EXIT_NO_INVOICE)
        if output_format == "json":
            click.echo(output.show_json_start(seen.path, seen.format), nl=False)
        else:
            click.echo(output.show_heading(seen.path, seen.format, figures))
        body.seek(0)
        while chunk := body.read(SHOW_CHUNK):
            click.echo(chunk, nl=False)
        if output_format == "json":
            click.echo(output.show_json_end(figures))
        else:
            for line in output.show_totals(seen.path, figures, seen.count):
                click.echo(line)


SHOW_IN_MEMORY = 1 << 16  # characters of ``ledes show``'s invoices kept in memory before they go to a temporary file
SHOW_CHUNK = 1 << 16


@main.command()
@click.argument("source", type=click.Path(allow_dash=True))
@click.option("-o", "--output", "target", required=True, type=click.Path(allow_dash=True),
              help="The file to write (atomically; a regular file, never the input; - for standard output).")
@click.option("--to", "target_format", type=click.Choice(FORMAT_KEYS), required=True, help="The format to write.")
@click.option("--from", "source_format", type=click.Choice(FORMAT_KEYS), default=None,
              help="Read SOURCE as this format instead of detecting it.")
@click.option("--allow-loss", is_flag=True,
              help="Write even when some of the input cannot be carried over (it is still listed).")
@click.option("--strict", is_flag=True,
              help="Refuse (exit 1) also when the target has no field for a value, instead of warning.")
@click.option("--currency", type=TEXT, metavar="CODE", default=None,
              help="ISO 4217 currency for invoices that state none (1998BI requires one; LEDES XML and 2000"
                   " write it as inv_currency; 1998B holds none).")
@click.option("--law-firm-name", type=TEXT, metavar="NAME", default=None,
              help="The law firm's name for invoices that have none (LEDES XML requires one).")
def convert(
    source: str,
    target: str,
    target_format: str,
    source_format: str | None,
    allow_loss: bool,
    strict: bool,
    currency: str | None,
    law_firm_name: str | None,
) -> None:
    """Read SOURCE and write it to a new file in another (or the same, canonical) format.

    A value the target format has no field for is listed as a warning and the file is
    written without it (--strict refuses instead, exit 1). A value the target would give
    back changed or empty refuses (exit 1, nothing written) unless --allow-loss. The
    written file is then validated: what `ledes validate` would flag in it is listed
    against its path, and an error there exits 1 (the file stays written).

    The output is written atomically. When reading SOURCE skipped records or found
    values that disagree, nothing is written (exit 1) unless --allow-loss is given. A
    SOURCE with no invoice in it (or no invoice file at all: a CSV export, a PDF, ...) is
    never written, --allow-loss or not (exit 1).
    """
    from ledes.rules.conversion import UNSUPPORTED_FIELD
    from ledes.safetext import visible

    from . import output, unread

    try:
        result = ledes.convert(
            source, target, to=target_format, format=source_format, allow_loss=allow_loss, currency=currency,
            law_firm_name=law_firm_name, strict=strict,
        )
    except ledes.LedesNoInvoiceError as error:
        heading = f"ledes: not written: {visible(target)}: {visible(source)} holds no invoice:"
        for line in unread.no_invoice_lines(heading, source, error.diagnostics):
            click.echo(line, err=True)
        sys.exit(unread.EXIT_NO_INVOICE)
    except ledes.LedesDataLossError as error:
        click.echo(f"ledes: not written: {visible(target)}: converting would lose data:", err=True)
        for diagnostic in error.losses:
            click.echo("  " + output.diagnostic_line(source, diagnostic), err=True)
        if strict and any(d.rule == UNSUPPORTED_FIELD.name for d in error.losses):
            click.echo("  --strict refuses a value the target has no field for; without it, a warning", err=True)
        click.echo("  use --allow-loss to write anyway", err=True)
        sys.exit(EXIT_FINDINGS)
    currencies = result.currencies  # money at stake to each invoice's currency's minor unit, as validate shows it
    for diagnostic in result.losses:
        click.echo("lost: " + output.diagnostic_line(source, diagnostic, currencies.get(diagnostic.invoice or "")), err=True)
    for diagnostic in result.output_diagnostics:
        click.echo(output.diagnostic_line(target, diagnostic, currencies.get(diagnostic.invoice or "")), err=True)
    click.echo(
        f"wrote {'standard output' if target == '-' else visible(target)}: {output.plural(result.invoices, 'invoice')},"
        f" {output.plural(result.line_items, 'line item')}",
        err=target == "-",  # standard output holds the invoices
    )
    _unused_currency(currency, target_format)
    if result.output_errors:
        click.echo(f"ledes: {visible(target)} is written, but `ledes validate` finds {output.plural(result.output_errors, 'error')}"
                   " in it (above)", err=True)
        sys.exit(EXIT_FINDINGS)


def _unused_currency(currency: str | None, target_format: str) -> None:
    """A note on standard error when --currency was given for a target that holds no currency (1998B)."""
    if currency is None:
        return
    from ledes.formats import format_named

    writer = format_named(target_format)
    if "invoice.currency" not in writer.field_names:
        click.echo(f"ledes: note: --currency has no effect: {writer.title} holds no currency", err=True)


@main.command()
@click.argument("name", type=TEXT, required=False, metavar="[RULE_OR_GROUP]")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="A list for people, JSON for programs, or Markdown (docs/rules.md).")
def rules(name: str | None, output_format: str) -> None:
    """List every rule with its default level, a group's rules (arithmetic), or explain the rule NAME."""
    from . import rule_docs

    chosen = rule_docs.chosen(name)
    if output_format == "json":
        click.echo(rule_docs.as_json(chosen))
    elif output_format == "markdown":
        click.echo(rule_docs.as_markdown(chosen), nl=False)
    elif name in rule_docs.ENTRIES:
        click.echo(rule_docs.explained(chosen[0]))
    else:
        click.echo(rule_docs.listing(chosen))


@main.command()
@click.argument("rule", type=TEXT)
def explain(rule: str) -> None:
    """Explain RULE: what it checks, why, its options, a passing and a failing example (a group: its rules)."""
    from . import rule_docs

    chosen = rule_docs.chosen(rule)
    click.echo(rule_docs.explained(chosen[0]) if rule in rule_docs.ENTRIES else rule_docs.listing(chosen))


@main.command()
@click.argument("name", type=TEXT, required=False, metavar="[SET_OR_CODE]")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output for people (text) or programs (json).")
def codes(name: str | None, output_format: str) -> None:
    """List the UTBMS code sets, list the codes of one set, or explain one code (L210, A112, X300).

    A code is explained in every set that has it: its name, set, phase and tasks, and what is
    unverified about it. Set keys (upper or lower case):

    \b
      L      Litigation (ABA 1995)      L2007  Litigation, DRI 2007 insurance revision
      A      Activity (ABA 1997)        A2007  Activity, DRI 2007 insurance revision
      A2013  Activity, LOC 2013 revision
      E      Expense (ABA 1997)         EIP    Expense with the LOC IP additions E125-E131
      X      Expense, LOC 2013 revision (X codes)
      B      Bankruptcy                 C      Counseling
      P      Project                    PA     Patent (LOC 2009)
      TR     Trademark (LOC 2009)       ED     eDiscovery (LOC 2011, L600 series)
      MA     Mergers and Acquisitions (ABA, partial: MA00-MD00)
    """
    from ledes import utbms

    from . import utbms_output

    sets = utbms.code_sets()
    as_json = output_format == "json"
    wanted = None if name is None else utbms.normalize(name)
    if wanted is None:
        click.echo(utbms_output.sets_json(sets) if as_json else utbms_output.sets_text(sets))
    elif wanted in sets:
        code_set = sets[wanted]
        click.echo(utbms_output.set_json(code_set) if as_json else utbms_output.set_text(code_set))
    else:
        matches = utbms.lookup(wanted, sets)
        if not matches:
            raise ledes.LedesInputError(f"no UTBMS code set or code '{name}'; `ledes codes` lists the sets")
        explained = utbms_output.code_json(wanted, matches, sets) if as_json else utbms_output.code_text(matches, sets)
        click.echo(explained)
