"""Narrative rules: block billing, vague descriptions and administrative work billed as fees, with the words that triggered each."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ledes import narratives  # its checks (and their patterns) load on first use
from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.money import to_minor
from ledes.narratives import vocabulary
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import invoice_facts

HUNDRED = Decimal(100)


def _at_stake(total: object, percent: Decimal, currency: str | None) -> Decimal | None:
    if type(total) is not Decimal:
        return None
    return to_minor(total * percent / HUNDRED, currency)


@attrs.frozen
class BlockBillingOptions:
    """narrative.block-billing: the share of a block-billed line a review cuts, in percent."""

    reduction_percent: Decimal = option.amount(100, minimum=0, maximum=100)


@guideline_rule("narrative.block-billing", Severity.WARNING, options=BlockBillingOptions)
def block_billing(invoice: Invoice, report: Report, options: BlockBillingOptions, context: Context) -> None:
    """A fee entry describes one task, or gives the time of each task it describes.

    Why: block billing ("several tasks in one entry"; The Hartford's panel counsel billing guidelines,
    Brightflag's invoice flags) is prohibited
    by most outside-counsel guidelines, because the client cannot judge how long each task
    took; reviewers cut the entry or reject it. Tasks are read from clauses separated by
    ";", ",", ":", a sentence's end, "and", "&", "+", a spaced slash or dash ("Review complaint /
    draft answer", "... - draft answer - ..."), "--" or an em dash, past a list's numbers or letters
    ("(1)", "2)", "(a)"); "re-draft", "and/or", "w/", "1/15" and "Smith/Jones" stay one task. An
    entry that states a time for every task ("Draft motion (1.2); call with client re same
    (0.3)", "[0.5]", "(30 min)", a bare "0.5" ending the clause), several verbs on one document
    ("Draft and revise motion to compel") and grouped e-mails on one topic are not block
    billing. The finding names the tasks found. Measured on the 334 labelled narratives of
    fixtures/narratives (benchmarks/narratives.py): precision 0.96, recall 0.96 (held-out
    half 0.92 / 0.92; on its 46 rows never read while the detector was built, 1.00 / 0.93).
    A credit (a negative total) or a no-charge line (a total of 0) bills nothing: not judged.
    Options: ``reduction_percent`` (default 100): the share of the line a review cuts.
    Money at stake: that share of the line total.
    Passing: "Draft motion to compel (1.2); call with client re same (0.3)"
    Failing: "Reviewed documents, drafted memo, called client and conferred with J. Smith re strategy"
    """
    items, readings = invoice_facts(invoice, context).narrated()
    for item, found in zip(items, map(narratives.block_billing, readings), strict=True):
        if found is not None:
            report(found.reason, record=item,
                   field="line_item.description", amount=_at_stake(item.total, options.reduction_percent, invoice.currency),
                   hint="split the entry into one line per task, each with its own time")


@attrs.frozen
class VagueOptions:
    """narrative.vague: the generic phrases (replaced or added to), the specific words an entry needs, the share cut."""

    reduction_percent: Decimal = option.amount(100, minimum=0, maximum=100)
    min_words: int = option.whole(vocabulary.DEFAULT_MIN_WORDS, minimum=1)
    phrases: tuple[str, ...] = option.texts(vocabulary.VAGUE_PHRASES, phrases=True)
    extra_phrases: tuple[str, ...] = option.texts((), phrases=True)


@guideline_rule("narrative.vague", Severity.WARNING, options=VagueOptions)
def vague(invoice: Invoice, report: Report, options: VagueOptions, context: Context) -> None:
    """A fee entry says what was done, to what, or about what.

    Why: vague narratives ("review documents", "work on file", "attention to matter",
    "research"; The Hartford's panel counsel billing guidelines and the portals'
    keyword audits) are cut because the
    client cannot tell what it pays for. An entry is vague when, once its generic words
    (the ``phrases``), filler and the people it was with are set aside, fewer than
    ``min_words`` specific words remain; length alone is not the test, so "Draft reply ISO
    MSJ" is specific. The finding names the generic words. Measured on fixtures/narratives:
    precision 1.00, recall 0.95 (held-out half 1.00 / 0.90; on its 46 unseen rows 1.00 / 0.82).
    A credit (a negative total) or a no-charge line (a total of 0) bills nothing: not judged.
    Options: ``min_words`` (default 1), ``phrases`` / ``extra_phrases`` (replace / add to the generic phrases), ``reduction_percent`` (default 100).
    Money at stake: that share of the line total.
    Passing: "Draft reply in support of motion for summary judgment"
    Failing: "Work on file; attention to matter"
    """
    phrases = options.phrases + options.extra_phrases
    items, readings = invoice_facts(invoice, context).narrated()
    for item, found in zip(items, map(narratives.vague_checker(options.min_words, phrases), readings), strict=True):
        if found is not None:
            report(found.reason, record=item,
                   field="line_item.description", amount=_at_stake(item.total, options.reduction_percent, invoice.currency),
                   hint="say what was done, to which document or issue, and why")


@attrs.frozen
class AdministrativeOptions:
    """narrative.administrative: the clerical phrases (replaced or added to)."""

    phrases: tuple[str, ...] = option.texts(vocabulary.ADMINISTRATIVE_PHRASES, phrases=True)
    extra_phrases: tuple[str, ...] = option.texts((), phrases=True)


@guideline_rule("narrative.administrative", Severity.WARNING, options=AdministrativeOptions)
def administrative(invoice: Invoice, report: Report, options: AdministrativeOptions, context: Context) -> None:
    """A fee entry is legal work, not clerical or administrative work.

    Why: clerical and administrative tasks (scheduling, copying, Bates stamping, organising
    files, calendaring, preparing binders, data entry, billing; carrier billing guidelines as
    digested at hub.nicolaidesllp.com, Legal Tracker's non-compliant fees audit) are firm overhead: guidelines make them non-billable and
    portals cut them to zero, whoever did them. A clerical phrase counts where it names the
    work itself, not where it is the subject of legal work ("Analyze HSR filing
    requirement" is legal work). The finding names the phrases. Measured on
    fixtures/narratives: precision 0.99, recall 0.97 (held-out half 0.97 / 0.94; on its 46
    unseen rows 1.00 / 0.82).
    A credit (a negative total) or a no-charge line (a total of 0) bills nothing: not judged.
    Options: ``phrases`` (the clerical phrases; a client may replace them) and ``extra_phrases``.
    Money at stake: the line total (non-billable).
    Passing: "Prepare witness outline for deposition of plant manager"
    Failing: "Bates stamp and index production documents"
    """
    phrases = options.phrases + options.extra_phrases
    items, readings = invoice_facts(invoice, context).narrated()
    for item, found in zip(items, map(narratives.administrative_checker(phrases), readings), strict=True):
        if found is not None:
            report(found.reason, record=item,
                   field="line_item.description", amount=item.total if type(item.total) is Decimal else None,
                   hint="clerical work is overhead: write it off, or describe the legal work it served")


RULES = (block_billing, vague, administrative)
