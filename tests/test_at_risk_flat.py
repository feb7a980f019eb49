"""The money at risk is summed in flat memory: with every line's figure spilled to disk, the totals are the same."""

from __future__ import annotations

import random
from decimal import Decimal

from ledes.diagnostics import Diagnostic, Location, Severity
from ledes.results import AtRisk
from ledes.rules import RULES_BY_NAME, WHOLE_INVOICE_RULES

LINE_RULES = sorted(name for name, rule in RULES_BY_NAME.items()
                    if rule.guideline and name not in WHOLE_INVOICE_RULES)[:4]
WHOLE_RULES = sorted(WHOLE_INVOICE_RULES & {name for name, rule in RULES_BY_NAME.items() if rule.guideline})


def findings(count: int) -> list[Diagnostic]:
    draw = random.Random(2026)
    made = []
    for _ in range(count):
        invoice = f"INV-{draw.randrange(40):03d}"
        rule = draw.choice(LINE_RULES + WHOLE_RULES[:1]) if draw.random() < 0.1 else draw.choice(LINE_RULES)
        amount = Decimal(draw.randrange(0, 100_000)) / 100
        made.append(Diagnostic(rule, Severity.WARNING, "at stake", Location("f.txt", draw.randrange(1, 800)),
                               invoice, amount))
    return made


def expected(found: list[Diagnostic]) -> dict[str, Decimal]:
    """The definition, computed plainly: per line its largest figure, summed; a whole-invoice figure if larger."""
    largest: dict[tuple[str, int | None], Decimal] = {}
    whole: dict[str, Decimal] = {}
    for diagnostic in found:
        assert diagnostic.invoice is not None and diagnostic.amount is not None
        if diagnostic.rule in WHOLE_INVOICE_RULES:
            whole[diagnostic.invoice] = max(whole.get(diagnostic.invoice, Decimal(0)), diagnostic.amount)
        else:
            key = (diagnostic.invoice, diagnostic.line)
            largest[key] = max(largest.get(key, Decimal(0)), diagnostic.amount)
    totals: dict[str, Decimal] = {}
    for (invoice, _), amount in largest.items():
        totals[invoice] = totals.get(invoice, Decimal(0)) + amount
    for invoice, amount in whole.items():
        totals[invoice] = max(totals.get(invoice, Decimal(0)), amount)
    return totals


def test_at_risk_totals_are_the_same_when_every_line_spills():
    """A cache of 8 lines (the rest on disk) gives the same totals, in the same order, as the plain definition."""
    found = findings(20_000)
    small, large = AtRisk(capacity=8), AtRisk()
    for diagnostic in found:
        small.add(diagnostic)
        large.add(diagnostic)
    assert LINE_RULES and small._largest.spilled > 0
    assert list(small.totals().items()) == list(large.totals().items())
    assert small.totals() == expected(found)
