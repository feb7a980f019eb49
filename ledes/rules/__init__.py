"""The registry of every rule, by stable public name; the one place a new rule is added."""

from ledes.rules import (
    arithmetic,
    codes,
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
)

RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_NAME", "Rule"]
