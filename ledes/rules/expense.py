"""Expense rules: what the client does not reimburse, and caps per unit and per day by expense code."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.figures import iso_day
from ledes.model import Invoice
from ledes.money import ZERO, to_minor
from ledes.narratives.literals import word_literals
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import Line, invoice_facts, text_memo
from ledes.rules.lineitems import code, is_credit, over_limit, word_pattern, words_affirmed
from ledes.rules.runstore import SpillingMap, digest

OVERHEAD_WORDS = (
    "secretarial", "word processing", "overtime", "office supplies", "CLE", "seminar",
    "publications", "subscription", "treatise", "microfilm", "alcohol",
    # First-class travel, not first-class mail.
    *(f"{first} {what}" for first in ("first class", "first-class")
      for what in ("airfare", "air", "flight", "ticket", "seat", "upgrade", "travel", "train", "rail")),
)


@attrs.frozen
class NotReimbursableOptions:
    """expense.not-reimbursable: the expense codes and the narrative words of expenses the client does not pay."""

    codes: tuple[str, ...] = option.texts(("E103", "E109"))
    words: tuple[str, ...] = option.texts(OVERHEAD_WORDS, phrases=True)


@guideline_rule("expense.not-reimbursable", Severity.WARNING, options=NotReimbursableOptions)
def not_reimbursable(invoice: Invoice, report: Report, options: NotReimbursableOptions, context: Context) -> None:
    """No expense line bills an expense the client does not reimburse, by its expense code or its wording.

    Why: carrier billing guidelines (CNA, Liberty Mutual, AmTrust, as digested at
    hub.nicolaidesllp.com) and 10 CFR 719.35: overhead expenses are not paid (reduced to 0 or
    rejected): local travel, secretarial and word processing, staff overtime, CLE and
    seminars, publications, meals not on travel status, first-class airfare, premium
    rental cars; meal caps say "no alcohol". The default codes are the two UTBMS
    codes those guidelines name: E103 Word processing and E109 Local travel.
    Facsimile (E104), telephone (E105) and copying (E101) are usually capped per unit
    rather than refused (``expense.unit-cost-cap``); a client that refuses them adds
    them.
    Options: ``codes`` (default E103, E109), ``words`` (secretarial, word processing, overtime, ...).
    ``codes`` are the expense codes and ``words`` the narrative words (whole words,
    case-insensitive) of expenses the client does not pay; a word a negation stands before
    in its clause ("dinner, excluding alcohol", "no overtime") does not count. The default
    words name first-class travel ("first-class airfare"), not first-class mail, and
    ``publications`` bought, not a notice the court orders published.
    A credit (a negative total: the charge reversed) is the remedy, not a breach, and is not
    checked.
    Money at stake: the line's total.
    Passing: E111 "Meals" while on travel status.
    Failing: E103 "Word processing"; E124 "Secretarial overtime".
    """
    refused = {code(value) for value in options.codes} - {None}
    pattern, literals = word_pattern(options.words), word_literals(options.words)
    overhead_in = text_memo(context, ("expense.not-reimbursable", pattern),
                            lambda text: tuple(dict.fromkeys(words_affirmed(pattern, text, literals))))
    for line in invoice_facts(invoice, context).lines:
        if not line.expense or line.credit:
            continue
        expense = line.expense_code
        if expense in refused:
            report(
                f"expense code {expense} is an expense the client does not reimburse",
                record=line.item,
                field="line_item.expense_code",
                amount=line.total,
                hint="remove the line: the client treats it as overhead",
            )
            continue
        description = line.item.description
        found = overhead_in(description) if isinstance(description, str) else ()
        if found:
            report(
                f"the narrative names {', '.join(found)}, an expense the client does not reimburse",
                record=line.item,
                field="line_item.description",
                amount=line.total,
                hint="remove the line: the client treats it as overhead",
            )


@attrs.frozen
class UnitCostCapOptions:
    """expense.unit-cost-cap: the highest unit cost per expense code."""

    caps: dict[str, Decimal] = option.amounts({"E101": "0.10"}, key=option.upper)


@guideline_rule("expense.unit-cost-cap", Severity.WARNING, options=UnitCostCapOptions)
def unit_cost_cap(invoice: Invoice, report: Report, options: UnitCostCapOptions, context: Context) -> None:
    """An expense line's LINE_ITEM_UNIT_COST is not above the client's cap for its expense code.

    Why: Legal Tracker UTBMS audit sets and Collaborati's expense rules: unit cost ≤ the cap per code, e.g. copies at $0.10 a
    page (E101); the portals reduce the line to the cap ("Expense Charges Exceed
    Acceptable Unit Costs").
    The caps are in the guidelines' ``currency``: an invoice in another currency is not checked.
    Options: ``caps`` (default ``{"E101": 0.10}``): the highest unit cost per expense code.
    A credit (negative units or total, "Credit for photocopies") is not checked: at a unit cost
    above the cap it gives the client more back, so nothing is at stake.
    Money at stake: (unit cost − cap) × units, less what the line's adjustment already takes off
    (never below 0).
    Passing: E101, 120 pages at ``0.10``.
    Failing: E101, 120 pages at ``0.25`` (18.00 at stake).
    """
    caps = options.caps
    if not caps or context.other_currency(invoice, unit_cost_cap):
        return
    for line in invoice_facts(invoice, context).lines:
        expense, units, cost = line.expense_code, line.hours, line.rate
        if (not line.expense or expense not in caps or units is None or cost is None or cost <= caps[expense]
                or is_credit(line.item)):
            continue
        cap = caps[expense]
        report(
            f"unit cost {cost} for {expense} is above the client's cap of {cap}",
            record=line.item,
            field="line_item.unit_cost",
            amount=to_minor(over_limit(line.item, units, cost, cap), invoice.currency),
            hint=f"bill {expense} at {cap} a unit or less",
        )


@attrs.frozen
class DailyCapOptions:
    """expense.daily-cap: the most per expense code, timekeeper and day."""

    caps: dict[str, Decimal] = option.amounts({"E111": "75.00"}, key=option.upper)


def _spent() -> SpillingMap[Decimal]:
    """What each timekeeper has spent per expense code and day, in flat memory."""
    return SpillingMap(str, Decimal)


@guideline_rule("expense.daily-cap", Severity.WARNING, options=DailyCapOptions)
def daily_cap(invoice: Invoice, report: Report, options: DailyCapOptions, context: Context) -> None:
    """The expenses of one code billed for one timekeeper on one date stay within the client's daily cap.

    Why: Legal Tracker UTBMS audit sets and carrier billing guidelines: a line or per-day amount ≤ the cap, e.g. meals at most
    $75 per timekeeper per day; the portals reduce or reject the excess. Amounts add
    up over every invoice and file of the run; expense lines without a TIMEKEEPER_ID
    count together for their date. The amount of a line is units × unit cost +
    adjustment (its total when those are missing), before tax. The caps are in the
    guidelines' ``currency``: an invoice in another currency is not checked, and amounts
    in two currencies are never added together.
    Options: ``caps`` (default ``{"E111": 75.00}``): the most per expense code, timekeeper and day.
    A credit of the same day in the same invoice (a charge reversed, then billed again
    corrected) is taken off first: a day whose net is within the cap is not reported,
    and the lines reported are those that take the net over it.
    Money at stake: the part of each line above the cap (the line that crosses it, and
    every later line of that day in full).
    Passing: E111 24.95 and 45.00 on 1999-01-17.
    Failing: E111 24.95 and 62.50 on 1999-01-17 (12.45 over).
    """
    caps = options.caps
    if not caps or context.other_currency(invoice, daily_cap):
        return
    spent: SpillingMap[Decimal] = context.run.slot(daily_cap, _spent)
    currency = context.currency_of(invoice)
    facts = invoice_facts(invoice, context)
    days: dict[bytes, list[tuple[int, Line, Decimal, Decimal]]] = {}  # per code, timekeeper and day: its lines
    for position, line in enumerate(facts.lines):
        expense, when = line.expense_code, line.day
        cap = caps.get(expense) if expense is not None and line.expense else None
        if cap is None or when is None:
            continue
        charged = line.amount()
        if charged is not None:
            key = digest((facts.firm, facts.client, expense, line.keeper, when, currency))  # two currencies never added
            days.setdefault(key, []).append((position, line, charged, cap))
    over = []
    for key, lines in days.items():
        before = spent.get(key, ZERO)
        net = before + sum(charged for _, _, charged, _ in lines)
        spent.set(key, net)
        if net <= lines[0][3]:
            continue  # within the cap once the invoice's credits of that day are taken off
        credits_first = [entry for entry in lines if entry[2] <= ZERO] + [entry for entry in lines if entry[2] > ZERO]
        for position, line, charged, cap in credits_first:  # a credit takes back a charge of the day, whichever
            after = before + charged
            if after > cap and charged > ZERO:
                over.append((position, line, before, after, cap))
            before = after
    for _position, line, before, after, cap in sorted(over, key=lambda found: found[0]):
        expense, keeper = line.expense_code, line.keeper
        who = f"timekeeper {keeper}" if keeper else "lines without a timekeeper"
        report(
            f"{expense} for {who} on {iso_day(line.day)} comes to {to_minor(after, invoice.currency)},"
            f" above the daily cap of {cap}",
            record=line.item,
            field="line_item.total",
            amount=to_minor(after - max(before, cap), invoice.currency),
            hint=f"bill at most {cap} of {expense} a day",
        )

RULES = (not_reimbursable, unit_cost_cap, daily_cap)
