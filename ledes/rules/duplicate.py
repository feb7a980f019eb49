"""Duplicate rules: the same time entry, or the same expense, billed twice, in one invoice or across a run."""

from __future__ import annotations

import re
import string

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice, Location, Matter
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import where
from ledes.rules.places import NOWHERE, first_places
from ledes.rules.runstore import SpillingMap, digests

# What a narrative is compared without: every run of characters that are not letters or digits (spacing,
# punctuation, "_"), each made one space.
_NOT_WORD = re.compile(r"[\W_]+")
# The same for the ASCII characters at C speed: each punctuation mark (and "_") made a space.
_ASCII_MARKS = str.maketrans(dict.fromkeys(string.punctuation, " "))


def _narrative(text: str) -> str:
    """A narrative compared without case, spacing or punctuation differences: its runs of letters and digits,
    case-folded, one space between each ("Draft motion to dismiss." = "draft  motion to dismiss")."""
    folded = text.casefold().translate(_ASCII_MARKS)
    if folded.isascii() and folded.isprintable():  # letters, digits and spaces only: the spaces made single
        return " ".join(folded.split()) if "  " in folded or folded[:1] == " " or folded[-1:] == " " else folded
    return _NOT_WORD.sub(" ", text.casefold()).strip(" ")


def narratives(texts: list[str]) -> list[str]:
    """``_narrative`` of each text, worked out for all of them at once when none holds a line feed.

    The texts are joined by line feeds, case-folded and their ASCII marks made spaces once (character by
    character, so as each text would be); when that leaves letters, digits and spaces only, each text's
    spaces are made single. Otherwise each text on its own.
    """
    joined = "\n".join(texts)
    if joined.count("\n") == len(texts) - 1:
        folded = joined.casefold().translate(_ASCII_MARKS)
        if folded.isascii() and folded.replace("\n", " ").isprintable():
            return [" ".join(part.split()) if "  " in part or part[:1] == " " or part[-1:] == " " else part
                    for part in folded.split("\n")]
    return list(map(_narrative, texts))


def _earlier_places(seen: SpillingMap[Location], keys: list[bytes], places: list[Location]) -> list[Location | None]:
    """Where the run first saw each key (None: first seen here, at its place in ``places``), the new keys remembered.

    A key repeated within ``keys`` is first seen at its first place there. When no key was
    seen before and none repeats (most invoices), they are all remembered at once.
    """
    firsts = seen.get_many(keys)
    if firsts.count(None) == len(firsts) and len(set(keys)) == len(keys):
        seen.set_many(list(zip(keys, places, strict=True)))
        return firsts
    new: dict[bytes, Location] = {}
    for index, (key, place) in enumerate(zip(keys, places, strict=True)):
        if firsts[index] is None:
            firsts[index] = new.get(key)
            if firsts[index] is None:
                new[key] = place
    seen.set_many(list(new.items()))
    return firsts


def _first_places() -> SpillingMap[Location]:
    """A run's store of where each line's key was first seen, sized for a key a line."""
    return first_places(per_line=True)


def _matter_id(matter: Matter) -> str | None:
    """The matter a line is billed to: the law firm's matter id, else the client's."""
    found = matter.law_firm_matter_id
    return found if isinstance(found, str) and found.strip() else matter.client_matter_id


@attrs.frozen
class DuplicateLineOptions:
    """duplicate.line-item: whether the narrative is part of what makes two entries the same."""

    same_narrative: bool = option.flag(True)


@guideline_rule("duplicate.line-item", Severity.WARNING, options=DuplicateLineOptions)
def duplicate_line_item(invoice: Invoice, report: Report, options: DuplicateLineOptions, context: Context) -> None:
    """No fee line repeats another's matter, timekeeper, date, task code, hours and narrative, in the run.

    Why: Legal Tracker's duplicate line item audits and Collaborati's "Duplicate
    Timekeeper Charge" rule: duplicate entries (same timekeeper, date, task and
    units, and description or amount) are flagged, held or rejected; a time entry
    exported twice, or billed again in the next month's invoice, is the usual cause.
    Entries are compared over every invoice and file of one ``ledes validate`` run, within
    one law firm, client and matter (the CSM rule's "project": the same entry on two matters
    is two matters' work, and another client's portal never sees it); narratives are
    compared without case, spacing or punctuation differences ("jurisdiction."
    = "Jurisdiction"; "1-3" and "13" stay apart), hours by value
    (``2.0`` = ``2.00``). The later entry is reported; a credit (a negative total: the
    entry written off or reversed) is no repeated charge.
    Options: ``same_narrative`` (default true): with ``false``, entries are compared without
    their narratives, as Mitratech CSM's duplicate charge rule compares them (project,
    service date, timekeeper, task code and quantity: "Potential duplicate charge, see line
    item %s"), so an entry billed again with its narrative reworded is reported too.
    Money at stake: the repeated line's total.
    Passing: 22547 bills 2.00 h of L510 on 1999-01-15 twice, once "Research attorney's
    fees, Set off claim" and once "Research attorney's fees, Trial pleading".
    Failing: the same two lines with the same narrative.
    """
    seen: SpillingMap[Location] = context.run.slot(duplicate_line_item, _first_places)  # where each entry was first
    facts = invoice_facts(invoice, context)
    firm, client = facts.firm, facts.client
    entries = [(line, keeper, day, hours) for line in facts.fees  # a credit reverses an entry: it repeats no charge
               if not line.credit and (keeper := line.keeper) is not None and (day := line.day) is not None
               and (hours := line.hours) is not None]
    if not entries:
        return
    lines = [line for line, *_ in entries]
    texts = (narratives([text if isinstance(text := line.item.description, str) else "" for line in lines])
             if options.same_narrative else [""] * len(lines))
    # One key a line, the invoice's at once: hours by value (2.0 = 2.00), so the key's text spells equal amounts
    # alike; a day by its number, a shorter key.
    keys = digests([
        (firm, client, _matter_id(line.matter), keeper, day.toordinal(), line.task,
         str(hours.normalize()) if hours else "0", text)
        for (line, keeper, day, hours), text in zip(entries, texts, strict=True)
    ])
    places = [line.item.location or NOWHERE for line in lines]
    for line, earlier in zip(lines, _earlier_places(seen, keys, places), strict=True):
        if earlier is None:
            continue
        item = line.item
        report(
            f"same matter, timekeeper ({line.keeper}), date, task code, hours"
            f"{' and narrative' if options.same_narrative else ''} as {where(earlier, item)}",
            record=item,
            field="line_item.description",
            amount=line.total,
            hint="remove the repeated entry, or say in the narrative how the work differs",
        )


@guideline_rule("duplicate.expense", Severity.WARNING)
def duplicate_expense(invoice: Invoice, report: Report, options: object, context: Context) -> None:
    """No expense line repeats another's timekeeper, date, expense code and amount, in the run.

    Why: Legal Tracker's CSM rule "Invoice Contains Duplicate Expense" ("Potential
    duplicate expense, see line item %s") and the portals' duplicate audits: an
    expense on the same date, with the same code and amount, is most often the same
    receipt billed twice, whatever its narrative says. Expenses are compared over every
    invoice and file of one ``ledes validate`` run, per law firm, client and timekeeper
    (two timekeepers' meals on one day are two expenses; lines without one count together), the amount
    by value (units × unit cost + adjustment, else the line's total: ``289.5`` =
    ``289.50``). The later line is reported; say how the two differ to have it passed.
    Options: none.
    Money at stake: the repeated line's total.
    Passing: E110 289.50 on 1999-01-17 and E110 289.50 on 1999-01-18.
    Failing: E110 289.50 on 1999-01-17 twice, once "Trademark filing" and once "Trademark filing; 12345".
    """
    facts = invoice_facts(invoice, context)
    entries = [(line, day, amount) for line in facts.lines
               if line.expense and (day := line.day) is not None and (amount := line.amount()) is not None]
    if not entries:
        return
    seen: SpillingMap[Location] = context.run.slot(duplicate_expense, _first_places)  # where each was first
    currency = context.currency_of(invoice)
    keys = digests([(facts.firm, facts.client, line.keeper, day.toordinal(), line.expense_code, str(amount.normalize()),
                     currency) for line, day, amount in entries])
    places = [line.item.location or NOWHERE for line, _, _ in entries]
    for (line, _day, _amount), earlier in zip(entries, _earlier_places(seen, keys, places), strict=True):
        if earlier is None:
            continue
        item = line.item
        report(
            f"same timekeeper, date, expense code ({line.expense_code or 'none'}) and amount as {where(earlier, item)}:"
            " a potential duplicate expense",
            record=item,
            field="line_item.total",
            amount=line.total,
            hint="remove the repeated expense, or say in the narrative how it differs",
        )


RULES = (duplicate_line_item, duplicate_expense)
