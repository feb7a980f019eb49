"""Limits a client sets on lines: narrative length, roles that may not bill, an expense line's amount and approval."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.model.classifications import same_kind
from ledes.money import to_minor
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import names_approval


@attrs.frozen
class NarrativeLengthOptions:
    """narrative.length: the fewest and the most characters a line's narrative may have."""

    min_characters: int = option.whole(0, minimum=0)
    max_characters: int = option.whole(0, minimum=0)

    def __attrs_post_init__(self) -> None:
        if self.min_characters and self.max_characters and self.min_characters > self.max_characters:
            raise option.OptionError(f"is more than max_characters ({self.max_characters}): no narrative could pass",
                                     ".min_characters")


@guideline_rule("narrative.length", Severity.WARNING, options=NarrativeLengthOptions)
def narrative_length(invoice: Invoice, report: Report, options: NarrativeLengthOptions, context: Context) -> None:
    """Each fee and expense narrative is as long as the client asks, and no longer than its portal takes.

    Why: Brightflag takes LINE_ITEM_DESCRIPTION under 1,024 characters; clients' guidelines
    set a shortest narrative (50 characters in one published set) so that an entry says
    what was done and why; a short one is cut as vague. Neither limit is on unless the
    client's guidelines set it. Characters are counted in the narrative as written, its
    spaces at either end left out; an empty narrative is ``field.required``'s or
    ``narrative.vague``'s. A credit line is not checked.
    Options: ``min_characters`` and ``max_characters`` (default 0: no limit).
    Money at stake: the line's total.
    Passing: "Draft motion to compel production of the claim file" (51 characters) with
    ``min_characters = 50``.
    Failing: "Research" (8 characters) with ``min_characters = 50``.
    """
    shortest, longest = options.min_characters, options.max_characters
    if not shortest and not longest:
        return
    for line in invoice_facts(invoice, context).lines:
        text = line.item.description
        if not (line.fee or line.expense) or line.credit or not isinstance(text, str) or not text.strip():
            continue
        length = len(text.strip())
        if shortest and length < shortest:
            problem, hint = f"at least {shortest}", "say what was done, to which document or issue, and why"
        elif longest and length > longest:
            problem, hint = f"at most {longest}", f"shorten the narrative to {longest} characters"
        else:
            continue
        report(
            f"the narrative is {length} characters long; the client asks for {problem}",
            record=line.item,
            field="line_item.description",
            amount=line.total,
            hint=hint,
        )


@attrs.frozen
class NotBillableOptions:
    """timekeeper.not-billable: the classifications whose time the client does not pay."""

    classifications: tuple[str, ...] = option.classifications()


@guideline_rule("timekeeper.not-billable", Severity.WARNING, options=NotBillableOptions)
def not_billable(invoice: Invoice, report: Report, options: NotBillableOptions, context: Context) -> None:
    """No fee line bills the time of a timekeeper whose classification the client does not pay for.

    Why: guidelines list the roles that may not bill ("no librarian or secretary time",
    "Non-Lawyer Time" in the portals' audits): their time is overhead, cut to 0. The
    classification is the approved one when the client's list gives one, else the billed
    one; the legacy 1998B codes are compared with their LOC 2014 kinds (OT with itself).
    A credit is not reported.
    Options: ``classifications`` (default none): the LEDES classification codes that may
    not bill fees (``["LIBRRN", "CLKSEC"]``).
    Money at stake: the line's total.
    Passing: a PARALG line with ``classifications = ["CLKSEC"]``.
    Failing: a CLKSEC line with ``classifications = ["CLKSEC"]``.
    """
    refused = frozenset(options.classifications)
    if not refused:
        return
    approved = context.timekeepers
    for line in invoice_facts(invoice, context).fees:
        if line.credit:
            continue
        code = line.classification(approved)
        matched = sorted(same_kind(code) & refused) if code is not None else []
        if matched:
            billed = line.classification(None)
            role = f"bills as {code}" if billed == code else (
                f"is approved as {code}" + (f" (billed as {billed})" if billed else ""))
            report(
                f"timekeeper {line.keeper or '(none)'} {role}, a classification the client does not pay"
                f" for ({', '.join(matched)})",
                record=line.item,
                field="timekeeper.classification",
                amount=line.total,
                hint="write the time off: the client treats it as overhead",
            )


@attrs.frozen
class LineCapOptions:
    """expense.line-cap: the most one expense line of a code may bill."""

    caps: dict[str, Decimal] = option.amounts({}, key=option.upper)


@guideline_rule("expense.line-cap", Severity.WARNING, options=LineCapOptions)
def line_cap(invoice: Invoice, report: Report, options: LineCapOptions, context: Context) -> None:
    """No expense line of a capped code bills more than the client's cap for one line.

    Why: guidelines cap an expense by the line as well as by the unit or the day (a
    hotel night, a courier delivery, a filing fee): the portal reduces the line to the cap.
    The amount of a line is units × unit cost + adjustment (its total when those are
    missing), before tax. The caps are in the guidelines' ``currency``: an invoice in
    another currency is not checked.
    Options: ``caps`` (default none): the most per line, by expense code (``{E110 = 250}``).
    Money at stake: the line's amount above the cap.
    Passing: E110 289.50 with ``caps = {E110 = 300}``.
    Failing: E110 289.50 with ``caps = {E110 = 250}`` (39.50 over).
    """
    caps = options.caps
    if not caps or context.other_currency(invoice, line_cap):
        return
    for line in invoice_facts(invoice, context).lines:
        code = line.expense_code
        cap = caps.get(code) if line.expense and code is not None else None
        if cap is None:
            continue
        charged = line.amount()
        if charged is None or charged <= cap:
            continue
        report(
            f"{code} line bills {to_minor(charged, invoice.currency)}, above the client's cap of {cap} a line",
            record=line.item,
            field="line_item.total",
            amount=to_minor(charged - cap, invoice.currency),
            hint=f"bill at most {cap} for one {code} line",
        )


@attrs.frozen
class ApprovalOptions:
    """expense.approval: the amount above which an expense needs the client's approval, named in its narrative."""

    threshold: Decimal = option.amount(0, minimum=0)


@guideline_rule("expense.approval", Severity.WARNING, options=ApprovalOptions)
def approval(invoice: Invoice, report: Report, options: ApprovalOptions, context: Context) -> None:
    """An expense line above the client's threshold names the client's approval in its narrative.

    Why: carrier guidelines require prior approval for large expenses (any expense over
    $500, expert or vendor bills over $1,000: AmTrust; $250 in expert-vendor terms), and
    receipts above a threshold; without the approval named, the line is held or cut. The
    line's amount (units × unit cost + adjustment, else its total) is compared; a
    narrative names the approval as given ("pre-approved", "approved by M. Lee", "per
    client approval", "with the claims manager's consent"), not as a topic ("petition for
    approval of settlement") or denied ("not approved"). The threshold is in the guidelines' ``currency``: an invoice in another currency
    is not checked.
    Options: ``threshold`` (default 0: none).
    Money at stake: the line's total.
    Passing: E110 289.50 "Out-of-town travel" with ``threshold = 500``; E124 650.00
    "Court reporter, pre-approved by M. Lee".
    Failing: E124 650.00 "Court reporter" with ``threshold = 500``.
    """
    threshold = options.threshold
    if not threshold or context.other_currency(invoice, approval):
        return
    for line in invoice_facts(invoice, context).lines:
        if not line.expense:
            continue
        charged = line.amount()
        if charged is None or charged <= threshold:
            continue
        text = line.item.description
        if isinstance(text, str) and names_approval(text):
            continue
        report(
            f"expense of {to_minor(charged, invoice.currency)} is above {threshold}, and its narrative names no"
            " approval by the client",
            record=line.item,
            field="line_item.description",
            amount=line.total,
            hint="name the client's approval in the narrative (\"pre-approved by ...\"), or bill the vendor to the client",
        )


RULES = (narrative_length, not_billable, line_cap, approval)
