"""The ``ledes ledger`` commands: the receivables ledger; a thin shell over ledes.ledger."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal

import click

from ledes import ledger
from ledes.ledger import views as shown

DB_HELP = "The ledger: a SQLite file or a postgresql:// URL (else LEDES_DB, else ledger = … in ledes.toml)."
MARKABLE = ("accepted", "rejected", "appealed", "resubmitted", "paid", "reduced", "written-off", "note")


def db_option(command):
    return click.option("--db", "db", default=None, metavar="PATH|URL", help=DB_HELP)(command)


def format_option(choices: tuple[str, ...] = ("text", "json")):
    return click.option("--format", "output_format", type=click.Choice(choices), default="text", show_default=True,
                        help="Output for people (text) or programs (json).")


def user_option(command):
    return click.option("--user", "actor", default=None, metavar="NAME",
                        help="Who records it (default: the operating system's user name).")(command)


class Day(click.ParamType):
    """An ISO 8601 date: 2025-06-30."""

    name = "date"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"expected a date such as 2025-06-30, found '{value}'", param, ctx)


class Amount(click.ParamType):
    """A decimal amount: 1250.00."""

    name = "amount"

    def convert(self, value, param, ctx) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            amount = Decimal(value)
        except ArithmeticError:
            self.fail(f"expected an amount such as 1250.00, found '{value}'", param, ctx)
        if not amount.is_finite():
            self.fail(f"expected an amount such as 1250.00, found '{value}'", param, ctx)
        return amount


@click.group("ledger")
def ledger_group() -> None:
    """The receivables ledger: what was submitted, accepted, rejected, appealed, paid and written off."""


@ledger_group.command("add")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--submitted", "on", type=Day(), default=None, help="The day they were submitted (default today).")
@click.option("--portal", default=None, metavar="NAME", help="The e-billing portal they were submitted through.")
@click.option("--guidelines", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Validate with the client's guidelines (and record its payment terms and windows).")
@click.option("--currency", default="USD", show_default=True, metavar="CODE",
              help="The currency of invoices that state none (LEDES 1998B).")
@click.option("--force", is_flag=True, help="Add invoices even when validation finds errors in them.")
@user_option
@db_option
@format_option()
def add_command(files, on, portal, guidelines, currency, force, actor, db, output_format) -> None:
    """Validate FILES and add their invoices to the ledger as submitted.

    The same invoice twice is added once; the same number with other content is a
    resubmission, listed with what changed. Exit status: 0 all added (or already there),
    1 an invoice was refused for validation errors, 2 a usage or I/O error.
    """
    from ledes.guidelines import load_config

    config = load_config(guidelines) if guidelines else None
    store = ledger.open_ledger(db)
    results = ledger.add_files(store, files, config=config, on=on, portal=portal, actor=actor, force=force,
                               currency=currency.upper())
    click.echo(shown.added_json(results) if output_format == "json" else shown.added_text(results), nl=False)
    sys.exit(1 if any(r.outcome == "refused" for r in results) else 0)


@ledger_group.command("mark")
@click.argument("invoice")
@click.argument("status", type=click.Choice(MARKABLE))
@click.option("--date", "on", type=Day(), default=None, help="The day it happened (default today).")
@click.option("--amount", type=Amount(), default=None, help="Paid, reduced or written off (default: the balance).")
@click.option("--reason", default=None, help="Why (a rejection's or reduction's reason, a note's text).")
@click.option("--code", default=None, help="The portal's code for it (a rejection or reduction code).")
@click.option("--rule", default=None, help="The guideline rule a reduction is attributed to (rates.cap, say).")
@click.option("--line", type=click.IntRange(min=1), default=None, help="The invoice line a reduction is on.")
@click.option("--portal", default=None, metavar="NAME")
@user_option
@db_option
@format_option()
def mark_command(invoice, status, on, amount, reason, code, rule, line, portal, actor, db, output_format) -> None:
    """Record that INVOICE was accepted, rejected, appealed, resubmitted, paid, reduced, written off, or a note.

    An event out of order (paid before it was submitted, say) or a payment, reduction or
    write-off larger than the balance is refused: exit 2, naming the invoice and its status.
    """
    store = ledger.open_ledger(db)
    event = ledger.mark(store, invoice, ledger.Kind(status), on=on, amount=amount, reason=reason, code=code,
                        rule=rule or ledger.rule_of(code), line=line, portal=portal, actor=actor)
    state = ledger.history(store, invoice)
    text = shown.marked_json(event, state) if output_format == "json" else shown.marked_text(event, state)
    click.echo(text, nl=False)


@ledger_group.command("history")
@click.argument("invoice")
@db_option
@format_option()
def history_command(invoice, db, output_format) -> None:
    """Every event of INVOICE, oldest first, with its status and balance."""
    state = ledger.history(ledger.open_ledger(db), invoice)
    click.echo(shown.history_json(state) if output_format == "json" else shown.history_text(state), nl=False)
