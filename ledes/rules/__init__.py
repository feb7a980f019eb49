"""The registry of every rule, by stable public name; the one place a new rule is added."""

from ledes.rules import (
    arithmetic,
    codes,
    conversion,
    duplicate,
    expense,
    field,
    invoice,
    narrative,
    period,
    rates,
    staffing,
    structure,
    submission,
    timeentries,
    timekeeper,
    xml,
)
from ledes.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    *structure.RULES,
    *field.RULES,
    *arithmetic.RULES,
    *invoice.RULES,
    *period.RULES,
    *xml.RULES,
    *codes.RULES,
    *timekeeper.RULES,
    *rates.RULES,
    *timeentries.RULES,
    *narrative.RULES,
    *expense.RULES,
    *duplicate.RULES,
    *staffing.RULES,
    *submission.RULES,
    *conversion.RULES,
)

RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}

# Findings after which writing the model back would lose data from the file, read from the rules themselves.
LOSSY_RULES = frozenset(rule.name for rule in ALL_RULES if rule.lossy)
# Findings about an invoice or a matter as a whole, whose money at stake overlaps its lines'.
WHOLE_INVOICE_RULES = frozenset(rule.name for rule in ALL_RULES if rule.whole_invoice)

__all__ = ["ALL_RULES", "LOSSY_RULES", "RULES_BY_NAME", "WHOLE_INVOICE_RULES", "Rule"]
