"""The ``ledes ledger`` commands: the receivables ledger; a thin shell over ledes.ledger."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import click

from ledes import ledger
from ledes.errors import LedesConfigError
from ledes.guidelines import MAX_WINDOW_DAYS
from ledes.ledger import views as shown
from ledes.ledger.tables import LARGEST_INTEGER

from .text import TEXT, utf8

DB_HELP = "The ledger: a SQLite file or a postgresql:// URL (else LEDES_DB, else ledger = … in ledes.toml)."
MARKABLE = ("accepted", "rejected", "appealed", "resubmitted", "paid", "reduced", "written-off", "note")


def ledger_location(given: str | None) -> str | None:
    """``--db``, else LEDES_DB, else ``ledger = …`` in the repository's configuration (relative to its folder)."""
    from ledes.ledger.location import is_url, resolve

    from .settings import discover, working_folder

    found = resolve(given)
    if found is not None:
        return found
    discovered = discover(working_folder())
    if discovered is None or "ledger" not in discovered[1]:
        return None
    path, table, where = discovered
    value = table["ledger"]
    if not isinstance(value, str) or not value.strip():
        raise LedesConfigError(f"{where}: ledger: expected a file path or a database URL, found {value!r}")
    return value if is_url(value) else str(Path(path).parent / value)


def open_store(given: str | None, *, must_exist: bool = True) -> ledger.Store:
    """The ledger; one that does not exist yet only for the commands that create one (add, load)."""
    return ledger.open_ledger(ledger_location(given), must_exist=must_exist)


def db_option(command):
    return click.option("--db", "db", default=None, metavar="PATH|URL", help=DB_HELP)(command)


def format_option(choices: tuple[str, ...] = ("text", "json")):
    return click.option("--format", "output_format", type=click.Choice(choices), default="text", show_default=True,
                        help="Output for people (text) or programs (json).")


def user_option(command):
    return click.option("--user", "actor", type=TEXT, default=None, metavar="NAME",
                        help="Who records it (default: the operating system's user name).")(command)


class Day(click.ParamType):
    """An ISO 8601 date: 2025-06-30; with ``past``, one that is not after today (the day an event happened)."""

    name = "date"

    def __init__(self, past: bool = False) -> None:
        self.past = past

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(utf8(self, value, param, ctx))
        except ValueError:
            self.fail(f"expected a date such as 2025-06-30, found '{value}'", param, ctx)
        if self.past and day > date.today():
            self.fail(f"{day} is after today ({date.today()}): the ledger records what has happened", param, ctx)
        return day


class Currency(click.ParamType):
    """An ISO 4217 currency code, in any case: usd is USD."""

    name = "code"

    def convert(self, value, param, ctx) -> str:
        from ledes.formats.currencies import ISO_4217
        from ledes.safetext import visible

        code = utf8(self, value, param, ctx).strip().upper()
        if code not in ISO_4217:
            self.fail(f"expected an ISO 4217 currency code such as USD or EUR, found '{visible(value)}'", param, ctx)
        return code


class Amount(click.ParamType):
    """A decimal amount: 1250.00."""

    name = "amount"

    def convert(self, value, param, ctx) -> Decimal:
        if isinstance(value, Decimal):
            return value
        text = utf8(self, value, param, ctx)
        # ASCII digits and one point: Decimal() also takes "１２", "1_0", "+5", "1e2" and "NaN", which no amount is.
        if not _AMOUNT.fullmatch(text):
            self.fail(f"expected an amount such as 1250.00, found '{value}'", param, ctx)
        return Decimal(text)


_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?|-?\.[0-9]+")


@click.group("ledger")
def ledger_group() -> None:
    """The receivables ledger: what was submitted, accepted, rejected, appealed, paid and written off."""


@ledger_group.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--submitted", "on", type=Day(past=True), default=None, help="The day they were submitted (default today).")
@click.option("--portal", type=TEXT, default=None, metavar="NAME", help="The e-billing portal they were submitted through.")
@click.option("--guidelines", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Validate with the client's guidelines (and record its payment terms and windows).")
@click.option("--currency", type=Currency(), default="USD", show_default=True, metavar="CODE",
              help="The currency of invoices that state none (LEDES 1998B).")
@click.option("--force", is_flag=True, help="Add invoices even when validation finds errors in them.")
@user_option
@db_option
@format_option()
def add_command(files, on, portal, guidelines, currency, force, actor, db, output_format) -> None:
    """Validate FILES and add their invoices to the ledger as submitted.

    The same invoice twice is added once; the same number with other content is a
    resubmission, listed with what changed. Exit status: 0 all added (or already there),
    1 an invoice was refused (validation errors; or it cannot follow its events, or is another
    client's or law firm's under the same number), 2 a usage or I/O error.
    """
    from ledes.guidelines import load_config

    config = load_config(guidelines) if guidelines else None
    store = open_store(db, must_exist=False)
    results = ledger.add_files(store, files, config=config, on=on, portal=portal, actor=actor, force=force,
                               currency=currency)
    click.echo(shown.added_json(results) if output_format == "json" else shown.added_text(results), nl=False)
    sys.exit(1 if any(r.outcome == "refused" for r in results) else 0)


@ledger_group.command("mark")
@click.argument("invoice", type=TEXT)
@click.argument("status", type=click.Choice(MARKABLE))
@click.option("--date", "on", type=Day(past=True), default=None, help="The day it happened (default today).")
@click.option("--amount", type=Amount(), default=None, help="Paid, reduced or written off (default: the balance).")
@click.option("--reason", type=TEXT, default=None, help="Why (a rejection's or reduction's reason, a note's text).")
@click.option("--code", type=TEXT, default=None, help="The portal's code for it (a rejection or reduction code).")
@click.option("--rule", type=TEXT, default=None, help="The guideline rule a reduction is attributed to (rates.cap, say).")
@click.option("--line", type=click.IntRange(min=1, max=LARGEST_INTEGER), default=None, help="The invoice line a reduction is on.")
@click.option("--portal", type=TEXT, default=None, metavar="NAME")
@user_option
@db_option
@format_option()
def mark_command(invoice, status, on, amount, reason, code, rule, line, portal, actor, db, output_format) -> None:
    """Record that INVOICE was accepted, rejected, appealed, resubmitted, paid, reduced, written off, or a note.

    An event out of order (paid before it was submitted, say) or a payment, reduction or
    write-off larger than the balance is refused: exit 2, naming the invoice and its status.
    """
    store = open_store(db)
    marked = ledger.mark(store, invoice, ledger.Kind(status), on=on, amount=amount, reason=reason, code=code,
                         rule=rule or ledger.rule_of(code), line=line, portal=portal, actor=actor)
    state = ledger.history(store, invoice)
    if output_format == "json":
        text = shown.marked_json(marked.event, state, marked.already)
    else:
        text = shown.marked_text(marked.event, state, marked.already)
    click.echo(text, nl=False)


@ledger_group.command("history")
@click.argument("invoice", type=TEXT)
@db_option
@format_option()
def history_command(invoice, db, output_format) -> None:
    """Every event of INVOICE, oldest first, with its status and balance."""
    state = ledger.history(open_store(db), invoice)
    click.echo(shown.history_json(state) if output_format == "json" else shown.history_text(state), nl=False)


def _apart_from_the_ledger(target: str, files: tuple[str, ...]) -> None:
    """Refuse ``target`` when it names one of the ledger's files, its write-ahead log or journal among them even while
    they do not exist (SQLite would take a report written there for its own, and delete it or worse)."""
    import os

    from ledes.errors import LedesWriteError

    if target != "-" and os.path.realpath(target) in {os.path.realpath(path) for path in files}:
        raise LedesWriteError(f"refusing to overwrite '{target}': it is a file of the ledger itself; choose another"
                              " output")


def _emit(text: str, target: str | None, inputs: tuple[str, ...] = ()) -> None:
    """The report on standard output, or written atomically to ``target`` (never an input)."""
    if target is None:
        click.echo(text, nl=False)
        return
    from ledes.safeoutput import atomic_output
    from ledes.safetext import visible

    _apart_from_the_ledger(target, inputs)
    with atomic_output(target, inputs) as out:
        out.write(text)
    click.echo(f"wrote {visible(target)}", err=True)


def output_option(command):
    return click.option("-o", "--output", "target", type=click.Path(dir_okay=False), default=None,
                        help="Write the report to this file (atomically) instead of standard output.")(command)


@ledger_group.command("import-status")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--mapping", required=True, type=click.Path(dir_okay=False), metavar="MAP.toml",
              help="Which column holds the invoice, status, date, amount, line, reason; the export's words for events.")
@click.option("--dry-run", is_flag=True, help="Match and list every row; record nothing.")
@click.option("--skip-bad-rows", is_flag=True, help="Record the good rows when some cannot be matched (still listed).")
@user_option
@db_option
@format_option()
def import_status_command(source, mapping, dry_run, skip_bad_rows, actor, db, output_format) -> None:
    """Record the statuses, payments and line-level reductions of SOURCE, a portal's or billing system's CSV/XLSX export.

    Every row is matched to an invoice in the ledger (and line) and recorded, or listed with
    the reason it cannot be. The rows are recorded in one transaction: all, or (a row that
    cannot be matched, without --skip-bad-rows; an interruption) none. A row recorded by an
    earlier import is not recorded again. Exit status: 0 recorded (or a clean dry run),
    1 nothing recorded for a bad row, 2 a mistake in the mapping or an unreadable file.
    """
    from ledes.ledger import statusviews

    as_json = output_format == "json"

    def show_row(outcome) -> None:
        if not as_json:
            click.echo(statusviews.row_line(outcome))
            sys.stdout.flush()

    result = ledger.import_status(open_store(db), source, mapping, dry_run=dry_run,
                                  skip_bad_rows=skip_bad_rows, actor=actor, on_row=show_row)
    click.echo(statusviews.import_json(result) if as_json else statusviews.summary_line(result, dry_run))
    sys.exit(1 if result.errors and not skip_bad_rows else 0)


@ledger_group.command("aging")
@click.option("--as-of", "as_of", type=Day(), default=None, help="Balances as of this day (default today).")
@click.option("--by", type=click.Choice(["client", "matter", "portal", "timekeeper"]), default="client",
              show_default=True, help="One row per client, matter, portal or timekeeper (and currency).")
@click.option("--from", "start", type=click.Choice(["submitted", "accepted"]), default="submitted", show_default=True,
              help="Age each balance from the invoice's (latest) submission or its acceptance.")
@output_option
@db_option
@format_option(("text", "json", "csv", "html"))
def aging_command(as_of, by, start, target, db, output_format) -> None:
    """Open balances in 0-30, 31-60, 61-90, 91-120 and over 120 days, per currency, with totals.

    A matter's or timekeeper's share of an invoice's balance is in proportion to its lines.
    """
    from ledes.ledger import page, render

    store = open_store(db)
    report = ledger.aging(store, as_of or date.today(), by, start)
    renderers = {"text": render.aging_text, "json": render.aging_json, "csv": render.aging_csv,
                 "html": page.aging_html}
    _emit(renderers[output_format](report), target, store.files())


@ledger_group.command("follow-up")
@click.option("--as-of", "as_of", type=Day(), default=None, help="The work list of this day (default today).")
@click.option("--within", type=click.IntRange(min=0, max=MAX_WINDOW_DAYS), default=14, show_default=True,
              help="List rejected invoices whose resubmission window closes within this many days.")
@output_option
@db_option
@format_option(("text", "json", "csv", "html"))
def follow_up_command(as_of, within, target, db, output_format) -> None:
    """The day's work list: overdue invoices, closing resubmission windows, unanswered appeals, short payments.

    Each line says why and by when. The payment terms and windows are the client's
    guidelines' ([receivables], recorded when the invoice was added), else 30/60/30/30 days.
    """
    from ledes.ledger import page, render

    day = as_of or date.today()
    store = open_store(db)
    items = ledger.follow_up(store, day, within)
    renderers = {"text": render.follow_up_text, "json": render.follow_up_json, "csv": render.follow_up_csv,
                 "html": page.follow_up_html}
    _emit(renderers[output_format](items, day, within), target, store.files())


@ledger_group.command("realization")
@click.option("--period", type=TEXT, default=None, metavar="PERIOD",
              help="Invoices first submitted in this year (2025), quarter (2025-Q1) or month (2025-03).")
@click.option("--as-of", "as_of", type=Day(), default=None, help="Count events up to this day (default today).")
@click.option("--by", type=click.Choice(["client", "matter", "portal", "timekeeper", "task", "rule"]), default="client",
              show_default=True, help="One row per value (and currency); rule lists only the rules' table.")
@output_option
@db_option
@format_option(("text", "json", "csv", "html"))
def realization_command(period, as_of, by, target, db, output_format) -> None:
    """Billed, reduced, written off, paid and realization rate; days to payment; rejection rates; reductions per rule.

    Reductions per guideline rule are set against the money `ledes validate` put at risk
    under that rule for the same invoices (with the guidelines given to `ledger add`).
    """
    from ledes.ledger import page, render
    from ledes.reports import parse_period

    start = end = None
    if period is not None:
        try:
            chosen = parse_period(period)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--period") from None
        start, end, period = chosen.start, chosen.end, chosen.name
    store = open_store(db)
    report = ledger.realization(store, as_of or date.today(), start, end, by, period)
    renderers = {"text": render.realization_text, "json": render.realization_json, "csv": render.realization_csv,
                 "html": page.realization_html}
    _emit(renderers[output_format](report), target, store.files())


@ledger_group.command("export")
@click.option("-o", "--output", "target", type=click.Path(dir_okay=False, allow_dash=True), default="-",
              show_default=True, help="The JSON lines file to write (atomically); - for standard output.")
@db_option
def export_command(target, db) -> None:
    """The whole ledger as JSON lines (every invoice version, then every event), for `ledes ledger load`."""
    from ledes.safeoutput import atomic_output

    store = open_store(db)
    _apart_from_the_ledger(target, store.files())
    with atomic_output(target, store.files()) as out:
        count = ledger.write_export(store, out)
    click.echo(f"exported {count} events", err=True)


@ledger_group.command("load")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True))
@db_option
@format_option()
def load_command(source, db, output_format) -> None:
    """Load SOURCE, a `ledes ledger export`, into an empty ledger (SQLite or PostgreSQL), in one transaction."""
    from ledes.errors import LedesInputError
    from ledes.safetext import visible

    try:
        stream = click.open_file(source, "rb")
    except RuntimeError:  # standard input closed by the shell (``0<&-``): click finds no stream
        raise LedesInputError(f"cannot read '{visible(source)}': standard input is closed") from None
    except OSError as error:
        raise LedesInputError(f"cannot read '{visible(source)}': {error.strerror or error}") from None
    with stream:
        versions, events = ledger.load(open_store(db, must_exist=False), stream, source)
    if output_format == "json":
        click.echo(json.dumps({"invoice_versions": versions, "events": events}))
    else:
        click.echo(f"loaded {events} events ({versions} invoice versions)")
