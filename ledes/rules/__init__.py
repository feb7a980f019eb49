"""The registry of every rule, by stable public name; its catalogue (``catalogue.py``) is where a new rule is added.

``ALL_RULES`` and ``RULES_BY_NAME`` import every rule module when first used (PEP 562); a run
asks the catalogue instead (``rule_named``), and imports only the modules of the rules it runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ledes.rules.base import Rule
from ledes.rules.catalogue import CATALOGUE, LOSSY_RULES, WHOLE_INVOICE_RULES, rule_named

if TYPE_CHECKING:
    ALL_RULES: tuple[Rule, ...]
    RULES_BY_NAME: dict[str, Rule]


def __getattr__(name: str) -> Any:
    if name not in ("ALL_RULES", "RULES_BY_NAME"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    every = tuple(rule_named(entry.name) for entry in CATALOGUE)
    globals().update(ALL_RULES=every, RULES_BY_NAME={rule.name: rule for rule in every})
    return globals()[name]


__all__ = ["ALL_RULES", "LOSSY_RULES", "RULES_BY_NAME", "WHOLE_INVOICE_RULES", "Rule"]
