"""Timekeeper rules: who bills is on the client's approved list, in the approved classification."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.model.classifications import same_kind
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import invoice_facts


@guideline_rule("timekeeper.not-approved", Severity.ERROR)
def not_approved(invoice: Invoice, report: Report, options: object, context: Context) -> None:
    """Every fee line's TIMEKEEPER_ID is on the client's list of approved timekeepers.

    Why: Brightflag "Common timekeeper rejection reasons", Collaborati "Timekeeper ID
    is Invalid": the timekeeper must exist and be approved for the
    client, matched exactly and case-sensitively; the portals reject the line or hold
    the invoice for approval. Does nothing when the client gave no approved list.
    Lines without a TIMEKEEPER_ID are left to ``field.required``; a credit (a negative
    total, a write-off) bills nothing and is not checked.
    Options: none.
    Money at stake: the line's total.
    Passing: TIMEKEEPER_ID ``22547`` on a list that holds 22547.
    Failing: TIMEKEEPER_ID ``99999`` on a list without it.
    """
    approved = context.timekeepers
    if approved is None:
        return
    folded: dict[str, str] | None = None
    for line in invoice_facts(invoice, context).fees:
        keeper = line.keeper
        if keeper is None or keeper in approved or line.credit:
            continue
        if folded is None:
            folded = context.run.slot(not_approved, lambda: _by_folded_id(approved))
        close = folded.get(keeper.strip().casefold())
        hint = (
            f"the approved list has '{close}': ids are compared exactly" if close is not None
            else "ask the client to approve the timekeeper before billing their time"
        )
        report(
            f"timekeeper {keeper} is not on the client's approved list",
            record=line.item,
            field="timekeeper.id",
            amount=line.total,
            hint=hint,
        )


def _by_folded_id(approved: Mapping[str, object]) -> dict[str, str]:
    """Each approved id by its case- and space-folded form (the first of those that fold alike): made once per run."""
    folded: dict[str, str] = {}
    for known in approved:
        folded.setdefault(known.strip().casefold(), known)
    return folded


@guideline_rule("timekeeper.classification", Severity.WARNING)
def classification(invoice: Invoice, report: Report, options: object, context: Context) -> None:
    """TIMEKEEPER_CLASSIFICATION is the classification the client approved for that timekeeper.

    Why: eBillingHub validation and the LOC's revised timekeeper classifications
    (classification match: the billed level equals the
    approved role, LOC 2014 classes; a warning or an error by client); a partner
    approved as ``ASSOC`` billing as ``PARTNR`` usually means a rate above the approved
    one. A legacy 1998B code is the classification of its kind (PT bills as an approved
    PARTNR; see ``rates.cap``). Reported once per timekeeper and billed classification
    in each invoice, at its first line; does nothing without an approved list, for timekeepers not on it
    (``timekeeper.not-approved``), or when either classification is empty.
    Options: none.
    Money at stake: none (``rates.cap`` prices the rate).
    Passing: 45875 approved as ``ASSOC`` bills as ``ASSOC``.
    Failing: 45875 approved as ``ASSOC`` bills as ``PARTNR``.
    """
    approved = context.timekeepers
    if approved is None:
        return
    seen: set[tuple[str, str]] = set()
    counts: Counter[tuple[str | None, object]] | None = None
    for line in invoice_facts(invoice, context).lines:
        item, keeper = line.item, line.keeper
        found = approved.get(keeper) if keeper is not None else None
        billed = item.timekeeper.classification if item.timekeeper is not None else None
        if keeper is None or found is None or not found.classification or not isinstance(billed, str) or not billed.strip():
            continue
        if found.classification.strip().upper() in same_kind(billed.strip().upper()) or (keeper, billed) in seen:
            continue
        seen.add((keeper, billed))
        if counts is None:  # the invoice's lines by timekeeper and classification, counted once
            counts = Counter(
                (other.timekeeper.id, other.timekeeper.classification)
                for other in invoice.line_items if other.timekeeper is not None
            )
        lines = counts[(keeper, billed)]
        report(
            f"timekeeper {keeper} bills as {billed.strip()} but the client approved them as"
            f" {found.classification} ({lines} line{'s' if lines != 1 else ''})",
            record=item,
            field="timekeeper.classification",
            hint="bill the approved classification, or ask the client to approve the new one",
        )


RULES = (not_approved, classification)
