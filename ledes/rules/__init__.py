"""The registry of every rule, by stable public name; the one place a new rule is added."""

from ledes.rules import arithmetic, field, invoice, period, structure, xml
from ledes.rules.base import Rule

ALL_RULES: tuple[Rule, ...] = (
    *structure.RULES,
    *field.RULES,
    *arithmetic.RULES,
    *invoice.RULES,
    *period.RULES,
    *xml.RULES,
)

RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_NAME", "Rule"]
