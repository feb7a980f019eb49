"""Staffing rules: how many timekeepers work on one matter."""

from __future__ import annotations

from decimal import Decimal

import attrs

from ledes.diagnostics import Severity
from ledes.model import Invoice
from ledes.money import ZERO, to_minor
from ledes.rules import options as option
from ledes.rules.base import Context, Report, guideline_rule
from ledes.rules.facts import Line, invoice_facts


@attrs.frozen
class MaxTimekeepersOptions:
    """staffing.max-timekeepers: the most timekeepers on one matter in one invoice."""

    max: int = option.whole(5, minimum=1)


@guideline_rule("staffing.max-timekeepers", Severity.WARNING, options=MaxTimekeepersOptions)
def max_timekeepers(invoice: Invoice, report: Report, options: MaxTimekeepersOptions, context: Context) -> None:
    """No matter of an invoice has more distinct timekeepers billing fees than the client allows.

    Why: carrier billing guidelines (hub.nicolaidesllp.com digests): a staffing cap on the distinct timekeepers per matter
    or invoice (3 in the guideline cited: lead attorney, associate, paralegal); Brightflag's invoice flags:
    timekeepers who bill a few hours on a matter ("transient billers") are the ones
    cut. The default of 5 leaves room for a team with a second associate and a second
    paralegal; a client with the strict cap sets 3. A credit (a line with a negative total, a
    write-off) or a no-charge line (a total of 0) bills no time: a timekeeper on those only is
    not counted. Each line of a timekeeper beyond the cap is reported, taking those with the
    fewest hours, so its money counts once beside the line's other findings.
    Options: ``max`` (default 5): the most timekeepers on one matter in one invoice.
    Money at stake: each reported line's total: the fees of the timekeepers beyond the cap.
    Passing: two timekeepers (22547, 45875) on matter 0528.
    Failing: six timekeepers on one matter, with ``max`` 5.
    """
    limit = options.max
    for matter, lines in invoice_facts(invoice, context).matters:
        worked: dict[str, Decimal] = {}
        billed: dict[str, list[Line]] = {}
        for line in lines:
            keeper = line.keeper
            # A write-off or a no-charge line bills no time.
            if not line.fee or keeper is None or line.credit or line.bills_nothing():
                continue
            worked[keeper] = worked.get(keeper, ZERO) + (line.hours or ZERO)
            billed.setdefault(keeper, []).append(line)
        worked = {keeper: hours for keeper, hours in worked.items() if hours > 0}
        if len(worked) <= limit:
            continue
        order = list(worked)  # by hours, then the later first line first: the ranks as the sort key, not list.index
        ranked = sorted(range(len(order)), key=lambda rank: (worked[order[rank]], -rank))
        extra = {order[rank] for rank in ranked[: len(worked) - limit]}
        fewest = [keeper for keeper in order if keeper in extra]
        shown = ", ".join(f"{keeper} ({worked[keeper]} h)" for keeper in fewest[:_NAMED])
        more = f" and {len(fewest) - _NAMED:,} more" if len(fewest) > _NAMED else ""
        for keeper in fewest:
            for line in billed[keeper]:
                report(
                    f"{len(worked)} timekeepers bill fees on matter {matter.law_firm_matter_id}, more than the {limit}"
                    f" allowed; {keeper} is past the cap (fewest hours: {shown}{more})",
                    record=line.item,
                    field="timekeeper.id",
                    amount=to_minor(line.total, invoice.currency) if line.total is not None else None,
                    hint="staff the matter within the cap, or get the client's approval for a larger team",
                )


_NAMED = 5  # timekeepers past the cap named in a message


RULES = (max_timekeepers,)
