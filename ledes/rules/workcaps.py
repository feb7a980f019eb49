"""Caps a client puts on kinds of work: research hours on a matter, and the fees of a task billed at a fixed price."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.money import ZERO, to_minor
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import invoice_facts
from ledes.rules.lineitems import names_approval, over_hours, word_pattern, words_leading
from ledes.rules.runstore import SpillingMap, digest

RESEARCH_CODES = ("A102",)  # UTBMS activity A102 "Research"
RESEARCH_WORDS = ("research", "researched", "researching", "legal research")
_RESEARCH = word_pattern(RESEARCH_WORDS)
PER_INVOICE, PER_MATTER = "invoice", "matter"  # what a cap holds: one invoice, or a matter over the run


@attrs.frozen
class ResearchOptions:
    """time.research: the most research hours a matter may bill in one invoice (or over the run) without the client's
    authorization."""

    max_hours: Decimal = option.amount(0, minimum=0)
    per: str = option.one_of(PER_INVOICE, (PER_INVOICE, PER_MATTER))


def _matter_hours() -> SpillingMap[Decimal]:
    """A run's research hours per firm, client and matter so far (``per = "matter"``), in flat memory."""
    return SpillingMap(str, Decimal)


@guideline_rule("time.research", Severity.WARNING, options=ResearchOptions)
def research(invoice: Invoice, report: Report, options: ResearchOptions, context: Context) -> None:
    """A matter bills no more research hours in one invoice than the client allows without its authorization.

    Why: carrier guidelines cap legal research: more than 3 hours on a matter needs the
    client's authorization, named in the narrative with activity A102 (hub.nicolaidesllp.com
    digests of AmTrust's, Liberty Mutual's and CNA's guidelines); routine research is not paid.
    A research line is a fee line with activity code A102, or one whose narrative (or a
    clause of it) starts with "research". Lines whose narrative names the authorization as
    given ("research authorized by M. Lee", "per client approval") are not counted; one
    that names it as its topic ("research prior authorization requirements") is. The hours add up in line
    order; the line that takes the matter over the limit, and every later research line,
    are reported. With ``per = "matter"`` they add up over every invoice and file of the run,
    per law firm, client and matter, in the order read ("research per task/matter").
    Off unless the client's guidelines set the limit.
    Options: ``max_hours`` (default 0: no limit) and ``per`` (default ``invoice``; ``matter``).
    Money at stake: the hours over the limit × the line's rate, less what the line's adjustment
    already takes off (never below 0).
    Passing: 2.00 h and 1.00 h of research on matter 0528 with ``max_hours = 3``.
    Failing: 2.00 h and 2.00 h (1.00 h over); passing again when the second says
    "research authorized by M. Lee".
    """
    limit = options.max_hours
    if not limit:
        return
    facts = invoice_facts(invoice, context)
    earlier: SpillingMap[Decimal] | None = (context.run.slot(research, _matter_hours) if options.per == PER_MATTER
                                            else None)
    where = "so far" if earlier is not None else "in this invoice"
    for matter, lines in facts.matters:
        key = digest((facts.firm, facts.client, matter.law_firm_matter_id)) if earlier is not None else b""
        worked = (earlier.get(key) or ZERO) if earlier is not None else ZERO
        for line in lines:
            hours, text = line.hours, line.item.description
            if not line.fee or line.credit or hours is None or hours <= 0:
                continue
            if line.activity not in RESEARCH_CODES and not (isinstance(text, str) and words_leading(_RESEARCH, text)):
                continue
            if isinstance(text, str) and names_approval(text):
                continue
            before, worked = worked, worked + hours
            if worked <= limit:
                continue
            over = worked - max(before, limit)
            report(
                f"research comes to {worked} h on matter {line.matter.law_firm_matter_id} {where}, more than"
                f" the {limit} h the client allows without its authorization",
                record=line.item,
                field="line_item.units",
                amount=to_minor(over_hours(line.item, hours, line.rate, hours - over), invoice.currency)
                if line.rate is not None else None,
                hint="name the client's authorization of the research in the narrative, or write the excess off",
            )
        if earlier is not None:
            earlier.set(key, worked)


@attrs.frozen
class TaskCapOptions:
    """rates.task-cap: the most one matter's fees under a task code may come to, in one invoice or over the run."""

    caps: dict[str, Decimal] = option.amounts({}, key=option.upper)
    per: str = option.one_of(PER_INVOICE, (PER_INVOICE, PER_MATTER))


def _matter_fees() -> SpillingMap[Decimal]:
    """A run's fees per firm, client, matter, task code and currency so far (``per = "matter"``), in flat memory."""
    return SpillingMap(str, Decimal)


@guideline_rule("rates.task-cap", Severity.WARNING, options=TaskCapOptions)
def task_cap(invoice: Invoice, report: Report, options: TaskCapOptions, context: Context) -> None:
    """A matter's fees under a task the client pays at a fixed price or a cap stay within it, in each invoice (or over the run).

    Why: capped and flat fees per task code (Brightflag's example: PA320, a US
    non-provisional patent application, at USD 9,000; fixed-fee litigation phases;
    Lawtrac's per-code caps per invoice, year or lifetime): the portal reduces the
    excess. The fees of a matter's lines with the task code add up in line order
    (units × rate + adjustment, else the line's total); the line that takes them over the
    cap and every later one of that task are reported. With ``per = "matter"`` they add up
    over every invoice and file of the run, per law firm, client and matter, in the order
    read (a cap for the matter's lifetime: validate its invoices together). The caps are
    in the guidelines' ``currency``: an invoice in another currency is not checked.
    Options: ``caps`` (default none) and ``per`` (default ``invoice``; ``matter``): the most
    per task code, per matter and invoice, or per matter over the run (``{PA320 = 9000}``).
    Money at stake: the fees over the cap.
    Passing: PA320 fees of 8,500.00 with ``caps = {PA320 = 9000}``.
    Failing: PA320 fees of 6,000.00 and 4,000.00 (1,000.00 over).
    """
    caps = options.caps
    if not caps or context.other_currency(invoice, task_cap):
        return
    facts = invoice_facts(invoice, context)
    earlier: SpillingMap[Decimal] | None = (context.run.slot(task_cap, _matter_fees) if options.per == PER_MATTER
                                            else None)
    where = "on this matter so far" if earlier is not None else "in this invoice"
    for matter, lines in facts.matters:
        spent: dict[str, Decimal] = {}
        keys: dict[str, bytes] = {}
        for line in lines:
            task = line.task
            cap = caps.get(task) if task is not None and line.fee else None
            if cap is None or task is None:
                continue
            charged = line.amount()
            if charged is None:
                continue
            if earlier is not None and task not in keys:  # the matter's fees of the task in earlier invoices
                keys[task] = digest((facts.firm, facts.client, matter.law_firm_matter_id, task,
                                     context.currency_of(invoice)))
                spent[task] = earlier.get(keys[task]) or ZERO
            before = spent.get(task, ZERO)
            spent[task] = before + charged
            if spent[task] <= cap or charged <= 0:
                continue
            report(
                f"{task} fees on matter {line.matter.law_firm_matter_id} come to"
                f" {to_minor(spent[task], invoice.currency)} {where}, above the client's cap of {cap}",
                record=line.item,
                field="line_item.total",
                amount=to_minor(spent[task] - max(before, cap), invoice.currency),
                hint=f"bill {task} at the agreed price: at most {cap} a matter",
            )
        if earlier is not None:
            for task, key in keys.items():
                earlier.set(key, spent[task])


RULES = (research, task_cap)
